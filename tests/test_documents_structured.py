"""Golden tests of the YAML and JSON string readers: one segment per string value, exact positions."""

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


def read(source: str, fmt: str) -> tuple[Document, list]:
    result = read_text(source, f"strings.{fmt}", fmt)
    assert result.document is not None
    for segment in result.document.segments:
        for index, offset in verbatim(segment).items():
            assert source[offset] == segment.text[index], (segment.text, index)
    return result.document, result.problems


def at(document: Document, segment: Segment, word: str) -> tuple[int, int]:
    return document.position(segment.source_offset(segment.text.index(word)))


def table(document: Document) -> list[tuple[str | None, str, str, set[int]]]:
    return [(s.key, s.kind, s.text, set(range(len(s.text))) - set(verbatim(s))) for s in document.segments]


def fixture(name: str, newline: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("\n", newline)


# --- YAML --------------------------------------------------------------------------------------

YAML_SEGMENTS = [
    ("lang", "string", "fr", set()),
    ("cta.button", "string", "Achetez maintenant", set()),
    ("cta.quoted", "string", 'Vite !\n"Offre" été', {6, 7, 13, 15, 17}),
    ("cta.single", "string", "C'est parti", set()),
    ("cta.plain", "string", "première ligne suite", set()),
    ("cta.literal", "string", "Ligne un\nLigne deux", set()),
    ("cta.folded", "string", "Plié ici", set()),
    ("items.0.label", "string", "Promo", set()),  # once, though aliased as items.2
]
YAML_WORDS = [
    (1, "maintenant", (5, 19)), (2, "Vite", (6, 12)), (2, "\n", (6, 18)), (2, '"', (6, 20)),
    (2, "Offre", (6, 22)), (2, "é", (6, 30)), (3, "'", (7, 13)), (3, "parti", (7, 19)),
    (4, "ligne", (8, 19)), (4, "suite", (9, 5)), (5, "Ligne deux", (12, 5)), (6, "ici", (15, 5)),
    (7, "Promo", (17, 19)),
]


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def yaml_strings(request: pytest.FixtureRequest) -> Document:
    document, problems = read(fixture("strings.yaml", request.param), "yaml")
    assert problems == []
    return document


def test_yaml_segments(yaml_strings: Document) -> None:
    assert table(yaml_strings) == YAML_SEGMENTS


@pytest.mark.parametrize("index, word, position", YAML_WORDS)
def test_yaml_word_positions(yaml_strings: Document, index: int, word: str, position: tuple[int, int]) -> None:
    assert at(yaml_strings, yaml_strings.segments[index], word) == position


def test_yaml_metadata(yaml_strings: Document) -> None:
    assert yaml_strings.metadata == {"lang": "fr", "ai_generated": True}
    assert {k: yaml_strings.position(v) for k, v in yaml_strings.metadata_offsets.items()} == {
        "lang": (2, 1), "ai_generated": (3, 1)}
    assert yaml_strings.lang == "fr"


def test_yaml_block_scalars_with_indicators_comments_and_keep_chomping() -> None:
    source = "a: |+2 # note\n    Keep  \n\nb: >\n  Fold\n   more\n  end\n"
    document, _ = read(source, "yaml")
    keep, fold = document.segments
    assert keep.text == "Keep" and at(document, keep, "Keep") == (2, 5)
    assert fold.text == "Fold\n more\nend"
    assert at(document, fold, "more") == (6, 4) and at(document, fold, "end") == (7, 3)


def test_yaml_escaped_line_break_tags_and_anchors() -> None:
    source = 'a: !!str &x "one \\\n  two\\ttab"\nb: [*x, "\\u00e9\\x21"]\n'
    document, _ = read(source, "yaml")
    assert table(document) == [("a", "string", "one two\ttab", {7}), ("b.1", "string", "é!", {0, 1})]
    assert at(document, document.segments[0], "two") == (2, 3)


def test_yaml_multiple_documents_and_top_level_list() -> None:
    document, _ = read("- Hello\n- 3\n---\nsubject: World\n", "yaml")
    assert [(s.key, s.text) for s in document.segments] == [("0", "Hello"), ("subject", "World")]


def test_invalid_yaml_is_reported_with_its_position() -> None:
    document, problems = read("title: ok\nbody: a: b\n", "yaml")
    assert [(p.rule, p.message) for p in problems] == [
        (PARSE_ERROR, "invalid YAML at line 2, column 8: mapping values are not allowed here")]
    assert document.position(problems[0].offset) == (2, 8)
    assert document.segments == []


def test_yaml_characters_pyyaml_refuses() -> None:
    document, problems = read("a: x\x07y\n", "yaml")
    assert [p.rule for p in problems] == [PARSE_ERROR]
    assert problems[0].message == "invalid YAML at line 1, column 5: character U+0007 is not allowed in YAML"


def test_yaml_recursive_alias_is_read_once() -> None:
    document, problems = read("a: &a [x, *a]\n", "yaml")
    assert problems == [] and [(s.key, s.text) for s in document.segments] == [("a.0", "x")]


# --- JSON --------------------------------------------------------------------------------------

JSON_SEGMENTS = [
    ("lang", "string", "en", set()),
    ("generated_by", "string", "gpt-4o", set()),
    ("cta.button", "string", 'Buy "now"\nor é later 😀', {4, 8, 9, 13, 21}),
    ("items.1.label", "string", "Only 3 left", set()),
]
JSON_WORDS = [
    (2, "Buy", (4, 22)), (2, '"', (4, 26)), (2, "now", (4, 28)), (2, "\n", (4, 33)), (2, "or", (4, 35)),
    (2, "é", (4, 38)), (2, "later", (4, 45)), (2, "😀", (4, 51)), (3, "3 left", (5, 32)),
]


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def json_strings(request: pytest.FixtureRequest) -> Document:
    document, problems = read(fixture("strings.json", request.param), "json")
    assert problems == []
    return document


def test_json_segments(json_strings: Document) -> None:
    assert table(json_strings) == JSON_SEGMENTS


@pytest.mark.parametrize("index, word, position", JSON_WORDS)
def test_json_word_positions(json_strings: Document, index: int, word: str, position: tuple[int, int]) -> None:
    assert at(json_strings, json_strings.segments[index], word) == position


def test_json_metadata(json_strings: Document) -> None:
    assert json_strings.metadata == {"lang": "en", "generated_by": "gpt-4o"}
    assert {k: json_strings.position(v) for k, v in json_strings.metadata_offsets.items()} == {
        "lang": (2, 4), "generated_by": (3, 4)}
    assert json_strings.lang == "en"


def test_json_escaped_slash_backslash_and_keys() -> None:
    source = '{"a\\"b": ["x\\/y\\\\z", {"k": false}], "t": "\\t"}'
    document, _ = read(source, "json")
    assert table(document) == [('a"b.0', "string", "x/y\\z", {1, 3})]
    assert document.segments[0].source_offset(4) == source.index("z")


def test_invalid_json_is_reported_with_its_position() -> None:
    source = '{\n  "a": "x",\n  "b": \n}\n'
    document, problems = read(source, "json")
    assert [(p.rule, p.message) for p in problems] == [
        (PARSE_ERROR, "invalid JSON at line 4, column 1: Expecting value")]
    assert document.position(problems[0].offset) == (4, 1)
    assert document.segments == []


def test_json_top_level_string() -> None:
    document, _ = read('  "Just copy"  ', "json")
    assert table(document) == [(None, "string", "Just copy", set())]
    assert document.segments[0].source_offset(0) == 3


def test_inline_tags_in_strings_are_blanked_and_left_out_of_the_map() -> None:
    source = '{"hint": "<b>Manual (never ask)</b> Documents are <a href=\'/x\'>not</a> stored. 3 < 4 <0>ok</0>"}'
    document, problems = read(source, "json")  # read() checks that every mapped character is the source's
    [segment] = document.segments
    assert problems == []
    assert "<" not in segment.text.replace("3 < 4", "")  # a comparison is not a tag
    assert segment.text.split() == ["Manual", "(never", "ask)", "Documents", "are", "not", "stored.", "3", "<", "4",
                                     "ok"]
    assert at(document, segment, "Documents") == (1, 37)
    assert at(document, segment, "not") == (1, 64)
