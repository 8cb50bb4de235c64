"""Golden tests of the gettext reader: one segment per translation, each quoted piece positioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicslint.documents import read_text
from ethicslint.host_rules import PARSE_ERROR
from ethicslint.model import Document, Segment

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def verbatim(segment: Segment) -> dict[int, int]:
    """Text index -> source offset of every character a run maps one-for-one."""
    return {t + k: s + k for t, s, n in segment.runs for k in range(n) if t + k < len(segment.text)}


def read(source: str) -> tuple[Document, list]:
    result = read_text(source, "messages.po", "po")
    assert result.document is not None
    for segment in result.document.segments:
        for index, offset in verbatim(segment).items():
            assert source[offset] == segment.text[index], (segment.text, index)
    return result.document, result.problems


def at(document: Document, segment: Segment, word: str) -> tuple[int, int]:
    return document.position(segment.source_offset(segment.text.index(word)))


# kind, key, text, synthetic character indexes (decoded \" escapes)
MESSAGES = [
    ("msgstr", "button", 'Achetez maintenant "vite"', {19, 24}),
    ("msgid", "Untranslated copy", "Untranslated copy", set()),
    ("msgstr", "Only one left", "Plus qu'un seul", set()),
    ("msgstr", "Only one left", "Plus que %d", set()),
    ("msgid", "Nothing yet", "Nothing yet", set()),
    ("msgid", "Nothing yet", "Nothing yets", set()),
]
MESSAGE_WORDS = [
    (0, "Achetez", (12, 9)), (0, " maintenant", (12, 16)), (0, "maintenant", (13, 2)), (0, '"', (13, 13)),
    (0, "vite", (13, 15)), (1, "copy", (15, 21)), (2, "seul", (20, 23)), (3, "%d", (21, 21)),
    (4, "Nothing", (23, 8)), (5, "yets", (24, 23)),
]


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def messages(request: pytest.FixtureRequest) -> Document:
    source = (FIXTURES / "messages.po").read_text(encoding="utf-8").replace("\n", request.param)
    document, problems = read(source)
    assert problems == []
    return document


def test_message_segments(messages: Document) -> None:
    got = [(s.kind, s.key, s.text, set(range(len(s.text))) - set(verbatim(s))) for s in messages.segments]
    assert got == MESSAGES


def test_obsolete_entries_and_header_are_not_prose(messages: Document) -> None:
    prose = " ".join(s.text for s in messages.segments)
    assert "Ancienne" not in prose and "Old offer" not in prose and "Project" not in prose


@pytest.mark.parametrize("index, word, position", MESSAGE_WORDS)
def test_message_word_positions(messages: Document, index: int, word: str, position: tuple[int, int]) -> None:
    assert at(messages, messages.segments[index], word) == position


def test_header_is_metadata(messages: Document) -> None:
    assert messages.lang == "fr"
    assert messages.metadata["Language"] == "fr_FR"
    assert messages.position(messages.metadata_offsets["Language"]) == (5, 2)
    assert messages.position(messages.metadata_offsets["Content-Type"]) == (6, 2)


def test_escapes_and_long_keys() -> None:
    msgid = "A very long source string " * 5
    source = f'msgid "{msgid}"\nmsgstr "Tab\\there\\\\ and \\q kept"\n'
    document, problems = read(source)
    (segment,) = document.segments
    assert problems == [] and segment.key == msgid[:80]
    assert segment.text == "Tab\there\\ and \\q kept"  # polib leaves unknown escapes as written
    assert set(range(len(segment.text))) - set(verbatim(segment)) == {3, 8}
    assert at(document, segment, "kept") == (2, 28)


def test_indented_continuation_lines() -> None:
    source = 'msgid "x"\nmsgstr ""\n    "Indented "\n\t"pieces"\n'
    document, _ = read(source)
    (segment,) = document.segments
    assert segment.text == "Indented pieces"
    assert at(document, segment, "Indented") == (3, 6) and at(document, segment, "pieces") == (4, 3)


def test_file_without_header() -> None:
    document, problems = read('msgid "Hello"\nmsgstr "Bonjour"\n')
    assert problems == [] and document.lang is None and document.metadata == {}
    assert [(s.text, at(document, s, s.text)) for s in document.segments] == [("Bonjour", (2, 9))]


def test_invalid_po_is_reported_with_its_line() -> None:
    document, problems = read('msgid "a"\nmsgstr "b" "c"\n')
    assert [(p.rule, p.message) for p in problems] == [
        (PARSE_ERROR, "invalid gettext file at line 2: unescaped double quote found")]
    assert document.position(problems[0].offset) == (2, 1)
    assert document.segments == []


def test_content_naming_an_existing_file_is_not_read_as_a_path(tmp_path: Path) -> None:
    (tmp_path / "other.po").write_text('msgid "x"\nmsgstr "from the other file"\n', encoding="utf-8")
    document, problems = read(str(tmp_path / "other.po"))
    assert [s.text for s in document.segments] == [] and [p.rule for p in problems] == [PARSE_ERROR]


def test_rich_text_tags_in_messages_are_blanked() -> None:
    from ethicslint.documents import read_text

    source = 'msgid "terms"\nmsgstr "By proceeding, you agree to our <0>Terms</0> and <1>Privacy Policy</1>."\n'
    document = read_text(source, "fr.po", "po").document
    [segment] = [s for s in document.segments if s.kind == "msgstr"]
    assert "<" not in segment.text and "Terms" in segment.text
    offset = segment.source_offset(segment.text.index("Privacy"))
    assert source[offset:offset + 7] == "Privacy"
