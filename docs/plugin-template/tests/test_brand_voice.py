"""The brand-voice checker through ethicslint's real readers and analysis (ethicslint.testing)."""

from __future__ import annotations

import pytest

import ethicslint
import ethicslint_brand_voice as plugin
from ethicslint.testing import check_text


def found(text: str, lang: str, fmt: str = "text", **config) -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in check_text(plugin, text, lang=lang, fmt=fmt, config=config)]


def test_english_superlatives():
    assert found("The best coffee in town, at unbeatable prices.", "en") == [
        ("BRV101", "The best"), ("BRV101", "unbeatable")]


def test_french_superlatives_match_every_form():
    assert found("La meilleure offre, des prix imbattables.", "fr") == [
        ("BRV101", "La meilleure"), ("BRV101", "imbattables")]


def test_negated_or_quoted_superlatives_are_not_flagged():
    assert found("We are not the cheapest, and we say why.", "en") == []
    assert found('Reviewers called it "the best espresso of the year".', "en") == []
    assert found("> The best coffee in town.\n", "en", fmt="markdown") == []


def test_house_term_suggests_the_base_form_only():
    [base] = check_text(plugin, "Utilize the app.", lang="en")
    assert (base.code, base.suggestion) == ("BRV201", "use")
    [inflected] = check_text(plugin, "We utilized the app.", lang="en")
    assert inflected.suggestion is None and "'use'" in inflected.message


def test_french_anglicism_gets_a_french_message():
    [finding] = check_text(plugin, "Inscrivez-vous à la newsletter.", lang="fr")
    assert finding.code == "BRV201" and finding.suggestion == "lettre d'information"
    assert "charte éditoriale" in finding.message


def test_allow_option():
    assert found("Inscrivez-vous à la newsletter.", "fr", allow=["newsletter"]) == []


def test_positions_point_into_the_source():
    [finding] = check_text(plugin, "# Title\n\nOur app is unmatched.\n", lang="en", fmt="markdown")
    assert (finding.line, finding.column, finding.end_column) == (3, 12, 21)


@pytest.mark.parametrize("rule", plugin.ethicslint_rules(), ids=lambda r: r.code)
def test_every_rule_is_documented_and_its_examples_hold(rule):
    for field in ("summary", "why", "example", "use_instead", "fix"):
        assert getattr(rule, field).strip(), f"{rule.code} has no {field}"
    assert rule.code in [f.code for f in check_text(plugin, rule.example, lang="en")]
    assert rule.code not in [f.code for f in check_text(plugin, rule.use_instead, lang="en")]


def test_written_for_this_plugin_api():
    assert plugin.ETHICSLINT_API == ethicslint.PLUGIN_API_VERSION.split(".")[0]
