"""Returns one good finding and one of every kind of malformed one (see test_plugin_isolation)."""

from dataclasses import replace

from ethicslint import Finding, Severity, hookimpl

from . import rule

MALFORMED = rule("MSB601", "malformed")


@hookimpl
def ethicslint_rules():
    return [MALFORMED]


@hookimpl
def ethicslint_check_document(document, config):
    good = Finding(path=document.path, line=1, column=1, end_line=1, end_column=2, code="MSB601",
                   checker="malformed", severity=Severity.WARNING, message="the good one")
    return [
        good,
        "not a finding",
        {"code": "MSB601", "line": 1},
        replace(good, severity="warning"),
        replace(good, line=0, message="line zero"),
        replace(good, line=1.5, message="float line"),
        replace(good, line=999, end_line=999, message="past the end"),
        replace(good, column=500, end_column=501, message="past the end of the line"),
        replace(good, line=2, end_line=1, message="backwards"),
        replace(good, code="URG101", message="not my code"),
        replace(good, code=["MSB601"], message="unhashable code"),
        replace(good, path="somewhere/else.md", message="another file"),
        replace(good, suggestion=42, message="numeric suggestion"),
        replace(good, message="   "),
    ]
