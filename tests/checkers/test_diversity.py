"""Tests of the diversity checker, document level: labelled corpus quality, context, options, rule docs."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import ethicslint_diversity as plugin
from ethicslint import Severity
from ethicslint.testing import load_cases, plugin_config, score

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "diversity"
THRESHOLDS = {"precision": 0.90, "recall": 0.85}  # per language, from the issue


def findings(text: str, lang: str, fmt: str = "text", config: dict | None = None):
    """The plugin's findings through the real reader (plain paragraphs if the readers are missing)."""
    from ethicslint.testing import check_text

    try:
        return check_text(plugin, text, lang=lang, fmt=fmt, config=config)
    except (ImportError, AttributeError):
        from ethicslint.analysis import analyze_text

        doc = analyze_text(text, lang)
        return plugin.ethicslint_check_document(document=doc, config=plugin_config(plugin, config))


def codes(text: str, lang: str, **kwargs) -> set[str]:
    return {f.code for f in findings(text, lang, **kwargs)}


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {lang: load_cases(CORPUS / f"{lang}.jsonl") for lang in ("en", "fr")}


# --- quality, measured -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_corpus_shape(corpus, lang):
    cases = corpus[lang]
    assert len(cases) >= 120, f"{lang}: {len(cases)} cases, the issue asks for at least 120"
    negatives = sum(1 for c in cases if not c["expected_codes"])
    assert negatives / len(cases) >= 0.40, f"{lang}: {negatives}/{len(cases)} hard negatives, need >= 40 %"
    known = set(plugin.RULES)
    for case in cases:
        assert case["lang"] == lang
        assert set(case["expected_codes"]) <= known, case
    texts = [c["text"] for c in cases]
    assert len(texts) == len(set(texts)), "duplicate snippets"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_corpus_precision_recall(corpus, lang):
    cases = corpus[lang]
    scores = score(cases, lambda c: codes(c["text"], c["lang"], fmt=c.get("fmt", "text")))
    s = scores[lang]
    misses = "\n".join(scores["all"].errors)
    assert s.precision >= THRESHOLDS["precision"], f"{lang} precision {s.precision:.3f}\n{misses}"
    assert s.recall >= THRESHOLDS["recall"], f"{lang} recall {s.recall:.3f}\n{misses}"


def test_every_wording_rule_has_labelled_cases(corpus):
    expected = {code for cases in corpus.values() for c in cases for code in c["expected_codes"]}
    wording = {code for code in plugin.RULES if not code.startswith("DIV5")}
    assert wording <= expected, f"rules without a positive case: {sorted(wording - expected)}"


# --- rule metadata and explain ---------------------------------------------------------------

def test_rules_are_complete():
    rules = plugin.ethicslint_rules()
    assert len({r.code for r in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"DIV\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.checker == "diversity"
        for field in ("summary", "why", "example", "use_instead", "fix"):
            assert getattr(rule, field).strip(), f"{rule.code}: empty {field}"
        assert rule.references, rule.code
        assert set(rule.languages) == {"en", "fr"}


def test_severities_follow_the_issue():
    sev = {code: rule.severity for code, rule in plugin.RULES.items()}
    assert sev["DIV101"] is Severity.INFO  # gendered generics: info with a suggestion
    assert sev["DIV312"] is Severity.ERROR  # slurs
    assert sev["DIV201"] is Severity.WARNING  # stereotypes
    assert sev["DIV503"] is Severity.INFO


def test_explain_covers_every_rule():
    from ethicslint.ruledocs import explain

    for rule in plugin.ethicslint_rules():
        text = explain(rule, "diversity")
        assert rule.code in text and rule.summary in text and rule.fix in text


def test_every_terms_entry_is_valid():
    from ethicslint_diversity import wording

    for lang in ("en", "fr"):
        lex = wording.lexicon(lang, plugin_config(plugin))
        contexts = {label[len(wording.CONTEXT_PREFIX):] for label in lex.matcher.table.entries
                    if label.startswith(wording.CONTEXT_PREFIX)}
        for entry in lex.entries.values():
            assert entry.code in plugin.RULES, entry
            for condition in entry.needs + entry.unless:
                for _, name in condition.alternatives:
                    assert name in contexts, f"{lang} [{entry.label}] names unknown context {name!r}"


# --- behaviour -------------------------------------------------------------------------------

def test_gendered_generic_has_a_suggestion_and_keeps_case():
    [finding] = findings("Chairmen and chairs alike use our board portal.", "en")
    assert finding.code == "DIV101" and finding.severity is Severity.INFO
    assert finding.suggestion == "Chairs"
    assert "'Chairmen'" in finding.message


def test_whole_phrase_replacement_keeps_the_phrase():
    [finding] = findings("You guys asked, we listened.", "en")
    assert finding.text == "You guys" and finding.suggestion == "You all"


def test_gendered_title_in_a_job_ad_becomes_a_job_ad_finding():
    assert codes("Our salesman will call you back within an hour.", "en") == {"DIV101"}
    job = findings("Salesman wanted for our showroom. Full-time, apply online.", "en")
    assert [f.code for f in job] == ["DIV102"]
    assert job[0].severity is Severity.WARNING and job[0].suggestion == "Salesperson"


@pytest.mark.parametrize("text,expected", [
    ("The database keeps the user's identifier and the products he added.", {"DIV101"}),
    ("Each customer gets his own dashboard.", {"DIV101"}),
    ("Our founder started the company in 2010. He still answers the phone.", set()),  # a person, not a role
])
def test_masculine_pronoun_for_a_generic_role(text, expected):
    assert codes(text, "en") == expected


@pytest.mark.parametrize("text,pair,suggestion", [
    ("A contributor may lose her/his access after repeated abuse.", "her/his", "their"),
    ("Each member keeps his or her own key.", "his or her", "their"),
    ("If he/she forgets the password, the account is locked.", "he/she", "they"),
])
def test_a_binary_pronoun_pair_is_one_finding(text, pair, suggestion):
    [finding] = findings(text, "en")
    assert (finding.code, finding.text, finding.suggestion) == ("DIV101", pair, suggestion)


def test_mademoiselle_in_a_list_of_titles_and_labour_units():
    titles = '{"mr": {"message": "M."}, "mrs": {"message": "Mme"}, "ms": {"message": "Mlle"}}'
    [finding] = findings(titles, "fr", fmt="json")
    assert (finding.code, finding.text, finding.suggestion) == ("DIV101", "Mlle", "Mme")
    assert codes('{"greeting": "Mlle Dupont vous attend."}', "fr", fmt="json") == set()  # no list of titles
    assert codes("Ce temps de recherche a un coût en temps-homme.", "fr") == {"DIV101"}


def test_french_grammatical_masculine_is_never_flagged():
    text = ("Chers clients, nos conseillers et nos développeurs sont à votre écoute. Les utilisateurs "
            "peuvent contacter le vendeur ou le directeur du magasin.")
    assert codes(text, "fr") == set()


def test_feminine_title_with_its_counterpart_is_fine():
    assert codes("Nous recrutons une vendeuse H/F en CDI.", "fr") == {"DIV102"}
    assert codes("Nous recrutons un vendeur ou une vendeuse H/F en CDI.", "fr") == set()


@pytest.mark.parametrize("text, fmt", [
    ('> "So easy, even Mom can do it."\n\nWe retired that 1990s slogan years ago.', "markdown"),
    ("<p>Our style guide says <q>crazy deals</q> has to go.</p>", "html"),
    ("We write 'chair', never 'chairman'.", "text"),
    ("The ASA ruled that the 'bikini body' line was a harmful stereotype.", "text"),
])
def test_quotations_and_discussion_are_not_findings(text, fmt):
    assert codes(text, "en", fmt=fmt) == set()


def test_proper_names_are_not_findings():
    assert codes("We partnered with Manpower and Five Guys for the summer fair.", "en") == set()
    assert codes("Manpower shortages? Our app fills shifts in an hour.", "en") == {"DIV101"}


def test_negation_of_a_lightening_claim_is_not_a_finding():
    assert codes("No whitening agents, no bleaching: just SPF 50.", "en") == set()
    assert codes("Whitening cream for a lighter complexion.", "en") == {"DIV401"}


def test_medical_exactness_is_respected():
    assert codes("Patients suffering from epilepsy should ask their doctor before use.", "en") == set()
    assert codes("Our founder suffers from epilepsy, which inspired the range.", "en") == {"DIV313"}


def test_finding_positions_map_to_the_source():
    source = "---\ntitle: Deals\n---\n# Weekend\n\nReal deals, not crazy deals.\n"
    [finding] = findings(source, "en", fmt="markdown")
    assert (finding.line, finding.column, finding.end_column) == (6, 17, 22)
    assert finding.text == "crazy"


def test_yaml_strings_are_checked_per_value():
    source = "hero:\n  title: Hello everyone\n  cta: Hey guys, shop now\n"
    [finding] = findings(source, "en", fmt="yaml")
    assert finding.code == "DIV101" and finding.line == 3


# --- options ---------------------------------------------------------------------------------

def test_allow_option_silences_a_brand_name():
    text = "Crazy deals all weekend."
    assert codes(text, "en") == {"DIV311"}
    assert codes(text, "en", config={"allow": ["crazy deals"]}) == set()


def test_extra_terms_extend_an_entry_and_add_one():
    extra = {
        "chairman": {"phrases": ["board chap"]},
        "house-term": {"code": "DIV101", "phrases": ["salesforce guy"], "suggestion": "sales rep"},
    }
    found = findings("Ask the board chap or your salesforce guy.", "en", config={"extra-terms": extra})
    assert [(f.text, f.suggestion) for f in found] == [("board chap", "chair"), ("salesforce guy", "sales rep")]


def test_extra_terms_per_language():
    extra = {"fr": {"house-term": {"code": "DIV101", "phrases": ["chef de rayon"], "suggestion": "responsable de rayon"}}}
    assert codes("Parlez au chef de rayon.", "fr", config={"extra-terms": extra}) == {"DIV101"}
    assert codes("Talk to the chef de rayon.", "en", config={"extra-terms": extra}) == set()


# --- speed -----------------------------------------------------------------------------------

def test_a_long_clean_document_is_fast():
    paragraph = ("Our team answers every message within two hours, and our planners help families, students "
                 "and retirees organise their week. Prices are fixed for twelve months. ")
    text = "\n\n".join(paragraph for _ in range(400))  # about 80 KB of prose
    findings("warm-up", "en")
    start = time.perf_counter()
    assert codes(text, "en") == set()
    assert time.perf_counter() - start < 5.0


# --- the rules' own examples and the examples folder ------------------------------------------

def _parts(text: str):
    """'English copy / « copie française »' -> (lang, text) pairs, guillemets removed."""
    for part in text.split(" / "):
        part = part.strip()
        yield ("fr" if part.startswith("«") else "en"), part.strip("« »")


@pytest.mark.parametrize("code", sorted(c for c in plugin.RULES if not c.startswith("DIV5")))
def test_rule_examples_behave(code):
    rule = plugin.RULES[code]
    for lang, text in _parts(rule.example):
        assert code in codes(text, lang), (lang, text)
    for lang, text in _parts(rule.use_instead):
        assert code not in codes(text, lang), (lang, text)


EXAMPLES = ROOT / "examples" / "diversity"
EXAMPLE_CODES = {
    "en/job-ad-store-assistant.md": {"DIV301", "DIV102"},
    "en/job-ad-warehouse.md": set(),
    "en/product-foundation.md": {"DIV321"},
    "en/product-tights.md": {"DIV403"},
    "en/testimonials.md": set(),
    "fr/offre-emploi-vendeuse.md": {"DIV102", "DIV301", "DIV303"},
    "fr/offre-emploi-entrepot.md": set(),
    "fr/fiche-produit-creme.md": {"DIV321"},
    "fr/temoignages.md": set(),
}


@pytest.mark.parametrize("path", sorted(EXAMPLE_CODES))
def test_examples_produce_what_they_announce(path):
    text = (EXAMPLES / path).read_text(encoding="utf-8")
    assert codes(text, path[:2], fmt="markdown") == EXAMPLE_CODES[path]


def test_example_folder_has_one_corpus_level_gap():
    from ethicslint.testing import check_corpus

    files = {p.relative_to(EXAMPLES).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(EXAMPLES.rglob("*.md")) if p.name != "README.md"}
    assert set(EXAMPLE_CODES) <= set(files)
    gaps = [f for f in check_corpus(plugin, files) if f.code.startswith("DIV5")]
    assert [(f.code, f.path) for f in gaps] == [("DIV501", "en/testimonials.md")]
