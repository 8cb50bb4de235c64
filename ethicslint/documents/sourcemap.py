"""Helpers that keep every character of a segment tied to its exact source offset.

Readers meet three situations, one helper each:

* a parser hands over a *derived* string (markdown-it's inline content has block prefixes
  such as ``> `` removed) together with a per-character offset table: :func:`remap`;
* a raw source run holds escapes or entities to decode: :func:`add_decoded`;
* a parser hands over only the *decoded* value and the source span it came from (YAML and
  JSON scalars, gettext strings): :func:`add_aligned` walks both side by side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import Segment, SegmentBuilder

# decodes an escape starting at source[index] ("\\n", "\\u00e9"...): (decoded text, source
# length), or None when the backslash is an ordinary character
EscapeDecoder = Callable[[str, int], "tuple[str, int] | None"]

_SKIPPABLE = frozenset(" \t\r\n\"'")  # quotes and folded whitespace: in the source, not the value


def remap(segment: Segment, offsets: Sequence[int], source: str, base: int = 0) -> Segment:
    """``segment`` built over a derived string, moved onto the source.

    ``offsets[i]`` is the source offset of character ``i`` of the derived string (``base`` is
    added to the segment's offsets first). A character that is not the same in the source (a
    tab expanded to spaces, ``\\n`` standing for ``\\r\\n``) becomes synthetic text.
    """
    text = segment.text
    runs: list[tuple[int, int, int]] = []
    for text_start, start, length in segment.runs:
        if text_start >= len(text):  # a run of whitespace stripped from the end
            break
        start += base
        if length == 0:
            runs.append((text_start, offsets[start], 0))
            continue
        length = min(length, len(text) - text_start)
        first = offsets[start]
        if offsets[start + length - 1] - first == length - 1 and \
                source[first:first + length] == text[text_start:text_start + length]:
            runs.append((text_start, first, length))  # the common case: one contiguous piece
            continue
        k = 0
        while k < length:
            at = offsets[start + k]
            if at >= len(source) or source[at] != text[text_start + k]:
                runs.append((text_start + k, at, 0))
                k += 1
                continue
            j = k + 1
            while j < length and offsets[start + j] == at + j - k \
                    and at + j - k < len(source) and source[at + j - k] == text[text_start + j]:
                j += 1
            runs.append((text_start + k, at, j - k))
            k = j
    return Segment(text=text, runs=runs, kind=segment.kind, key=segment.key, quoted=segment.quoted,
                   lang=segment.lang)


def add_decoded(builder: SegmentBuilder, raw: str, start: int, pattern: re.Pattern[str],
                decode: Callable[[str], str]) -> None:
    """Add ``raw`` (found at source offset ``start``), each ``pattern`` match decoded by ``decode``."""
    at = 0
    for match in pattern.finditer(raw):
        builder.add(raw[at:match.start()], start + at)
        decoded = decode(match.group())
        if decoded == match.group():
            builder.add(decoded, start + match.start())
        else:
            builder.add_synthetic(decoded, start + match.start())
        at = match.end()
    builder.add(raw[at:], start + at)


def add_aligned(builder: SegmentBuilder, value: str, source: str, start: int, end: int,
                escape: EscapeDecoder | None = None) -> None:
    """Add ``value``, a parser's decoding of ``source[start:end]``, character by character.

    Walks value and source together: equal characters are verbatim; ``escape`` decodes
    backslash sequences into synthetic text; quotes and whitespace the value does not have
    (folded lines, indentation, string delimiters) are skipped; whitespace the source does
    not have (a folded line break) is synthetic. Should the two ever disagree otherwise, the
    rest of the value is added as synthetic text at the point reached, so text stays exact.
    """
    i, r, n = 0, start, len(value)
    run_i = run_r = -1

    def flush() -> None:
        nonlocal run_i
        if run_i >= 0:
            builder.add(value[run_i:i], run_r)
            run_i = -1

    while i < n:
        if escape is not None and r < end and source[r] == "\\":
            decoded = escape(source, r)
            if decoded is not None:
                flush()
                text, length = decoded
                if text and value.startswith(text, i):
                    builder.add_synthetic(text, r)
                    i += len(text)
                elif text:  # the decoder and the parser disagree: stop aligning
                    break
                r += length
                continue
        if r < end and source[r] == value[i]:
            if run_i < 0:
                run_i, run_r = i, r
            i += 1
            r += 1
            continue
        flush()
        if r < end and source[r] in _SKIPPABLE:
            r += 1
        elif value[i].isspace():
            builder.add_synthetic(value[i], min(r, end))
            i += 1
        else:
            break
    flush()
    if i < n:
        builder.add_synthetic(value[i:], min(r, end))
