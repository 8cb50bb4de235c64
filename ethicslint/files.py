"""Writing a file so that a reader sees either the old file or the whole new one, never half.

Every file ethicslint writes for itself (result-cache entries, the files derived once into the
user's cache directory, and the user's own files that ``check --fix`` rewrites) is written under a temporary name in the same directory and renamed into
place: concurrent runs may write the same file, and a run may be killed mid-write. Temporary
names start with ``.tmp-``, which the result cache's pruning removes when a killed run left one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, stale: str = "", mode: int | None = None) -> None:
    """Write ``data`` to ``path`` (mode 0600, as ``mkstemp`` creates it, unless ``mode`` is given:
    a user's file fixed by ``--fix`` keeps its permissions), then remove the files matching the
    glob ``stale`` in the same directory (older versions of it). Raises OSError when the directory
    cannot be written."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".tmp-{path.name}-")
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
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".tmp-{path.name}-")
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
