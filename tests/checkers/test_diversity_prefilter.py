"""Tests of how the diversity checker pre-filters segments (the host's ``TermMatcher.prefilter``): it may let
a segment through for nothing, but it never turns one away that holds a match, and clean copy never
reaches the matcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ethicslint_diversity as plugin
from ethicslint.analysis import analyze_text
from ethicslint.testing import plugin_config
from ethicslint_diversity import representation, wording

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr")


def lexicon(lang: str, **config) -> wording.Lexicon:
    return wording.lexicon(lang, plugin_config(plugin, config))


@pytest.mark.parametrize("lang", LANGS)
def test_every_phrase_passes_the_prefilter_of_its_own_label(lang):
    lex = lexicon(lang)
    for label, kinds in lex.matcher.table.entries.items():
        for phrase in kinds.get("phrases") or ():
            doc = analyze_text(phrase, lang).segments[0].doc
            assert lex.matcher(doc, {label}), (label, phrase)
            assert lex.matcher.prefilter(doc, {label}), (label, phrase)


def _segments() -> list:
    """The analyzed segments of every labelled case (all checkers' corpora), of the diversity
    fixture repos and of examples/."""
    from ethicslint.analysis import analyze
    from ethicslint.documents import read_document

    segments = []
    for path in sorted((ROOT / "tests").glob("*/*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            if case.get("lang") in LANGS:
                segments.extend(analyze_text(case["text"], case["lang"]).segments)
    files = [*(ROOT / "tests" / "fixtures" / "diversity_repos").rglob("*"), *(ROOT / "examples").rglob("*")]
    for path in sorted(f for f in files if f.is_file()):
        document = read_document(path, str(path)).document
        if document is not None:
            segments.extend(analyze(document).segments)
    return segments


def test_the_prefilter_never_rejects_a_segment_with_a_match():
    """Every label matched in a segment passes the pre-filter, alone and in the label sets the hooks use."""
    segments = _segments()
    assert len(segments) > 2500
    checked = 0
    for segment in segments:
        lex = lexicon(segment.lang)
        found = {m.label for m in lex.matcher(segment.doc)}
        for label in found:
            assert lex.matcher.prefilter(segment.doc, {label}), (label, segment.text)
            checked += 1
        if found & lex.triggers:
            assert lex.matcher.prefilter(segment.doc, lex.triggers), segment.text
        if found & representation.COUNTED:
            assert lex.matcher.prefilter(segment.doc, representation.COUNTED), segment.text
        # what an ORTH literal's LOWER clause assumes
        assert all(t.lower_ == t.text.lower() for t in segment.doc), segment.text
    assert checked > 1500


def test_reserved_strings_are_compared_as_spacy_ids():
    # "aux" is one of spaCy's symbols: its id is not a hash of the string
    lex = lexicon("fr")
    doc = analyze_text("Le marché reste sourd aux besoins des indépendants.", "fr").segments[0].doc
    assert lex.matcher(doc, {"sourd-aveugle"})
    assert lex.matcher.prefilter(doc, {"sourd-aveugle"})


def test_extra_terms_are_prefiltered_on_their_real_tokens():
    # "cannot" is two tokens, "mx." three: a user's phrases are pre-filtered on the tokens they give
    extra = {"ref-nonbinary": {"phrases": ["they cannot", "mx. alex"]}, "housewife": {"lemmas": ["home maker"]}}
    lex = lexicon("en", **{"extra-terms": extra})
    for text in ("They cannot.", "Meet Mx. Alex today."):
        doc = analyze_text(text, "en").segments[0].doc
        assert lex.matcher(doc, {"ref-nonbinary"}), text
        assert lex.matcher.prefilter(doc, {"ref-nonbinary"}), text
    clean = analyze_text("A plain sentence about shoes.", "en").segments[0].doc
    assert not lex.matcher.prefilter(clean, {"ref-nonbinary"})
    assert not lex.matcher.prefilter(clean, {"housewife"})  # a lemma phrase: pre-filtered on its lemmas


def test_pattern_tokens_must_be_within_one_match_of_each_other():
    # named-person: a title-case word, a comma, an age (three tokens)
    lex = lexicon("en")
    near = analyze_text("Sarah, 34, switched last spring.", "en").segments[0].doc
    apart = analyze_text("Within 30 days of the launch, Sarah switched.", "en").segments[0].doc
    assert lex.matcher(near, {"named-person"}) and lex.matcher.prefilter(near, {"named-person"})
    assert not lex.matcher(apart, {"named-person"}) and not lex.matcher.prefilter(apart, {"named-person"})


@pytest.fixture
def matcher_calls(monkeypatch) -> list:
    """The label sets the diversity matchers are called with (None: every label)."""
    calls: list = []
    config = plugin_config(plugin)
    ours = {id(wording.lexicon(lang, config).matcher) for lang in LANGS}
    matcher_type = type(wording.lexicon("en", config).matcher)
    original = matcher_type.__call__

    def recording(self, doc, labels=None):  # type: ignore[no-untyped-def]
        if id(self) in ours:
            calls.append(labels)
        return original(self, doc, labels)

    monkeypatch.setattr(matcher_type, "__call__", recording)
    return calls


def test_clean_copy_never_reaches_the_matcher(matcher_calls):
    text = ("Our new running shoes are light and breathable.\n\n"
            "Order before noon for next-day delivery, and return them for free within a month.\n\n"
            "Nos chaussures sont légères et respirantes : livraison offerte dès demain.")
    document = analyze_text(text)
    config = plugin_config(plugin)
    assert plugin.ethicslint_check_document(document=document, config=config) == []
    assert plugin.ethicslint_collect(document=document, config=config) is None
    assert matcher_calls == []


def test_both_hooks_share_one_match_per_segment(matcher_calls):
    text = "We're hiring a salesman; he will report to the store manager. Sarah, 34, loves it."
    document = analyze_text(text, "en")
    config = plugin_config(plugin)
    findings = plugin.ethicslint_check_document(document=document, config=config)
    assert {f.code for f in findings} == {"DIV102"}
    summary = plugin.ethicslint_collect(document=document, config=config)
    assert summary and summary["gender"] and summary["age"]
    assert matcher_calls == [None]  # one full match, reused by collect and for the document's cues
