"""Bounds on the prose one segment may hold, so that no file can make analysis unbounded.

spaCy refuses a text over ``nlp.max_length`` (a million characters) and its work, and several
checks', grow faster than the text inside one Doc. A reader may still meet a huge segment: a
base64 image in a JSON string, a 3 MB ``title`` attribute, a one-line text file. Such a segment
is checked in pieces of at most :data:`MAX_SEGMENT_CHARS`, cut after a sentence end where there
is one, else at a space, else anywhere; an ``EL105`` finding says so at its start.
"""

from __future__ import annotations

import re

from ..host_rules import LONG_SEGMENT
from ..model import Document, Segment
from .result import Problem

MAX_SEGMENT_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?…:;]\s|\n")
_SPACE = re.compile(r"\s")


def split_long_segments(document: Document, limit: int = MAX_SEGMENT_CHARS) -> list[Problem]:
    """Replace each segment of ``document`` longer than ``limit`` by its pieces; one problem each."""
    if all(len(segment.text) <= limit for segment in document.segments):
        return []
    problems: list[Problem] = []
    segments: list[Segment] = []
    for segment in document.segments:
        if len(segment.text) <= limit:
            segments.append(segment)
            continue
        pieces = [segment.slice(start, end) for start, end in _cuts(segment.text, limit)]
        segments.extend(pieces)
        problems.append(Problem(LONG_SEGMENT, (
            f"a single run of prose of {len(segment.text):,} characters, more than {limit:,}: it was "
            f"checked in {len(pieces)} pieces, and a phrase across a cut may be missed"),
            segment.source_offset(0)))
    document.segments[:] = segments
    return problems


def _cuts(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of pieces of ``text``, each at most ``limit`` long, leading spaces left out."""
    cuts = []
    start, n = 0, len(text)
    while start < n:
        while start < n and text[start].isspace():
            start += 1
        if n - start <= limit:
            if start < n:
                cuts.append((start, n))
            break
        end = start + limit
        window_start = start + limit // 2  # a cut in the second half: pieces stay large
        end = _last_end(_SENTENCE_END, text, window_start, end) or _last_end(_SPACE, text, window_start, end) or end
        cuts.append((start, end))
        start = end
    return cuts


def _last_end(pattern: re.Pattern[str], text: str, low: int, high: int) -> int | None:
    """The end of the last match of ``pattern`` inside ``text[low:high]`` (its first character)."""
    last = None
    for match in pattern.finditer(text, low, high):
        last = match.start() + 1
    return last
