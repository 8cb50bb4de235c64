"""Result cache: unchanged files are served without reading them through spaCy again.

A file's entry is keyed on its bytes, its display path, the effective configuration, and the
fingerprint of every loaded plugin (name, version, and the modification times of its files, so
editing a term list invalidates it too). Entries are pickled ``FileResult`` objects written to a
temporary file and renamed into place, so concurrent runs never see half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR_NAME = ".ethicslint_cache"
_FORMAT = "1"


def plugin_fingerprint(plugins: dict[str, Any]) -> str:
    """Names, versions and file modification times of the loaded plugins."""
    parts = [f"ethicslint={__version__}"]
    for name in sorted(plugins):
        plugin = plugins[name]
        parts.append(f"{name}={plugin.version}")
        module_file = getattr(plugin.module, "__file__", None)
        if module_file:
            root = Path(module_file).parent if Path(module_file).name == "__init__.py" else Path(module_file)
            files = sorted(root.rglob("*")) if root.is_dir() else [root]
            for path in files:
                if path.is_file() and path.suffix in (".py", ".toml", ".json", ".txt"):
                    parts.append(f"{path}:{path.stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def config_fingerprint(config: Any, plugin_configs: dict[str, Any]) -> str:
    """A hash of the settings that change results (not of the file it came from)."""
    settings = {
        "select": config.select, "ignore": config.ignore, "per_file_ignores": config.per_file_ignores,
        "language": config.language, "severity": {k: v.value for k, v in config.severity.items()},
        "max_file_size": config.max_file_size, "formats": config.formats, "plugins": plugin_configs,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


class ResultCache:
    """A directory of pickled per-file results."""

    def __init__(self, directory: Path, run_key: str) -> None:
        self.directory = directory
        self.run_key = run_key
        self.hits = 0
        self.misses = 0

    def _entry(self, display: str, content: bytes) -> Path:
        digest = hashlib.sha256()
        for part in (_FORMAT.encode(), self.run_key.encode(), display.encode(), content):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        key = digest.hexdigest()
        return self.directory / key[:2] / key

    def get(self, display: str, content: bytes) -> Any | None:
        try:
            with open(self._entry(display, content), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, display: str, content: bytes, value: Any) -> None:
        entry = self._entry(display, content)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            self._write_gitignore()
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except OSError:
            pass  # a read-only checkout or a full disk must not fail the lint run

    def _write_gitignore(self) -> None:
        marker = self.directory / ".gitignore"
        if not marker.exists():
            marker.write_text("# created by ethicslint\n*\n", encoding="utf-8")
