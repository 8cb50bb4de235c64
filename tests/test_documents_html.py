"""Golden tests of the HTML reader: visible text per block, attribute copy, <meta>, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicslint.documents import read_text
from ethicslint.model import Document, Segment

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def verbatim(segment: Segment) -> dict[int, int]:
    """Text index -> source offset of every character a run maps one-for-one."""
    return {t + k: s + k for t, s, n in segment.runs for k in range(n) if t + k < len(segment.text)}


def read(source: str) -> Document:
    result = read_text(source, "page.html", "html")
    assert result.problems == [] and result.document is not None
    for segment in result.document.segments:
        for index, offset in verbatim(segment).items():
            assert source[offset] == segment.text[index], (segment.text, index)
    return result.document


def at(document: Document, segment: Segment, word: str) -> tuple[int, int]:
    return document.position(segment.source_offset(segment.text.index(word)))


# kind, key, text, quoted, lang, synthetic character indexes
PAGE = [
    ("title", None, "Soldes & promos", False, None, {7}),
    ("meta", "description", "Jusqu'à -50 %", False, None, {5, 6}),
    ("link", None, "Accueil", False, None, set()),
    ("link", None, "Prix", False, None, set()),
    ("heading", None, "Plus que 3 articles !", False, None, {10}),
    ("paragraph", None, "Commandez\u00a0vite, cliquez ici été", False, None, {9, 28, 30}),
    ("paragraph", None, "Un avis client", True, None, set()),
    ("paragraph", None, "Il dit \u201cgénial\u201d ok", False, None, {7, 14}),
    ("paragraph", None, "Nouvelle ligne", False, None, set()),
    ("alt", "alt", "Client heureux", False, None, {6}),
    ("title", "title", "Photo", False, None, set()),
    ("attribute", "placeholder", "Votre e-mail", False, None, set()),
    ("button", "value", "Valider", False, None, set()),
    ("attribute", "aria-label", "Fermer", False, None, set()),
    ("button", None, "X", False, None, set()),
    ("paragraph", None, "Hurry now", False, "en", set()),
    ("list_item", None, "Un", False, None, set()),
    ("list_item", None, "Deux", False, None, set()),
]
# segment index, word, (line, column) counted by hand in page.html
PAGE_WORDS = [
    (0, "Soldes", (4, 10)), (0, "&", (4, 17)), (0, "promos", (4, 23)),
    (1, "Jusqu", (5, 37)), (1, "'", (5, 42)), (1, "à", (5, 47)), (1, "-50", (5, 56)),
    (2, "Accueil", (11, 20)), (3, "Prix", (11, 48)),
    (4, "Plus", (12, 7)), (4, "3", (12, 24)), (4, "articles", (13, 7)),
    (5, "Commandez", (14, 6)), (5, "\u00a0", (14, 15)), (5, "vite", (14, 21)), (5, "cliquez", (14, 41)),
    (5, "été", (14, 57)),
    (6, "avis", (15, 21)), (7, "\u201c", (16, 13)), (7, "génial", (16, 16)), (7, "ok", (16, 27)),
    (8, "Nouvelle", (16, 33)), (9, "Client", (17, 25)), (9, "heureux", (17, 33)), (10, "Photo", (17, 49)),
    (11, "e-mail", (18, 42)), (12, "Valider", (18, 78)), (13, "Fermer", (19, 23)), (14, "X", (19, 31)),
    (15, "now", (20, 47)), (17, "Deux", (21, 17)),
]


@pytest.fixture(params=["\n", "\r\n"], ids=["lf", "crlf"])
def page(request: pytest.FixtureRequest) -> Document:
    return read((FIXTURES / "page.html").read_text(encoding="utf-8").replace("\n", request.param))


def test_page_segments(page: Document) -> None:
    got = [(s.kind, s.key, s.text, s.quoted, s.lang, set(range(len(s.text))) - set(verbatim(s)))
           for s in page.segments]
    assert got == PAGE


@pytest.mark.parametrize("index, word, position", PAGE_WORDS)
def test_page_word_positions(page: Document, index: int, word: str, position: tuple[int, int]) -> None:
    assert at(page, page.segments[index], word) == position


def test_page_metadata_and_language(page: Document) -> None:
    assert page.lang == "fr"
    assert page.metadata == {"generator": "AI Writer 2"}
    assert page.position(page.metadata_offsets["generator"]) == (6, 15)


def test_scripts_styles_templates_code_and_comments_are_not_prose(page: Document) -> None:
    prose = "\n".join(s.text for s in page.segments)
    for absent in ("not prose", "var copy", "not shown", "npm", "commentaire", "color"):
        assert absent not in prose


def test_references_without_semicolon_and_unknown_ones() -> None:
    source = "<p>Fish &amp chips &unknown; &#x27;ok&#39</p>"
    document = read(source)
    (segment,) = document.segments
    assert segment.text == "Fish & chips &unknown; 'ok'"
    assert at(document, segment, "chips") == (1, source.index("chips") + 1)
    assert at(document, segment, "&unknown;") == (1, source.index("&unknown;") + 1)
    assert 13 in verbatim(segment)  # an unknown reference is shown as written
    assert segment.source_offset(26) == source.index("&#39")


def test_links_inside_text_stay_in_the_block_menus_split() -> None:
    document = read('<li><a href="/a">One</a> and <a href="/b">two</a></li>'
                    '<div> <a href="/c">Menu A</a>\n<a href="/d">Menu <b>B</b></a> </div>')
    assert [(s.kind, s.text) for s in document.segments] == [
        ("list_item", "One and two"), ("link", "Menu A"), ("link", "Menu B")]


def test_unclosed_and_stray_tags() -> None:
    source = "<div><p>First<p>Second</span></div>Tail"
    document = read(source)
    assert [(s.text, at(document, s, s.text)) for s in document.segments] == [
        ("First", (1, 9)), ("Second", (1, 17)), ("Tail", (1, 36))]


def test_fragment_without_html_element_has_no_language() -> None:
    document = read("<p lang='fr'>Bonjour</p><p>Hello</p>")
    assert document.lang is None
    assert [s.lang for s in document.segments] == ["fr", None]


def test_other_meta_names_and_properties() -> None:
    source = ('<meta property="og:description" content="Share me">'
              '<meta name="ai-generated" content="true"><meta charset="utf-8">')
    document = read(source)
    assert [(s.kind, s.key, s.text) for s in document.segments] == [("meta", "og:description", "Share me")]
    assert document.metadata == {"ai-generated": "true"}
    assert document.metadata_offsets["ai-generated"] == source.index("ai-generated")


@pytest.mark.parametrize("section", ["<![CDATA[hidden]]>", "<![x y>", "<![*>", "<![nowBuy>"])
def test_marked_sections_are_hidden_and_keep_positions(section: str) -> None:
    source = f"<p>Buy {section} now\nthen</p>"
    document = read(source)
    (segment,) = document.segments
    assert segment.text == "Buy now then"
    assert at(document, segment, "now") == (1, source.index(" now") + 2)
    assert at(document, segment, "then") == (2, 1)
