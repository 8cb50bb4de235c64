"""``github``: GitHub Actions workflow commands, which show findings as annotations on a PR.

``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message``. The runner parses
these lines itself, so everything that could end a property or the command must be escaped
(``toolkit/packages/core/src/command.ts``): ``%``, CR and LF everywhere, and also ``:`` and ``,``
inside property values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Finding, Severity
from . import native_separators, sorted_findings

if TYPE_CHECKING:
    from . import Report

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report) -> str:
    """One workflow command per finding, sorted; ``""`` when there are none."""
    return "\n".join(_command(f) for f in sorted_findings(report))


def _command(finding: Finding) -> str:
    properties = {
        "file": finding.path.replace("\\", "/") if native_separators() else finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": finding.code,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = finding.message
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    return f"::{_COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message: ``%`` first, so the escapes themselves survive."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` would also end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
