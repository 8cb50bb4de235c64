"""Paths as ethicslint shows and compares them: one place for "relative to here, when inside".

Findings, messages, config globs and ``.gitignore`` patterns all need a path relative to some
directory (the current one, the config's, a ``.gitignore``'s) when the path lies inside it, and the
path as given otherwise; the asset resolver and the language server need to know whether a path
lies inside a root at all. These are small, but every copy of them drifted (``..foo`` read as
outside, a Windows drive raising): so there is one of each, here, with no import of the rest of
the package (the language server imports it without the checkers).
"""

from __future__ import annotations

import os
from pathlib import Path


def relative_inside(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str | None:
    """``path`` relative to ``base``, in POSIX form, or None when it lies outside ``base`` (or on
    another drive). Both are made absolute from the current directory; symbolic links are not
    followed (a path is where it is written to be)."""
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    except ValueError:  # another drive (Windows)
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return Path(relative).as_posix()


def display_path(path: str | os.PathLike[str], base: str | None = None) -> str:
    """``path`` as findings and messages show it: relative to ``base`` (default: the current
    directory) when inside it, else as given; forward slashes either way."""
    base = base or os.getcwd()
    text = os.fspath(path)
    prefix = base.rstrip(os.sep) + os.sep
    # The common case without relpath's work: an absolute, already normal path under ``base``.
    if os.path.isabs(base) and text.startswith(prefix) and f"{os.sep}." not in text[len(prefix) - 1:]:
        return Path(text[len(prefix):]).as_posix()
    relative = relative_inside(text, base)
    return relative if relative is not None else Path(text).as_posix()


def is_within(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``root`` or lies under it, comparing the paths as written: callers that
    must not be fooled by symbolic links or ``..`` pass real paths (``os.path.realpath``)."""
    try:
        return os.path.commonpath([os.fspath(path), os.fspath(root)]) == os.path.normpath(root)
    except ValueError:  # another drive, or one path relative and the other absolute
        return False
