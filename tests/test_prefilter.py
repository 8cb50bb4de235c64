"""The host's pre-filter (``TermMatcher.prefilter``, ``docs/prefilter.md``) as every checker uses
it, and the one terms loader (``matching.matcher_for``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ethicslint_ai_disclosure
import ethicslint_data_claims
import ethicslint_diversity
import ethicslint_urgency
from ethicslint.analysis import analyze_text
from ethicslint.matching import TermMatcher, TermsError, matcher_for, parse_terms
from ethicslint.testing import check_text

CLEAN = {
    "en": "# Linen shirt\n\nCut from European flax and washed for a soft hand. Our team answers every question.\n\n"
          "- Available in seven colours.\n- Sizes from XS to XXL.\n",
    "fr": "# Chemise en lin\n\nTaillée dans un lin européen et lavée pour un toucher doux. Notre équipe répond à "
          "chaque question.\n\n- Disponible en sept couleurs.\n- Tailles du XS au XXL.\n",
}
# a text holding a trigger of each checker, in each language (the control: the spy does see it)
TRIGGERS = {
    ethicslint_urgency: {"en": "Hurry, only 3 left in stock!", "fr": "Dépêchez-vous, plus que 3 en stock !"},
    ethicslint_diversity: {"en": "Ask the chairman.", "fr": "Pour la ménagère de moins de 50 ans."},
    ethicslint_data_claims: {"en": "Your data is 100% secure with us.", "fr": "Vos données sont 100 % sécurisées."},
    ethicslint_ai_disclosure: {"en": "Meet Lena, our virtual influencer.", "fr": "Voici Léa, notre influenceuse virtuelle."},
}


@pytest.fixture
def matched(monkeypatch):
    """(plugin package, text) of each Doc a checker's own terms are matched on (not the host's cues)."""
    seen: list[tuple[str, str]] = []
    original = TermMatcher.__call__

    def spy(self, doc, labels=None):
        for plugin in TRIGGERS:
            if plugin.__name__ in self.table.source:
                seen.append((plugin.__name__, doc.text))
        return original(self, doc, labels)

    monkeypatch.setattr(TermMatcher, "__call__", spy)
    return seen


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("plugin", list(TRIGGERS), ids=lambda p: p.__name__)
def test_a_segment_with_no_term_of_a_checker_never_reaches_its_matcher(plugin, lang, matched):
    assert check_text(plugin, CLEAN[lang], lang=lang, fmt="markdown") == []
    assert matched == []
    check_text(plugin, TRIGGERS[plugin][lang], lang=lang)
    assert (plugin.__name__, TRIGGERS[plugin][lang]) in matched


TABLE = parse_terms({
    "deadline": {"phrases": ["last chance"]},
    "rush": {"lemmas": ["hurry up"]},
    "shopper": {"patterns": [[{"TEXT": {"REGEX": "^[A-Z][a-z]+$"}}, {"LOWER": "from"},
                              {"TEXT": {"REGEX": "^[A-Z][a-z]+$"}}, {"LOWER": "bought"}]]},
    "shape": {"patterns": [[{"IS_TITLE": True}, {"IS_PUNCT": True}]]},
}, "test")


def _doc(text: str, lang: str = "en"):
    return analyze_text(text, lang).segments[0].doc


@pytest.mark.parametrize("text, label", [
    ("LAST CHANCE to buy", "deadline"),  # a phrase in any case
    ("Last Chance!", "deadline"),
    ("She hurried up the stairs", "rush"),  # a lemma phrase in any inflection
    ("They HURRY UP", "rush"),
    ("Sarah from Lyon bought this", "shopper"),  # a token regex on the text itself
])
def test_a_term_in_any_case_or_inflection_passes_the_prefilter_and_matches(text, label):
    matcher = TermMatcher(TABLE, "en")
    doc = _doc(text)
    assert label in matcher.prefilter_labels(doc)
    assert matcher.prefilter(doc, {label})
    assert label in {m.label for m in matcher(doc, {label})}


@pytest.mark.parametrize("text, label", [
    ("The last train left; there was no chance", "deadline"),  # both words, farther apart than the phrase
    ("Hurried shoppers wait", "rush"),  # one word of two
    ("sarah from lyon bought this", "shopper"),  # the regex needs a capital
])
def test_the_prefilter_turns_away_a_doc_without_a_match(text, label):
    matcher = TermMatcher(TABLE, "en")
    doc = _doc(text)
    assert not matcher.prefilter(doc, {label})
    assert matcher(doc, {label}) == []


def test_a_pattern_with_nothing_to_look_up_is_never_turned_away():
    """Shapes and flags have no word or regex to look for: such a pattern may match anywhere."""
    assert "shape" in TermMatcher(TABLE, "en").prefilter_labels(_doc("nothing here at all"))


def test_words_of_a_pattern_scattered_over_a_paragraph_do_not_pass():
    compiled = ethicslint_urgency.lexicon.compiled_for("en", {})

    def passed(text: str) -> set[str]:
        return compiled.terms.prefilter_labels(_doc(text), compiled.trigger_labels)

    near = "Our linen shirts are woven in Portugal from flax grown in Normandy. Hurry, only 3 left in stock."
    far = ("Only the finest linen is woven in our Portuguese workshop, where 3 weavers have worked for thirty "
           "years, and what is left of each roll becomes napkins. The stock of each colour changes every season.")
    assert "URG201" in passed(near)
    assert "URG201" not in passed(far)


# --- the terms loader --------------------------------------------------------------------------

@pytest.fixture
def terms_dir(tmp_path: Path) -> Path:
    (tmp_path / "en.toml").write_text('[deadline]\nphrases = ["last chance"]\nkind = "vague"\n', encoding="utf-8")
    (tmp_path / "fr.toml").write_text('[deadline]\nphrases = ["dernière chance"]\n', encoding="utf-8")
    (tmp_path / "shared.toml").write_text('[tool]\nphrases = ["quillpen"]\n', encoding="utf-8")
    return tmp_path


def test_loader_merges_files_extra_terms_per_language_and_added_terms(terms_dir):
    extra = {"deadline": {"phrases": ["final hours"], "kind": "user"}, "fr": {"deadline": {"phrases": ["ultimes heures"]}}}
    en = matcher_for(terms_dir, "en", extra, shared=("shared.toml",), added={"tool": {"phrases": ["inkbot"]}})
    assert en.table.strings("deadline") == ["last chance", "final hours"]
    assert en.table.strings("tool") == ["quillpen", "inkbot"]
    assert en.table.data["deadline"] == {"kind": "user"}  # a user's data key wins over the file's
    fr = matcher_for(terms_dir, "fr", extra)
    assert fr.table.strings("deadline") == ["dernière chance", "ultimes heures"]  # the language's own entry wins
    assert [m.span.text for m in en(_doc("Final hours, then inkbot."))] == ["Final hours", "inkbot"]


def test_loader_compiles_once_per_distinct_input(terms_dir):
    first = matcher_for(terms_dir, "en", {"deadline": {"phrases": ["final hours"]}})
    assert matcher_for(terms_dir, "en", {"deadline": {"phrases": ["final hours"]}}) is first
    assert matcher_for(terms_dir, "en", {}) is not first
    assert matcher_for(terms_dir, "en", None) is matcher_for(terms_dir, "en", {})


def test_loader_reports_a_malformed_user_term_naming_its_source(terms_dir):
    with pytest.raises(TermsError, match=r"my-option.*\[deadline\] invalid pattern"):
        matcher_for(terms_dir, "en", {"deadline": {"patterns": [[{"LOWER": {"NOPE": ["x"]}}]]}}, source="my-option")
    with pytest.raises(TermsError, match=r"my-option: \[deadline\] phrases must be a list"):
        matcher_for(terms_dir, "en", {"deadline": {"phrases": "not a list"}}, source="my-option")
