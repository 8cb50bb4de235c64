"""Tests of the diversity checker, corpus level: representation gaps over small fixture repos."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

import ethicslint_diversity as plugin
from ethicslint import Severity
from ethicslint.testing import check_corpus, plugin_config, read_string

ROOT = Path(__file__).resolve().parents[2]
REPOS = ROOT / "tests" / "fixtures" / "diversity_repos"
GAP_CODES = ("DIV501", "DIV502", "DIV503")
# First names used in the fixtures: a finding message must never name (or gender) anyone.
FIXTURE_NAMES = ("Priya", "Daniel", "Tomasz", "Aisha", "Sophie", "Nadia", "Léa", "Hugo", "Maya", "Ollie",
                 "Ben", "Sam", "Alex", "Jordan", "Nguyen", "Patel", "Kowalski")


def repo(name: str) -> dict[str, str]:
    base = REPOS / name
    return {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(base.rglob("*")) if p.is_file()}


def gaps(name: str, **config) -> list:
    files = repo(name)
    return [f for f in check_corpus(plugin, files, config=config) if f.code in GAP_CODES]


def test_there_are_at_least_six_fixture_repos():
    assert len([p for p in REPOS.iterdir() if p.is_dir()]) >= 6


def test_balanced_repo_has_no_gap():
    assert gaps("balanced_en") == []


def test_skewed_repo_reports_one_gap_at_its_first_reference():
    [finding] = gaps("skewed_men_en")
    assert finding.code == "DIV501" and finding.severity is Severity.WARNING
    assert finding.path == "case-studies/logistics.md"
    assert (finding.line, finding.column, finding.text) == (3, 1, "Mr")
    assert "14 of 15" in finding.message and "(93%)" in finding.message and "refer to men" in finding.message
    assert "case-studies/logistics.md (6)" in finding.message  # the files that contribute most
    assert "To do:" in finding.message


def test_share_threshold_is_an_option():
    assert gaps("skewed_men_en", **{"gap-share": 0.95}) == []


def test_too_few_references_is_not_a_gap_until_the_minimum_is_lowered():
    assert gaps("too_few") == []
    lowered = gaps("too_few", **{"gap-min-references": 3})
    assert [f.code for f in lowered] == ["DIV501"]


def test_mixed_languages_are_counted_together():
    [finding] = gaps("mixed_languages")
    assert finding.code == "DIV501" and "refer to women" in finding.message
    assert "en/stories.md" in finding.message and "fr/temoignages.md" in finding.message
    # neither language alone reaches the minimum of 8 references
    assert gaps("mixed_languages", subsets=["en/**", "fr/**"]) == []


def test_french_only_repo():
    [finding] = gaps("skewed_women_fr")
    assert finding.code == "DIV501" and finding.path == "temoignages/clientes.md"
    assert finding.text == "Mme"


def test_names_alone_are_never_read_as_a_gender():
    assert gaps("names_only", **{"gap-min-references": 1}) == []
    cfg = plugin_config(plugin)
    text = repo("names_only")["reviews.md"]
    from ethicslint.analysis import analyze

    summary = plugin.ethicslint_collect(document=analyze(read_string(text, "markdown", "reviews.md"), "en"),
                                        config=cfg)
    assert summary["gender"] == {} and summary["named"] == 9


def test_subsets_are_checked_separately():
    assert gaps("subset_skew") == []  # 10 women, 9 men over the whole repo
    [finding] = gaps("subset_skew", subsets=["testimonials/**"])
    assert finding.path == "testimonials/2024.md" and "in testimonials/**" in finding.message


def test_subset_glob_matches_a_trailing_part_of_the_path():
    from ethicslint_diversity.representation import scopes_of

    assert scopes_of("site/testimonials/ana.md", ["testimonials/**"]) == ["testimonials/**"]
    assert scopes_of("blog/ana.md", ["testimonials/**"]) == []
    assert scopes_of("blog/ana.md", []) == ["all files"]
    assert scopes_of("a/b/personas.yml", ["**/*.yml"]) == ["**/*.yml"]


def test_age_gap():
    [finding] = gaps("age_skewed")
    assert finding.code == "DIV502" and "people under 35" in finding.message
    assert finding.path == "personas.md"


def test_uniform_alt_texts_are_reported_as_info():
    findings = gaps("alt_uniform")
    [alt] = [f for f in findings if f.code == "DIV503"]
    assert alt.severity is Severity.INFO
    assert "of 6 alt texts describing people" in alt.message and "only the alt texts are read" in alt.message
    varied = repo("alt_uniform")
    varied["home.md"] = varied["home.md"].replace("A young woman running", "An older man running")
    assert not [f for f in check_corpus(plugin, varied) if f.code == "DIV503"]


@pytest.mark.parametrize("name", sorted(p.name for p in REPOS.iterdir() if p.is_dir()))
def test_gap_messages_never_name_anyone(name):
    for finding in gaps(name, **{"gap-min-references": 1, "alt-min-people": 1}):
        for first_name in FIXTURE_NAMES:
            assert first_name not in finding.message, (name, finding.message)


def test_summaries_are_small_and_picklable():
    from ethicslint.analysis import analyze

    cfg = plugin_config(plugin)
    for name in ("skewed_men_en", "alt_uniform", "mixed_languages"):
        for path, text in repo(name).items():
            fmt = {"md": "markdown", "yml": "yaml", "html": "html"}[path.rsplit(".", 1)[1]]
            summary = plugin.ethicslint_collect(document=analyze(read_string(text, fmt, path)), config=cfg)
            data = pickle.dumps(summary)
            assert pickle.loads(data) == summary and len(data) < 4096


def test_entity_tier_confirms_named_people_when_available():
    from ethicslint.analysis import analyze
    from ethicslint.nlp import model_available

    if not model_available("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    text = "> « Emballage soigné. » — Marie, Lyon\n\n> « Rien à redire. » — Livraison offerte dès 30 €\n"
    cfg = plugin_config(plugin)
    with_model = analyze(read_string(text, "markdown", "avis.md"), "fr")
    assert plugin.ethicslint_collect(document=with_model, config=cfg)["named"] == 1
    blank = analyze(read_string(text, "markdown", "avis.md"), "fr")
    blank.has_model = types.MethodType(lambda self, lang=None: False, blank)
    assert plugin.ethicslint_collect(document=blank, config=cfg)["named"] == 2  # cheap pattern only


def test_the_real_run_reports_the_gap_after_all_files(tmp_path):
    target = tmp_path / "copy"
    for rel, text in repo("skewed_men_en").items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ethicslint", "check", str(target), "--format", "json",
                           "--no-cache", "--select", "DIV"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    found = json.loads(done.stdout)
    gap = [f for f in found if f["code"] == "DIV501"]
    assert len(gap) == 1 and gap[0]["path"].endswith("case-studies/logistics.md")
