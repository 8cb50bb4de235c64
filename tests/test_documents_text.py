"""The plain-text reader: one segment per paragraph, line breaks read as spaces."""

from __future__ import annotations

import pytest

from ethicslint.documents import read_text
from ethicslint.model import Document


def read(source: str) -> Document:
    result = read_text(source, "notes.txt", "text")
    assert result.problems == [] and result.document is not None
    return result.document


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_paragraphs_and_joined_lines(newline: str) -> None:
    source = newline.join(["  Hurry, only", "3 left!  ", "   ", "", "Second paragraph", ""])
    document = read(source)
    first, second = document.segments
    assert first.text == "Hurry, only 3 left!"
    assert second.text == "Second paragraph"
    # every character but the joining space is the source character at its offset
    for segment in document.segments:
        for index, char in enumerate(segment.text):
            if segment is not first or index != 11:
                assert source[segment.source_offset(index)] == char
    joined = {t + k for t, _, n in first.runs for k in range(n)}
    assert 11 not in joined and source[first.source_offset(11)] in "\r\n"  # synthetic, at the break
    assert first.source_offset(0) == 2
    assert first.source_offset(12) == source.index("3 left")
    assert second.source_offset(0) == source.index("Second")


def test_line_and_column() -> None:
    document = read("Intro\n\nBuy  now\ttoday\n")
    (_, segment) = document.segments
    assert segment.text == "Buy  now\ttoday"  # whitespace inside a line is kept as written
    assert document.position(segment.source_offset(segment.text.index("today"))) == (3, 10)
