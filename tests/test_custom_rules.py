"""Rules as data: custom-rules tables and rule-pack files, matched on lemmas in EN and FR,
validated strictly (every refusal names the file, the table and the key)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.analysis import analyze_text
from ethicslint.cli import main
from ethicslint.config import ConfigError, load_config
from ethicslint.custom_rules import (
    MAX_TERMS_PER_RULE,
    CustomRule,
    CustomRulesError,
    CustomRulesPlugin,
    parse_rules,
    register_custom_rules,
)
from ethicslint.host import Host, PluginLoadError
from ethicslint.model import Severity
from ethicslint.schema import Place

PLUGIN_DIR = Path(__file__).parent / "plugins"

PYPROJECT = """\
[tool.ethicslint]
rule-packs = ["rules/health.toml"]

[tool.ethicslint.custom-rules.ACME101]
name = "unbacked-promise"
severity = "warning"
message = { en = "'{text}' promises what we cannot check", fr = "« {text} » promet ce que nous ne pouvons vérifier" }
suggestion = { en = "say what we do", fr = "dites ce que nous faisons" }
terms = { en = ["guarantee", "cheap"], fr = ["garantir", "imbattable", "le meilleur"] }
words = { en = ["the best", "number one"] }
patterns = { en = [[{LEMMA = "save"}, {OP = "{0,2}"}, {LIKE_NUM = true}, {LOWER = "%"}]] }
why = "Our brand book, section 4: we promise facts."
"""

HEALTH_PACK = """\
checker = "health-claims"

[HLT101]
name = "cure-claim"
severity = "error"
message = { en = "'{text}' is a health claim", fr = "« {text} » est une allégation de santé" }
terms = { en = ["cure", "miracle"], fr = ["guérir", "miracle"] }
skip-negated = true
skip-quoted = true
references = ["Regulation (EC) No 1924/2006, art. 10"]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "health.toml").write_text(HEALTH_PACK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def plugin_for(project: Path, name: str = "pyproject.toml") -> CustomRulesPlugin:
    """The rules' plugin, as the host builds it: reading the config checks each rule's shape,
    building the plugin checks its terms on the cheap tier (both: ConfigError)."""
    return CustomRulesPlugin(load_config(project / name).custom_rules)


def found(plugin: CustomRulesPlugin, text: str, lang: str) -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in plugin.ethicslint_check_document(analyze_text(text, lang), {})]


# --- loading -----------------------------------------------------------------------------------

def test_inline_rules_and_rule_packs_load_in_order(project):
    config = load_config(project / "pyproject.toml")
    assert [c.code for c in config.custom_rules] == ["ACME101", "HLT101"]
    acme, health = config.custom_rules
    assert acme.rule.checker == "custom-rules" and health.rule.checker == "health-claims"
    assert acme.rule.severity is Severity.WARNING and health.rule.severity is Severity.ERROR
    assert acme.rule.languages == ("en", "fr") and acme.rule.name == "unbacked-promise"
    assert acme.origin == "pyproject.toml [tool.ethicslint.custom-rules.ACME101]"
    assert health.origin == "rules/health.toml [HLT101]"
    assert health.rule.references == ("Regulation (EC) No 1924/2006, art. 10",)
    assert config.rule_packs == ["rules/health.toml"]


def test_default_documentation_lists_the_terms(project):
    health = load_config(project / "pyproject.toml").custom_rules[1].rule
    assert health.summary == 'Flags "cure", "miracle" (en); "guérir", "miracle" (fr).'
    assert "rules/health.toml [HLT101]" in health.why


def test_rule_pack_paths_are_relative_to_the_config_file(project, tmp_path, monkeypatch):
    elsewhere = tmp_path / "sub"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert [c.code for c in load_config(project / "pyproject.toml").custom_rules] == ["ACME101", "HLT101"]


def test_dotfile_layout(tmp_path):
    path = tmp_path / ".ethicslint.toml"
    path.write_text('[custom-rules.HSE101]\nmessage = "house style"\nterms = { en = ["utilize"] }\n',
                    encoding="utf-8")
    [rule] = load_config(path).custom_rules
    assert rule.code == "HSE101" and rule.rule.name == "custom-hse101" and rule.rule.languages == ("en",)


# --- matching on lemmas, EN and FR --------------------------------------------------------------

def test_english_terms_match_every_inflection(project):
    plugin = plugin_for(project)
    assert found(plugin, "Results guaranteed, the cheapest plan, guarantees for all.", "en") == [
        ("ACME101", "guaranteed"), ("ACME101", "cheapest"), ("ACME101", "guarantees")]


def test_words_match_their_exact_form_in_any_case(project):
    plugin = plugin_for(project)
    assert found(plugin, "The best plan. Number one in town. Best wishes.", "en") == [
        ("ACME101", "The best"), ("ACME101", "Number one")]


def test_token_pattern_with_a_bounded_gap(project):
    plugin = plugin_for(project)
    assert found(plugin, "Save up to 50 % today, saving 20 % on shoes.", "en") == [
        ("ACME101", "Save up to 50 %"), ("ACME101", "saving 20 %")]


def test_french_terms_match_every_inflection(project):
    plugin = plugin_for(project)
    assert found(plugin, "Nous garantissons des prix imbattables et la meilleure offre.", "fr") == [
        ("ACME101", "garantissons"), ("ACME101", "imbattables"), ("ACME101", "la meilleure")]
    # "garanti"/"garantie" are adjectives and nouns in the lemma table, not forms of "garantir"
    assert found(plugin, "Satisfaction garantie, le remboursement est garanti : il garantit tout.", "fr") == [
        ("ACME101", "garantit")]


def test_french_rule_pack_and_message(project):
    plugin = plugin_for(project)
    [finding] = plugin.ethicslint_check_document(analyze_text("Ce sérum guérit les rides.", "fr"), {})
    assert (finding.code, finding.text, finding.severity) == ("HLT101", "guérit", Severity.ERROR)
    assert finding.message == "« guérit » est une allégation de santé"
    assert finding.checker == "health-claims"


def test_messages_and_suggestions_per_language(project):
    plugin = plugin_for(project)
    [en] = plugin.ethicslint_check_document(analyze_text("Results guaranteed.", "en"), {})
    [fr] = plugin.ethicslint_check_document(analyze_text("Des prix imbattables.", "fr"), {})
    assert (en.message, en.suggestion) == ("'guaranteed' promises what we cannot check", "say what we do")
    assert (fr.message, fr.suggestion) == ("« imbattables » promet ce que nous ne pouvons vérifier",
                                           "dites ce que nous faisons")


def test_skip_negated_and_skip_quoted(project):
    plugin = plugin_for(project)
    assert found(plugin, "It will not cure anything.", "en") == []
    assert found(plugin, 'Critics called it a "miracle" cream.', "en") == []
    assert found(plugin, "A miracle cream that cures acne.", "en") == [("HLT101", "miracle"), ("HLT101", "cures")]
    assert found(plugin, "Cette crème ne guérit rien.", "fr") == []


def test_positions_map_to_the_source(project):
    plugin = plugin_for(project)
    findings = plugin.ethicslint_check_document(analyze_text("Intro.\n\nWe guarantee it.", "en"), {})
    assert [(f.line, f.column, f.end_column) for f in findings] == [(3, 4, 13)]


def test_rules_without_a_language_do_nothing_there(project):
    plugin = plugin_for(project)
    assert found(plugin, "the best number one", "fr") == []  # ACME101 words are English only


# --- validation: every refusal names the file, the table and the key -----------------------------

INLINE_ERRORS = [
    ('[tool.ethicslint.custom-rules]\nacme = 1',
     "pyproject.toml: [tool.ethicslint.custom-rules] unknown key 'acme': expected 'checker' or one table per "
     "rule code"),
    ('[tool.ethicslint.custom-rules.ACME1]\nmessage = "x"',
     "pyproject.toml: [tool.ethicslint.custom-rules] 'ACME1' is not a rule code: 2-4 capital letters and 3 digits"),
    ('[tool.ethicslint.custom-rules.EL101]\nmessage = "x"\nterms = { en = ["cure"] }',
     "[tool.ethicslint.custom-rules.EL101] the prefix EL is reserved for ethicslint's own rules"),
    ('[tool.ethicslint.custom-rules]\nchecker = "House Style"',
     "[tool.ethicslint.custom-rules] 'checker' must be a kebab-case name"),
    ('sevrity = "error"',
     "[tool.ethicslint.custom-rules.ACME101] unknown key 'sevrity' (did you mean 'severity'?)"),
    ('severity = "fatal"',
     "[tool.ethicslint.custom-rules.ACME101] 'severity': unknown severity 'fatal' (expected one of: info, "
     "warning, error)"),
    ('name = "Bad Name"', "[tool.ethicslint.custom-rules.ACME101] 'name' must be kebab-case"),
    ('terms = { de = ["Wunder"] }',
     "[tool.ethicslint.custom-rules.ACME101] 'terms.de': language 'de' is not supported (en, fr)"),
    ('terms = ["cure"]', "[tool.ethicslint.custom-rules.ACME101] 'terms' must be a table of languages"),
    ('terms = { en = [] }', "[tool.ethicslint.custom-rules.ACME101] 'terms.en' is empty"),
    ('terms = { en = ["cure", 3] }', "'terms.en' must be an array of strings, got an array containing integer 3"),
    ('terms = { en = ["x"] }', "[tool.ethicslint.custom-rules.ACME101] 'terms.en': 'x' is a single character"),
    ('terms = { en = ["the"] }', "'terms.en': 'the' is only stop words (en); it would match almost every sentence"),
    ('terms = { fr = ["de la"] }', "'terms.fr': 'de la' is only stop words (fr)"),
    ('terms = { en = ["!!"] }', "'terms.en': '!!' has no letter or digit"),
    ('terms = { en = ["cheapest"] }',
     "'terms.en': 'cheapest' is not in base form: terms match on lemmas and the lemma of 'cheapest' is 'cheap'"),
    ('terms = { en = ["best"] }', "'terms.en': 'best' is not in base form"),  # its lookup lemma is "well"
    ('terms = { fr = ["la meilleure"] }', "so it would match every form of 'le meilleur'"),
    ('terms = { en = ["cure", "cure"] }', "'terms.en': 'cure' duplicates 'cure'"),
    ('terms = { en = ["cure"] }\nwords = { en = ["cures"] }',
     "'words.en': 'cures' is already matched by the term 'cure'; remove one of them"),
    ('terms = { en = ["cure"] }\nmessage = ""', "[tool.ethicslint.custom-rules.ACME101] 'message' must not be empty"),
    ('terms = { en = ["cure"] }\nmessage = "{word} is bad"',
     "'message' uses the placeholder {word}; only {text} (the matched text) is available"),
    ('terms = { en = ["cure"] }\nmessage = "a { b"', "'message' is not a valid template"),
    ('terms = { en = ["cure"], fr = ["guérir"] }\nmessage = { en = "no" }',
     "'message' has no text for fr, a language the rule matches in"),
    ('terms = { en = ["cure"] }\nsuggestion = 3', "'suggestion' must be a string or a table of languages"),
    ('terms = { en = ["cure"] }\nskip-negated = "yes"', "'skip-negated' must be true or false"),
    ('terms = { en = ["cure"] }\nreferences = "GDPR"', "'references' must be an array of strings, got string 'GDPR'"),
    ('terms = { en = ["cure"] }\nreferences = [" "]', "'references' contains an empty string"),
    ('message = "x"', "[tool.ethicslint.custom-rules.ACME101] declares nothing to match"),
    ('patterns = { en = [[{OP = "*"}, {LOWER = "cure"}]] }',
     "'patterns.en'[0] token 1: OP '*' on a token without ORTH/TEXT/LOWER/NORM/LEMMA is an unbounded wildcard"),
    ('patterns = { en = [[{LOWER = "miracle"}, {IS_ALPHA = true, OP = "+"}]] }',
     "token 2: OP '+' on a token without ORTH/TEXT/LOWER/NORM/LEMMA is an unbounded wildcard"),
    ('patterns = { en = [[{LOWER = "miracle"}, {OP = "{0,9}"}, {LOWER = "cure"}]] }',
     "token 2: a wildcard gap of up to 9 tokens is too wide; at most 5"),
    ('patterns = { en = [[{POS = "ADJ"}, {LOWER = "cure"}]] }',
     "token 1: POS needs the statistical model, but custom rules run on the cheap tier"),
    ('patterns = { en = [[{LOWER = {REGEX = "cur.*"}}]] }',
     "token 1: LOWER REGEX is refused: custom rules match tokens and lemmas, not raw regexes"),
    ('patterns = { en = [[{LOWER = "Cure"}]] }', "token 1: LOWER value 'Cure' has capitals and can never match"),
    ('patterns = { en = [[{IS_ALPHA = true}, {LIKE_NUM = true}]] }',
     "'patterns.en'[0] has no required token with ORTH/TEXT/LOWER/NORM/LEMMA"),
    ('patterns = { en = [[{LOWER = "cure", OP = "?"}]] }', "has no required token"),
    ('patterns = { en = [[{LOWRE = "cure"}]] }', "token 1: unknown token attribute 'LOWRE' (did you mean 'LOWER'?)"),
    ('patterns = { en = [[{LOWER = "a", OP = "many"}]] }', "token 1: OP must be one of"),
    ('patterns = { en = [["cure"]] }', "'patterns.en'[0] must be a non-empty array of token tables"),
    ('patterns = { en = [[' + ", ".join(['{LOWER = "a"}'] * 11) + ']] }', "has 11 tokens; at most 10"),
]


def rule_body(body: str) -> str:
    if body.startswith("[tool.ethicslint"):
        return "[tool.ethicslint]\n" + body + "\n"
    defaults = {"message": 'message = "x"', "terms": 'terms = { en = ["cure"] }'}
    lines = [body]
    if "message" not in body:
        lines.append(defaults["message"])
    if not any(k in body for k in ("terms", "words", "patterns")) and "message" not in body:
        lines.append(defaults["terms"])
    return "[tool.ethicslint.custom-rules.ACME101]\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(("body", "message"), INLINE_ERRORS, ids=[m[:60] for _, m in INLINE_ERRORS])
def test_invalid_rules_are_refused_with_file_table_and_key(tmp_path, monkeypatch, body, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(rule_body(body), encoding="utf-8")
    with pytest.raises(ConfigError) as excinfo:
        plugin_for(tmp_path)
    assert message in str(excinfo.value)
    assert str(excinfo.value).startswith("pyproject.toml: ")


def test_dotfile_errors_name_the_dotfile_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".ethicslint.toml").write_text('[custom-rules.HSE101]\nmessage = "x"\nterms = { en = ["utilized"] }\n',
                                               encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^\.ethicslint\.toml: \[custom-rules\.HSE101\] 'terms\.en': 'utilized' "
                                          r"is not in base form"):
        plugin_for(tmp_path, ".ethicslint.toml")


def test_too_many_terms_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    terms = ", ".join(f'"brandword{i}"' for i in range(MAX_TERMS_PER_RULE + 1))
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.ethicslint.custom-rules.ACME101]\nmessage = "x"\nterms = {{ en = [{terms}] }}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=f"has {MAX_TERMS_PER_RULE + 1} terms for en; at most {MAX_TERMS_PER_RULE}"):
        load_config(tmp_path / "pyproject.toml")


def test_a_term_in_two_rules_is_refused_naming_both(project):
    (project / "rules" / "health.toml").write_text(HEALTH_PACK.replace('"miracle"]', '"miracle", "cheap"]', 1),
                                                   encoding="utf-8")
    with pytest.raises(ConfigError) as excinfo:
        plugin_for(project)
    assert str(excinfo.value) == (
        "rules/health.toml [HLT101]: en term 'cheap' is also matched by ACME101 ('cheap', pyproject.toml "
        "[tool.ethicslint.custom-rules.ACME101]); one text cannot belong to two rules")


def test_a_code_in_the_config_and_in_a_pack_is_refused(project):
    (project / "rules" / "health.toml").write_text(HEALTH_PACK.replace("[HLT101]", "[ACME101]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules/health.toml \[ACME101\]: rule code ACME101 is also declared in "
                                          r"pyproject.toml \[tool.ethicslint.custom-rules.ACME101\]"):
        load_config(project / "pyproject.toml")


def test_rule_pack_errors_name_the_pack(project):
    (project / "rules" / "health.toml").write_text(HEALTH_PACK.replace('"guérir"', '"guérissent"'),
                                                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^rules/health.toml: \[HLT101\] 'terms.fr': 'guérissent' is not in base "
                                          r"form"):
        plugin_for(project)


def test_missing_rule_pack(project):
    (project / "rules" / "health.toml").unlink()
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.ethicslint\] 'rule-packs': no such file "
                                          r"'rules/health.toml' \(paths are relative to pyproject.toml\)"):
        load_config(project / "pyproject.toml")


def test_rule_pack_with_invalid_toml(project):
    (project / "rules" / "health.toml").write_text("[HLT101\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^rules/health.toml: invalid TOML"):
        load_config(project / "pyproject.toml")


@pytest.mark.parametrize(("value", "message"), [
    ('"rules/health.toml"', "'rule-packs' must be an array of strings"),
    ('["rules/health.toml", "rules/./health.toml"]', "'rule-packs' lists 'rules/./health.toml' twice"),
])
def test_rule_packs_key_is_validated(project, value, message):
    (project / "pyproject.toml").write_text(f"[tool.ethicslint]\nrule-packs = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(project / "pyproject.toml")


def test_custom_rules_must_be_a_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.ethicslint]\ncustom-rules = ["ACME101"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tool.ethicslint\] 'custom-rules' must be a table"):
        load_config(tmp_path / "pyproject.toml")


# --- the plugin goes through the host's door -----------------------------------------------------

def test_registered_like_any_plugin(project):
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    register_custom_rules(host, load_config(project / "pyproject.toml").custom_rules)
    plugin = host.plugins["custom-rules"]
    assert plugin.origin == "config (pyproject.toml, rules/health.toml)"
    assert host.rule_owner["HLT101"] == "custom-rules"
    outcome = host.check_document(analyze_text("Hurry: this cream cures everything, guaranteed."),
                                  {"testcheck": {"min-documents": 2}})
    assert sorted(f.code for f in outcome.findings) == ["ACME101", "HLT101", "TST101"]


def test_code_of_a_loaded_plugin_is_refused_naming_the_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ethicslint.custom-rules.TST101]\nmessage = "x"\nterms = { en = ["cure"] }\n', encoding="utf-8")
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    with pytest.raises(PluginLoadError, match=r"^pyproject.toml \[tool.ethicslint.custom-rules.TST101\]: rule code "
                                              r"TST101 is already declared by plugin 'ethicslint_testplugin'"):
        register_custom_rules(host, load_config(tmp_path / "pyproject.toml").custom_rules)


def test_disabled_by_name(project):
    host = Host()
    register_custom_rules(host, load_config(project / "pyproject.toml").custom_rules, disabled=["custom-rules"])
    assert "custom-rules" not in host.plugins


def test_version_changes_with_the_rules(project):
    before = plugin_for(project).version
    (project / "rules" / "health.toml").write_text(HEALTH_PACK.replace('"cure",', '"cure", "heal",'),
                                                   encoding="utf-8")
    assert plugin_for(project).version != before  # the result cache is keyed on it


# --- the command line (needs the host to register custom rules: see docs/plugins.md) -------------

def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def copy(project: Path) -> Path:
    (project / "copy").mkdir()
    (project / "copy" / "launch.md").write_text("# Launch\n\nA miracle serum, results guaranteed.\n",
                                                encoding="utf-8")
    (project / "copy" / "lancement.md").write_text("---\nlang: fr\n---\n# Lancement\n\nUn sérum qui guérit "
                                                   "tout, à un prix imbattable.\n", encoding="utf-8")
    return project


CUSTOM_ONLY = ["--select", "ACME,HLT,EL", "--no-cache"]


def test_check_reports_custom_rules_in_en_and_fr(copy):
    status, out, _ = invoke("check", *CUSTOM_ONLY, "copy")
    assert out.splitlines() == [
        "copy/lancement.md:6:14: HLT101 « guérit » est une allégation de santé",
        "copy/lancement.md:6:37: ACME101 « imbattable » promet ce que nous ne pouvons vérifier",
        "copy/launch.md:3:3: HLT101 'miracle' is a health claim",
        "copy/launch.md:3:26: ACME101 'guaranteed' promises what we cannot check",
    ]
    assert status == 1


def test_check_json_carries_severity_checker_and_suggestion(copy):
    _, out, _ = invoke("check", *CUSTOM_ONLY, "--format", "json", "copy/launch.md")
    data = json.loads(out)
    assert [(f["code"], f["checker"], f["severity"], f["suggestion"]) for f in data] == [
        ("HLT101", "health-claims", "error", None), ("ACME101", "custom-rules", "warning", "say what we do")]


def test_select_by_the_pack_checker_name(copy):
    _, out, _ = invoke("check", "--select", "health-claims", "--no-cache", "copy")
    assert {line.split()[1] for line in out.splitlines()} == {"HLT101"}


def test_rules_explain_and_plugins_show_custom_rules(copy):
    _, out, _ = invoke("rules")
    assert any(line.startswith("HLT101 ") and "health-claims" in line for line in out.splitlines())
    status, out, _ = invoke("explain", "acme101")
    assert status == 0 and out.startswith("# ACME101 unbacked-promise")
    assert "Our brand book, section 4: we promise facts." in out
    _, out, _ = invoke("plugins")
    assert any(line.startswith("custom-rules ") and "2 rules" in line for line in out.splitlines())


def test_disable_plugin_custom_rules(copy):
    status, out, _ = invoke("check", *CUSTOM_ONLY, "--disable-plugin", "custom-rules", "copy")
    assert status == 0 and out == ""
    (copy / "pyproject.toml").write_text(PYPROJECT.replace("[tool.ethicslint]\n",
                                                           '[tool.ethicslint]\ndisable-plugins = ["custom-rules"]\n'),
                                         encoding="utf-8")
    status, out, _ = invoke("check", *CUSTOM_ONLY, "copy")
    assert status == 0 and out == ""


def test_config_error_is_exit_2_naming_the_key(copy):
    (copy / "pyproject.toml").write_text(PYPROJECT.replace('"cheap"', '"cheapest"'), encoding="utf-8")
    status, _, err = invoke("check", *CUSTOM_ONLY, "copy")
    assert status == 2
    assert err.startswith("ethicslint: error: pyproject.toml: [tool.ethicslint.custom-rules.ACME101] "
                          "'terms.en': 'cheapest' is not in base form")


def test_collision_with_a_plugin_is_exit_3_naming_the_table(copy):
    (copy / "pyproject.toml").write_text(PYPROJECT.replace("ACME101", "TST101"), encoding="utf-8")
    status, _, err = invoke("check", *CUSTOM_ONLY, "--plugin", "ethicslint_testplugin", "copy")
    assert status == 3
    assert ("pyproject.toml [tool.ethicslint.custom-rules.TST101]: rule code TST101 is already declared by "
            "plugin 'ethicslint_testplugin'") in err


def test_cache_sees_a_changed_rule_pack(copy):
    args = ["check", "--select", "HLT", "copy/launch.md"]
    assert invoke(*args)[1].count("HLT101") == 1
    (copy / "rules" / "health.toml").write_text(HEALTH_PACK.replace('"miracle"]', '"miracle", "serum"]', 1),
                                                encoding="utf-8")
    assert invoke(*args)[1].count("HLT101") == 2


def test_custom_rules_reach_worker_processes(copy):
    for index in range(3):
        (copy / "copy" / f"page{index}.md").write_text("It cures all.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "ethicslint", "check", *CUSTOM_ONLY, "--jobs", "2", "copy"],
                         capture_output=True, text=True, env=env, cwd=copy)
    assert run.returncode == 1, run.stderr
    assert run.stdout.count("HLT101") == 5 and run.stdout.count("ACME101") == 2


# --- bounded work: repetition in token patterns ------------------------------------------------------

def _pattern_rules(*patterns: list[dict[str, object]]) -> list[CustomRule]:
    """Validate patterns as a rule pack would be (no matcher is compiled: nothing big is built)."""
    return parse_rules({"ACME101": {"message": "x", "patterns": {"en": list(patterns)}}},
                       lambda code: Place("rules/house.toml", f"[{code}]" if code else ""))


@pytest.mark.parametrize(("pattern", "message"), [
    # spaCy unrolls {n,m} into m token copies: this one took 24 GB before the kernel stopped it
    ([{"LOWER": "very", "OP": "{1,100000000}"}, {"LOWER": "good"}],
     "token 1: OP '{1,100000000}' repeats a token up to 100000000 times; at most 5"),
    ([{"LOWER": "very", "OP": "{6}"}, {"LOWER": "good"}], "token 1: OP '{6}' repeats a token up to 6 times"),
    ([{"LOWER": "very", "OP": "{7,}"}, {"LOWER": "good"}], "token 1: OP '{7,}' repeats a token up to"),
    ([{"LOWER": "very", "OP": "{" + "9" * 5000 + "}"}], "repeats a token up to"),  # no int() overflow
    # every optional or repeated token doubles the ways spaCy tries a match: 15 took 40 s on 2,000 words
    ([{"LOWER": "a", "OP": "{0,5}"}, {"LOWER": "b", "OP": "{0,5}"}, {"LOWER": "c", "OP": "{0,5}"},
      {"LOWER": "d"}], "lets 15 tokens be optional or repeated; at most 8"),
    ([{"LOWER": "a", "OP": "+"}, {"LOWER": "b", "OP": "*"}, {"LOWER": "c"}],
     "lets 9 tokens be optional or repeated; at most 8"),  # + and * are {1,5} and {0,5}
])
def test_repetition_is_capped_at_validation(pattern: list[dict[str, object]], message: str):
    with pytest.raises(CustomRulesError) as excinfo:
        _pattern_rules(pattern)
    assert str(excinfo.value).startswith("rules/house.toml: [ACME101] 'patterns.en'[0]")
    assert message in str(excinfo.value)


def test_plus_and_star_become_bounded_ranges():
    rules = _pattern_rules([{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}],
                           [{"LOWER": "so", "OP": "*"}, {"LOWER": "cheap"}],
                           [{"LOWER": "ok", "OP": "{2,}"}, {"LOWER": "deal"}])
    assert [p[0]["OP"] for p in rules[0].patterns["en"]] == ["{1,5}", "{0,5}", "{2,5}"]


def test_plus_matches_in_bounded_work_on_a_long_run_of_one_word():
    """``+`` let spaCy report every (start, end) pair of a run: n²/2 matches (2,000 repeated words:
    21 s and 1.2 GB). Bounded, a run of n words gives at most 5 matches per start."""
    from ethicslint.custom_rules import _matcher

    words = 400
    rules = _pattern_rules([{"LOWER": "very", "OP": "+"}])
    segment = analyze_text("very " * words + "good.", "en").segments[0]
    matches = _matcher(tuple(rules), "en")(segment.doc)
    assert len(matches) <= 5 * words  # unbounded: 80,200
    assert {len(m.span) for m in matches} == {1, 2, 3, 4, 5}
    findings = CustomRulesPlugin(rules).ethicslint_check_document(analyze_text("very " * words + "good.", "en"), {})
    assert len(findings) == words // 5  # one finding per occurrence: the longest match at the first start


def test_an_oversized_repetition_is_exit_2_naming_the_pack_and_key(copy):
    pack = HEALTH_PACK + '\n[HLT102]\nmessage = "x"\npatterns = { en = [[{LOWER = "very", OP = "{1,50}"}]] }\n'
    (copy / "rules" / "health.toml").write_text(pack, encoding="utf-8")
    status, _, err = invoke("check", *CUSTOM_ONLY, "copy")
    assert status == 2
    assert err.startswith("ethicslint: error: rules/health.toml: [HLT102] 'patterns.en'[0] token 1: OP '{1,50}' "
                          "repeats a token up to 50 times; at most 5")


# --- reading the config needs no language model ----------------------------------------------------

SPACY_FREE = """\
import sys
from pathlib import Path
from ethicslint.config import ConfigError, load_config

config = load_config(Path("pyproject.toml"))
assert [rule.code for rule in config.custom_rules] == ["ACME101", "HLT101"], config.custom_rules
Path("rules/health.toml").write_text(Path("rules/health.toml").read_text().replace(
    'skip-negated', 'patterns = {{ en = [[{{LOWER = "cure"}}, {{POS = "NOUN"}}]] }}\\nskip-negated'))
try:
    load_config(Path("pyproject.toml"))
except ConfigError as exc:
    print(exc)
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("spacy", "thinc", "ethicslint_urgency"))
print("heavy:", heavy)
"""


def test_reading_rules_and_packs_imports_no_spacy(project):
    """load_config checks the shape of every rule and pattern without spaCy (a fresh interpreter:
    this one has spaCy loaded already); the terms are checked when the plugin is built."""
    run = subprocess.run([sys.executable, "-c", SPACY_FREE.format()], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [
        "rules/health.toml: [HLT101] 'patterns.en'[0] token 2: POS needs the statistical model, but custom rules "
        "run on the cheap tier (tokens and lemmas): use ORTH, TEXT, LOWER, NORM, LEMMA, IS_* or LIKE_* attributes",
        "heavy: []"]
