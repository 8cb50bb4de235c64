"""Findings as LSP diagnostics: severity mapped, the rule code linked to its documentation, and
the finding itself kept in ``data`` so a code action needs no second check."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..model import Finding, Severity
from .positions import LineIndex

SOURCE = "ethicslint"

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

BUNDLED_RULE_DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
"""``docs/rules/`` of a source checkout (an editable install); a wheel does not ship it."""


def rule_doc_link(code: str, template: str | None) -> str | None:
    """Where the rule's documentation is: ``template`` with ``{code}`` replaced (the editor's
    ``ruleDocsUrl`` option), else the checkout's ``docs/rules/CODE.md`` as a file URI when it
    exists, else None (the diagnostic then carries the code without a link)."""
    if template:
        return template.replace("{code}", code)
    page = BUNDLED_RULE_DOCS / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def to_diagnostic(finding: Finding, lines: LineIndex, docs_template: str | None) -> types.Diagnostic:
    """One finding as a diagnostic on its exact range."""
    link = rule_doc_link(finding.code, docs_template)
    message = finding.message if not finding.suggestion else f"{finding.message}\nSuggestion: {finding.suggestion}"
    return types.Diagnostic(
        range=lines.range_of(finding),
        message=message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=link) if link else None,
        source=SOURCE,
        data=finding.to_dict(),
    )
