"""A plugin module whose document hook never returns, even catching every Exception (time-limit test)."""

from ethicslint import Rule, Severity, hookimpl

HANG = Rule(code="HNG101", name="hang", checker="hang", severity=Severity.WARNING, summary="test", why="test")


@hookimpl
def ethicslint_rules():
    return [HANG]


@hookimpl
def ethicslint_check_document(document, config):
    while True:
        try:
            sum(range(1000))
        except Exception:  # a plugin that swallows errors must still be stoppable
            pass
