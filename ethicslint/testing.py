"""Helpers for testing checker plugins: run one plugin over a string, measure precision/recall.

Public API for plugin authors (``ethicslint.testing``, also ``from ethicslint import testing``),
so their tests exercise the same path as ``ethicslint check`` without a subprocess: the real
reader and analysis, then the plugin registered in a real :class:`~ethicslint.host.Host` and
called through it. A plugin is held to the contract exactly as in a run: its hooks are checked
when it is registered, each hook gets only the arguments it takes, options are validated and
their defaults filled in, and findings are validated (a malformed one is dropped and reported as
``EL002``, an exception in a hook becomes an ``EL001`` finding).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from .model import Finding

__all__ = ["check_text", "check_corpus", "plugin_config", "read_string", "Score", "load_cases", "score",
           "threshold_failure"]


@functools.lru_cache(maxsize=32)
def _registered(plugin: ModuleType | object):  # type: ignore[no-untyped-def]
    """A host with ``plugin`` registered as a run registers it, and the plugin's name there."""
    from .host import Host, PluginLoadError

    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    host = Host()
    host.register(name, plugin, str(getattr(plugin, "__version__", "test")), "testing")
    if host.load_errors:
        raise PluginLoadError("; ".join(host.load_errors))
    return host, name


def _prepared(plugin: ModuleType | object, overrides: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    """The plugin's host and the option values a run would pass it: ``overrides`` are the
    plugin's table in the config, validated as a run validates it (a wrong key or type raises
    :class:`~ethicslint.config.ConfigError`), and every other option has its default."""
    from .config import Config, validate_plugin_tables

    host, name = _registered(plugin)
    checker = host.plugins[name].checker
    table = Config(path=None, root=Path.cwd(), plugin_tables={checker: dict(overrides)} if overrides else {})
    return host, name, validate_plugin_tables(table, host.declared_options())


def plugin_config(plugin: ModuleType | object, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plugin's option values as a run passes them: declared defaults updated with
    ``overrides``, which are validated like the plugin's config table."""
    host, name, configs = _prepared(plugin, overrides)
    return configs[host.plugins[name].checker]


def check_text(plugin: ModuleType | object, text: str, *, lang: str | None = None, fmt: str = "text",
               path: str | None = None, config: dict[str, Any] | None = None) -> list[Finding]:
    """Findings of one plugin's ``ethicslint_check_document`` for ``text`` read as format ``fmt``,
    through the host (so host findings ``EL001``/``EL002`` come back as in a run).

    ``fmt`` is a reader format (``text``, ``markdown``, ``html``, ``yaml``, ``json``, ``po``);
    ``config`` holds option values, the others keep their defaults.
    """
    from .analysis import analyze

    host, _, configs = _prepared(plugin, config)
    document = read_string(text, fmt, path or f"snippet.{_EXTENSIONS.get(fmt, fmt)}")
    outcome = host.check_document(analyze(document, lang), configs)
    return sorted(outcome.findings, key=Finding.sort_key)


def check_corpus(plugin: ModuleType | object, files: dict[str, str], *,
                 config: dict[str, Any] | None = None, lang: str | None = None) -> list[Finding]:
    """Run a plugin's document and corpus hooks over ``{path: text}`` (format from the
    extension), through the host as a run does."""
    from .analysis import analyze
    from .documents import format_for

    host, name, configs = _prepared(plugin, config)
    findings: list[Finding] = []
    collected: list[Any] = []
    for path in sorted(files):
        analyzed = analyze(read_string(files[path], format_for(Path(path)) or "text", path), lang)
        findings.extend(host.check_document(analyzed, configs).findings)
        summaries, outcome = host.collect(analyzed, configs)
        findings.extend(outcome.findings)
        if name in summaries:
            collected.append(summaries[name])
    corpus = host.check_corpus({name: collected}, configs, dict(files), min(files, default="-"))
    findings.extend(corpus.findings)
    return sorted(findings, key=Finding.sort_key)


_EXTENSIONS = {"markdown": "md", "text": "txt", "yaml": "yml"}


def read_string(text: str, fmt: str, path: str):  # type: ignore[no-untyped-def]
    """A :class:`~ethicslint.model.Document` for ``text`` through the real reader of ``fmt``, its
    images resolved and their provenance read as in a run from the current directory (``path`` is
    taken from there)."""
    from .assets import attach
    from .documents import read_text

    result = read_text(text, path, fmt)
    if result.document is None:
        raise ValueError(f"{path}: not readable as {fmt}: {[p.message for p in result.problems]}")
    attach(result.document, Path.cwd())
    return result.document


# --- measuring detection quality ---------------------------------------------------------------

@dataclass
class Score:
    """Precision and recall of one language (or of everything) over a labelled corpus."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    cases: int = 0
    errors: list[str] = field(default_factory=list)  # one line per wrong case, for test output

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """Read a labelled corpus: JSON Lines of ``{"text", "lang", "expected_codes", ...}``."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from None
    return cases


def score(cases: Iterable[dict[str, Any]], predict: Callable[[dict[str, Any]], Iterable[str]]) -> dict[str, Score]:
    """Per-language and overall (``"all"``) scores, counting (case, code) pairs.

    ``predict(case)`` returns the codes found for the case; ``case["expected_codes"]`` lists
    the codes that should be found (empty for a negative case).
    """
    scores: dict[str, Score] = {"all": Score()}
    for case in cases:
        expected = set(case.get("expected_codes", []))
        found = set(predict(case))
        for key in ("all", case.get("lang", "?")):
            s = scores.setdefault(key, Score())
            s.cases += 1
            s.true_positives += len(expected & found)
            s.false_positives += len(found - expected)
            s.false_negatives += len(expected - found)
        if expected != found:
            scores["all"].errors.append(
                f"[{case.get('lang')}] expected {sorted(expected)} got {sorted(found)}: {case.get('text', '')[:100]!r}")
    return scores


def threshold_failure(scores: dict[str, Score], lang: str, min_precision: float, min_recall: float) -> str | None:
    """Why ``scores[lang]`` misses the thresholds (with that language's wrong cases), or None.

    Use as ``assert not (problem := threshold_failure(...)), problem`` in a corpus test.
    """
    s = scores[lang]
    if s.precision >= min_precision and s.recall >= min_recall:
        return None
    misses = "\n".join(e for e in scores["all"].errors if e.startswith(f"[{lang}]"))
    return (f"{lang}: precision {s.precision:.3f} (min {min_precision}), recall {s.recall:.3f} "
            f"(min {min_recall}); wrong cases:\n{misses}")
