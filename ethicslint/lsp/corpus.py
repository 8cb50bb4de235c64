"""The background pass for corpus-level findings (representation gaps, DIV501–DIV503, and any
plugin's ``ethicslint_check_corpus``): ``check_paths`` over the workspace in a worker process.

A process, not a thread: a pass over a site takes seconds of spaCy work, and in a thread it would
hold the interpreter lock the typing checks need (and a Linter is not thread-safe); in its own
process, its main thread, ``plugin-time-limit`` holds there too. Started with ``spawn``, so it
shares no locks or threads with the server it leaves.

A finding is corpus-level when the file's own check (``check_text`` on the file as saved) does not
give it: the report's findings of a file, minus those. This needs no list of corpus rules, so a
plugin's own corpus hook is covered too.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..api import Linter
from ..errors import ConfigError, PluginLoadError
from ..model import Finding

_linters: dict[str, Linter] = {}  # in the worker: one Linter per workspace root, kept between passes


def new_executor() -> ProcessPoolExecutor:
    """One worker process for the passes, started on first use."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def forget_settings() -> None:
    """In the worker: drop the Linters, so the next pass reads the (changed) config again."""
    _linters.clear()


def corpus_findings(root: str, reload: bool) -> dict[str, list[dict[str, Any]]]:
    """In the worker: the corpus-level findings of the workspace at ``root``, by absolute path,
    each as :meth:`Finding.to_dict`. ``reload``: the config changed since the last pass. A config
    error gives none (the server already shows it)."""
    import os

    if reload:
        forget_settings()
    linter = _linters.get(root)
    if linter is None:
        try:
            linter = _linters[root] = Linter(root=root, warm=False)
        except (ConfigError, PluginLoadError):
            return {}
    os.chdir(root)  # findings' paths relative to the workspace, as `ethicslint check .` run there
    report = linter.check_paths(["."])
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    result: dict[str, list[dict[str, Any]]] = {}
    for display, findings in by_path.items():
        corpus = _not_per_file(linter, Path(root) / display, display, findings)
        if corpus:
            result[str((Path(root) / display).resolve())] = [f.to_dict() for f in corpus]
    return result


def _not_per_file(linter: Linter, path: Path, display: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` of one file less those its own check gives (as a multiset)."""
    try:
        text = path.read_text(encoding="utf-8")
        own = Counter(_key(f) for f in linter.check_text(text, path=display))
    except (OSError, UnicodeDecodeError, ValueError):
        own = Counter()  # not a text file of a known format (the config file): all of them are the run's
    left = []
    for finding in findings:
        key = _key(finding)
        if own[key]:
            own[key] -= 1
        else:
            left.append(finding)
    return left


def _key(finding: Finding) -> tuple[int, int, int, int, str]:
    return (finding.line, finding.column, finding.end_line, finding.end_column, finding.code)
