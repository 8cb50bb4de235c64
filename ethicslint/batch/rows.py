"""The output rows of a batch: one per finding, one per variant (``--summary``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Finding, Severity, line_starts, offset_in


def finding_row(identifier: str, row: int, finding: Finding, span: tuple[int, int] | None, *,
                corpus: bool = False) -> dict[str, Any]:
    """A finding as a row; ``span``: its ``start``/``end`` character offsets in the variant's text."""
    start, end = span if span is not None else (None, None)
    return {"type": "finding", "id": identifier, "row": row, "code": finding.code, "checker": finding.checker,
            "severity": finding.severity.value, "message": finding.message, "suggestion": finding.suggestion,
            "line": finding.line, "column": finding.column, "end_line": finding.end_line,
            "end_column": finding.end_column, "start": start, "end": end, "text": finding.text, "corpus": corpus}


def spans(text: str, findings: list[Finding]) -> list[tuple[int, int]]:
    """Each finding's character offsets in ``text`` (from its lines and columns)."""
    if not findings:
        return []
    starts = line_starts(text)
    return [(offset_in(text, starts, f.line, f.column), offset_in(text, starts, f.end_line, f.end_column))
            for f in findings]


def summary_row(identifier: str, row: int, findings: list[Finding], threshold: Severity) -> dict[str, Any]:
    """A variant's counts by severity and whether it passes ``threshold`` (``fail-on``)."""
    counts = Counter(f.severity for f in findings)
    return {"type": "variant", "id": identifier, "row": row, "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING], "infos": counts[Severity.INFO], "findings": len(findings),
            "passed": not threshold.reached_by(findings)}
