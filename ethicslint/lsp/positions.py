"""Finding positions (1-based lines, columns in Unicode code points) as LSP positions (0-based,
``character`` in the client's code units: UTF-16 unless the client negotiated another encoding).

Lines are split as ethicslint splits them (CRLF, CR, LF: :func:`ethicslint.model.split_lines`),
which is also how LSP counts lines; ``str.splitlines`` would also break at form feeds and
U+2028, and shift every line after one. A byte-order mark the client leaves at the start of the text
is not copy (ethicslint reads past it), but it is a character of the client's first line: columns
there move by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lsprotocol import types

from ..model import Finding, split_lines

UnitCounter = Callable[[str], int]
"""How many client code units a string takes (pygls' ``PositionCodec.client_num_units``)."""


def utf16_units(text: str) -> int:
    """The UTF-16 code units of ``text``: what LSP counts unless told otherwise."""
    return len(text.encode("utf-16-le")) // 2


class LineIndex:
    """The lines of one document text, to turn code-point columns into client positions and back."""

    def __init__(self, text: str, units: UnitCounter = utf16_units) -> None:
        self.lines: Sequence[str] = split_lines(text)
        self.units = units
        self.bom = 1 if text.startswith("\ufeff") else 0  # code points before the copy on line 1

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of the 1-based ``line`` and code-point ``column`` (clamped to the text)."""
        index = min(max(line, 1), len(self.lines)) - 1
        text = self.lines[index]
        shift = self.bom if index == 0 else 0
        return types.Position(line=index, character=self.units(text[:max(column - 1, 0) + shift]))

    def range_of(self, finding: Finding) -> types.Range:
        """The exact range a finding covers (``end_column`` is exclusive, as LSP's end is)."""
        return types.Range(start=self.position(finding.line, finding.column),
                           end=self.position(finding.end_line, finding.end_column))

    def column(self, position: types.Position) -> tuple[int, int]:
        """The 1-based (line, code-point column) of an LSP position."""
        index = min(max(position.line, 0), len(self.lines) - 1)
        text = self.lines[index]
        shift = self.bom if index == 0 else 0
        units = 0
        for count, char in enumerate(text):
            if units >= position.character:
                return index + 1, max(count + 1 - shift, 1)
            units += self.units(char)
        return index + 1, len(text) + 1 - shift
