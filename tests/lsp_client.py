"""A real LSP client over stdio for the language server's tests and benchmark: pygls' own client
running ``python -m ethicslint lsp`` in a workspace, recording what the server sends."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

TIMEOUT = 180  # seconds: a cold start loads spaCy's models on a shared machine


class Client:
    """The client, with the diagnostics, messages and logs the server sent it."""

    def __init__(self) -> None:
        self.lsp = LanguageClient("ethicslint-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.messages: list[types.ShowMessageParams] = []
        self.logs: asyncio.Queue[str] = asyncio.Queue()
        self.registrations: list[types.Registration] = []

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics
            self.published.put_nowait(params)

        @self.lsp.feature(types.WINDOW_SHOW_MESSAGE)
        def on_message(params: types.ShowMessageParams) -> None:
            self.messages.append(params)

        @self.lsp.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            self.logs.put_nowait(params.message)

        @self.lsp.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

    async def start(self, workspace: Path, options: dict[str, Any] | None = None) -> None:
        await self.lsp.start_io(sys.executable, "-m", "ethicslint", "lsp", cwd=str(workspace))
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)),
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)))
        await asyncio.wait_for(self.lsp.initialize_async(types.InitializeParams(
            capabilities=capabilities, root_uri=workspace.as_uri(),
            initialization_options={"workspacePass": False, **(options or {})})), TIMEOUT)
        self.lsp.initialized(types.InitializedParams())

    async def next_diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The next diagnostics published for ``uri`` (others are skipped)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri:
                return params.diagnostics

    async def log_containing(self, text: str) -> str:
        while True:
            message = await asyncio.wait_for(self.logs.get(), TIMEOUT)
            if text in message:
                return message

    def open(self, path: Path, text: str, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.lsp.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.lsp.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def stop(self) -> None:
        await asyncio.wait_for(self.lsp.shutdown_async(None), TIMEOUT)
        self.lsp.exit(None)
        await self.lsp.stop()
