"""The host's context layer: live data (template placeholders) and account events."""

from __future__ import annotations

import pytest

from ethicslint.analysis import analyze_text
from ethicslint.context import account_event, bare_label, live_data, placeholders


@pytest.mark.parametrize(("text", "found"), [
    ("Only %{count} left", ["%{count}"]), ("Hi {{ name }}!", ["{{ name }}"]), ("only %s left", ["%s"]),
    ("%(n)d items", ["%(n)d"]), ("$COUNT$ days", ["$COUNT$"]), ("Plus que {n} en stock", ["{n}"]),
    ("{count, plural, one {# day} other {# days}} left", ["{count, plural, one {# day} other {# days}}"]),
    ("Just {a few} words in braces", []), ("Save 50% off today", []),
])
def test_placeholders(text: str, found: list[str]) -> None:
    assert [text[a:b] for a, b in placeholders(text)] == found


def _first(text: str, lang: str, word: str):  # type: ignore[no-untyped-def]
    document = analyze_text(text, lang)
    segment = document.segments[0]
    token = next(t for t in segment.doc if t.text == word)
    return segment, segment.doc[token.i:token.i + 1]


def test_live_data_is_the_claims_own_sentence() -> None:
    segment, span = _first("Only %{count} left. Hurry!", "en", "left")
    assert live_data(segment, span)
    segment, span = _first("Only 2 left. Hurry, {{ name }}!", "en", "left")
    assert not live_data(segment, span)


def test_account_events() -> None:
    _, span = _first("This reset link expires in 24 hours.", "en", "expires")
    assert account_event(span, "en")
    _, span = _first("Ce lien expire dans 24 heures.", "fr", "expire")
    assert account_event(span, "fr")
    _, span = _first("This offer expires in 24 hours.", "en", "expires")
    assert not account_event(span, "en")
    _, span = _first("Pour une durée limitée, l'abonnement Pro est au prix du Basic.", "fr", "limitée")
    assert not account_event(span, "fr")  # a price on the account: a sale


def test_bare_label_is_a_whole_catalogue_string() -> None:
    from ethicslint.analysis import analyze
    from ethicslint.documents import read_text

    document = read_text('{"a": "Expires in", "b": "Sale ends in"}', "en.json", "json").document
    first, second = analyze(document, "en").segments
    assert bare_label(first, first.doc[0:2], "en")
    assert not bare_label(second, second.doc[1:3], "en")
    assert not bare_label(second, second.doc[0:3], "en")  # all of it, but it names the offer
    segment, span = _first("Expires in", "en", "Expires")  # prose: not a catalogue string
    assert not bare_label(segment, segment.doc[0:2], "en")


@pytest.mark.parametrize("text, lang, word, kwargs, expected", [
    ("We do not sell your data.", "en", "sell", {}, True),
    ("We do not, as a rule, sell your data.", "en", "sell", {"window": 8}, True),
    ("We do not, as a rule, sell your data.", "en", "sell", {"window": 8, "clause_breaks": {","}}, False),
    ("No one told us: sell everything.", "en", "sell", {"window": 8, "clause_breaks": {":"}}, False),
    ("Il n'en reste que trois.", "fr", "trois", {}, False),  # « ne … que » restricts
    ("Il n'y a plus que trois places.", "fr", "plus", {}, False),  # « ne … plus que » counts a stock
    ("Ce n'est pas une offre limitée.", "fr", "offre", {}, True),
])
def test_one_negation_test_for_every_checker(text, lang, word, kwargs, expected) -> None:
    from ethicslint.context import is_negated

    _, span = _first(text, lang, word)
    assert is_negated(span, lang, **kwargs) is expected


def test_a_checker_may_add_negation_cues() -> None:
    from ethicslint.context import is_negated

    segment, span = _first("Nope, limited offer here.", "en", "limited")
    nope = segment.doc[0:1]
    assert not is_negated(span, "en", 4)
    assert is_negated(span, "en", 4, extra=[nope])


def test_a_cue_inside_the_match_is_the_matchs_own_word() -> None:
    from ethicslint.context import is_negated

    document = analyze_text("Don't miss out on the sale.", "en")
    doc = document.segments[0].doc
    assert [t.lower_ for t in doc[:3]] == ["do", "n't", "miss"]
    assert not is_negated(doc[1:4], "en")  # "n't miss out": the negation is part of the phrase
    assert is_negated(doc[2:4], "en")  # "miss out" alone is negated by it
