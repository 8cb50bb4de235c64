"""The per-language table of a checker's labelled corpus, as ``docs/quality/<checker>.md`` shows it.

Shared by the ``quality_<checker>.py`` scripts whose corpus is ``<dir>/en.jsonl`` and ``<dir>/fr.jsonl``
scored per (case, code) pair with ``ethicslint.testing.score``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ethicslint.testing import load_cases, score


def print_table(corpus: Path, predict: Callable[[dict], set[str]], show_misses: bool = False) -> int:
    """Print the Markdown table (and, with ``show_misses``, every wrong case); return the exit status."""
    rows = []
    all_errors: list[str] = []
    for lang in ("en", "fr"):
        cases = load_cases(corpus / f"{lang}.jsonl")
        negatives = sum(1 for c in cases if not c["expected_codes"])
        started = time.perf_counter()
        result = score(cases, predict)
        elapsed = time.perf_counter() - started
        s = result[lang]
        rows.append((lang, len(cases), negatives, s.true_positives, s.false_positives, s.false_negatives,
                     s.precision, s.recall, elapsed))
        all_errors += result["all"].errors
    print("| lang | cases | hard negatives | TP | FP | FN | precision | recall | time (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for lang, n, neg, tp, fp, fn, p, r, t in rows:
        print(f"| {lang} | {n} | {neg} ({neg / n:.0%}) | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {t:.1f} |")
    if show_misses:
        print()
        for line in all_errors:
            print(line)
    return 0
