"""Measure the data-claims checker on its labelled corpus: precision/recall per language.

Usage: python scripts/quality_data_claims.py [--misses]
Prints a Markdown table (the one in docs/quality/data-claims.md) and, with --misses, every wrong case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import ethicslint_data_claims as plugin
from corpus_table import print_table  # scripts/corpus_table.py, next to this script

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
    return print_table(CORPUS, predict, "--misses" in sys.argv)


if __name__ == "__main__":
    raise SystemExit(main())
