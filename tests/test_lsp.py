"""`ethicslint lsp` end to end: a real LSP client (pygls') drives the server over stdio.

Each scenario starts one server (a cold start loads spaCy, so they are few and do much each)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from click.testing import CliRunner  # noqa: E402
from lsprotocol import types  # noqa: E402

from ethicslint.cli import main  # noqa: E402

from lsp_client import Client  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "diversity_repos"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply(text: str, edit: types.TextEdit) -> str:
    """An insertion at a line start (what suppression actions are), applied as an editor would."""
    assert edit.range.start == edit.range.end and edit.range.start.character == 0
    lines = text.splitlines(keepends=True)
    line = edit.range.start.line
    return "".join(lines[:line]) + edit.new_text + "".join(lines[line:])


def by_code(diagnostics: list[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


async def actions_for(client: Client, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    return await client.lsp.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))


def explain_output(code: str) -> str:
    result = CliRunner().invoke(main, ["explain", code])
    assert result.exit_code == 0
    return result.output.rstrip("\n")


def test_diagnostics_ranges_hover_actions_and_exclusion(tmp_path: Path) -> None:
    (tmp_path / ".ethicslint.toml").write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    markdown = "😀 Café — Hurry, only 2 left!\r\n\r\nL’offre: our sale ends soon.\r\n"
    yaml = "hero:\n  title: Hurry, only 2 left!\n"

    async def scenario() -> None:
        client = Client()
        await client.start(tmp_path)
        try:
            # didOpen: diagnostics with exact UTF-16 ranges (emoji: 2 units, accents: 1), CRLF lines
            uri = client.open(tmp_path / "page.md", markdown)
            diagnostics = await client.next_diagnostics(uri)
            [stock] = by_code(diagnostics, "URG201")
            first = markdown.split("\r\n")[0]
            start = utf16(first[:first.index("only 2 left")])
            assert (stock.range.start.line, stock.range.start.character) == (0, start)
            assert (stock.range.end.line, stock.range.end.character) == (0, start + len("only 2 left"))
            assert start == len(first[:first.index("only 2 left")]) + 1  # the emoji counts twice
            [deadline] = by_code(diagnostics, "URG101")
            third = markdown.split("\r\n")[2]
            assert deadline.range.start == types.Position(line=2, character=utf16(third[:third.index("ends soon")]))
            assert stock.severity == types.DiagnosticSeverity.Warning and stock.source == "ethicslint"
            assert stock.code_description is not None and stock.code_description.href.endswith("/URG201.md")

            # hover: `ethicslint explain CODE`
            hover = await client.lsp.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=deadline.range.start))
            assert hover is not None and hover.contents.value.rstrip("\n") == explain_output("URG101")

            # codeAction: a suppression comment that really suppresses (CRLF kept)
            [action] = await actions_for(client, uri, deadline)
            [edit] = action.edit.changes[uri]
            assert edit.new_text == "<!-- ethicslint-disable-next-line URG101 -->\r\n"
            client.change(uri, apply(markdown, edit), version=2)
            after = await client.next_diagnostics(uri)
            assert by_code(after, "URG101") == [] and by_code(after, "URG201") == [stock]

            # YAML: the '#' comment, indented, before the entry
            yaml_uri = client.open(tmp_path / "copy.yml", yaml, language="yaml")
            [finding] = by_code(await client.next_diagnostics(yaml_uri), "URG201")
            [action] = await actions_for(client, yaml_uri, finding)
            [edit] = action.edit.changes[yaml_uri]
            assert (edit.range.start.line, edit.new_text) == (1, "  # ethicslint: disable=URG201\n")
            client.change(yaml_uri, apply(yaml, edit), version=2)
            assert by_code(await client.next_diagnostics(yaml_uri), "URG201") == []

            # didSave checks again; a file the config excludes is not linted
            client.lsp.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri)))
            assert by_code(await client.next_diagnostics(uri), "URG201") == [stock]
            excluded = client.open(tmp_path / "drafts" / "draft.md", markdown)
            assert list(await client.next_diagnostics(excluded)) == []
            assert client.messages == []
        finally:
            await client.stop()

    asyncio.run(scenario())


def test_config_error_is_shown_and_reload_keeps_the_last_good_settings(tmp_path: Path) -> None:
    config = tmp_path / ".ethicslint.toml"
    config.write_text('fail-on = "nope"\n', encoding="utf-8")
    text = "Hurry, only 2 left!\n"

    def changed() -> types.DidChangeWatchedFilesParams:
        return types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(),
                                                                          type=types.FileChangeType.Changed)])

    async def scenario() -> None:
        client = Client()
        await client.start(tmp_path)
        try:
            await client.log_containing("configuration error")
            [message] = client.messages
            assert message.type == types.MessageType.Error
            assert ".ethicslint.toml" in message.message and "fail-on" in message.message
            assert "going on with the defaults" in message.message
            assert [r.method for r in client.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
            uri = client.open(tmp_path / "page.md", text)
            codes = {d.code for d in await client.next_diagnostics(uri)}
            assert {"URG103", "URG201"} <= codes  # the defaults serve meanwhile

            config.write_text('ignore = ["URG201"]\n', encoding="utf-8")
            client.lsp.workspace_did_change_watched_files(changed())
            codes = {d.code for d in await client.next_diagnostics(uri)}
            assert "URG103" in codes and "URG201" not in codes

            config.write_text("ignore = [\n", encoding="utf-8")  # broken TOML, announced by a save
            client.lsp.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=config.as_uri())))
            codes = {d.code for d in await client.next_diagnostics(uri)}
            assert "URG103" in codes and "URG201" not in codes  # the last good settings
            assert len(client.messages) == 2 and client.messages[1].type == types.MessageType.Error
            assert "going on with the last good settings" in client.messages[1].message
        finally:
            await client.stop()

    asyncio.run(scenario())


def test_corpus_findings_come_from_the_background_pass(tmp_path: Path) -> None:
    workspace = tmp_path / "site"
    shutil.copytree(FIXTURES / "skewed_men_en", workspace)
    page = workspace / "case-studies" / "logistics.md"

    async def scenario() -> None:
        client = Client()
        await client.start(workspace, {"workspacePass": True})
        try:
            uri = client.open(page, page.read_text(encoding="utf-8"))
            while True:  # first the page's own findings, then the pass's
                diagnostics = await client.next_diagnostics(uri)
                gaps = by_code(diagnostics, "DIV501")
                if gaps:
                    break
            [gap] = gaps
            assert gap.range.start == types.Position(line=2, character=0)
            assert "refer to men" in gap.message
            hover = await client.lsp.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=gap.range.start))
            assert hover is not None and explain_output("DIV501") in hover.contents.value
        finally:
            await client.stop()

    asyncio.run(scenario())
