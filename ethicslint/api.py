"""The Python API: check copy from a program (an editor's language server, an AI assistant's
tool, a CMS hook) with the same findings ``ethicslint check`` gives. Reference: ``docs/api.md``.

A :class:`Linter` loads the config and the plugins once and warms spaCy's pipelines and the
checkers' compiled terms up front, so each later call pays only for its own text. It is built
from the same pieces as the command line (:mod:`ethicslint.session`, :mod:`ethicslint.runner`):
same reading, same settings, same filtering, same order. Everything runs in this process; what
plugins print goes to stderr, so stdout stays free for a protocol (LSP, MCP over stdio).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .documents import format_for, read_stream
from .documents.frontmatter import primary_language
from .kinds import KINDS, parse_kind
from .model import Finding
from .ruledocs import explain as explain_rule
from .ruledocs import find_rule
from .finding_filter import filter_findings
from .runner import FileResult, RunContext, check_read, compile_checkers, slow_plugin_warnings, suppressions_of
from .session import Session, discover_files, exit_status, load_session, plugin_output_to_stderr, run_files

__all__ = ["Linter", "Report", "check_text"]

DEFAULT_PATH = "snippet.txt"
"""The name a text without ``path`` is checked under: plain text, no kind in its words."""
LANGUAGES = ("en", "fr")

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Report:
    """What :meth:`Linter.check_paths` found, as ``ethicslint check`` would report it."""

    findings: list[Finding] = field(default_factory=list)
    """Every finding, the corpus-level ones included, sorted as the command line sorts them."""
    files_checked: int = 0
    """Files read and checked (not those skipped: unreadable, too large, ``skip-file``)."""
    exit_status: int = 0
    """What ``ethicslint check`` would exit with: 0 nothing reaches ``fail-on``, 1 findings do,
    3 a plugin failed to load or to run."""
    warnings: list[str] = field(default_factory=list)
    """The lines the command line prints on stderr about plugins: load errors and warnings,
    plugins slower than ``plugin-time-budget``."""


class Linter:
    """ethicslint with its settings and plugins loaded once, ready for many checks.

    ``config``: a config file (``.ethicslint.toml`` or a ``pyproject.toml`` with a
    ``[tool.ethicslint]`` table); None finds one upwards from ``root`` (default: the current
    directory), as ``ethicslint check`` finds it from the paths it checks, and without one the
    defaults apply. ``plugins``: more plugin modules to load (``--plugin``);
    ``disable_plugins``: plugins not to load (``--disable-plugin``). ``warm``: build spaCy's
    pipelines and every checker's terms now (about a second) rather than at the first check.

    Raises :class:`~ethicslint.errors.ConfigError` when the settings cannot be used (the message
    names the file, table and key, ready to show) and :class:`~ethicslint.errors.PluginLoadError`
    when a plugin cannot be used at all. A plugin that fails to import is not an error here, as
    in a run: it is left out and named in :attr:`warnings`.

    Not safe to call from several threads at once: spaCy's pipelines are not; use one Linter
    per thread, or a lock.
    """

    def __init__(self, config: PathLike | None = None, root: PathLike | None = None, *,
                 plugins: Iterable[str] = (), disable_plugins: Iterable[str] = (), warm: bool = True) -> None:
        start = Path(root) if root is not None else Path.cwd()
        self._session: Session = load_session(config, start, plugins=list(plugins) or None,
                                              disabled=list(disable_plugins) or None)
        self._contexts: dict[str | None, RunContext] = {}
        self.warnings: list[str] = [*self._session.host.load_errors, *self._session.host.load_warnings]
        """Plugins that could not be loaded, and other load warnings (what the CLI prints on stderr)."""
        if warm:
            with plugin_output_to_stderr():
                compile_checkers(self._session.host, self._session.plugin_configs,
                                 self._session.config.plugin_time_limit)

    @property
    def config_path(self) -> Path | None:
        """The config file in use (None: no file was found, the defaults apply)."""
        return self._session.config.path

    @property
    def rules(self) -> Mapping[str, Any]:
        """Every rule of the loaded plugins and custom rules, by code (:class:`~ethicslint.Rule`)."""
        return self._session.host.rules

    def format_of(self, path: PathLike) -> str | None:
        """The reader format ``path`` is read with (the config's ``formats`` first), as
        ``ethicslint check`` decides it; None: not a file type ethicslint reads."""
        from .documents import format_for

        return format_for(Path(path), self._session.config.formats or None)

    def excludes(self, path: PathLike) -> bool:
        """Whether ``ethicslint check`` would leave ``path`` out (``exclude``, ``.gitignore``,
        hidden directories), for an editor deciding whether to lint a file; a file not saved yet
        is judged by the config's ``exclude`` globs alone."""
        from .config_globs import config_relative, glob_spec
        from .discovery import DiscoveryError, discover

        config = self._session.config
        target = Path(path)
        if target.is_file():
            try:
                return not discover([target], config)
            except (DiscoveryError, OSError):
                return False
        relative = config_relative(str(target), Path(config.root))
        return not relative.startswith("/") and any(glob_spec(glob).match_file(relative) for glob in config.exclude)

    def explain(self, code: str) -> str:
        """The documentation of rule ``code`` (any case) as ``ethicslint explain CODE`` prints it:
        Markdown with what it flags, why, an example, how to fix it and how to turn it off.

        Raises ``ValueError`` for a code no loaded rule has (the message names the rules that
        share its prefix, as the command line's does).
        """
        rule = find_rule(self._session.host.rules, code)
        return explain_rule(rule, self._session.host.rule_owner.get(rule.code))

    def check_text(self, text: str, *, path: PathLike | None = None, language: str | None = None,
                   kind: str | None = None, metadata: Mapping[str, Any] | None = None) -> list[Finding]:
        """The findings of ``text``, as ``ethicslint check`` reports them for a file at ``path``
        holding that text, sorted as it sorts them.

        ``path`` (default ``snippet.txt``) decides the format (``.md``, ``.html``, ``.yml``,
        ``.json``, ``.po``… and the config's ``formats``), the kind its words suggest, and which
        ``per-file-ignores`` apply; it is not read, and is shown in the findings as given (a
        relative path is relative to the current directory, as on the command line).
        ``language`` (``"en"``/``"fr"``) forces the language, as ``--language`` does.
        ``kind`` (one of :data:`ethicslint.KINDS`) forces the copy kind of the whole text, over
        the config's ``kinds``, the front matter and the path. ``metadata`` is read as front matter
        keys are (``{"ai_generated": True}``, ``{"kind": "legal"}``, ``{"lang": "fr"}``), on top of
        the text's own front matter; its values are not checked as copy.

        The config's ``select``, ``ignore``, ``severity``, ``per-file-ignores`` and the text's
        inline suppressions apply exactly as in a run. Corpus-level checks (those comparing files,
        such as representation gaps across a site) need many files: they run in
        :meth:`check_paths`, never here.

        Raises ``TypeError`` for a ``text`` that is not a ``str`` or ``metadata`` that is not a
        mapping, ``ValueError`` for an unknown file type, language or kind.
        """
        return sorted(self.check_text_result(text, path=path, language=language, kind=kind,
                                             metadata=metadata).findings, key=Finding.sort_key)

    def check_text_result(self, text: str, *, path: PathLike | None = None, language: str | None = None,
                          kind: str | None = None, metadata: Mapping[str, Any] | None = None) -> FileResult:
        """:meth:`check_text`'s whole result (findings unsorted): also the summaries plugins
        collected for the corpus-level checks, the copy kind and, when there are findings, the
        text as read. For a batch job (:mod:`ethicslint.batch`) that checks many texts apart and
        runs the corpus checks once over all of them with :meth:`check_corpus`. Same errors as
        :meth:`check_text`."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        display = os.fspath(path) if path is not None else DEFAULT_PATH
        fmt = format_for(Path(display), self._session.config.formats or None)
        if fmt is None:
            raise ValueError(f"path {display!r}: unknown file type (use .md, .html, .txt, .yml, .json or .po, "
                             f"or map it in the config's formats)")
        context = self._context(_checked_language(language))
        forced_kind = _checked_kind(kind)
        extra = _checked_metadata(metadata)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"text cannot be encoded as UTF-8 ({exc.reason} at index {exc.start})") from None
        read = read_stream(io.BytesIO(data), display, fmt, max_bytes=self._session.config.max_file_size)
        if read.document is not None and extra:
            read.document.metadata.update(extra)
            declared = primary_language(extra.get("lang") or extra.get("language"))
            if declared is not None:
                read.document.lang = declared
        with plugin_output_to_stderr():
            return check_read(read, display, context, kind=forced_kind)

    def check_corpus(self, collected: Mapping[str, list[Any]], sources: Mapping[str, str | None],
                     kinds: Mapping[str, str]) -> tuple[list[Finding], list[str]]:
        """The corpus-level findings (representation gaps…) of texts checked with
        :meth:`check_text_result`, filtered as a run filters them: ``collected`` holds each
        plugin's summaries in the order of the texts, ``sources`` the text of every path a finding
        may point at (a path missing there is refused as a run refuses it), ``kinds`` their copy
        kinds. Returns the findings and the plugins that failed (EL001/EL003 among the findings)."""
        session = self._session
        with plugin_output_to_stderr():
            outcome = session.host.check_corpus(dict(collected), session.plugin_configs, sources,
                                                str(session.config.path or DEFAULT_PATH),
                                                session.config.plugin_time_limit)
        findings = filter_findings(outcome.findings, session.config, session.host.rules,
                                   suppressions_in=suppressions_of(sources, {}), kind_of=lambda f: kinds.get(f.path))
        return sorted(findings, key=Finding.sort_key), sorted(set(outcome.errors))

    @property
    def fail_on(self) -> str:
        """The lowest severity that fails a run (the config's ``fail-on``)."""
        return self._session.config.fail_on

    def check_paths(self, paths: Iterable[PathLike], *, jobs: int | None = 1, cache: bool = False) -> Report:
        """Check files and directories as ``ethicslint check PATHS`` does with this Linter's
        settings: the same discovery (ignore files, ``exclude``), the same findings, corpus-level
        ones included, and the exit status it would give.

        ``jobs``: worker processes, as ``--jobs`` (1: none, in this process; None: decided by
        the number of files). ``cache``: read and write the result cache in the config's
        directory, as the command line does by default.

        Raises ``ValueError`` for a path that does not exist (or ``"-"``: read standard input
        yourself and use :meth:`check_text`).
        """
        from .discovery import DiscoveryError

        targets = [os.fspath(p) for p in paths]
        if "-" in targets:
            raise ValueError("'-' (standard input) is not a path here; read it and call check_text")
        try:
            files, unreadable = discover_files(targets, self._session.config)
        except DiscoveryError as exc:
            raise ValueError(str(exc)) from None
        result = run_files(self._session, files, unreadable, jobs=jobs, use_cache=cache)
        warnings = [*self.warnings, *slow_plugin_warnings(result, self._session.config.plugin_time_budget)]
        return Report(findings=result.findings, files_checked=result.files_checked,
                      exit_status=exit_status(self._session, result), warnings=warnings)

    def _context(self, language: str | None) -> RunContext:
        """The run context of one forced language (None: the config's), built once."""
        context = self._contexts.get(language)
        if context is None:
            session = self._session
            config = session.config if language is None else replace(session.config, language=language)
            context = self._contexts[language] = RunContext(config=config, plugin_configs=session.plugin_configs,
                                                            host=session.host)
        return context


def _checked_language(language: str | None) -> str | None:
    if language is None:
        return None
    if not isinstance(language, str) or language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)} (or None to detect it)")
    return language


def _checked_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    canonical = parse_kind(kind)
    if canonical is None:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    return canonical


def _checked_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise TypeError(f"metadata must be a mapping of keys to values, got {type(metadata).__name__}")
    return dict(metadata)


_default: Linter | None = None
_default_lock = threading.Lock()


def check_text(text: str, *, path: PathLike | None = None, language: str | None = None, kind: str | None = None,
               metadata: Mapping[str, Any] | None = None) -> list[Finding]:
    """:meth:`Linter.check_text` with one Linter built at the first call (config found from the
    current directory then) and kept for the next ones: for one-off use and scripts."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Linter()
    return _default.check_text(text, path=path, language=language, kind=kind, metadata=metadata)
