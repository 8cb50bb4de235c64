"""urgency and the host's pre-filter: matching only the triggers it lets through loses no match
(the host's own properties are tested in tests/test_prefilter.py and tests/test_performance.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ethicslint.analysis import analyze_text
from ethicslint_urgency import lexicon

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "corpus"
YADA = SHARED / "darkpatterns-yada2022" / "dataset.jsonl"


def _coverage(matches) -> dict[str, set[int]]:
    covered: dict[str, set[int]] = {}
    for m in matches:
        covered.setdefault(m.label, set()).update(range(m.span.start, m.span.end))
    return covered


def _same_as_every_trigger(texts: list[str], lang: str) -> int:
    """Assert that the pre-filtered trigger matching finds what matching every trigger entry
    finds, on each text; return how many texts held a trigger match (so that a test proves it
    compared something)."""
    compiled = lexicon.compiled_for(lang, {})
    with_matches = 0
    for text in texts:
        for segment in analyze_text(text, lang).segments:
            everything = compiled.terms(segment.doc, compiled.trigger_labels)
            if not compiled.may_shame(segment.doc):  # declines are dropped there (tested below)
                everything = [m for m in everything if m.label not in lexicon.TRIGGER_CONTEXT]
            assert _coverage(compiled.triggers(segment.doc, segment.text)) == _coverage(everything), text
            with_matches += bool(everything)
    return with_matches


@pytest.mark.skipif(not YADA.exists(), reason="shared corpus not beside the repository")
def test_prefilter_loses_no_match_on_real_shop_strings():
    """2,356 real e-commerce strings: timers ("00 : 46 : 11", "1day21:04:58"), stock counts,
    activity notices, in every casing."""
    texts = [json.loads(line)["text"] for line in YADA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 2000
    assert _same_as_every_trigger(texts, "en") > 300


def test_prefilter_loses_no_match_on_timers_and_counts_in_both_languages():
    english = ["Sale ends in 02:14:33", "ENDS IN 3H 12M 09S", "00DAYS02HRS14MINS12SEC", "Only Two left!",
               "Hurry, only 3 left in stock", "12 people are viewing this right now",
               "Sarah from Lyon bought this 5 minutes ago", "Days Hours Minutes Seconds", "Offer ends in 1234"]
    french = ["Fin de l'offre dans 02 : 14 : 33", "Plus que deux en stock !", "Il n'en reste que 3",
              "12 personnes consultent cet article", "Encore 3 h 12 min pour en profiter",
              "Jours Heures Minutes Secondes"]
    assert _same_as_every_trigger(english, "en") >= 7
    assert _same_as_every_trigger(french, "fr") >= 4


def test_clean_copy_reaches_no_trigger_matching(monkeypatch):
    """A segment the pre-filter turns away is never matched, and a trigger in capitals is not
    turned away."""
    compiled = lexicon.compiled_for("en", {})
    calls: list[str] = []
    original = type(compiled.terms).__call__
    monkeypatch.setattr(type(compiled.terms), "__call__", lambda self, doc, labels=None: calls.append(doc.text)
                        or original(self, doc, labels))
    segment = analyze_text("Our linen shirts are woven in Portugal and shipped in recycled paper.", "en").segments[0]
    assert compiled.triggers(segment.doc, segment.text) == []
    assert calls == []
    segment = analyze_text("HURRY, ONLY 3 LEFT IN STOCK!", "en").segments[0]
    assert {m.label for m in compiled.triggers(segment.doc, segment.text)} >= {"URG201", "URG103"}
    assert calls == [segment.text]


def test_a_malformed_extra_pattern_is_reported_at_once():
    from ethicslint.matching import TermsError

    with pytest.raises(TermsError, match=r"URG201.*invalid pattern"):
        lexicon.compiled_for("en", {"extra-terms": {"URG201": {"patterns": [[{"LOWER": {"NOPE": ["x"]}}]]}}})


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
                openers = [m for m in compiled.terms(segment.doc, compiled.trigger_labels)
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
