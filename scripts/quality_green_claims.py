"""Measure the green-claims checker on its labelled corpus: precision/recall per language.

Usage: python scripts/quality_green_claims.py [--misses]
Prints a Markdown table (the one in docs/quality/green-claims.md) and, with --misses, every wrong case.

Each case is read as ``ethicslint check`` reads a file: the reader of its format, the copy kind of
its path (a ``blog/`` page is editorial, ``legal/`` is legal), and only the findings of rules that
apply to that kind, as the host keeps them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import ethicslint_green_claims as plugin
from corpus_table import print_table  # scripts/corpus_table.py, next to this script
from ethicslint.testing import plugin_config, read_string

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "green-claims"
_EXTENSIONS = {"text": "txt", "markdown": "md", "yaml": "yml"}


def findings_for(text: str, lang: str, fmt: str = "text", path: str | None = None,
                 config: dict[str, Any] | None = None) -> list:
    """The plugin's findings for one text, with the copy kinds the host gives its path."""
    from ethicslint.analysis import analyze
    from ethicslint.kinds import applies, assign_kinds, kind_at

    document = read_string(text, fmt, path or f"snippet.{_EXTENSIONS.get(fmt, fmt)}")
    assign_kinds(document, {}, ROOT)
    analyzed = analyze(document, lang)
    found = plugin.ethicslint_check_document(document=analyzed, config=plugin_config(plugin, config))
    return [f for f in found if applies(plugin.RULES[f.code], kind_at(document, f.line, f.column))]


def predict(case: dict) -> set[str]:
    return {f.code for f in findings_for(case["text"], case["lang"], case.get("fmt", "text"), case.get("path"))}


def main() -> int:
    return print_table(CORPUS, predict, "--misses" in sys.argv)


if __name__ == "__main__":
    raise SystemExit(main())
