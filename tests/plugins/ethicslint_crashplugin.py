"""A plugin module whose document hook always raises (CLI isolation test)."""

from ethicslint import Rule, Severity, hookimpl

CRASH = Rule(code="CRS101", name="crash", checker="crash", severity=Severity.WARNING, summary="test", why="test")


@hookimpl
def ethicslint_rules():
    return [CRASH]


@hookimpl
def ethicslint_check_document(document, config):
    raise ValueError("the plugin fell over")
