"""Writing what the user asked for into a file (``--output``, ``--write-baseline``).

Written atomically (:func:`ethicslint.files.write_atomically`): a CI step, a browser or an editor
reading the file while a run writes it sees the old report or the new one, never half of one. The
file gets the mode a shell redirection would give it (``0666`` less the umask), not the private
``0600`` of the temporary file: a report is meant to be shared, served or attached.
"""

from __future__ import annotations

import os
from pathlib import Path

from .files import write_atomically


class OutputError(OSError):
    """The file cannot be written; the message names it and says why."""


def write_output(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``; OutputError when it cannot be written."""
    if path.is_dir():
        raise OutputError(f"{path} is a directory")
    try:
        write_atomically(path, text.encode("utf-8"))
        make_shareable(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def make_shareable(path: Path) -> None:
    """Give ``path`` the mode a shell redirection would (``0666`` less the umask)."""
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    """The process's umask (set and restored: there is no other way to read it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
