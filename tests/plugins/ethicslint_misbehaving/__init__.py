"""Misbehaving plugins for the isolation tests, one module each so the CLI can load them with
``--plugin ethicslint_misbehaving.<name>`` (a plugin is a module; its hookimpls are functions)."""

from __future__ import annotations

from ethicslint import Rule, Severity


def rule(code: str, checker: str) -> Rule:
    return Rule(code=code, name=f"misbehaving-{code.lower()}", checker=checker, severity=Severity.WARNING,
                summary="Test rule of a misbehaving plugin.", why="Proves the host's isolation.")
