"""``concise``: one ``path:line:col: CODE message`` line per finding, like ruff and flake8.

Editors and ``grep`` parse this shape, so it stays exactly that: no severity, no colour, a
message that contains a line break is folded onto its line, and control characters in a file
name are escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import printable, sorted_findings

if TYPE_CHECKING:
    from . import Report


def render(report: Report) -> str:
    """Every finding on its own line, sorted; ``""`` when there are none."""
    return "\n".join(
        f"{printable(f.path)}:{f.line}:{f.column}: {f.code} {_one_line(f.message)}" for f in sorted_findings(report)
    )


def _one_line(text: str) -> str:
    """Fold line breaks so that one finding is always exactly one output line (a file name's
    are escaped instead: it must stay the name)."""
    return printable(" ".join(text.split("\n")).replace("\r", ""))
