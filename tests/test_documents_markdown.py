"""Golden tests of the Markdown reader: which text is prose, and the exact source position of
every character (columns count code points, 1-based)."""

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


def check_exact(document: Document) -> None:
    """Every verbatim character is the source character at its offset."""
    for segment in document.segments:
        for index, offset in verbatim(segment).items():
            assert document.source[offset] == segment.text[index], (segment.text, index)


def at(document: Document, segment: Segment, word: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of the first character of the ``nth`` occurrence of ``word``."""
    index = -1
    for _ in range(nth + 1):
        index = segment.text.index(word, index + 1)
    return document.position(segment.source_offset(index))


def read(source: str) -> tuple[Document, list]:
    result = read_text(source, "copy.md", "markdown")
    assert result.document is not None
    return result.document, result.problems


# kind, text, quoted, indexes of synthetic characters (decoded entities/escapes, joined lines)
LANDING = [
    ("title", "Spring sale", False, set()),  # the front matter's title is copy too
    ("heading", "Spring sale ends soon", False, set()),
    ("paragraph", "Only 3 left & shipping* is free. Order by Friday to get  now.", False, {12, 22, 32}),
    ("title", "Terms & conditions", False, {6}),
    ("alt", "Happy customer", False, set()),
    ("title", "Photo title", False, set()),
    ("paragraph", "Best purchase ever, said Ann.", True, {19}),
    ("list_item", "First item with", False, set()),
    ("list_item", "Second inline", False, set()),
    ("table_cell", "Plan", False, set()),
    ("table_cell", "Price | note", False, set()),
    ("table_cell", "Pro", False, set()),
    ("table_cell", "9 EUR", False, set()),
    ("paragraph", "Hurry & save", False, {6}),
]
# segment index, word, (line, column) counted by hand in landing.md
LANDING_WORDS = [
    (0, "Spring", (2, 8)), (0, "sale", (2, 15)),
    (1, "sale", (6, 11)), (1, "ends", (6, 17)),
    (2, "3 left", (8, 8)), (2, "&", (8, 17)), (2, "shipping", (8, 23)), (2, "*", (8, 31)),
    (2, "Order", (9, 1)), (2, "Friday", (9, 11)), (2, "to get", (9, 71)), (2, "now.", (9, 89)),
    (3, "Terms", (9, 46)), (3, "&", (9, 52)), (3, "conditions", (9, 58)),
    (4, "Happy", (11, 3)), (4, "customer", (11, 10)), (5, "Photo", (11, 36)),
    (6, "Best", (13, 3)), (6, "ever,", (13, 18)), (6, "said", (14, 3)),
    (7, "First", (16, 3)), (8, "Second", (17, 3)), (8, "inline", (17, 16)),
    (9, "Plan", (19, 3)), (10, "Price", (19, 10)), (10, "|", (19, 17)), (10, "note", (19, 19)),
    (11, "Pro", (21, 3)), (12, "9 EUR", (21, 10)),
    (13, "Hurry", (30, 4)), (13, "&", (30, 10)), (13, "save", (30, 16)),
]


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def landing(request: pytest.FixtureRequest) -> Document:
    source = (FIXTURES / "landing.md").read_text(encoding="utf-8").replace("\n", request.param)
    document, problems = read(source)
    assert problems == []
    return document


def test_landing_segments_and_synthetic_characters(landing: Document) -> None:
    got = [(s.kind, s.text, s.quoted, set(range(len(s.text))) - set(verbatim(s))) for s in landing.segments]
    assert got == LANDING
    check_exact(landing)


@pytest.mark.parametrize("index, word, position", LANDING_WORDS)
def test_landing_word_positions(landing: Document, index: int, word: str, position: tuple[int, int]) -> None:
    assert at(landing, landing.segments[index], word) == position


def test_soft_break_maps_to_the_line_end(landing: Document) -> None:
    paragraph = landing.segments[2]
    offset = paragraph.source_offset(32)
    assert landing.source[offset] in "\r\n"
    assert landing.position(offset) == (8, len("Only **3 left** &amp; shipping\\* is free.") + 1)


def test_front_matter_is_metadata_and_its_title_is_copy(landing: Document) -> None:
    assert landing.metadata == {"title": "Spring sale", "lang": "en-GB", "ai_generated": False}
    assert {k: landing.position(v) for k, v in landing.metadata_offsets.items()} == {
        "title": (2, 1), "lang": (3, 1), "ai_generated": (4, 1)}
    assert landing.lang == "en"
    assert [s.key for s in landing.segments if s.key] == ["title"]  # the title is copy; en-GB and false are not


def test_code_urls_comments_and_markup_are_not_prose(landing: Document) -> None:
    prose = "\n".join(s.text for s in landing.segments)
    for absent in ("fenced", "indented", "code ABC", "https", "example.com", "img/happy", "not prose",
                   "hidden comment", "promo", "en-GB", "**", "<span>"):
        assert absent not in prose


def test_malformed_front_matter_is_reported_and_the_body_still_read() -> None:
    document, problems = read("---\ntitle: Sale\nsummary: a: b\n---\nBody *text* here.\n")
    assert [(p.rule, p.message) for p in problems] == [
        (PARSE_ERROR, "invalid YAML front matter at line 3, column 11: mapping values are not allowed here")]
    assert document.position(problems[0].offset) == (3, 11)
    assert document.metadata == {}
    assert [(s.text, at(document, s, "text")) for s in document.segments] == [("Body text here.", (5, 7))]


def test_front_matter_must_be_a_mapping() -> None:
    document, problems = read("---\n- a\n- b\n---\nText\n")
    assert [p.message for p in problems] == ["front matter at line 2 is not a mapping of keys to values"]
    assert [s.text for s in document.segments] == ["Text"]


def test_unclosed_front_matter_is_reported_and_read_as_markdown() -> None:
    document, problems = read("---\ntitle: Sale\n\nBody\n")
    assert [p.rule for p in problems] == [PARSE_ERROR]
    assert "no closing '---'" in problems[0].message
    assert [s.text for s in document.segments] == ["title: Sale", "Body"]


def test_front_matter_with_a_character_yaml_refuses() -> None:
    document, problems = read("---\nsubject: Sale\x07\n---\nBody\n")
    assert [p.message for p in problems] == [
        "invalid YAML front matter at line 2, column 14: character U+0007 is not allowed in YAML"]
    assert [s.text for s in document.segments] == ["Body"]


def test_leading_thematic_break_is_not_front_matter() -> None:
    document, problems = read("---\n\nBody\n")
    assert problems == [] and [s.text for s in document.segments] == ["Body"]


def test_no_front_matter() -> None:
    document, problems = read("# Title\n\nText with lang: fr\n")
    assert problems == [] and document.metadata == {} and document.lang is None
    assert [(s.kind, s.text) for s in document.segments] == [("heading", "Title"), ("paragraph", "Text with lang: fr")]


def test_front_matter_language_key() -> None:
    document, _ = read("---\nlanguage: fr_CA\n---\nBonjour\n")
    assert document.lang == "fr"


def test_link_destination_and_title_do_not_shift_the_text_after_them() -> None:
    # the title and URL contain the same words as the text after the link
    source = 'Go [Buy now](/Buy-now "Buy now") Buy now, or see [more][ref] and [ref] more.\n\n[ref]: /more\n'
    document, _ = read(source)
    check_exact(document)
    paragraph, title = document.segments
    assert paragraph.text == "Go Buy now Buy now, or see more and ref more."
    assert title.kind == "title" and title.text == "Buy now"
    assert at(document, paragraph, "Buy now", 1) == (1, source.index(") Buy") + 3)
    assert at(document, paragraph, "more", 0) == (1, source.index("more]") + 1)
    assert at(document, paragraph, "ref", 0) == (1, source.index("and [ref]") + 6)
    assert at(document, paragraph, "more.", 0) == (1, source.index("more.") + 1)
    assert at(document, title, "Buy") == (1, source.index('"Buy') + 2)


def test_emphasis_delimiters_left_as_text_keep_their_own_positions() -> None:
    source = "a ***x* b\n\nc *y*** d\n"
    document, _ = read(source)
    opening, closing = document.segments
    assert (opening.text, closing.text) == ("a **x b", "c y** d")
    check_exact(document)
    # the star next to "x" opens the emphasis; the two before it are text
    assert [opening.source_offset(i) for i in (2, 3, 4)] == [2, 3, 5]
    # the star next to "y" closes it; the two after it are text
    assert [closing.source_offset(i) for i in (2, 3, 4)] == [14, 16, 17]


def test_code_spans_autolinks_and_inline_html_are_skipped() -> None:
    source = "Use ``a ` b`` or `x` at <https://a.io> <b>now</b> <!-- no --> &copy; 2024\n"
    document, _ = read(source)
    (segment,) = document.segments
    assert segment.text == "Use  or  at  now  © 2024"
    check_exact(document)
    assert at(document, segment, "now") == (1, source.index("now") + 1)
    assert at(document, segment, "©") == (1, source.index("&copy;") + 1)
    assert at(document, segment, "2024") == (1, source.index("2024") + 1)


def test_inline_html_image_alt_is_a_segment() -> None:
    source = 'Look <img src="a.png" alt="Smiling &amp; happy"> here\n'
    document, _ = read(source)
    assert [(s.kind, s.key, s.text) for s in document.segments] == [
        ("paragraph", None, "Look  here"), ("alt", "alt", "Smiling & happy")]
    alt = document.segments[1]
    assert at(document, alt, "happy") == (1, source.index("happy") + 1)
    check_exact(document)


def test_hard_breaks_setext_headings_and_tabs() -> None:
    source = "Big\n===\n\nline one  \nline two\\\nline three\n\n-\tTabbed item\n\tcontinued\n"
    document, _ = read(source)
    check_exact(document)
    heading, paragraph, item = document.segments
    assert (heading.kind, heading.text) == ("heading", "Big")
    assert paragraph.text == "line one\nline two\nline three"
    assert at(document, paragraph, "three") == (6, 6)
    assert (item.kind, item.text) == ("list_item", "Tabbed item continued")
    assert at(document, item, "Tabbed") == (8, 3) and at(document, item, "continued") == (9, 2)


def test_nested_containers_keep_columns() -> None:
    source = "> 1. Quoted *list*\n>    item\n>\n>    > deeper quote\n"
    document, _ = read(source)
    check_exact(document)
    assert [(s.kind, s.quoted, s.text) for s in document.segments] == [
        ("list_item", True, "Quoted list item"), ("paragraph", True, "deeper quote")]
    assert at(document, document.segments[0], "item") == (2, 6)
    assert at(document, document.segments[1], "deeper") == (4, 8)


def test_html_block_in_blockquote_is_quoted() -> None:
    source = "> <p>Said <em>loudly</em></p>\n"
    document, _ = read(source)
    (segment,) = document.segments
    assert (segment.text, segment.quoted) == ("Said loudly", True)
    assert at(document, segment, "loudly") == (1, 15)


def test_nul_characters_are_kept_as_synthetic_replacement_characters() -> None:
    source = "a\0b text\n"
    document, _ = read(source)
    (segment,) = document.segments
    assert segment.text == "a\ufffdb text"
    assert 1 not in verbatim(segment) and segment.source_offset(1) == 1
    check_exact(document)


def test_copy_in_front_matter_is_read_with_its_language_key() -> None:
    source = ("---\nlayout: product\nslug: pollen-frais\nprice: 19\ntags: [miel, pollen]\n"
              "description: >\n  Un pollen récolté sur une grande diversité de fleurs.\n"
              "summary:\n  fr: Notre pollen frais, livré chaque semaine.\n  en: Our fresh pollen, delivered every week.\n"
              "key objectives:\n  - Build a team that ships secure sign-in for everyone.\n"
              "model: gpt-4o mini and some other words here\n---\nBody.\n")
    document, problems = read(source)
    assert problems == []
    got = [(s.kind, s.key, s.lang, s.text) for s in document.segments]
    assert got == [
        ("meta", "description", None, "Un pollen récolté sur une grande diversité de fleurs."),
        ("meta", "summary.fr", "fr", "Notre pollen frais, livré chaque semaine."),
        ("meta", "summary.en", "en", "Our fresh pollen, delivered every week."),
        ("meta", "key objectives.0", None, "Build a team that ships secure sign-in for everyone."),
        ("paragraph", None, None, "Body."),
    ]
    assert at(document, document.segments[1], "pollen") == (9, 13)


def test_a_catalogue_entrys_name_and_french_field_names_are_copy() -> None:
    """A product page names its fields in French (``nom``, ``titre``, ``accroche``) or calls its
    title ``name``: short as they are, these are what the shopper reads first."""
    source = ("---\ncategorie: Épicerie\nnom: Tisane minceur\nprix: 8 €\naccroche: Le goût des champs\n"
              "producteur: Josie\n---\nCorps.\n")
    document, problems = read(source)
    assert problems == []
    assert [(s.kind, s.key, s.text) for s in document.segments] == [
        ("title", "nom", "Tisane minceur"), ("meta", "accroche", "Le goût des champs"), ("paragraph", None, "Corps."),
    ]
    named, _ = read("---\nname: Detox tea\nauthor: Sam\n---\n")
    assert [(s.kind, s.text) for s in named.segments] == [("title", "Detox tea")]
