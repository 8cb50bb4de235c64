"""Format readers: a file (or string) -> a :class:`~ethicslint.model.Document` of prose segments.

One module per format; this one picks the reader and wraps loading. Every character of every
segment maps to its exact source offset (see :class:`~ethicslint.model.Segment`), so findings
point at the right line and column whatever the markup around the copy.

Readers never raise on bad input: problems (unreadable, not UTF-8, too large, unparsable)
come back as :class:`Problem` objects under the host's ``EL1xx`` rules, and whatever prose
could still be read is kept.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import BinaryIO

from ..host_rules import PARSE_ERROR, TOO_LARGE
from ..language_hints import language_from_path
from ..model import Document
from .limits import split_long_segments
from .loading import Loaded, decode, load
from .result import Problem, ReadResult

__all__ = ["FORMATS", "Problem", "ReadResult", "format_for", "read_document", "read_stream", "read_text"]

# Each reader ("module:function" of this package) is imported when a file of its format is first
# read: a run over cached files, or over Markdown only, never imports markdown-it, the HTML
# parser, YAML or polib for nothing (50 ms of a 0.35 s cached run).
_READERS: dict[str, Callable[[Document], list[Problem]] | str] = {
    "markdown": "markdown:read",
    "html": "html:read",
    "mjml": "mjml:read",
    "text": "text:read",
    "yaml": "structured:read_yaml",
    "json": "structured:read_json",
    "po": "po:read",
}
FORMATS: tuple[str, ...] = tuple(_READERS)  # the format names ``extra_formats`` may map to

_SUFFIXES = {
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".html": "html", ".htm": "html", ".mjml": "mjml",
    ".txt": "text", ".yml": "yaml", ".yaml": "yaml", ".json": "json", ".po": "po", ".pot": "po",
}


def format_for(path: Path, extra_formats: dict[str, str] | None = None) -> str | None:
    """The reader format of ``path``, or None (unknown: not read).

    ``extra_formats`` (from the config) comes first: a key starting with ``.`` is a suffix
    (``".mjml"``, case-insensitive), any other key a glob matched against the path from the
    right (``"*.email"``, ``"emails/*.txt"``).
    """
    name = path.name.lower()
    for pattern, fmt in (extra_formats or {}).items():
        if name.endswith(pattern.lower()) if pattern.startswith(".") else PurePath(path).match(pattern):
            return fmt
    return _SUFFIXES.get(Path(name).suffix)


def read_document(path: Path, display_path: str, *, max_bytes: int = 5_000_000,
                  extra_formats: dict[str, str] | None = None) -> ReadResult:
    """Read ``path`` (shown as ``display_path`` in findings); an unknown format gives no document."""
    fmt = format_for(path, extra_formats)
    if fmt is None:
        return ReadResult(None, [])
    return _read_loaded(load(path, max_bytes), display_path, fmt)


def read_stream(stream: BinaryIO, display_path: str, fmt: str, *, max_bytes: int = 5_000_000) -> ReadResult:
    """Read a byte stream (standard input) as format ``fmt``, as a file of that size and those
    bytes would be read: at most ``max_bytes`` (more is not read at all), decoded the same way."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        message = f"more than the {max_bytes:,}-byte limit (max-file-size); not checked"
        return ReadResult(None, [Problem(TOO_LARGE, message)])
    return _read_loaded(decode(data), display_path, fmt)


def _read_loaded(loaded: Loaded, display_path: str, fmt: str) -> ReadResult:
    if loaded.source is None:
        return ReadResult(None, loaded.problems)
    result = _read(loaded.source, display_path, fmt, loaded.encoding)
    result.problems[:0] = loaded.problems
    return result


def read_text(text: str, display_path: str, fmt: str) -> ReadResult:
    """Read ``text`` (tests, embedders) as format ``fmt``; a leading BOM is dropped as from a file."""
    if text.startswith("\ufeff"):
        return _read(text[1:], display_path, fmt, "utf-8-sig")
    return _read(text, display_path, fmt, "utf-8")


def _reader(fmt: str) -> Callable[[Document], list[Problem]] | None:
    reader = _READERS.get(fmt)
    if isinstance(reader, str):
        module, function = reader.split(":")
        reader = _READERS[fmt] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reader


def _read(source: str, display_path: str, fmt: str, encoding: str) -> ReadResult:
    reader = _reader(fmt)
    if reader is None:  # a configuration error, to be caught when the config is validated
        raise ValueError(f"unknown document format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    document = Document(path=display_path, format=fmt, source=source, encoding=encoding)
    if not source.strip():
        document.lang = language_from_path(display_path)
        return ReadResult(document, [])
    try:
        problems = reader(document)
    except Exception as exc:  # noqa: BLE001 - hostile input must not stop a run; report, go on
        document.segments.clear()
        problems = [Problem(PARSE_ERROR, f"the {fmt} reader failed on this file: {type(exc).__name__}: {exc}")]
    problems += split_long_segments(document)
    document.segments.sort(key=lambda segment: segment.source_offset(0))
    if document.lang is None:  # the file said nothing: an i18n path often does (fr/, messages.fr.json)
        document.lang = language_from_path(display_path)
    return ReadResult(document, problems)
