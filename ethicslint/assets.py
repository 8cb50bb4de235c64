"""The images a document shows, resolved to files of the checked repository, with their provenance.

Readers record each image reference (:class:`~ethicslint.model.ImageRef`); before the checkers run,
:func:`attach` resolves it and reads its provenance (:mod:`ethicslint.provenance`). A checked
repository is untrusted, so resolution never leaves the checked root:

- remote URLs (``https:``, ``//cdn…``, ``data:``) and template placeholders are not resolved (not
  fetched, not reported);
- a relative path is taken from the document's directory, a root-relative one (``/img/a.png``)
  from the root; ``?query`` and ``#fragment`` are dropped and ``%20`` decoded;
- the root is the config's directory (the repository) when the document is inside it, else the
  document's own directory; a path whose real location (symbolic links and ``..`` followed) is
  outside it is refused, as is anything that is not a regular file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from . import provenance
from .model import Document, ImageRef
from .paths import display_path, is_within

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TEMPLATE = re.compile(r"\{\{|\{%|\$\{|<%")


def document_root(document_file: Path, root: Path) -> Path:
    """The root images of ``document_file`` must stay inside (see the module docstring)."""
    real_root = Path(os.path.realpath(root))
    folder = Path(os.path.realpath(document_file)).parent
    return real_root if is_within(folder, real_root) else folder


def resolve(src: str, document_file: Path, root: Path) -> Path | None:
    """The file ``src`` names, seen from ``document_file``, or None (remote, missing, outside ``root``)."""
    src = src.strip()
    if not src or src.startswith("//") or _SCHEME.match(src) or _TEMPLATE.search(src):
        return None
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not path or "\0" in path:
        return None
    candidate = root / path.lstrip("/") if path.startswith("/") else document_file.parent / path
    real = Path(os.path.realpath(candidate))
    if not is_within(real, root) or not real.is_file():
        return None
    return real


def attach(document: Document, root: Path, file: Path | None = None) -> list[tuple[ImageRef, str]]:
    """Resolve ``document.images`` (``file``) and read their provenance (``provenance``) when the
    ``images`` extra is installed; the images that could not be read, each with why (once per file).
    ``file`` is where the document was read (default: its display path, from the current directory)."""
    if not document.images:
        return []
    document_file = file if file is not None else Path(document.path)
    confined = document_root(document_file, root)
    read = not provenance.missing_packages()
    cwd = os.path.realpath(os.getcwd())
    problems: list[tuple[ImageRef, str]] = []
    reported: set[str] = set()
    for image in document.images:
        file = resolve(image.src, document_file, confined)
        if file is None:
            continue
        image.file = display_path(file, cwd)
        if not read or not provenance.readable(file):
            continue
        image.provenance = provenance.reader().read(file)
        if image.provenance.problem and image.file not in reported:
            reported.add(image.file)
            problems.append((image, image.provenance.problem))
    return problems


def stamps(document: Document) -> dict[str, str]:
    """``file -> "size:mtime"`` of the resolved images: a cached result is only valid while they hold."""
    result = {}
    for image in document.images:
        if image.file is not None:
            result[image.file] = stamp(Path(image.file))
    return result


def stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"
