"""Bytes on disk -> text: size limit, binary detection, decoding with an honest fallback.

Offsets everywhere else are code-point offsets into the text decoded here, so this module
never normalises line endings or changes the text beyond dropping a byte-order mark.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from ..host_rules import FALLBACK_ENCODING, TOO_LARGE, UNREADABLE
from .result import Problem

SNIFF_BYTES = 8192  # a NUL byte in this many leading bytes marks a binary file (as git does)


@dataclass
class Loaded:
    source: str | None  # None: the file is not read at all (the problems say why)
    encoding: str = "utf-8"
    problems: list[Problem] = field(default_factory=list)


def load(path: Path, max_bytes: int) -> Loaded:
    """Read and decode ``path``; never raises."""
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)  # the file may grow after stat()
            size = len(data)
    except OSError as exc:
        return Loaded(None, problems=[Problem(UNREADABLE, f"cannot read the file: {exc.strerror or exc}")])
    if size > max_bytes:
        message = f"file is {size:,} bytes, more than the {max_bytes:,}-byte limit (max-file-size); not checked"
        return Loaded(None, problems=[Problem(TOO_LARGE, message)])
    return decode(data)


def decode(data: bytes) -> Loaded:
    """Text of ``data``: UTF-8 (BOM dropped), UTF-16 with a BOM, else cp1252/latin-1 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # Windows "Unicode" text exports: full of NUL bytes, but text
            return Loaded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    if b"\0" in data[:SNIFF_BYTES]:
        return Loaded(None, problems=[Problem(UNREADABLE, "binary file (NUL byte in the first 8 KB); not checked")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fallback(data, exc.start)
    if text.startswith("\ufeff"):
        return Loaded(text[1:], "utf-8-sig")
    return Loaded(text, "utf-8")


def _fallback(data: bytes, bad: int) -> Loaded:
    """cp1252 (what "ANSI" files on Windows are), or latin-1 for the five bytes cp1252 leaves undefined.

    Both are one byte per character, so the byte offset of the bad byte is its text offset.
    """
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    line = text.count("\n", 0, bad) + 1
    column = bad - (text.rfind("\n", 0, bad) + 1) + 1
    message = (f"not valid UTF-8 (byte 0x{data[bad]:02X} at line {line}, column {column}); "
               f"read as {encoding}")
    return Loaded(text, encoding, [Problem(FALLBACK_ENCODING, message, bad)])
