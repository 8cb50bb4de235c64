"""ai-disclosure: segments are matched only where a rule has a candidate, and the pre-filter that skips the
rest is exact (a skipped segment holds none of the labels the rule would read)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ethicslint_ai_disclosure as plugin
from ethicslint.analysis import analyze
from ethicslint.matching import TermMatcher
from ethicslint.testing import check_text, load_cases, plugin_config, read_string
from ethicslint_ai_disclosure import checks

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus" / "ai-disclosure"

CLEAN = """---
title: Linen shirt
lang: en
---

# Linen shirt

Cut from European flax and garment-washed for a lived-in softness. Our customer service answers within a day.

## Care

Wash at 30 degrees. Read the full specification below, or write to our support team with any question.

- Available in 7 colours and in sizes from XS to XXL.
- Free returns within 30 days.
"""


@pytest.fixture
def matched_docs(monkeypatch):
    """The texts of the Docs the checker's own matcher runs on (not the host's context cues)."""
    seen: list[str] = []
    original = TermMatcher.__call__

    def spy(self, doc, labels=None):
        if "ethicslint_ai_disclosure" in self.table.source:
            seen.append(doc.text)
        return original(self, doc, labels)

    monkeypatch.setattr(TermMatcher, "__call__", spy)
    return seen


def test_clean_page_is_never_matched(matched_docs):
    assert check_text(plugin, CLEAN, fmt="markdown") == []
    assert matched_docs == []


def _view(text: str, fmt: str = "markdown") -> checks.View:
    return checks.build_view(analyze(read_string(text, fmt, f"page.{fmt}")), plugin_config(plugin))


def test_segments_the_prefilter_refuses_are_never_matched(matched_docs):
    text = CLEAN + "\nMeet Léa, our virtual influencer. She loves the forest green one.\n"
    refused = {s.seg.text for s in _view(text).segs if not any(s.may_match(labels) for labels in _SCREENS)}
    [finding] = check_text(plugin, text, fmt="markdown")
    assert finding.code == "AID201"
    assert "Meet Léa, our virtual influencer. She loves the forest green one." in matched_docs
    assert refused and refused.isdisjoint(matched_docs)


def test_disclosure_scan_stops_at_the_first_disclosure(matched_docs):
    # each later paragraph holds a disclosure phrase ("AI content"), so the pre-filter does not refuse it
    rest = "\n\n".join(f"The {thing} page follows our AI content guide." for thing in ("sofa", "lamp", "rug"))
    text = f"---\nai_generated: true\n---\n\n*Written with the help of AI.*\n\n{rest}\n"
    later = _view(text).segs[1:]
    assert len(later) == 3 and all(s.may_match(checks.DISCLOSURE_PREFILTER) for s in later)  # not refused by the pre-filter
    assert check_text(plugin, text, fmt="markdown") == []
    assert matched_docs == ["Written with the help of AI."]


_SCREENS = [checks.AGENT_PREFILTER, checks.LEAD_PREFILTER, checks.DISCLOSURE_PREFILTER, checks.TESTIMONIAL_HEADING_PREFILTER,
            checks.PERSONA_TERM_PREFILTER, checks.VOICE_ROLE_PREFILTER, checks.HUMAN_CLAIM_PREFILTER,
            checks.HUMAN_MADE_PREFILTER]


def test_the_prefilter_is_exact_on_the_corpus():
    """Wherever the pre-filter says no, the full matches hold none of its labels; and it says no somewhere."""
    config = plugin_config(plugin)
    refused = 0
    for case in load_cases(CORPUS / "en.jsonl") + load_cases(CORPUS / "fr.jsonl"):
        fmt = case.get("fmt", "text")
        document = analyze(read_string(case["text"], fmt, case.get("path") or f"case.{fmt}"), case["lang"])
        for seg in checks.build_view(document, config).segs:
            for labels in _SCREENS:
                if not seg.may_match(labels):
                    refused += 1
                    assert labels.isdisjoint(seg.matches), (case["text"][:80], seg.seg.text, sorted(labels))
    assert refused > 1000
