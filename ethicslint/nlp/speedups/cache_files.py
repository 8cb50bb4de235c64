"""Files the speedups derive once into the user cache directory, written atomically.

Concurrent runs may derive the same file: each writes a temporary file in the same directory and
renames it into place, so a reader sees either no file or a whole one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_atomically(path: Path, write: Callable[[Path], None], *, stale: str = "") -> None:
    """Create ``path`` through ``write(temporary path)``, then remove the files matching the glob
    ``stale`` in the same directory (older versions of it). Raises OSError when the directory
    cannot be written."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}-")
    os.close(fd)
    temporary = Path(name)
    try:
        temporary.unlink()  # write() creates it (sqlite3 wants a new file or a database)
        write(temporary)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    for old in directory.glob(stale) if stale else ():
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
