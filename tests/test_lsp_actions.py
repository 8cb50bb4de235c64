"""The language server's quick fixes, format by format: the suppression comment it inserts really
turns the finding off when the text is checked again; formats without comments get none; the
replacement hook edits only a span that still holds the flagged text; UTF-16 positions."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from ethicslint import Finding, Linter, Severity  # noqa: E402
from ethicslint.lsp.actions import replacement_edit, suppression_edit  # noqa: E402
from ethicslint.lsp.positions import LineIndex  # noqa: E402


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(root="/", warm=False)


def insert(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:edit.range.start.line]) + edit.new_text + "".join(lines[edit.range.start.line:])


CASES = {  # name: (path, text, code, the 0-based line the comment goes before)
    "markdown paragraph": ("page.md", "# Sale\n\nGreat shoes.\nHurry, only 2 left!\n", "URG201", 3),
    "markdown front matter": ("page.md", "---\ntitle: Hurry, only 2 left!\n---\n\nShoes.\n", "URG201", 1),
    "html": ("page.html", "<html><body>\n  <p>Hurry, only 2 left!</p>\n</body></html>\n", "URG201", 1),
    "yaml block scalar": ("copy.yml", "hero:\n  body: |\n    Our shoes.\n    Hurry, only 2 left!\n", "URG201", 1),
    "po msgstr": ("fr.po", 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#: page.html:3\nmsgctxt "hero"\n'
                           'msgid "Shoes"\nmsgstr "Plus que 2 en stock !"\n', "URG201", 5),
}


@pytest.mark.parametrize("case", CASES)
def test_inserted_comment_suppresses_the_finding(linter: Linter, case: str) -> None:
    path, text, code, before_line = CASES[case]
    fmt = {"md": "markdown", "html": "html", "yml": "yaml", "po": "po"}[path.rsplit(".", 1)[1]]
    [finding] = [f for f in linter.check_text(text, path=path) if f.code == code]
    edit = suppression_edit(finding, text, fmt)
    assert edit is not None
    assert edit.range.start.line == before_line  # before the entry (a YAML key, not its block scalar)
    edited = insert(text, edit)
    assert code not in {f.code for f in linter.check_text(edited, path=path)}
    assert len(linter.check_text(edited, path=path)) < len(linter.check_text(text, path=path))


@pytest.mark.parametrize(("path", "fmt"), [("copy.json", "json"), ("sms.txt", "text")])
def test_formats_without_comments_get_no_suppression(linter: Linter, path: str, fmt: str) -> None:
    text = '{"hero": "Hurry, only 2 left!"}\n' if fmt == "json" else "Hurry, only 2 left!\n"
    [finding] = [f for f in linter.check_text(text, path=path) if f.code == "URG201"]
    assert suppression_edit(finding, text, fmt) is None


def _finding(line: int, column: int, end_column: int, text: str) -> Finding:
    return Finding(path="p.md", line=line, column=column, end_line=line, end_column=end_column, code="DIV101",
                   checker="diversity", severity=Severity.WARNING, message="m", text=text)


def test_replacement_hook_edits_only_the_flagged_span() -> None:
    source = "🎉 We need a chairman.\n"
    finding = _finding(1, 13, 21, "chairman")
    lines = LineIndex(source)
    assert replacement_edit(finding, lines) is None  # no replacement: no edit
    if "replacement" not in {f.name for f in dataclasses.fields(Finding)}:
        pytest.skip("Finding has no replacement field in this version")
    edit = replacement_edit(dataclasses.replace(finding, replacement="chair"), lines)  # type: ignore[call-arg]
    assert edit is not None and edit.new_text == "chair"
    assert (edit.range.start.character, edit.range.end.character) == (13, 21)  # the emoji is 2 UTF-16 units
    stale = dataclasses.replace(finding, text="chairmen", replacement="chair")  # type: ignore[call-arg]
    assert replacement_edit(stale, lines) is None


def test_positions_count_utf16_units_and_lines_as_lsp_does() -> None:
    lines = LineIndex("a\r\nÉté 😀 x\x0cy\n")
    assert lines.position(2, 6) == types.Position(line=1, character=6)  # "Été 😀" is 6 units, 5 code points
    assert lines.position(2, 8) == types.Position(line=1, character=8)  # a form feed does not end a line
    assert lines.column(types.Position(line=1, character=6)) == (2, 6)


def test_a_byte_order_mark_the_client_keeps_moves_columns_of_line_one_only(linter: Linter) -> None:
    """ethicslint reads past a BOM; the client's first line still holds it, so the range shifts."""
    text = "\ufeffHurry, only 2 left!\nHurry, only 2 left!\n"
    findings = [f for f in linter.check_text(text, path="page.md") if f.code == "URG201"]
    lines = LineIndex(text)
    first, second = sorted(findings, key=lambda f: f.line)
    for finding in (first, second):
        found = lines.range_of(finding)
        line_text = text.split("\n")[found.start.line]
        assert line_text[found.start.character:found.end.character] == finding.text
    assert lines.column(lines.position(1, first.column)) == (1, first.column)
