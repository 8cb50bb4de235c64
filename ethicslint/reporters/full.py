"""``full``: each finding with the source line it is on, the match underlined, and what to do.

Shape (one block per finding, blank line between blocks)::

    docs/sale.md:12:6: URG101 [warning] Vague deadline: "ends soon" gives no date.
      12 | Sale ends soon!
         |      ^^^^^^^^^
      = suggestion: Give the real end date.
      = help: ethicslint explain URG101

The underline is placed in *display* columns, not code points: tabs are expanded to the next
tab stop, wide (CJK) characters take two cells and combining marks none, so the carets stay
under the match in a terminal. A span that runs onto later lines is underlined to the end of its
first line. When the source is not available (or the line is out of range) the excerpt is left
out rather than guessed.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..model import Finding
from . import printable, sorted_findings, source_lines

if TYPE_CHECKING:
    from . import Report

TAB_SIZE = 4


def render(report: Report) -> str:
    """All findings as blocks separated by a blank line; ``""`` when there are none."""
    lines_of = source_lines(report)
    return "\n\n".join("\n".join(_block(f, lines_of(f.path))) for f in sorted_findings(report))


def _block(finding: Finding, lines: list[str] | None) -> list[str]:
    message, *more = _lines(finding.message)
    block = [f"{printable(finding.path)}:{finding.line}:{finding.column}: {finding.code} "
             f"[{finding.severity.value}] {message}"]
    if lines is not None and 0 < finding.line <= len(lines):
        block += excerpt(lines[finding.line - 1], finding)
    block += [f"  = {line}" for line in more]
    if finding.suggestion:
        first, *rest = _lines(finding.suggestion)
        block.append(f"  = suggestion: {first}")
        block += [f"  = {line}" for line in rest]
    block.append(f"  = help: ethicslint explain {finding.code}")
    return block


def _lines(text: str) -> list[str]:
    """The lines of a message, each printable. Every output line of a block starts with the path
    or ``"  "`` and a gutter mark, so no message line can pass for something else (a CI log reads a
    line starting with ``::error::`` as a command)."""
    return [printable(line) for line in text.splitlines()] or [""]


def excerpt(line: str, finding: Finding) -> list[str]:
    """The gutter line with the source and the caret line under the finding's columns."""
    number = str(finding.line)
    shown, cells = _expand(line)
    start = min(max(finding.column - 1, 0), len(line))
    if finding.end_line == finding.line:
        end = min(max(finding.end_column - 1, start), len(line))
    else:  # runs onto another line: underline the rest of this one
        end = len(line)
    width = max(1, cells[end] - cells[start])
    return [
        f"  {number} | {shown}".rstrip(),
        f"  {' ' * len(number)} | {' ' * cells[start]}{'^' * width}",
    ]


def _expand(line: str) -> tuple[str, list[int]]:
    """The line as a terminal shows it, and the display cell where each code point starts.

    ``cells`` has ``len(line) + 1`` entries; the last one is the line's display width.
    """
    out: list[str] = []
    cells = [0]
    column = 0
    for ch in line:
        if ch == "\t":
            pad = TAB_SIZE - column % TAB_SIZE
            out.append(" " * pad)
            column += pad
        else:
            out.append(ch)
            column += _cell_width(ch)
        cells.append(column)
    return "".join(out), cells


def _cell_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
