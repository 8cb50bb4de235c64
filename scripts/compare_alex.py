#!/usr/bin/env python3
"""Compare the diversity checker's English wording rules with alex on the same labelled corpus.

    npm install -g alex            # once; node >= 18
    python scripts/compare_alex.py [--details]

Both tools see every English snippet of tests/corpus/diversity/en.jsonl (markdown and HTML cases
through alex's markdown/html parsers, the rest as plain text). alex has its own rule ids, so the
comparison is per snippet: a tool "flags" a snippet when it reports anything; a snippet is
positive when it has expected codes. ethicslint is also scored per (snippet, code), as the test
suite does. When node or alex is not installed the script says so and exits 0: nothing in the
test suite depends on npm.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "diversity" / "en.jsonl"
# the rules whose subject alex also covers (its retext-equality and retext-profanities rules)
SHARED_SCOPE = {"DIV101", "DIV311", "DIV312", "DIV313"}

BRIDGE = r"""
import {pathToFileURL} from 'node:url'
import {readFileSync} from 'node:fs'
const alex = await import(pathToFileURL(process.argv[2]).href)
const cases = JSON.parse(readFileSync(0, 'utf8'))
const out = cases.map(c => {
  const run = c.fmt === 'markdown' ? alex.markdown : c.fmt === 'html' ? alex.html : alex.text
  return run(c.text).messages.map(m => ({rule: m.ruleId, source: m.source, reason: m.reason}))
})
process.stdout.write(JSON.stringify(out))
"""


@dataclass
class Binary:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, flagged: bool) -> None:
        if expected and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def alex_module() -> Path | None:
    """alex's entry module in the global npm tree, or None when node, npm or alex is missing."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None
    try:
        root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    module = Path(root) / "alex" / "index.js"
    return module if module.is_file() else None


def alex_version(module: Path) -> str:
    try:
        return json.loads((module.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def run_alex(module: Path, cases: list[dict]) -> list[list[dict]]:
    with tempfile.NamedTemporaryFile("w", suffix=".mjs", delete=False) as bridge:
        bridge.write(BRIDGE)
    try:
        payload = json.dumps([{"text": c["text"], "fmt": c.get("fmt", "text")} for c in cases])
        done = subprocess.run(["node", bridge.name, str(module)], input=payload, capture_output=True,
                              text=True, check=True)
        return json.loads(done.stdout)
    finally:
        Path(bridge.name).unlink(missing_ok=True)


def run_ethicslint(cases: list[dict]) -> list[set[str]]:
    import ethicslint_diversity as plugin
    from ethicslint.testing import check_text

    return [{f.code for f in check_text(plugin, c["text"], lang="en", fmt=c.get("fmt", "text"))} for c in cases]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list every snippet the tools disagree on")
    args = parser.parse_args()

    module = alex_module()
    if module is None:
        print("alex is not installed (npm install -g alex); skipping the comparison.")
        return 0
    from ethicslint.testing import load_cases, score

    cases = load_cases(CORPUS)
    alex_out = run_alex(module, cases)
    ours = run_ethicslint(cases)

    rows = list(zip(cases, alex_out, ours))
    subsets = {
        "all English snippets": rows,
        "held-out snippets only (\"set\": \"holdout\" or \"holdout2\")":
            [r for r in rows if r[0].get("set") in ("holdout", "holdout2")],
        "shared scope (gendered generics, ableist idioms, slurs, disability framing; and all negatives)":
            [r for r in rows if set(r[0]["expected_codes"]) <= SHARED_SCOPE],
    }
    print(f"English corpus: {len(cases)} snippets; alex {alex_version(module)}, default settings\n")
    for title, subset in subsets.items():
        alex_bin, ours_bin = Binary(), Binary()
        for case, messages, codes in subset:
            expected = bool(case["expected_codes"])
            alex_bin.add(expected, bool(messages))
            ours_bin.add(expected, bool(codes))
        per_code = score([r[0] for r in subset], lambda c, found={id(r[0]): r[2] for r in subset}: found[id(c)])["en"]
        positives = sum(1 for r in subset if r[0]["expected_codes"])
        print(f"### {title}: {len(subset)} snippets, {positives} positive, {len(subset) - positives} negative\n")
        print("| tool | level | precision | recall | TP | FP | FN |")
        print("|---|---|---|---|---|---|---|")
        for name, b in (("alex", alex_bin), ("ethicslint diversity", ours_bin)):
            print(f"| {name} | snippet flagged or not | {b.precision:.3f} | {b.recall:.3f} | {b.tp} | {b.fp} | {b.fn} |")
        print(f"| ethicslint diversity | (snippet, rule code) | {per_code.precision:.3f} | {per_code.recall:.3f} | "
              f"{per_code.true_positives} | {per_code.false_positives} | {per_code.false_negatives} |\n")

    if args.details:
        print("\nDisagreements (expected / alex / ethicslint):")
        for case, messages, codes in zip(cases, alex_out, ours):
            alex_flag, our_flag = bool(messages), bool(codes)
            if alex_flag != our_flag or alex_flag != bool(case["expected_codes"]):
                rules = sorted({m["rule"] for m in messages})
                print(f"- {sorted(case['expected_codes'])} / {rules} / {sorted(codes)}: {case['text'][:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
