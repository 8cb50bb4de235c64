"""The language server: diagnostics as copy is typed, hovers with the rule's explanation, quick
fixes, and corpus-level findings from a background pass. Started by ``ethicslint lsp`` (stdio).

Checks run on the event loop's thread, the main thread: one Linter, never shared between threads,
and ``plugin-time-limit`` applies (its timer works only there). A check of a long page takes a few
hundred milliseconds, during which the next messages wait; changes are debounced so a burst of
keystrokes costs one check. The corpus pass runs in a worker process (:mod:`.corpus`).

Documents are synchronised whole (``TextDocumentSyncKind.Full``): the server's text is then the
editor's, byte for byte, and lines are counted as LSP counts them (pygls' incremental edits split
lines with ``str.splitlines``, which also breaks at form feeds and U+2028).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..model import Finding
from . import corpus
from .actions import code_actions
from .diagnostics import SOURCE, to_diagnostic
from .positions import LineIndex
from .workspace import LinterHolder

DEFAULT_DEBOUNCE_MS = 50
"""Wait this long after a change before checking: a burst of keystrokes costs one check."""

log = logging.getLogger(__name__)


class EthicslintServer(LanguageServer):
    """pygls' server with ethicslint's state: the Linter, the findings shown, the pending checks."""

    def __init__(self) -> None:
        super().__init__("ethicslint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.holder: LinterHolder | None = None
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.docs_template: str | None = None
        self.corpus_enabled = True
        self.findings: dict[str, list[Finding]] = {}  # uri -> the document's own findings
        self.corpus: dict[str, list[Finding]] = {}  # absolute path -> corpus-level findings
        self.pending: dict[str, asyncio.TimerHandle] = {}  # uri -> its debounced check
        self.executor: Any = None
        self.corpus_task: asyncio.Task[None] | None = None
        self.corpus_again = False  # a pass was asked for while one ran
        self.settings_changed = False  # the worker must reload the config at its next pass

    # --- checking ---------------------------------------------------------------------------

    def lint(self, uri: str) -> None:
        """Check the open document and publish its diagnostics (its own and corpus-level ones)."""
        self.pending.pop(uri, None)
        path = _path_of(uri)
        document = self.workspace.text_documents.get(uri)
        if document is None or self.holder is None or self.holder.linter is None:
            return
        findings: list[Finding] = []
        if path is not None and self.holder.format_of(path) is not None and not self.holder.excluded(path):
            try:
                findings = self.holder.linter.check_text(document.source, path=str(path))
            except ValueError as exc:  # text that cannot be encoded (a lone surrogate)
                self.log(f"{path}: not checked: {exc}", types.MessageType.Warning)
            except Exception as exc:  # noqa: BLE001 - an internal error must not end the server
                self.log(f"{path}: internal error while checking: {type(exc).__name__}: {exc}",
                         types.MessageType.Error)
        self.findings[uri] = findings
        self.publish(uri, document.source, document.version)

    def publish(self, uri: str, text: str | None, version: int | None = None) -> None:
        """Send the document's diagnostics: its own findings and the corpus pass's for its path."""
        path = _path_of(uri)
        shown = [*self.findings.get(uri, ()), *(self.corpus.get(_resolved(path), ()) if path else ())]
        if text is None and path is not None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
        lines = LineIndex(text or "", self._units())
        diagnostics = [to_diagnostic(f, lines, self.docs_template) for f in shown]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def schedule(self, uri: str) -> None:
        """Check ``uri`` once no change has come for the debounce delay."""
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self.lint, uri)

    def _units(self) -> Any:
        """How the client counts characters: UTF-16 unless it negotiated UTF-8 or UTF-32."""
        return self.workspace.position_codec.client_num_units

    # --- settings ---------------------------------------------------------------------------

    def load_settings(self) -> None:
        """(Re)load the config: an error is shown and logged, and the server goes on with the last
        good settings (or the defaults)."""
        assert self.holder is not None
        outcome = self.holder.load()
        if outcome.error is not None:
            message = f"ethicslint: configuration error: {outcome.error} (going on with {outcome.kept})"
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
            self.log(message, types.MessageType.Error)
        else:
            where = outcome.linter.config_path or "none found, defaults"
            self.log(f"ethicslint: settings loaded (config: {where})", types.MessageType.Info)
        for warning in outcome.linter.warnings:
            self.log(f"ethicslint: {warning}", types.MessageType.Warning)
        self.settings_changed = True

    def reload(self) -> None:
        """The config changed: load it again, check every open document again, and the workspace."""
        self.load_settings()
        for uri in list(self.workspace.text_documents):
            self.lint(uri)
        self.start_corpus_pass()

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    # --- the corpus pass --------------------------------------------------------------------

    def start_corpus_pass(self) -> None:
        """Run the background pass (or once more after the running one)."""
        if not self.corpus_enabled or self.holder is None:
            return
        if self.corpus_task is not None and not self.corpus_task.done():
            self.corpus_again = True
            return
        self.corpus_task = asyncio.get_running_loop().create_task(self._corpus_pass())

    async def _corpus_pass(self) -> None:
        assert self.holder is not None
        while True:
            self.corpus_again = False
            reload, self.settings_changed = self.settings_changed, False
            if self.executor is None:
                self.executor = corpus.new_executor()
            try:
                found = await asyncio.get_running_loop().run_in_executor(
                    self.executor, corpus.corpus_findings, str(self.holder.root), reload)
            except Exception as exc:  # noqa: BLE001 - a failed pass is logged; typing goes on
                self.log(f"ethicslint: workspace pass failed: {type(exc).__name__}: {exc}", types.MessageType.Warning)
                found = None
            if found is not None:
                self._show_corpus({path: [Finding.from_dict(d) for d in items] for path, items in found.items()})
            if not self.corpus_again:
                return

    def _show_corpus(self, found: dict[str, list[Finding]]) -> None:
        """Publish the pass's findings for every file they are on, and clear those they left."""
        before, self.corpus = self.corpus, found
        open_uris = {_resolved(path): uri for uri in self.workspace.text_documents
                     if (path := _path_of(uri)) is not None}
        for path in set(before) | set(found):
            uri = open_uris.get(path) or from_fs_path(path)
            document = self.workspace.text_documents.get(uri)
            self.publish(uri, document.source if document else None, document.version if document else None)

    def stop_corpus_worker(self) -> None:
        """End the worker process now (a pass may be running: its result is not wanted)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
            return
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)


def _path_of(uri: str) -> Path | None:
    """The file a ``file:`` URI names; None for other schemes (an unsaved buffer has no format)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def _resolved(path: Path) -> str:
    """The key of the corpus pass's findings: the real path (a symlinked workspace still matches)."""
    try:
        return str(path.resolve())
    except OSError:
        return str(path)


def _finding_at(server: EthicslintServer, uri: str) -> list[Finding]:
    path = _path_of(uri)
    return [*server.findings.get(uri, ()), *(server.corpus.get(_resolved(path), ()) if path else ())]


def build_server() -> EthicslintServer:
    """The server with its features registered."""
    server = EthicslintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: EthicslintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        debounce = options.get("debounceMs", DEFAULT_DEBOUNCE_MS)
        if isinstance(debounce, (int, float)) and debounce >= 0:
            ls.debounce = debounce / 1000
        template = options.get("ruleDocsUrl")
        ls.docs_template = template if isinstance(template, str) and template else None
        ls.corpus_enabled = options.get("workspacePass", True) is not False
        root = params.workspace_folders[0].uri if params.workspace_folders else params.root_uri
        root_path = to_fs_path(root) if root else None
        ls.holder = LinterHolder(Path(root_path) if root_path else Path.cwd())

    @server.feature(types.INITIALIZED)
    def initialized(ls: EthicslintServer, params: types.InitializedParams) -> None:
        # Watch the config files first: a config error reported by load_settings must not reach
        # the client before the watch it needs to report the fix
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="ethicslint-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern="**/.ethicslint.toml"),
                    types.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
                ]))]))
        ls.load_settings()
        ls.start_corpus_pass()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: EthicslintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: EthicslintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: EthicslintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path_of(uri)
        if path is not None and ls.holder is not None and ls.holder.is_config_file(path):
            ls.reload()
            return
        ls.lint(uri)
        ls.start_corpus_pass()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EthicslintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.findings.pop(uri, None)
        ls.publish(uri, None)  # what stays: the corpus pass's findings on that file

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: EthicslintServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (_path_of(change.uri) for change in params.changes) if p is not None]
        if ls.holder is not None and any(ls.holder.is_config_file(p) for p in paths):
            ls.reload()
        else:
            ls.start_corpus_pass()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: EthicslintServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.workspace.text_documents.get(params.text_document.uri)
        if document is None or ls.holder is None:
            return None
        lines = LineIndex(document.source, ls._units())
        point = lines.column(params.position)
        texts = []
        for finding in _finding_at(ls, params.text_document.uri):
            if (finding.line, finding.column) <= point < (finding.end_line, finding.end_column) \
                    or (finding.line, finding.column) == point:
                text = ls.holder.explain(finding.code)
                if text and text not in texts:
                    texts.append(text)
        if not texts:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value="\n\n---\n\n".join(texts)))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: EthicslintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(uri)
        path = _path_of(uri)
        if document is None or path is None or ls.holder is None:
            return []
        fmt = ls.holder.format_of(path) or ""
        actions: list[types.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or not isinstance(diagnostic.data, dict):
                continue
            try:
                finding = Finding.from_dict(diagnostic.data)
            except (ValueError, TypeError, KeyError):
                continue
            actions.extend(code_actions(finding, document.source, fmt, uri, diagnostic))
        return actions

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: EthicslintServer, params: None) -> None:
        for handle in ls.pending.values():
            handle.cancel()
        ls.pending.clear()
        ls.stop_corpus_worker()

    return server


def serve() -> None:
    """Serve over stdio until the client says exit. The protocol gets its own copy of file
    descriptor 1, and descriptor 1 itself is pointed at stderr: whatever a plugin writes to
    standard output, even from C, cannot break a message."""
    logging.basicConfig(level=os.environ.get("ETHICSLINT_LSP_LOG", "WARNING").upper(), stream=sys.stderr)
    sys.stdout.flush()
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    server = build_server()
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:
        server.stop_corpus_worker()
