"""The plugin host: loading through entry points and modules, contract checks, isolation."""

from __future__ import annotations

import pytest

import ethicslint_badplugins as bad
import ethicslint_testplugin
from ethicslint import Rule, Severity, hookimpl
from ethicslint.analysis import analyze_text
from ethicslint.config import ConfigError
from ethicslint.host import Host, PluginContractError, PluginLoadError
from ethicslint.testing import check_corpus, check_text, plugin_config


def test_builtin_checkers_load_through_entry_points():
    host = Host()
    host.load()
    assert {"urgency", "ai-disclosure", "diversity", "data-claims", "green-claims"} <= set(host.plugins)
    assert all(p.origin.startswith("entry point") for p in host.plugins.values())
    assert host.load_errors == []


def test_local_module_registers_its_rules_and_options():
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    plugin = host.plugins["ethicslint_testplugin"]
    assert plugin.checker == "testcheck"
    assert {"TST101", "TST901"} <= set(host.rules)
    assert host.rule_owner["TST101"] == "ethicslint_testplugin"
    assert [o.name for o in host.declared_options()["testcheck"]] == ["min-documents"]


def test_disabled_plugin_is_not_loaded():
    host = Host()
    host.load(disabled=["urgency"])
    assert "urgency" not in host.plugins and "diversity" in host.plugins


def test_duplicate_code_names_both_plugins():
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    with pytest.raises(PluginLoadError) as excinfo:
        host.register("colliding", bad.Colliding(), "1", "test")
    assert "TST101" in str(excinfo.value)
    assert "ethicslint_testplugin" in str(excinfo.value) and "colliding" in str(excinfo.value)


def test_incompatible_api_major_is_refused():
    with pytest.raises(PluginLoadError, match="plugin API 2"):
        Host().register("wrongapi", bad.WrongApi(), "1", "test")


def test_missing_local_module_is_a_clear_error():
    with pytest.raises(PluginLoadError, match="cannot import plugin module 'no_such_plugin_xyz'"):
        Host().load(entry_points=False, modules=["no_such_plugin_xyz"])


def test_crashing_plugin_becomes_el001_and_others_still_report():
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    host.register("crashing", bad.Crashing(), "1", "test")
    outcome = host.check_document(analyze_text("Hurry, it is almost gone."), {"testcheck": {"min-documents": 2}})
    codes = [f.code for f in outcome.findings]
    assert "TST101" in codes
    crash = [f for f in outcome.findings if f.code == "EL001"]
    assert len(crash) == 1 and "'crashing'" in crash[0].message and "RuntimeError: boom" in crash[0].message
    assert outcome.errors == ["crashing"]


def test_malformed_findings_are_dropped_with_el002():
    host = Host()
    host.register("malformed", bad.Malformed(), "1", "test")
    outcome = host.check_document(analyze_text("One line only."), {})
    kept = [f for f in outcome.findings if f.code == "BAD201"]
    problems = sorted(f.message for f in outcome.findings if f.code == "EL002")
    assert [f.message for f in kept] == ["fine"]
    assert len(problems) == 3
    assert any("expected a Finding, got str" in m for m in problems)
    assert any("past the end of the file" in m for m in problems)
    assert any("'URG999' is not one of its declared rules" in m for m in problems)


def test_finding_positions_map_to_the_source():
    text = "First paragraph.\n\nPlease hurry now."
    findings = ethicslint_testplugin.ethicslint_check_document(analyze_text(text), {})
    assert [(f.line, f.column, f.end_column, f.text) for f in findings] == [(3, 8, 13, "hurry")]


def test_negated_term_is_not_flagged():
    assert ethicslint_testplugin.ethicslint_check_document(analyze_text("No need to hurry."), {}) == []


# --- hook implementations are checked when a plugin is registered ----------------------------

_RULE = Rule(code="HKS101", name="hook-shape", checker="hooks", severity=Severity.WARNING, summary="test",
             why="test")


class _Plugin:
    @hookimpl
    def ethicslint_rules(self):
        return [_RULE]


class Misspelt(_Plugin):
    @hookimpl
    def ethicslint_check_documents(self, document):
        return []


class Undecorated(_Plugin):
    def ethicslint_check_document(self, document):
        return []


class WrongArgument(_Plugin):
    @hookimpl
    def ethicslint_check_document(self, doc):
        return []


def _marked(**marker):
    class Marked(_Plugin):
        @hookimpl(**marker)
        def ethicslint_check_document(self, document):
            return (yield) if marker.get("wrapper") or marker.get("hookwrapper") else []
    return Marked()


@pytest.mark.parametrize(("plugin", "message"), [
    (Misspelt(), "plugin 'p' implements ethicslint_check_documents, which is not an ethicslint hook "
                 "(did you mean ethicslint_check_document?); the hooks are ethicslint_rules, ethicslint_options, "
                 "ethicslint_check_document, ethicslint_collect, ethicslint_check_corpus"),
    (Undecorated(), "plugin 'p' defines ethicslint_check_document without @hookimpl, so it would never be called"),
    (WrongArgument(), "plugin 'p' has ethicslint_check_document take 'doc', which the hook does not pass "
                      "(it passes document, config"),
    (_marked(wrapper=True), "plugin 'p' marks its ethicslint_check_document with wrapper=True, which ethicslint "
                            "refuses: ethicslint calls each plugin's hook on its own"),
    (_marked(hookwrapper=True), "marks its ethicslint_check_document with hookwrapper=True"),
    (_marked(tryfirst=True), "marks its ethicslint_check_document with tryfirst=True"),
    (_marked(trylast=True), "marks its ethicslint_check_document with trylast=True"),
    (_marked(optionalhook=True), "marks its ethicslint_check_document with optionalhook=True"),
], ids=["misspelt", "undecorated", "argument", "wrapper", "hookwrapper", "tryfirst", "trylast", "optionalhook"])
def test_a_hook_that_breaks_the_contract_is_refused_at_load(plugin, message):
    host = Host()
    with pytest.raises(PluginContractError) as excinfo:
        host.register("p", plugin, "1", "test")
    assert message in str(excinfo.value)
    assert excinfo.value.exit_status == 2
    assert "p" not in host.plugins and not host.pm.get_plugins() and "HKS101" not in host.rules


def test_an_optionalhook_does_not_excuse_a_misspelt_hook():
    class Optional(_Plugin):
        @hookimpl(optionalhook=True)
        def ethicslint_check_documents(self, document):
            return []

    with pytest.raises(PluginContractError, match="implements ethicslint_check_documents, which is not"):
        Host().register("p", Optional(), "1", "test")


def test_specname_is_honoured():
    class Named(_Plugin):
        @hookimpl(specname="ethicslint_check_document")
        def check(self, document):
            return [document.finding(_RULE, document.segments[0], 0, 5, "found")]

    host = Host()
    host.register("named", Named(), "1", "test")
    outcome = host.check_document(analyze_text("Hurry up."), {})
    assert [(f.code, f.text) for f in outcome.findings] == [("HKS101", "Hurry")] and outcome.errors == []


# --- ethicslint.testing goes through the host --------------------------------------------------

class DocumentOnly(_Plugin):
    """The contract lets a hook take only the arguments it needs."""

    @hookimpl
    def ethicslint_check_document(self, document):
        return [document.finding(_RULE, document.segments[0], 0, 5, "found")]


def test_the_testing_helper_passes_a_hook_only_its_arguments():
    assert [(f.code, f.text) for f in check_text(DocumentOnly(), "Hurry up.")] == [("HKS101", "Hurry")]
    assert [(f.code, f.path) for f in check_corpus(DocumentOnly(), {"a.md": "Hurry up."})] == [("HKS101", "a.md")]


def test_the_testing_helper_validates_options_as_a_run_does():
    assert plugin_config(ethicslint_testplugin) == {"min-documents": 2}
    assert plugin_config(ethicslint_testplugin, {"min-documents": 5}) == {"min-documents": 5}
    with pytest.raises(ConfigError, match="unknown key 'min-document'.*did you mean 'min-documents'"):
        check_text(ethicslint_testplugin, "Hurry.", config={"min-document": 5})
    with pytest.raises(ConfigError, match=r"^plugin settings: \[testcheck\] 'min-documents' must be an integer, got string '5'"):
        check_text(ethicslint_testplugin, "Hurry.", config={"min-documents": "5"})


def test_the_testing_helper_refuses_a_plugin_a_run_refuses():
    with pytest.raises(PluginContractError, match="ethicslint_check_documents"):
        check_text(Misspelt(), "Hurry up.")


def test_the_testing_helper_reports_an_exception_as_el001():
    [finding] = check_text(bad.Crashing(), "Hurry up.")
    assert finding.code == "EL001" and "raised in ethicslint_check_document: RuntimeError: boom" in finding.message
