"""Code actions for one finding: its safe replacement (when the rule promises one) and the
suppression comment the format accepts (syntax: :mod:`ethicslint.suppression`).

Every suppression edit is checked before it is offered: the edited text is parsed with
:func:`ethicslint.suppression.parse_suppressions`, and the action is offered only if the comment
really turns the finding off there. A format without comments (JSON, plain text, where a comment
would be part of the copy) gets no suppression action; ``per-file-ignores`` is the way there.
"""

from __future__ import annotations

import re

from lsprotocol import types

from ..model import Finding
from ..suppression import parse_suppressions
from .positions import LineIndex

HTML_STYLE = frozenset({"markdown", "html", "mjml"})
HASH_STYLE = frozenset({"yaml", "po"})

_YAML_ENTRY = re.compile(r"\s*(?:-\s|-$|[^\s#][^:#]*:(?:\s|$))")
_PO_ENTRY = re.compile(r"\s*(?:msgctxt|msgid)\b")
_LINE_END = re.compile(r"\r\n|\r|\n")


def replacement_edit(finding: Finding, lines: LineIndex) -> types.TextEdit | None:
    """The hook where a rule's safe replacement becomes an edit: the finding's ``replacement``
    (a field of :class:`~ethicslint.Finding` where the rule sets one; absent or None: no edit),
    put in place of its span when the span in the editor still holds exactly ``finding.text``
    (a span holding escapes or markup is left to ``ethicslint check --fix``, which knows them)."""
    replacement = getattr(finding, "replacement", None)
    if not replacement or finding.line != finding.end_line:
        return None
    line = lines.lines[finding.line - 1] if finding.line <= len(lines.lines) else ""
    if line[finding.column - 1:finding.end_column - 1] != finding.text:
        return None
    return types.TextEdit(range=lines.range_of(finding), new_text=replacement)


def suppression_edit(finding: Finding, text: str, fmt: str) -> types.TextEdit | None:
    """An edit inserting the comment that turns ``finding`` off, on its own line before the line
    or entry it is on (Markdown/HTML ``<!-- ethicslint-disable-next-line CODE -->``, YAML/.po
    ``# ethicslint: disable=CODE``); None when the format has no such comment or the comment
    would not turn it off there."""
    lines = LineIndex(text).lines
    if not 1 <= finding.line <= len(lines):
        return None
    if fmt in HTML_STYLE and not _in_front_matter(lines, finding.line):
        target, comment = finding.line, f"<!-- ethicslint-disable-next-line {finding.code} -->"
    elif fmt in HASH_STYLE or (fmt == "markdown"):
        target = _entry_head(lines, finding.line, po=fmt == "po")
        comment = f"# ethicslint: disable={finding.code}"
    else:
        return None
    head = lines[target - 1]
    indent = head[:len(head) - len(head.lstrip())]
    inserted = f"{indent}{comment}{_line_ending(text)}"
    starts = [0]
    for line_end in _LINE_END.finditer(text):
        starts.append(line_end.end())
    edited = text[:starts[target - 1]] + inserted + text[starts[target - 1]:]
    if not parse_suppressions(edited).is_suppressed(finding.code, finding.checker, finding.line + 1):
        return None
    position = types.Position(line=target - 1, character=0)
    return types.TextEdit(range=types.Range(start=position, end=position), new_text=inserted)


def _in_front_matter(lines: list[str], line: int) -> bool:
    """Whether ``line`` is inside a YAML front matter block (``---`` on line 1 to the next ``---``)."""
    if not lines or lines[0].strip() != "---":
        return False
    for number in range(2, len(lines) + 1):
        if lines[number - 1].strip() in ("---", "..."):
            return line < number
    return False


def _entry_head(lines: list[str], line: int, *, po: bool) -> int:
    """The line starting the YAML or .po entry that holds ``line``: a comment placed alone before
    it covers the whole entry (a YAML key with its block scalar; a .po entry to its blank line)."""
    pattern = _PO_ENTRY if po else _YAML_ENTRY
    number = line
    while number >= 1 and lines[number - 1].strip():
        if pattern.match(lines[number - 1]):
            head = number
            if not po:
                return head
            while head > 1 and _PO_ENTRY.match(lines[head - 2]):  # msgctxt before msgid
                head -= 1
            return head
        number -= 1
    return line


def _line_ending(text: str) -> str:
    """The document's own line break, so a CRLF file stays CRLF."""
    match = _LINE_END.search(text)
    return match.group(0) if match else "\n"


def code_actions(finding: Finding, text: str, fmt: str, uri: str,
                 diagnostic: types.Diagnostic | None) -> list[types.CodeAction]:
    """The quick fixes offered on one finding."""
    actions = []
    lines = LineIndex(text)
    diagnostics = [diagnostic] if diagnostic is not None else None
    edit = replacement_edit(finding, lines)
    if edit is not None:
        actions.append(types.CodeAction(
            title=f"Replace with '{edit.new_text}' ({finding.code})", kind=types.CodeActionKind.QuickFix,
            diagnostics=diagnostics, is_preferred=True,
            edit=types.WorkspaceEdit(changes={uri: [edit]})))
    edit = suppression_edit(finding, text, fmt)
    if edit is not None:
        actions.append(types.CodeAction(
            title=f"Turn off {finding.code} here (suppression comment)", kind=types.CodeActionKind.QuickFix,
            diagnostics=diagnostics, edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions
