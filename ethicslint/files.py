"""Writing a file so that a reader sees either the old file or the whole new one, never half.

Every file ethicslint writes (result-cache entries, the files derived once into the user's cache
directory, and the user's own files that ``check --fix`` rewrites) is written under a temporary
name in the same directory and renamed into place: concurrent runs may write the same file, and a
run may be killed mid-write. Temporary names start with ``.tmp-``. The files ethicslint writes for
itself are kept only while they are used: a read refreshes a file's modification time
(:func:`mark_used`, once a day at most), and once a day a run removes the files unused for
:data:`UNUSED_DAYS` days and the temporary files a killed run left (:func:`prune_if_due`), so
neither the result cache nor the cache home grows without bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path


DAY = 86_400.0
UNUSED_DAYS = 30  # a file unused this long is removed
STALE_TEMP_SECONDS = 3_600.0  # a temporary file this old belongs to a run that died
TEMPORARY_PREFIX = ".tmp-"


def write_atomically(path: Path, data: bytes, *, stale: str = "", mode: int | None = None) -> None:
    """Write ``data`` to ``path`` (mode 0600, as ``mkstemp`` creates it, unless ``mode`` is given:
    a user's file fixed by ``--fix`` keeps its permissions), then remove the files matching the
    glob ``stale`` in the same directory (older versions of it). Raises OSError when the directory
    cannot be written."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=f"{TEMPORARY_PREFIX}{path.name}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(name, mode)
        os.replace(name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    _remove_stale(path, stale)


def replace_atomically(path: Path, write: Callable[[Path], None], *, stale: str = "") -> None:
    """Create ``path`` through ``write(temporary path)`` (for writers that create the file
    themselves, such as sqlite3), then remove the files matching ``stale`` as above. Raises
    OSError when the directory cannot be written."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=f"{TEMPORARY_PREFIX}{path.name}-")
    os.close(fd)
    temporary = Path(name)
    try:
        temporary.unlink()  # write() creates it (sqlite3 wants a new file or a database)
        write(temporary)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    _remove_stale(path, stale)


def _remove_stale(path: Path, stale: str) -> None:
    for old in path.parent.glob(stale) if stale else ():
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def origin_prefix(label: str, paths: Iterable[Path]) -> str:
    """The start of the names of files derived from ``paths``: ``label`` and a short hash of where
    the sources are. Older versions of a derived file are found by this prefix, so two
    environments whose sources differ only by where they are installed (a project's venv and
    pre-commit's) never remove each other's files."""
    where = "\0".join(str(path.resolve()) for path in paths)
    return f"{label}-{hashlib.sha256(where.encode()).hexdigest()[:12]}-"


def source_key(paths: Iterable[Path], *extra: str) -> str:
    """A name for a file derived from ``paths``: their paths, sizes and modification times, and
    ``extra`` (versions, a format name), so a changed source gets a new file."""
    digest = hashlib.sha256(b"ELT3")  # (the seed of the names already written)
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for part in extra:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]


def mark_used(path: Path, fd: int | None = None) -> None:
    """Refresh the modification time of ``path`` (through ``fd`` when it is open: the file read,
    not a link put there since), its last use for :func:`prune_if_due`: once a day at most, so
    that reading writes nearly nothing."""
    try:
        stat = os.fstat(fd) if fd is not None else os.stat(path)
        if time.time() - stat.st_mtime > DAY:
            os.utime(fd if fd is not None and os.utime in os.supports_fd else path)
    except OSError:  # a read-only directory: it will not be pruned either
        pass


def prune_if_due(marker: Path, directories: Callable[[], Iterable[Path]], prunable: Callable[[str], bool],
                 max_age_days: float = UNUSED_DAYS) -> int:
    """Remove, from ``directories()``, the files whose names are ``prunable`` and unused for
    ``max_age_days``, and stale temporary files, if ``marker`` (whose modification time is the
    last pruning) is more than a day old; the number of files removed. A few milliseconds per
    thousand files, once a day."""
    now = time.time()
    try:
        if now - marker.stat().st_mtime < DAY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    removed = 0
    try:
        marker.touch()  # first: two runs at once do not both walk the directory
        for directory in directories():
            for item in os.scandir(directory):
                temporary = item.name.startswith(TEMPORARY_PREFIX)
                if not (temporary or prunable(item.name)):
                    continue
                try:
                    age = now - item.stat(follow_symlinks=False).st_mtime
                    if age > (STALE_TEMP_SECONDS if temporary else max_age_days * DAY):
                        os.unlink(item.path)
                        removed += 1
                except OSError:  # gone meanwhile (another run), or not ours to remove
                    continue
    except OSError:  # a read-only or vanishing directory: prune another day
        return removed
    return removed
