"""The passage a finding sits in: its prose segment, its sentence and that segment's language.

A finding carries a position and the matched text, not the prose around it. Two consumers need
that prose after the run: the ``html`` report filters findings by language, and a baseline
identifies a finding by its sentence (so moving a line does not make it new). Both read the file
again with its reader (only the files with findings; their text is kept by the run) and ask
:func:`~ethicslint.analysis.choose_language` for each segment's language: the same decision the
run made, without spaCy.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .analysis import choose_language
from .documents import format_for, read_text
from .model import Document, Finding, Segment

# a sentence ends at . ! ? … (and closing quotes or brackets after it) followed by white space
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Passage:
    """Where a finding is, in words: the sentence holding its match and that prose's language."""

    sentence: str  # white space collapsed; "" when the file cannot be read again
    language: str | None  # "en", "fr"; None when unknown


UNKNOWN = Passage(sentence="", language=None)


def passages(findings: Iterable[Finding], source_of: Callable[[str], str | None],
             extra_formats: dict[str, str] | None = None,
             configured_language: str | None = None) -> dict[Finding, Passage]:
    """The passage of each finding; :data:`UNKNOWN` for one whose file has no kept text or no
    reader (an unreadable file, a config file) or whose position is outside every segment."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    found: dict[Finding, Passage] = {}
    for path, in_file in by_path.items():
        document = _document(path, source_of(path), extra_formats)
        languages = dict(zip(map(id, document.segments), choose_language(document, configured_language)[1])) \
            if document is not None else {}
        for finding in in_file:
            segment = document.segment_at(document.offset_of(finding.line, finding.column)) if document else None
            if document is None or segment is None:
                found[finding] = Passage("", document.lang if document else None)
                continue
            found[finding] = Passage(sentence_at(segment, document, finding), languages.get(id(segment)))
    return found


def _document(path: str, source: str | None, extra_formats: dict[str, str] | None) -> Document | None:
    if source is None:
        return None
    fmt = format_for(Path(path), extra_formats)
    return read_text(source, path, fmt).document if fmt else None


def sentence_at(segment: Segment, document: Document, finding: Finding) -> str:
    """The sentence of ``segment`` that holds the finding's start, white space collapsed (so a
    re-wrapped paragraph gives the same sentence)."""
    offset = document.offset_of(finding.line, finding.column)
    index = bisect.bisect_left(range(len(segment.text)), offset, key=segment.source_offset)
    start = 0
    for end in _SENTENCE_END.finditer(segment.text):
        if end.start() > index:
            return _SPACES.sub(" ", segment.text[start:end.start()]).strip()
        start = end.end()
    return _SPACES.sub(" ", segment.text[start:]).strip()
