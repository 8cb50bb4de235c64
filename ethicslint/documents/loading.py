"""Bytes on disk -> text: size limit, binary detection, decoding with an honest fallback.

Offsets everywhere else are code-point offsets into the text decoded here, so this module
never normalises line endings or changes the text beyond dropping a byte-order mark.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..host_rules import FALLBACK_ENCODING, TOO_LARGE, UNREADABLE
from ..model import line_starts
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
    """Text of ``data``: UTF-8 (BOM dropped), UTF-16 with a BOM, else see :func:`_fallback`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # Windows "Unicode" text exports: full of NUL bytes, but text
            return Loaded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    if b"\0" in data[:SNIFF_BYTES]:
        return Loaded(None, problems=[Problem(UNREADABLE, "binary file (NUL byte in the first 8 KB); not checked")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _fallback(data)
    if text.startswith("\ufeff"):
        return Loaded(text[1:], "utf-8-sig")
    return Loaded(text, "utf-8")


_ESCAPED = re.compile("[\udc80-\udcff]")  # an undecodable byte, as ``surrogateescape`` keeps it


def _fallback(data: bytes) -> Loaded:
    """Text that is not valid UTF-8.

    When it holds valid multi-byte UTF-8 sequences too, it is UTF-8 with a few damaged bytes (a
    bad paste, a truncated write): decoded as UTF-8, each bad byte replaced by U+FFFD, so the rest
    of the text and every column stay right. Otherwise it is a legacy one-byte encoding: cp1252
    (what "ANSI" files on Windows are), or latin-1 for the five bytes cp1252 leaves undefined.
    Either way one EL102 points at the first bad byte.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    first = _ESCAPED.search(escaped)
    assert first is not None  # not valid UTF-8: at least one byte was escaped
    bad_bytes = len(_ESCAPED.findall(escaped))
    if any(ord(ch) > 0x7F for ch in _ESCAPED.sub("", escaped)):  # some multi-byte UTF-8 decoded
        text, encoding, bad = _ESCAPED.sub("\ufffd", escaped), "utf-8", first.start()
        if text.startswith("\ufeff"):
            text, encoding, bad = text[1:], "utf-8-sig", bad - 1
        how = f"{bad_bytes:,} invalid byte{'s' if bad_bytes > 1 else ''} replaced by U+FFFD"
        byte = ord(first.group()) - 0xDC00
    else:
        byte = data[first.start()]  # one byte per character: the byte offset is the text offset
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
        bad, how = first.start(), f"read as {encoding}"
    starts = line_starts(text)
    line = bisect.bisect_right(starts, bad)
    column = bad - starts[line - 1] + 1
    message = f"not valid UTF-8 (byte 0x{byte:02X} at line {line}, column {column}); {how}"
    return Loaded(text, encoding, [Problem(FALLBACK_ENCODING, message, bad)])
