"""gettext catalogues (.po/.pot): one segment per translation, positioned on its quoted strings.

polib parses the file and says on which line each entry starts (``linenum``, counted the way
polib counts lines: ``str.splitlines``). From there each keyword's quoted pieces are found in
the source; every piece maps to its own run and escapes (``\\n``, ``\\"``) become synthetic text.
"""

from __future__ import annotations

import re

import polib

from ..host_rules import PARSE_ERROR
from ..model import Document, SegmentBuilder
from .frontmatter import primary_language
from .markup import mask_inline_tags
from .result import Problem
from .sourcemap import add_aligned

KEY_LENGTH = 80  # segment keys (msgctxt or msgid) are cut to this many characters
ORIGIN_LENGTH = 2000  # the "#:" references kept per entry: where the string is used (its kind)
_KEYWORD = re.compile(r'\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*"')
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}


def read(document: Document) -> list[Problem]:
    source = document.source
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    try:
        # polib takes a string naming an existing file as a path: content always has a newline
        catalogue = polib.pofile(source if "\n" in source else source + "\n")
    except (OSError, ValueError) as exc:
        return [_syntax_problem(document, str(exc), starts)]
    entries = sorted(catalogue, key=lambda e: e.linenum)
    first = max(entries[0].linenum - 1, 0) if entries else len(lines)
    _header(document, catalogue.metadata, source[:starts[first]])
    for index, entry in enumerate(entries):
        if not entry.obsolete:
            end = entries[index + 1].linenum - 1 if index + 1 < len(entries) else len(lines)
            fields = _fields(lines, starts, max(entry.linenum - 1, 0), end)
            _add_entry(document, entry, fields, starts[max(entry.linenum - 1, 0)])
    return []


def _add_entry(document: Document, entry: polib.POEntry, fields: dict[str, list[tuple[int, int]]],
               entry_start: int) -> None:
    """The entry's segments, each built from its keyword's quoted pieces in the source."""
    origin = " ".join(path for path, _ in entry.occurrences)[:ORIGIN_LENGTH] or None
    for keyword, kind, value in _texts(entry):
        builder = SegmentBuilder(kind=kind, key=(entry.msgctxt or entry.msgid)[:KEY_LENGTH], origin=origin)
        pieces = fields.get(keyword, [])
        for start, end in pieces:
            add_aligned(builder, polib.unescape(document.source[start:end]), document.source, start, end,
                        _escape)
        if builder.text != value:  # not found as expected: keep the text, pinned to the entry
            builder = SegmentBuilder(kind=kind, key=builder.key, origin=origin)
            builder.add_synthetic(value, pieces[0][0] if pieces else entry_start)
        segment = builder.build()
        if segment is not None:
            document.segments.append(mask_inline_tags(segment))


def _texts(entry: polib.POEntry) -> list[tuple[str, str, str]]:
    """``(keyword, kind, text)`` to check: the translations, or the source text when untranslated."""
    if entry.msgid_plural:
        forms = [(f"msgstr[{n}]", "msgstr", text) for n, text in sorted(entry.msgstr_plural.items()) if text]
        return forms or [("msgid", "msgid", entry.msgid), ("msgid_plural", "msgid", entry.msgid_plural)]
    if entry.msgstr:
        return [("msgstr", "msgstr", entry.msgstr)]
    return [("msgid", "msgid", entry.msgid)]


def _fields(lines: list[str], starts: list[int], first: int, end: int) -> dict[str, list[tuple[int, int]]]:
    """Keyword -> source spans of its quoted pieces (between the quotes), for lines ``first:end``."""
    fields: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for number in range(first, end):
        line = lines[number].rstrip("\r\n")
        match = _KEYWORD.match(line)
        if match:
            current = fields.setdefault(match.group(1), [])
            opening = match.end() - 1
        elif line.lstrip().startswith('"') and current is not None:
            opening = line.index('"')
        else:  # a comment, a blank line: the field is over
            current = None
            continue
        closing = line.rfind('"')
        if closing > opening:
            current.append((starts[number] + opening + 1, starts[number] + closing))
    return fields


def _escape(source: str, index: int) -> tuple[str, int] | None:
    """The escapes polib decodes (``polib.unescape``); any other backslash stays as it is."""
    code = source[index + 1:index + 2]
    return (_ESCAPES[code], 2) if code in _ESCAPES else None


def _header(document: Document, metadata: dict[str, str], header_source: str) -> None:
    document.metadata.update(metadata)
    for key in metadata:
        at = header_source.find(f'"{key}:')
        if at >= 0:
            document.metadata_offsets[key] = at + 1
    document.lang = primary_language(metadata.get("Language"))


def _syntax_problem(document: Document, message: str, starts: list[int]) -> Problem:
    """polib's "Syntax error in po file (line 7): unescaped double quote found", positioned."""
    match = _POLIB_LINE.search(message)
    if not match:
        return Problem(PARSE_ERROR, f"invalid gettext file: {message}")
    number = int(match.group(1))
    offset = starts[min(number, len(starts)) - 1]
    detail = match.group(2) or "syntax error"
    line, _ = document.position(offset)
    return Problem(PARSE_ERROR, f"invalid gettext file at line {line}: {detail}", offset)
