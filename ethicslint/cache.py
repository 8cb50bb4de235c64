"""Result cache: unchanged files are served without reading them through spaCy again.

A file's entry is keyed on its bytes, its display path, the effective configuration, and the
fingerprint of every loaded plugin (name, version, and the modification times of its files, so
editing a term list invalidates it too), of ethicslint itself (version and files) and of the NLP
it runs on (spaCy, spacy-lookups-data and which statistical models are installed: installing
``fr_core_news_sm`` changes French results). Entries are written to a temporary file and renamed
into place, so concurrent runs never see half an entry.

The directory lives in the checked tree, where anyone who can commit a file can put one, so every
byte read from it is untrusted (``docs/security.md``):

- an entry is JSON data (``{"format": FORMAT_VERSION, "value": ...}``), never pickle: reading
  it cannot run code. Only plain data is stored (objects with string keys, arrays, strings,
  finite numbers, booleans, null), so a value comes back exactly as it was put;
- an entry's name is an HMAC keyed on a secret kept in the user's cache home
  (:data:`SECRET_FILE`, outside any checked tree), so no one without it can place an entry where
  a run will look, not even well-formed data (say, a result with no findings for a file that has
  some);
- an entry that is malformed, of another format, larger than :func:`max_entry_bytes` or not a
  regular file is a miss, never an exception;
- a cache directory that is a symbolic link is not used at all: a repository could point it at
  any directory, which a run would then write into and prune.

Entries are written by a background thread: creating a file costs about a millisecond on some
disks (0.35 s for a 400-page repo), time the checking can go on meanwhile. ``get`` sees an entry
as soon as ``put`` returns; :meth:`ResultCache.flush` (called at the end of a run, and in every
worker process as it exits) waits until all are on disk.

Every edit of a file, every settings change and every upgrade leaves entries nobody will ask for
again, so the cache is pruned: an entry's modification time is its last use (a hit refreshes it
when it is more than a day old), and at most once a day a run removes the entries unused for
:data:`MAX_AGE_DAYS` days, and temporary files a killed run left behind
(:meth:`ResultCache.prune_if_due`).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import math
import os
import queue
import stat
import tempfile
import threading
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from . import __file__ as host_file
from . import __version__
from .dirs import cache_home
from .files import UNUSED_DAYS, mark_used, prune_if_due, write_atomically
from .nlp import MODELS

CACHE_DIR_NAME = ".ethicslint_cache"
FORMAT_VERSION = 2  # 1: pickled entries (never read again: their names do not match any more)
SECRET_FILE = "result-cache-key"  # in the cache home: keys the entry names
_SECRET_BYTES = 32
_MAX_DEPTH = 64  # nesting of a stored value; deeper is not stored (and a JSON parser would recurse)

MAX_AGE_DAYS = UNUSED_DAYS  # an entry unused this long is removed
_PRUNE_MARKER = ".pruned"  # its modification time: the last pruning


_SOURCE_SUFFIXES = (".py", ".toml", ".json", ".txt")


def _source_files(module_file: str | None) -> list[str]:
    """``path:mtime`` of the source and data files of the package (or module) at ``module_file``."""
    if not module_file:
        return []
    root = Path(module_file).parent if Path(module_file).name == "__init__.py" else Path(module_file)
    files = sorted(root.rglob("*")) if root.is_dir() else [root]
    parts = []
    for path in files:
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            try:
                parts.append(f"{path}:{path.stat().st_mtime_ns}")
            except OSError:
                continue
    return parts


def nlp_fingerprint() -> list[str]:
    """spaCy, spacy-lookups-data and the statistical models: where each is installed and when,
    or that it is absent (found without importing anything)."""
    parts = []
    for name in ("spacy", "spacy_lookups_data", *sorted(MODELS.values())):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        try:
            parts.append(f"{name}={origin}:{os.stat(origin).st_mtime_ns}" if origin else f"{name}=absent")
        except OSError:
            parts.append(f"{name}={origin}")
    return parts


def plugin_fingerprint(plugins: dict[str, Any]) -> str:
    """Names, versions and file modification times of the loaded plugins, of ethicslint itself,
    and :func:`nlp_fingerprint`."""
    parts = [f"ethicslint={__version__}", *_source_files(host_file), *nlp_fingerprint()]
    for name in sorted(plugins):
        plugin = plugins[name]
        parts.append(f"{name}={plugin.version}")
        parts.extend(_source_files(getattr(plugin.module, "__file__", None)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def config_fingerprint(config: Any, plugin_configs: dict[str, Any]) -> str:
    """A hash of the settings that change results (not of the file it came from)."""
    settings = {
        "select": config.select, "ignore": config.ignore, "per_file_ignores": config.per_file_ignores,
        "language": config.language, "severity": {k: v.value for k, v in config.severity.items()},
        "max_file_size": config.max_file_size, "formats": config.formats, "plugins": plugin_configs,
        "kinds": config.kinds, "require_reason": config.require_reason,
        "report_unused_suppressions": config.report_unused_suppressions,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def max_entry_bytes(content: bytes) -> int:
    """The largest entry read or written for a file of ``content``: the result holds the decoded
    file (for excerpts) and its findings, so it grows with the file; anything larger is a miss."""
    return 64 * 1024 * 1024 + 16 * len(content)


def secret_key() -> bytes:
    """This user's secret for entry names, created on first use (mode 0600) in the cache home
    (:func:`ethicslint.dirs.cache_home`). When it cannot be read or created, a key of
    this process alone: the cache then serves only the run that wrote it."""
    path = cache_home() / SECRET_FILE
    for _ in range(2):
        try:
            with open(path, "rb") as handle:
                key = handle.read(_SECRET_BYTES + 1)
            if len(key) == _SECRET_BYTES:
                return key
            return os.urandom(_SECRET_BYTES)  # not ours, or damaged: do not trust it, nor replace it
        except FileNotFoundError:
            pass
        except OSError:
            return os.urandom(_SECRET_BYTES)
        try:  # written whole under a temporary name, then linked: a reader never sees half a key
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-key-")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(os.urandom(_SECRET_BYTES))
                try:
                    os.link(tmp, path)  # fails if another run created it meanwhile: then read theirs
                except FileExistsError:
                    pass
                except OSError:  # a file system without hard links
                    if not path.exists():
                        os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)
        except OSError:
            return os.urandom(_SECRET_BYTES)
    return os.urandom(_SECRET_BYTES)


def is_plain(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` survives a JSON round trip unchanged: dicts with string keys, lists,
    strings, finite floats, ints, booleans and None (a tuple would come back a list)."""
    kind = type(value)  # exact types: a str enum or an int subclass would come back as another type
    if value is None or kind in (str, bool, int):
        return True
    if kind is float:
        return math.isfinite(value)
    if depth >= _MAX_DEPTH:
        return False
    if kind is list:
        return all(is_plain(item, depth + 1) for item in value)
    if kind is dict:
        return all(type(k) is str and is_plain(v, depth + 1) for k, v in value.items())
    return False


def encode_entry(value: Any) -> bytes | None:
    """The bytes of an entry holding ``value``; None when it is not plain data."""
    if not is_plain(value):
        return None
    return json.dumps({"format": FORMAT_VERSION, "value": value}, ensure_ascii=False,
                      allow_nan=False, separators=(",", ":")).encode("utf-8")


def decode_entry(data: bytes) -> Any | None:
    """The value in an entry's bytes, or None when they are not an entry of this format."""
    try:
        entry = json.loads(data.decode("utf-8"), parse_constant=_not_a_number)
    except (ValueError, RecursionError):  # not UTF-8, not JSON (NaN included), absurdly deep
        return None
    if type(entry) is not dict or entry.get("format") != FORMAT_VERSION or "value" not in entry:
        return None
    return entry["value"]


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not plain data")  # json.loads accepts NaN and Infinity otherwise


class ResultCache:
    """A directory of per-file results, stored as JSON data under secret-keyed names.

    ``get`` returns plain data (see :func:`is_plain`) exactly as it was ``put``, or None; the
    caller still validates its shape, as it would any input."""

    def __init__(self, directory: Path, run_key: str) -> None:
        self.directory = directory
        self.run_key = run_key
        self.hits = 0
        self.misses = 0
        self._secret = secret_key()
        self._usable: bool | None = None  # whether the directory is not a symbolic link
        self._pending: dict[Path, bytes] = {}  # entries put but not yet on disk
        self._queue: queue.SimpleQueue[Path | None] | None = None
        self._writer: threading.Thread | None = None
        self._writer_pid = 0  # a forked copy must start a writer of its own

    def __getstate__(self) -> dict[str, Any]:  # to a spawned worker: no thread, nothing pending
        state = self.__dict__.copy()
        state.update(_pending={}, _queue=None, _writer=None, _writer_pid=0)
        return state

    def _entry(self, display: str, content: bytes) -> Path:
        digest = hmac.new(self._secret, digestmod=hashlib.sha256)
        for part in (str(FORMAT_VERSION).encode(), self.run_key.encode(), display.encode(), content):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        key = digest.hexdigest()
        return self.directory / key[:2] / key

    def usable(self) -> bool:
        """False when the cache directory is a symbolic link (a repository may commit one pointing
        anywhere): then nothing is read, written or pruned. Absent is usable (it is created)."""
        if self._usable is None:
            try:
                self._usable = not stat.S_ISLNK(os.lstat(self.directory).st_mode)
            except FileNotFoundError:
                return True  # looked at again once it exists
            except OSError:
                self._usable = False
        return self._usable

    def get(self, display: str, content: bytes) -> Any | None:
        entry = self._entry(display, content)
        pending = self._pending.get(entry)
        value = decode_entry(pending) if pending is not None else self._read(entry, max_entry_bytes(content))
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def _read(self, entry: Path, limit: int) -> Any | None:
        """The value of the entry on disk; None when it is missing, not a regular file (a FIFO
        would block, a device never end), larger than ``limit``, or not an entry."""
        if not self.usable():
            return None
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError:  # missing (the common miss), a symbolic link, unreadable
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                return None
            value = decode_entry(data)
            if value is not None:
                mark_used(entry, fd)
            return value
        except OSError:  # a full disk, a vanishing file
            return None
        finally:
            os.close(fd)

    def prune_if_due(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove the entries unused for ``max_age_days`` and stale temporary files, if the
        last pruning was more than a day ago; the number of files removed. Called once per run,
        after :meth:`flush`."""
        try:
            if not self.directory.is_dir() or not self.usable():
                return 0
        except OSError:  # a cache directory this user cannot enter: nothing to prune
            return 0

        def shards() -> Iterator[Path]:
            for shard in os.scandir(self.directory):
                if shard.is_dir(follow_symlinks=False) and len(shard.name) == 2:
                    yield Path(shard.path)

        return prune_if_due(self.directory / _PRUNE_MARKER, shards, lambda name: True, max_age_days)

    def put(self, display: str, content: bytes, value: Any) -> None:
        """Keep ``value`` for this file; written to disk in the background (see :meth:`flush`).
        A value that is not plain data (:func:`is_plain`), or too large, is not kept."""
        data = encode_entry(value)
        if data is None or len(data) > max_entry_bytes(content) or not self.usable():
            return
        entry = self._entry(display, content)
        if self._writer is None or self._writer_pid != os.getpid():
            self._start_writer()
        self._pending[entry] = data
        self._queue.put(entry)  # type: ignore[union-attr]

    def flush(self) -> None:
        """Wait until every entry put so far is on disk (or has failed to get there)."""
        if self._writer is None or self._writer_pid != os.getpid():
            return
        self._queue.put(None)  # type: ignore[union-attr]
        self._writer.join()
        self._writer = self._queue = None

    def _start_writer(self) -> None:
        self._pending = {}  # a forked copy: what the parent put is the parent's to write
        self._queue = queue.SimpleQueue()
        self._writer_pid = os.getpid()
        self._writer = threading.Thread(target=self._write_all, args=(self._queue,), daemon=True,
                                        name="ethicslint-cache-writer")
        self._writer.start()

    def _write_all(self, entries: queue.SimpleQueue[Path | None]) -> None:
        while (entry := entries.get()) is not None:
            data = self._pending.get(entry)
            if data is None:
                continue  # put twice: written on its first turn
            self._write(entry, data)
            if self._pending.get(entry) is data:
                del self._pending[entry]

    def _write(self, entry: Path, data: bytes) -> None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            if entry.parent.is_symlink():  # a shard a repository committed as a link: not ours
                return
            self._write_gitignore()
            write_atomically(entry, data)  # a concurrent reader sees the old entry or the new one
        except Exception:  # a read-only checkout, a full disk: no entry
            pass

    def _write_gitignore(self) -> None:
        marker = self.directory / ".gitignore"
        if not marker.exists():
            write_atomically(marker, b"# created by ethicslint\n*\n")
