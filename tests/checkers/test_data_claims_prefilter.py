"""The data-claims checker leaves a segment at once when no detector can report in it
(``detect.may_report``); these tests check that the skip changes no finding and that the
document-level checks still see the skipped segments."""

from __future__ import annotations

from pathlib import Path

import pytest

import ethicslint_data_claims as plugin
from ethicslint.testing import check_text, load_cases
from ethicslint_data_claims import detect

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "data-claims"
EXAMPLES = ROOT / "examples" / "data-claims"


def rows(text: str, lang: str, fmt: str = "text", path: str | None = None, config: dict | None = None):
    return [(f.line, f.column, f.end_line, f.end_column, f.code, f.severity, f.message, f.suggestion)
            for f in check_text(plugin, text, lang=lang, fmt=fmt, path=path, config=config)]


def test_skipping_segments_changes_no_finding(monkeypatch):
    """Every labelled case and example, with and without the skip: the same findings."""
    inputs = [(c["text"], c["lang"], c.get("fmt", "text"), c.get("path"))
              for lang in ("en", "fr") for c in load_cases(CORPUS / f"{lang}.jsonl")]
    inputs += [(p.read_text(encoding="utf-8"), p.parent.name, "markdown", str(p.relative_to(ROOT)))
               for p in sorted(EXAMPLES.rglob("*.md")) if p.name != "README.md"]
    fast = [rows(*args) for args in inputs]
    assert any(fast)
    with monkeypatch.context() as m:
        m.setattr(detect, "may_report", lambda segment, matcher: True)
        assert [rows(*args) for args in inputs] == fast


def count_sentence_building(monkeypatch) -> list[str]:
    built: list[str] = []
    original = detect.sentences_with_hits

    def counting(segment, matcher):  # type: ignore[no-untyped-def]
        built.append(segment.text)
        return original(segment, matcher)

    monkeypatch.setattr(detect, "sentences_with_hits", counting)
    return built


@pytest.mark.parametrize("lang,page", [
    ("en", "You can share this recipe with friends from the club.\n\nWe love cooking: click to continue "
           "reading, you have been warned.\n\nEvery sauce keeps for a week; store it in the fridge."),
    ("fr", "Vous pouvez partager cette recette avec vos amis.\n\nNous aimons cuisiner : cliquez pour "
           "continuer la lecture.\n\nToutes les sauces ne se gardent pas au frigo."),
])
def test_clean_copy_builds_no_sentences(monkeypatch, lang, page):
    built = count_sentence_building(monkeypatch)
    assert rows(page, lang) == []
    assert built == []
    claim = "We never share your data." if lang == "en" else "Nous ne partageons jamais vos données."
    assert [r[4] for r in rows(page + "\n\n" + claim, lang)] == ["DAT101"]
    assert built == [claim]


def test_document_level_checks_see_skipped_segments(monkeypatch):
    built = count_sentence_building(monkeypatch)
    # the certificate is in a paragraph without any candidate: it still backs the claim
    page = "ISO 27001 certified hosting.\n\nOur ISO 27001 certificate no. IS 712345 was issued by BSI."
    assert rows(page, "en") == []
    assert rows(page.split("\n\n")[0], "en") != []
    # the purpose and the privacy notice too
    for other in ("We'll only use it to send the code.", "Read our privacy policy."):
        assert rows("Enter your email to get 10% off.\n\n" + other, "en") == []
    assert [r[4] for r in rows("Enter your email to get 10% off.\n\nSee you soon.", "en")] == ["DAT401"]
    assert built and all(text.startswith(("ISO 27001 certified", "Enter your email")) for text in built)


def test_pattern_labels_are_ruled_out_only_by_their_required_words():
    """"reader-behaviour" is keyed on "you", in most paragraphs; the pre-filter also needs the
    pattern's other words, so a paragraph without them is ruled out before any matching."""
    from ethicslint.analysis import analyze_text

    matcher = detect.matcher_for_config("en", {})

    def passes(text: str) -> set[str]:
        doc = analyze_text(text, "en").segments[0].doc
        return {label for label in ("reveal", "reader-behaviour", "tracked-basis") if matcher.prefilter(doc, {label})}

    assert {"reveal", "reader-behaviour"} <= passes("We noticed you looked at red lipstick.")
    assert passes("You are at home with your family.") == set()
    # a label given phrases (here by the configuration) is pre-filtered on them too
    extra = {"reveal": {"phrases": ["we peeked at"]}}
    text = "We peeked at your searches yesterday at 14:23."
    assert rows(text, "en") == []
    assert [r[4] for r in rows(text, "en", config={"extra-terms": extra})] == ["DAT301"]

