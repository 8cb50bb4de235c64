"""urgency's gates (ethicslint_urgency.gates): they may skip a token pattern only where it has no
match, and they should skip it almost everywhere in ordinary prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ethicslint.analysis import analyze_text
from ethicslint.matching import parse_terms
from ethicslint_urgency import gates, lexicon

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "corpus"
YADA = SHARED / "darkpatterns-yada2022" / "dataset.jsonl"


def _coverage(matches) -> dict[str, set[int]]:
    covered: dict[str, set[int]] = {}
    for m in matches:
        covered.setdefault(m.label, set()).update(range(m.span.start, m.span.end))
    return covered


def _same_as_every_pattern(texts: list[str], lang: str) -> int:
    """Assert that gated matching finds what running every trigger pattern finds, on each text;
    return how many texts held a pattern match (so that a test proves it compared something)."""
    compiled = lexicon.compiled_for(lang, {})
    with_matches = 0
    for text in texts:
        for segment in analyze_text(text, lang).segments:
            everything = compiled.patterns(segment.doc)
            labels = compiled.gates.open_labels(segment.doc)
            gated = compiled.patterns(segment.doc, labels) if labels else []
            assert _coverage(gated) == _coverage(everything), text
            with_matches += bool(everything)
    return with_matches


@pytest.mark.skipif(not YADA.exists(), reason="shared corpus not beside the repository")
def test_gates_lose_no_match_on_real_shop_strings():
    """2,356 real e-commerce strings: timers ("00 : 46 : 11", "1day21:04:58"), stock counts,
    activity notices, in every casing. The gates' regex and number bits are learned from
    lowercase forms; this proves they never shut on a string whose pattern matches."""
    texts = [json.loads(line)["text"] for line in YADA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 2000
    assert _same_as_every_pattern(texts, "en") > 300


def test_gates_lose_no_match_on_timers_and_counts_in_both_languages():
    english = ["Sale ends in 02:14:33", "ENDS IN 3H 12M 09S", "00DAYS02HRS14MINS12SEC", "Only Two left!",
               "Hurry, only 3 left in stock", "12 people are viewing this right now",
               "Sarah from Lyon bought this 5 minutes ago", "Days Hours Minutes Seconds", "Offer ends in 1234"]
    french = ["Fin de l'offre dans 02 : 14 : 33", "Plus que deux en stock !", "Il n'en reste que 3",
              "12 personnes consultent cet article", "Encore 3 h 12 min pour en profiter",
              "Jours Heures Minutes Secondes"]
    assert _same_as_every_pattern(english, "en") >= 7
    assert _same_as_every_pattern(french, "fr") >= 4


def test_words_far_apart_or_in_other_sentences_do_not_open_a_gate():
    """"only ... left" needs its words within one match: scattered over a paragraph they do not
    make the Matcher run (which costs about a microsecond per token)."""
    compiled = lexicon.compiled_for("en", {})

    def opened(text: str) -> set[str]:  # the entries with a pattern whose gate opens
        doc = analyze_text(text, "en").segments[0]
        return {lexicon.entry_of(label) for label in compiled.gates.open_labels(doc.doc)}

    near = "Our linen shirts are woven in Portugal from flax grown in Normandy. Hurry, only 3 left in stock."
    far = ("Only the finest linen is woven in our Portuguese workshop, where 3 weavers have worked for thirty "
           "years, and what is left of each roll becomes napkins. The stock of each colour changes every season.")
    assert "URG201" in opened(near)
    assert "URG201" not in opened(far)


def test_case_only_regex_is_no_condition():
    """A regex that tells words apart by capitals ("^[A-Z]", a shopper's name) would hold in
    every lowercase form: the gate does not test it, and still tests the pattern's words."""
    table = parse_terms({"URG301": {"patterns": [[{"TEXT": {"REGEX": "^[A-Z][a-z]+$"}}, {"LOWER": "from"},
                                                  {"TEXT": {"REGEX": "^[A-Z][a-z]+$"}}, {"LOWER": "bought"}]]}},
                        "test")
    index = gates.GateIndex(table, ["URG301"], frozenset(), None)
    (need, gate), = [(g.need, g) for gs in index.by_word.values() for _, g in gs][:1]
    assert bin(need).count("1") == 2  # "from" and "bought", not the capitals


def test_token_patterns_and_context_terms_compile_only_when_a_text_needs_them():
    """A pre-commit run on clean copy never pays for compiling the token patterns (a spaCy
    Matcher with validation) or the context terms."""
    compiled = lexicon.compiled_for("en", {"allow": ["a phrase only this test allows"]})
    segment = analyze_text("Our linen shirts are woven in Portugal and shipped in recycled paper.", "en").segments[0]
    assert compiled.triggers(segment.doc, segment.text) == []
    assert "patterns" not in vars(compiled) and not compiled._context
    segment = analyze_text("Hurry, only 3 left in stock!", "en").segments[0]
    assert {m.label for m in compiled.triggers(segment.doc, segment.text)} >= {"URG201"}
    assert "patterns" in vars(compiled)


def test_a_malformed_extra_pattern_is_reported_at_once():
    from ethicslint.matching import TermsError

    with pytest.raises(TermsError, match=r"URG201.*invalid pattern"):
        lexicon.compiled_for("en", {"extra-terms": {"URG201": {"patterns": [[{"LOWER": {"NOPE": ["x"]}}]]}}})


def test_a_pattern_without_any_testable_token_runs_everywhere():
    """Shapes and flags have no cheap test: such a pattern has no gate to shut."""
    table = parse_terms({"URG103": {"patterns": [[{"IS_TITLE": True}, {"IS_PUNCT": True}]]}}, "test")
    index = gates.GateIndex(table, ["URG103"], frozenset(), None)
    doc = analyze_text("Nothing here.", "en").segments[0].doc
    assert index.open_labels(doc) == {"URG103"}


def test_a_decline_is_dropped_only_where_it_cannot_shame():
    """``triggers`` drops a decline ("No", "No thanks") or first-person opener from a segment where
    no benefit or loss term may match: there, confirmshaming must find nothing in any of them."""
    from ethicslint_urgency.detect import SegmentContext, confirmshaming

    checked = dropped = 0
    for lang in ("en", "fr"):
        compiled = lexicon.compiled_for(lang, {})
        texts = [json.loads(line)["text"] for line in (REPO / "tests" / "corpus" / "urgency" / f"{lang}.jsonl")
                 .read_text(encoding="utf-8").splitlines() if line.strip()]
        if lang == "en" and YADA.exists():
            texts += [json.loads(line)["text"] for line in YADA.read_text(encoding="utf-8").splitlines() if line.strip()]
        for text in texts:
            for segment in analyze_text(text, lang).segments:
                openers = [m for m in compiled.phrases(segment.doc) + compiled.pattern_matches(segment.doc)
                           if m.label in lexicon.TRIGGER_CONTEXT]
                if not openers:
                    continue
                checked += 1
                kept = [m for m in compiled.triggers(segment.doc, segment.text) if m.label in lexicon.TRIGGER_CONTEXT]
                if kept:
                    continue
                dropped += 1
                ctx = SegmentContext(compiled, segment)
                for m in openers:
                    assert confirmshaming(m.span, ctx, first_person=m.label == "first-person") is None, text
    assert checked > 100 and dropped > 20  # both sides of the test were exercised


def test_a_gate_places_each_token_where_the_pattern_allows_it():
    """"2 left in stock" needs "stock" right after "in": the same words in another order, or
    farther apart than the quantifiers allow, keep the gate shut."""
    table = parse_terms({"URG201": {"patterns": [[{"LIKE_NUM": True}, {"LOWER": "left"}, {"LOWER": "in"},
                                                  {"LOWER": "stock"}]]}}, "test")
    from ethicslint.nlp import cheap_pipeline
    from spacy.attrs import LIKE_NUM

    index = gates.GateIndex(table, ["URG201"], frozenset(), cheap_pipeline("en").vocab.lex_attr_getters[LIKE_NUM])

    def opened(text: str) -> set[str]:
        return index.open_labels(analyze_text(text, "en").segments[0].doc)

    assert opened("Only 2 left in stock.") == {"URG201"}
    assert opened("In stock: 2 left.") == set()
    assert opened("2 left, in stock.") == set()
    # spaCy reads pattern keys in any case: an optional token written {"op": "?"} is optional here too
    table = parse_terms({"URG201": {"patterns": [[{"LOWER": "only"}, {"LOWER": "just", "op": "?"},
                                                  {"LOWER": "left"}]]}}, "test")
    index = gates.GateIndex(table, ["URG201"], frozenset(), None)
    assert opened("Only left: the blue one.") == {"URG201"}


def test_places_of_tokens_before_and_after_the_key():
    lengths = [(1, 1), (0, 2), (1, 1), (1, None), (1, 1)]  # a, b{0,2}, key, c+, d
    assert gates._places(lengths, 2, 0) == (-3, -1)  # a: one to three tokens before the key
    assert gates._places(lengths, 2, 4) == (2, None)  # d: two or more after it

