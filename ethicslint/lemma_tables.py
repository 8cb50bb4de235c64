"""The user's cache directory for files ethicslint derives once, and the key that names them.

The derived files (lemma tables and stop words of :mod:`ethicslint.nlp.speedups`, parsed terms
files) are named after their sources, so a changed source gets a new file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def cache_home() -> Path:
    """Where derived tables live: ``$ETHICSLINT_CACHE_HOME``, else ``$XDG_CACHE_HOME/ethicslint``,
    else ``~/.cache/ethicslint``."""
    explicit = os.environ.get("ETHICSLINT_CACHE_HOME")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ethicslint"


def source_key(paths: Iterable[Path], *extra: str) -> str:
    """A name for the derived file: the sources' paths, sizes and modification times."""
    digest = hashlib.sha256(b"ELT3")  # (the seed of the names already written)
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for part in extra:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]
