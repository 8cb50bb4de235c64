"""Misbehaving plugins for the isolation tests: each module-level class is one plugin."""

from __future__ import annotations

from ethicslint import Finding, Rule, Severity, hookimpl

_rule = lambda code: Rule(code=code, name=f"bad-{code.lower()}", checker="bad", severity=Severity.WARNING,
                          summary="test", why="test")


class Crashing:
    @hookimpl
    def ethicslint_rules(self):
        return [_rule("BAD101")]

    @hookimpl
    def ethicslint_check_document(self, document, config):
        raise RuntimeError("boom")


class Malformed:
    @hookimpl
    def ethicslint_rules(self):
        return [_rule("BAD201")]

    @hookimpl
    def ethicslint_check_document(self, document, config):
        ok = Finding(path=document.path, line=1, column=1, end_line=1, end_column=2, code="BAD201",
                     checker="bad", severity=Severity.WARNING, message="fine")
        return [ok, "not a finding",
                Finding(path=document.path, line=999, column=1, end_line=999, end_column=2, code="BAD201",
                        checker="bad", severity=Severity.WARNING, message="past the end"),
                Finding(path=document.path, line=1, column=1, end_line=1, end_column=2, code="URG999",
                        checker="bad", severity=Severity.WARNING, message="not my code")]


class Colliding:
    @hookimpl
    def ethicslint_rules(self):
        return [_rule("TST101")]


class WrongApi:
    ETHICSLINT_API = "2"

    @hookimpl
    def ethicslint_rules(self):
        return [_rule("BAD301")]


crashing = Crashing()
malformed = Malformed()
