"""Helpers for testing checker plugins: run one plugin over a string, measure precision/recall.

Public API for plugin authors, so their tests exercise the same path as ``ethicslint check``
(reader -> analysis -> plugin hooks -> rule filtering) without a subprocess.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from .model import Finding


def plugin_config(plugin: ModuleType | object, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plugin's option values: declared defaults updated with ``overrides``."""
    options = getattr(plugin, "ethicslint_options", None)
    values = {opt.name: opt.default for opt in (options() if options else [])}
    values.update(overrides or {})
    return values


def check_text(plugin: ModuleType | object, text: str, *, lang: str | None = None, fmt: str = "text",
               path: str | None = None, config: dict[str, Any] | None = None) -> list[Finding]:
    """Findings of one plugin's ``ethicslint_check_document`` for ``text`` read as format ``fmt``.

    ``fmt`` is a reader format (``text``, ``markdown``, ``html``, ``yaml``, ``json``, ``po``).
    """
    from .analysis import analyze

    document = read_string(text, fmt, path or f"snippet.{_EXTENSIONS.get(fmt, fmt)}")
    analyzed = analyze(document, lang)
    findings = plugin.ethicslint_check_document(document=analyzed, config=plugin_config(plugin, config))
    return sorted(findings or [], key=Finding.sort_key)


def check_corpus(plugin: ModuleType | object, files: dict[str, str], *,
                 config: dict[str, Any] | None = None, lang: str | None = None) -> list[Finding]:
    """Run a plugin's document and corpus hooks over ``{path: text}`` (format from the extension)."""
    from .analysis import analyze
    from .documents import format_for

    cfg = plugin_config(plugin, config)
    findings: list[Finding] = []
    collected = []
    for path in sorted(files):
        fmt = format_for(Path(path)) or "text"
        analyzed = analyze(read_string(files[path], fmt, path), lang)
        if hasattr(plugin, "ethicslint_check_document"):
            findings.extend(plugin.ethicslint_check_document(document=analyzed, config=cfg) or [])
        if hasattr(plugin, "ethicslint_collect"):
            summary = plugin.ethicslint_collect(document=analyzed, config=cfg)
            if summary is not None:
                collected.append(summary)
    if hasattr(plugin, "ethicslint_check_corpus"):
        findings.extend(plugin.ethicslint_check_corpus(collected=collected, config=cfg) or [])
    return sorted(findings, key=Finding.sort_key)


_EXTENSIONS = {"markdown": "md", "text": "txt", "yaml": "yml"}


def read_string(text: str, fmt: str, path: str):  # type: ignore[no-untyped-def]
    """A :class:`~ethicslint.model.Document` for ``text`` through the real reader of ``fmt``."""
    from .documents import read_text

    result = read_text(text, path, fmt)
    if result.document is None:
        raise ValueError(f"{path}: not readable as {fmt}: {[p.message for p in result.problems]}")
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
