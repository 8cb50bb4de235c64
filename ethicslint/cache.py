"""Result cache: unchanged files are served without reading them through spaCy again.

A file's entry is keyed on its bytes, its display path, the effective configuration, and the
fingerprint of every loaded plugin (name, version, and the modification times of its files, so
editing a term list invalidates it too), of ethicslint itself (version and files) and of the NLP
it runs on (spaCy, spacy-lookups-data and which statistical models are installed: installing
``fr_core_news_sm`` changes French results). Entries are pickled ``FileResult`` objects written to
a temporary file and renamed into place, so concurrent runs never see half an entry; an entry
that cannot be read for any reason is a miss.

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
import json
import os
import pickle
import queue
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR_NAME = ".ethicslint_cache"
_FORMAT = "1"

MAX_AGE_DAYS = 30  # an entry unused this long is removed
_DAY = 86_400.0
_PRUNE_MARKER = ".pruned"  # its modification time: the last pruning
_STALE_TEMP_SECONDS = 3_600.0  # a temporary file this old belongs to a run that died


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
    import importlib.util

    from .nlp import MODELS

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
    from . import __file__ as host_file

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
        "kinds": config.kinds,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


class ResultCache:
    """A directory of pickled per-file results."""

    def __init__(self, directory: Path, run_key: str) -> None:
        self.directory = directory
        self.run_key = run_key
        self.hits = 0
        self.misses = 0
        self._pending: dict[Path, bytes] = {}  # entries put but not yet on disk
        self._queue: queue.SimpleQueue[Path | None] | None = None
        self._writer: threading.Thread | None = None
        self._writer_pid = 0  # a forked copy must start a writer of its own

    def __getstate__(self) -> dict[str, Any]:  # to a spawned worker: no thread, nothing pending
        state = self.__dict__.copy()
        state.update(_pending={}, _queue=None, _writer=None, _writer_pid=0)
        return state

    def _entry(self, display: str, content: bytes) -> Path:
        digest = hashlib.sha256()
        for part in (_FORMAT.encode(), self.run_key.encode(), display.encode(), content):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        key = digest.hexdigest()
        return self.directory / key[:2] / key

    def get(self, display: str, content: bytes) -> Any | None:
        entry = self._entry(display, content)
        try:
            pending = self._pending.get(entry)
            if pending is not None:
                value = pickle.loads(pending)
            else:
                with open(entry, "rb") as handle:
                    value = pickle.load(handle)
                    self._mark_used(entry, handle.fileno())
        except Exception:  # missing, truncated by a full disk, from another version: a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    @staticmethod
    def _mark_used(entry: Path, fd: int) -> None:
        """Refresh the entry's modification time, its last use for pruning: once a day at most,
        so that a run served from the cache writes nearly nothing."""
        try:
            if time.time() - os.fstat(fd).st_mtime > _DAY:
                os.utime(entry)
        except OSError:  # a read-only cache: it will not be pruned either
            pass

    def prune_if_due(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove the entries unused for ``max_age_days`` and stale temporary files, if the
        last pruning was more than a day ago; the number of files removed. Called once per run,
        after :meth:`flush`; a few milliseconds per thousand entries, once a day."""
        marker = self.directory / _PRUNE_MARKER
        now = time.time()
        try:
            if now - marker.stat().st_mtime < _DAY:
                return 0
        except FileNotFoundError:
            pass
        except OSError:
            return 0
        if not self.directory.is_dir():
            return 0
        removed = 0
        try:
            marker.touch()  # first: two runs at once do not both walk the cache
            for shard in os.scandir(self.directory):
                if not shard.is_dir(follow_symlinks=False) or len(shard.name) != 2:
                    continue
                for item in os.scandir(shard.path):
                    try:
                        age = now - item.stat(follow_symlinks=False).st_mtime
                        temporary = item.name.startswith(".tmp-")
                        if age > (_STALE_TEMP_SECONDS if temporary else max_age_days * _DAY):
                            os.unlink(item.path)
                            removed += 1
                    except OSError:  # gone meanwhile (another run), or not ours to remove
                        continue
        except OSError:  # a read-only or vanishing cache: prune another day
            return removed
        return removed

    def put(self, display: str, content: bytes, value: Any) -> None:
        """Keep ``value`` for this file; written to disk in the background (see :meth:`flush`)."""
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an unpicklable result: no entry
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
        tmp = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            self._write_gitignore()
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, entry)  # atomic: a concurrent reader sees the old entry or the new one
        except Exception:  # a read-only checkout, a full disk: no entry
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def _write_gitignore(self) -> None:
        marker = self.directory / ".gitignore"
        if not marker.exists():
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("# created by ethicslint\n*\n")
            os.replace(tmp, marker)
