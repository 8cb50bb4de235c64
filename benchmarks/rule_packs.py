#!/usr/bin/env python
"""How custom rule packs' matching grows with a segment's length, in wall-clock seconds.

    python benchmarks/rule_packs.py [WORDS]

For each case, one segment of ``WORDS`` (default 2,000) and one of twice as many repeated
words, checked by the ``custom-rules`` plugin alone (the cheap pass not timed); prints the time
of each and their ratio. Linear work gives a ratio near 2; the cases are the worst ones the
validation admits (every token of the segment matches every token of the pattern):

- ``one word``: a single-word pattern, one finding per word;
- ``plus``: ``{LOWER = "very", OP = "+"}`` (bounded to ``{1,5}``; spaCy's own ``+`` reported
  every start-end pair of the run: quadratic, 21 s at 2,000 words);
- ``eight optional``: the most optional tokens a pattern may have (``MAX_OPTIONAL``).
"""

from __future__ import annotations

import sys
import time

from ethicslint.analysis import analyze_text
from ethicslint.custom_rules import MAX_OPTIONAL, CustomRulesPlugin, parse_rules

CASES = {
    "one word": [{"LOWER": "very"}],
    "plus": [{"LOWER": "very", "OP": "+"}],
    "eight optional": [*([{"LOWER": "very", "OP": "?"}] * MAX_OPTIONAL), {"LOWER": "very"}],
}


def seconds(pattern: list[dict[str, object]], words: int) -> float:
    rules = parse_rules({"BEN101": {"message": "x", "patterns": {"en": [pattern]}}}, lambda code: "bench:")
    plugin = CustomRulesPlugin(rules)
    document = analyze_text("very " * words + "good.", "en")
    plugin.ethicslint_check_document(analyze_text("very good.", "en"), {})  # the matcher, built once
    started = time.perf_counter()
    plugin.ethicslint_check_document(document, {})
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    words = int(argv[0]) if argv else 2_000
    print(f"| case | {words:,} words | {2 * words:,} words | ratio |")
    print("|---|---|---|---|")
    for name, pattern in CASES.items():
        one, two = seconds(pattern, words), seconds(pattern, 2 * words)
        print(f"| {name} | {one:.3f} s | {two:.3f} s | {two / one:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
