"""Inline markup inside catalogue strings: ``"<b>Manual</b> Documents are not stored"``.

Translation catalogues (JSON, YAML, .po) often carry HTML or numbered rich-text tags (``<0>Terms</0>``)
inside their strings. Read as prose, a tag glues itself to the words around it (``ask)</b>``) and
hides sentence and clause ends from the checkers. The tags become spaces of the same length, so the
words keep their offsets in the text; the spaces are taken out of the source map (they are no longer
the source's characters), so every mapped character still is the source's own.
"""

from __future__ import annotations

import dataclasses
import re

from ..model import Segment

# An opening, closing or empty tag: <b>, </strong>, <br/>, <a href='…'>, <0>, </1>. "< 10" and "a <b" are not tags.
INLINE_TAG = re.compile(r"</?(?:[A-Za-z][\w:-]*|\d+)(?:\s[^<>]{0,300})?/?>")

Run = tuple[int, int, int]  # (text_start, source_start, length), as in Segment.runs


def mask_inline_tags(segment: Segment) -> Segment:
    """The segment with its inline tags replaced by spaces, and the runs cut around them."""
    if "<" not in segment.text:
        return segment
    tags = [match.span() for match in INLINE_TAG.finditer(segment.text)]
    if not tags:
        return segment
    text = segment.text
    for start, end in tags:
        text = text[:start] + " " * (end - start) + text[end:]
    return dataclasses.replace(segment, text=text, runs=_cut(segment.runs, tags))


def _cut(runs: list[Run], holes: list[tuple[int, int]]) -> list[Run]:
    """``runs`` without the text ranges ``holes`` (sorted, disjoint)."""
    result: list[Run] = []
    for text_start, source_start, length in runs:
        pieces = [(text_start, text_start + length)]
        for hole_start, hole_end in holes:
            pieces = [part for lo, hi in pieces
                      for part in ((lo, min(hi, hole_start)), (max(lo, hole_end), hi)) if part[0] < part[1]]
        if not pieces:
            # keep a zero-length run so the text after still maps near its place in the source
            result.append((text_start, source_start, 0))
        for lo, hi in pieces:
            result.append((lo, source_start + lo - text_start, hi - lo))
    return result
