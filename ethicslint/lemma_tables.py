"""The user's cache directory for files ethicslint derives once, and the key that names them.

The derived files (lemma tables and stop words of :mod:`ethicslint.nlp.speedups`, parsed terms
files) are named after their sources, so a changed source gets a new file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .dirs import cache_home  # where derived files live (imported from here by cache and matching)


def source_key(paths: Iterable[Path], *extra: str) -> str:
    """A name for the derived file: the sources' paths, sizes and modification times."""
    digest = hashlib.sha256(b"ELT3")  # (the seed of the names already written)
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for part in extra:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]
