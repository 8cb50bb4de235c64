"""Measure the data-claims checker on its labelled corpus: precision/recall per language.

Usage: python scripts/quality_data_claims.py [--misses]
Prints a Markdown table (the one in docs/quality/data-claims.md) and, with --misses, every wrong case.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import ethicslint_data_claims as plugin
from ethicslint.testing import load_cases, score

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "data-claims"


def findings_for(case: dict) -> list:
    """The plugin's findings for one corpus case, through the real reader when it is available."""
    from ethicslint.testing import check_text

    path = case.get("path")
    try:
        return check_text(plugin, case["text"], lang=case["lang"], fmt=case.get("fmt", "text"), path=path)
    except (ImportError, AttributeError):  # readers not there yet: plain paragraphs
        from ethicslint.analysis import analyze_text
        from ethicslint.testing import plugin_config

        doc = analyze_text(case["text"], case["lang"], path=path or "snippet.txt")
        return plugin.ethicslint_check_document(document=doc, config=plugin_config(plugin))


def predict(case: dict) -> set[str]:
    return {f.code for f in findings_for(case)}


def main() -> int:
    show_misses = "--misses" in sys.argv
    rows = []
    all_errors = []
    for lang in ("en", "fr"):
        cases = load_cases(CORPUS / f"{lang}.jsonl")
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


if __name__ == "__main__":
    raise SystemExit(main())
