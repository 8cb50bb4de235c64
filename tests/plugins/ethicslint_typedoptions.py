"""A test plugin (not shipped) whose options are typed containers: the host must refuse a wrong
value before the plugin sees it. The plugin trusts its options, as the contract lets it: a wrong
type reaching it would raise (EL001)."""

from __future__ import annotations

from typing import Any

from ethicslint import Finding, Option, Rule, Severity, hookimpl

ETHICSLINT_API = "1"

TYPED = Rule(code="TYP101", name="typed-options", checker="typed", severity=Severity.INFO,
             summary="Test rule: uses every option.", why="Test rule.")


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return [TYPED]


@hookimpl
def ethicslint_options() -> list[Option]:
    return [Option("weights", "dict[float]", {}, "a weight per kind of copy"),
            Option("limits", "list[int]", [], "line numbers"),
            Option("groups", "dict[list[str]]", {}, "words per group"),
            Option("extra-terms", "terms", {}, "more terms")]


@hookimpl
def ethicslint_check_document(document: Any, config: dict[str, Any]) -> list[Finding]:
    total = sum(config["weights"].values()) + sum(config["limits"])
    words = [word.lower() for group in config["groups"].values() for word in group]
    labels = [label for label, entry in config["extra-terms"].items() if entry.get("phrases")]
    del total, words, labels
    return []
