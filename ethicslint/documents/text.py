"""Plain text: one segment per paragraph (blank-line separated), lines joined by a space."""

from __future__ import annotations

import re

from ..model import Document, SegmentBuilder
from .result import Problem

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def read(document: Document) -> list[Problem]:
    builder: SegmentBuilder | None = None
    previous_end = 0  # where the previous line's text ends (its line break)
    for match in _LINE.finditer(document.source):
        line = match.group().rstrip("\r\n")
        content = line.strip()
        if not content:
            _close(document, builder)
            builder = None
        else:
            if builder is None:
                builder = SegmentBuilder()
            else:  # the line break inside a paragraph reads as a space
                builder.add_synthetic(" ", previous_end)
            builder.add(content, match.start() + len(line) - len(line.lstrip()))
            previous_end = match.start() + len(line.rstrip())
        if match.end() == len(document.source):
            break
    _close(document, builder)
    return []


def _close(document: Document, builder: SegmentBuilder | None) -> None:
    segment = builder.build() if builder is not None else None
    if segment is not None:
        document.segments.append(segment)
