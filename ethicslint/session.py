"""The wiring of a check shared by the command line and the Python API: settings and plugins
loaded once (:func:`load_session`), paths turned into files (:func:`discover_files`), a run over
them (:func:`run_files`) and the exit status it earns (:func:`exit_status`).

One module, so ``ethicslint check`` and :class:`ethicslint.Linter` cannot drift apart: they build
the same context, run the same runner and judge the result the same way. Errors are raised, not
printed: the command line turns them into exit statuses, the API hands them to its caller.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config, apply_overrides, find_config, load_config, validate_plugin_tables
from .custom_rules import register_custom_rules
from .errors import PluginLoadError
from .host import Host
from .model import Severity
from .paths import display_path
from . import runner
from .runner import RunContext, RunResult

EXIT_OK, EXIT_FINDINGS, EXIT_INTERNAL = 0, 1, 3


@dataclass
class Session:
    """What every check of one configuration uses: the config, the host with its plugins (and
    the config's custom rules) loaded, and each checker's validated options."""

    config: Config
    host: Host
    plugin_configs: dict[str, dict[str, Any]]


def load_session(config_path: str | os.PathLike[str] | None, start: Path, *, plugins: list[str] | None = None,
                 disabled: list[str] | None = None, overrides: dict[str, Any] | None = None,
                 on_loaded: Callable[[Host], None] | None = None) -> Session:
    """The config (``config_path``, else found upwards from ``start``), with the command line's
    ``overrides`` applied, and the plugins it asks for loaded and their tables validated.

    ``on_loaded(host)`` runs once the plugins are loaded, before the custom rules are registered
    (the command line prints the plugins' load errors there). Raises
    :class:`~ethicslint.errors.ConfigError` for the user's settings and
    :class:`~ethicslint.errors.PluginLoadError` for a plugin that cannot be used (a custom rule
    whose code a plugin declares is one, with ``exit_status`` 3)."""
    path = Path(config_path) if config_path else find_config_from(start)  # --config '' finds one, as before
    config = load_config(path, cwd=Path.cwd())
    config = apply_overrides(config, plugins=plugins, disable_plugins=disabled, **(overrides or {}))
    host = Host()
    with plugin_output_to_stderr():
        host.load(modules=config.plugins, disabled=config.disable_plugins, time_limit=config.plugin_time_limit)
    if on_loaded is not None:
        on_loaded(host)
    try:
        register_custom_rules(host, config.custom_rules, disabled=config.disable_plugins)
    except PluginLoadError as exc:  # a custom rule's code declared by a plugin: the plugin set is unusable
        raise PluginLoadError(str(exc)) from None
    plugin_configs = validate_plugin_tables(config, host.declared_options())
    return Session(config=config, host=host, plugin_configs=plugin_configs)


def find_config_from(start: Path) -> Path | None:
    """:func:`~ethicslint.config.find_config` from the nearest directory up that can be searched:
    a directory without permission is reported by the run (EL101), it must not stop it here."""
    here = Path(os.path.abspath(start))
    for candidate in (here, *here.parents):
        try:
            return find_config(candidate)
        except PermissionError:
            continue
    return None


def plugin_output_to_stderr() -> contextlib.AbstractContextManager[Any]:
    """While plugins run (and are imported), what they print goes to stderr: stdout carries only
    the report (``--format json``/``sarif``) or, for a server over stdio, the protocol."""
    return contextlib.redirect_stdout(sys.stderr)


def discover_files(targets: Sequence[str], config: Config) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to check under ``targets``, and the paths that could not be looked into (with
    why). Raises :class:`~ethicslint.discovery.DiscoveryError` (a path that does not exist)."""
    from .discovery import discover

    unreadable: list[tuple[Path, str]] = []
    files = discover([Path(t) for t in targets], config, unreadable) if targets else []
    return files, unreadable


def run_files(session: Session, files: list[Path], unreadable: Sequence[tuple[Path, str]], *,
              jobs: int | None, use_cache: bool, progress: bool = False, isolate: bool = False,
              stdin: Any = None, stdin_path: str = "-") -> RunResult:
    """Check ``files`` (and what was read from standard input) with the session's settings, as
    ``ethicslint check`` does: ``jobs`` as ``--jobs`` (None: decided by the run), the result cache
    when ``use_cache`` and the config allow it, plugin output on stderr."""
    ctx = RunContext(config=session.config, plugin_configs=session.plugin_configs, host=session.host,
                     cache=result_cache(session) if use_cache and session.config.cache else None)
    with plugin_output_to_stderr():
        return runner.run([(f, display_path(f)) for f in files], ctx, jobs=jobs, stdin=stdin,
                          stdin_path=stdin_path, progress=progress, isolate=isolate,
                          unreadable=[(display_path(path), message) for path, message in unreadable])


def result_cache(session: Session):  # type: ignore[no-untyped-def]
    """The result cache of these settings and plugins, in the config's root."""
    from .cache import CACHE_DIR_NAME, ResultCache, config_fingerprint, plugin_fingerprint

    key = config_fingerprint(session.config, session.plugin_configs) + plugin_fingerprint(session.host.plugins)
    return ResultCache(Path(session.config.root) / CACHE_DIR_NAME, key)


def exit_status(session: Session, result: RunResult, *, exit_zero: bool = False) -> int:
    """The status ``ethicslint check`` exits with: 3 when a plugin failed to load or to run, 1
    when a finding reaches ``fail-on`` (unless ``exit_zero``), else 0."""
    if session.host.load_errors or result.plugin_errors:
        return EXIT_INTERNAL
    failing = Severity.parse(session.config.fail_on).reached_by(result.findings)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_OK
