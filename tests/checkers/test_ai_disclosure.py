"""ai-disclosure checker: labelled corpus quality, the French seed articles, the examples, rule docs, options."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import ethicslint_ai_disclosure as plugin
from ethicslint import Severity
from ethicslint.testing import check_corpus, check_text, load_cases, score, threshold_failure
from ethicslint_ai_disclosure.declarations import glob_match

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus" / "ai-disclosure"
EXAMPLES = REPO / "examples" / "ai-disclosure"
SEEDS = REPO.parent / "shared" / "corpus" / "seeds-fr"
THRESHOLDS = {"en": (0.90, 0.85), "fr": (0.90, 0.85)}  # precision, recall (the issue's bar)


def codes(text: str, *, lang: str | None = None, fmt: str = "markdown", path: str | None = None,
          config: dict | None = None) -> set[str]:
    return {f.code for f in check_text(plugin, text, lang=lang, fmt=fmt, path=path, config=config)}


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return load_cases(CORPUS / "en.jsonl") + load_cases(CORPUS / "fr.jsonl")


@pytest.fixture(scope="module")
def scores(cases):
    return score(cases, lambda c: codes(c["text"], lang=c["lang"], fmt=c.get("fmt", "text"), path=c.get("path")))


# --- the labelled corpus ---------------------------------------------------------------------------

def test_corpus_shape(cases):
    for lang in ("en", "fr"):
        subset = [c for c in cases if c["lang"] == lang]
        assert len(subset) >= 80, f"{lang}: {len(subset)} cases, the issue asks for at least 80"
        negatives = sum(1 for c in subset if not c["expected_codes"])
        assert negatives / len(subset) >= 0.40, f"{lang}: {negatives}/{len(subset)} hard negatives, need 40 %"
        whole_files = sum(1 for c in subset if c.get("fmt", "text") != "text")
        assert whole_files / len(subset) >= 0.5, f"{lang}: only {whole_files} whole-file cases"
        labelled = Counter(code for c in subset for code in c["expected_codes"])
        for rule in plugin.RULES:
            if rule is plugin.AI_IMAGE:  # reads image files, which a text case has not: tests/test_image_provenance.py
                continue
            assert labelled[rule.code] >= 3, f"{lang}: {rule.code} has only {labelled[rule.code]} positive cases"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_corpus_precision_recall(scores, lang):
    problem = threshold_failure(scores, lang, *THRESHOLDS[lang])
    assert problem is None, problem


# --- the French seed articles: they discuss AI, they do not hide it ---------------------------------

def test_seed_articles_have_no_error(shared_corpus):
    seeds = sorted((shared_corpus / "seeds-fr").glob("*.txt"))
    assert seeds, "no seed articles found"
    for path in seeds:
        findings = check_text(plugin, path.read_text(encoding="utf-8"), lang="fr", fmt="text", path=path.name)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        assert not errors, f"{path.name}: {[(f.line, f.code, f.message) for f in errors]}"


def test_seed_articles_declared_ai_assisted_have_no_error(shared_corpus):
    """Declared AI-assisted, the seeds' discussion (« garantie humaine » in quotes, « une plume humaine », chatbots
    that fake typos) must still not read as the blog's own human-made claim or a bot's: at most AID101 (info)."""
    for path in sorted((shared_corpus / "seeds-fr").glob("*.txt")):
        document = "---\nlang: fr\nai_assisted: true\n---\n\n" + path.read_text(encoding="utf-8")
        found = {(f.code, f.severity) for f in check_text(plugin, document, fmt="markdown")}
        assert found <= {("AID101", Severity.INFO)}, f"{path.name}: {found}"


# --- the examples folder ----------------------------------------------------------------------------

_EXPECTED = re.compile(r"(?:Expected|Attendu)\s*:\s*(?P<what>[^.\n(]+)")


def _expected_codes(text: str) -> set[str]:
    match = _EXPECTED.search(text)
    assert match, "example file without an 'Expected:' / 'Attendu :' note"
    return set(re.findall(r"AID\d{3}", match.group("what")))


def _example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".md", ".html", ".yml") and p.name != "README.md")


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_file(path, monkeypatch):
    monkeypatch.chdir(REPO)  # the images an example shows are resolved from there, as in a run
    text = path.read_text(encoding="utf-8")
    rel = str(path.relative_to(REPO))
    found = {f.code for f in check_corpus(plugin, {rel: text})}
    assert found == _expected_codes(text), rel


def test_examples_cover_every_rule_in_both_languages():
    covered: dict[str, set[str]] = {"en": set(), "fr": set()}
    for path in _example_files():
        covered[path.relative_to(EXAMPLES).parts[0]] |= _expected_codes(path.read_text(encoding="utf-8"))
    for lang, found in covered.items():
        assert {r.code for r in plugin.RULES} <= found, f"{lang}: no example for {sorted({r.code for r in plugin.RULES} - found)}"


def test_blog_examples_that_discuss_ai_stay_clean():
    files = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in (REPO / "examples" / "blog").glob("*.md")}
    assert files
    assert check_corpus(plugin, files) == []


# --- rule documentation -----------------------------------------------------------------------------

def test_rules_are_documented():
    seen = set()
    for rule in plugin.RULES:
        assert re.fullmatch(r"AID\d{3}", rule.code) and rule.code not in seen
        seen.add(rule.code)
        assert rule.checker == "ai-disclosure" and re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name)
        for field in ("summary", "why", "example", "use_instead", "fix"):
            assert getattr(rule, field).strip(), f"{rule.code}: empty {field}"
        assert rule.references and set(rule.languages) == {"en", "fr"}
        assert re.search(r"art\. \d|part \d{3}|\d{3}\.\d|L\d{3}", rule.why), f"{rule.code}: why names no provision"


def test_french_mentions_are_the_ones_the_policy_supports():
    """Only wording POLICY.md supports: « Images virtuelles », « Images retouchées », « Photographie retouchée »."""
    allowed = {"Images virtuelles", "Images retouchées", "Photographie retouchée"}
    for rule in plugin.RULES:
        text = " ".join((rule.why, rule.fix, rule.use_instead, *rule.references))
        for mention in re.findall(r"« (Images? \w+|Photographie \w+) »", text):
            assert mention in allowed, f"{rule.code}: unsupported mandatory wording « {mention} »"
    media_rules = [r for r in plugin.RULES if r.code in ("AID102", "AID201")]
    assert all("« Images virtuelles »" in r.fix for r in media_rules)


# --- behaviour details --------------------------------------------------------------------------------

def test_metadata_finding_sits_on_the_key_line():
    text = "---\ntitle: Shirt\nlang: en\nai_generated: true\n---\n\nA linen shirt.\n"
    [finding] = check_text(plugin, text, fmt="markdown")
    assert (finding.code, finding.line, finding.column, finding.text) == ("AID101", 4, 1, "ai_generated")
    assert finding.severity is Severity.WARNING


def test_ai_assisted_is_info():
    [finding] = check_text(plugin, "---\nai_assisted: true\n---\n\nOur autumn newsletter.\n", fmt="markdown")
    assert finding.code == "AID101" and finding.severity is Severity.INFO


def test_labelled_generated_testimonials_are_a_warning_and_fictional_ones_pass():
    base = "lang: en\nai_generated: true\ntestimonials:\n  - quote: \"Great pillow.\"\n    author: \"{who}\"\n"
    [labelled] = check_text(plugin, base.format(who="Sam (AI-generated)"), fmt="yaml")
    assert labelled.code == "AID501" and labelled.severity is Severity.WARNING
    assert codes(base.format(who="fictional character"), fmt="yaml") == set()


def test_bot_scripts_option_controls_the_glob():
    text = 'lang: en\ngreeting: "Hi, I\'m Dan from bookings. Where to?"\n'
    assert codes(text, fmt="yaml", path="site/chatbot/en.yml") == {"AID302"}
    assert codes(text, fmt="yaml", path="site/chatbot/en.yml", config={"bot-scripts": []}) == set()
    assert codes(text, fmt="yaml", path="conv/flows/en.yml", config={"bot-scripts": ["conv/**"]}) == {"AID302"}


def test_extra_terms_extend_tools_and_headings():
    text = "---\ngenerated_by: Quillon 2\n---\n\nA linen shirt.\n"
    assert codes(text) == set()
    assert codes(text, config={"extra-terms": {"text-tools": {"phrases": ["quillon"]}}}) == {"AID101"}
    page = "---\nai_generated: true\n---\n\n## Our fans\n\n\"Love it.\" — Jo\n\n*Generated with AI.*\n"
    assert codes(page) == set()
    assert codes(page, config={"extra-terms": {"testimonial-heading": {"phrases": ["our fans"]}}}) == {"AID501"}


def test_extra_terms_may_be_given_per_language():
    text = "---\ngenerated_by: Quillon 2\n---\n\nA linen shirt.\n"
    french = "---\ngenerated_by: Quillon 2\n---\n\nUne chemise en lin.\n"
    per_language = {"extra-terms": {"fr": {"text-tools": {"phrases": ["quillon"]}}}}
    assert codes(french, lang="fr", config=per_language) == {"AID101"}
    assert codes(text, lang="en", config=per_language) == set()  # only French knows the tool


def test_provenance_keys_option():
    text = "---\nwritten_with: ChatGPT\n---\n\nA linen shirt.\n"
    assert codes(text) == set()
    assert codes(text, config={"provenance-keys": ["written_with"]}) == {"AID101"}


def test_french_vraie_personne_is_a_claim_not_a_negation():
    """« personne » is a French negation cue (ne ... personne); « une vraie personne » is a claim."""
    text = 'channel: chatbot\nlang: fr\naccueil: "Bonjour, je suis l\'assistant IA."\nsuite: "Je suis une vraie personne."\n'
    assert codes(text, fmt="yaml") == {"AID301"}
    negated = 'channel: chatbot\nlang: fr\naccueil: "Bonjour, je ne suis pas une vraie personne : je suis un assistant IA."\n'
    assert codes(negated, fmt="yaml") == set()


@pytest.mark.parametrize("path, pattern, expected", [
    ("support/chatbot/en.yml", "**/chatbot/**", True),
    ("chatbot/en.yml", "**/chatbot/**", True),
    ("support/chatbots/en.yml", "**/chatbot/**", False),
    ("bots/travel/fr.yml", "**/bots/**", True),
    ("a/b/dialogue.yml", "*.yml", True),
    ("a/b/dialogue.yml", "a/*.yml", False),
])
def test_glob_match(path, pattern, expected):
    assert glob_match(path, pattern) is expected
