"""The plugin host: loading through entry points and modules, contract checks, isolation."""

from __future__ import annotations

import pytest

import ethicslint_badplugins as bad
import ethicslint_testplugin
from ethicslint.analysis import analyze_text
from ethicslint.host import Host, PluginLoadError


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
