"""Measure the ai-disclosure checker: precision/recall per language on its labelled corpus, per rule,
and what it reports on the French articles of ../shared/corpus/seeds-fr.

    python scripts/quality_ai_disclosure.py            # tables (Markdown) on stdout
    python scripts/quality_ai_disclosure.py --misses   # also list every wrong case
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import ethicslint_ai_disclosure as plugin
from ethicslint.testing import check_text, load_cases, score

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "ai-disclosure"
SEEDS = REPO.parent / "shared" / "corpus" / "seeds-fr"


def predict(case: dict) -> set[str]:
    findings = check_text(plugin, case["text"], lang=case["lang"], fmt=case.get("fmt", "text"), path=case.get("path"))
    return {f.code for f in findings}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the wrong cases")
    args = parser.parse_args()
    started = time.perf_counter()
    cases = load_cases(CORPUS / "en.jsonl") + load_cases(CORPUS / "fr.jsonl")
    predictions = {id(c): predict(c) for c in cases}
    scores = score(cases, lambda c: predictions[id(c)])
    elapsed = time.perf_counter() - started
    print("| language | cases | hard negatives | TP | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for lang in ("en", "fr", "all"):
        s = scores[lang]
        subset = [c for c in cases if lang == "all" or c["lang"] == lang]
        negatives = sum(1 for c in subset if not c["expected_codes"])
        print(f"| {lang} | {s.cases} | {negatives} ({negatives / len(subset):.0%}) | {s.true_positives} | "
              f"{s.false_positives} | {s.false_negatives} | {s.precision:.3f} | {s.recall:.3f} |")
    print()
    print("| rule | expected | found (TP) | false positives | missed |")
    print("|---|---|---|---|---|")
    codes = sorted({code for c in cases for code in c["expected_codes"]} | {code for p in predictions.values() for code in p})
    for code in codes:
        expected = sum(code in c["expected_codes"] for c in cases)
        tp = sum(code in c["expected_codes"] and code in predictions[id(c)] for c in cases)
        fp = sum(code not in c["expected_codes"] and code in predictions[id(c)] for c in cases)
        print(f"| {code} | {expected} | {tp} | {fp} | {expected - tp} |")
    print()
    print(f"{len(cases)} cases in {elapsed:.1f} s (including pipeline start-up)")
    print()
    print("Seeds (../shared/corpus/seeds-fr, read as text):")
    total = Counter()
    for path in sorted(SEEDS.glob("*.txt")):
        findings = check_text(plugin, path.read_text(encoding="utf-8"), lang="fr", fmt="text", path=path.name)
        total.update(f"{f.code}/{f.severity.value}" for f in findings)
        print(f"- {path.name}: {len(findings)} finding(s)" + "".join(f"\n  - {f.line}:{f.column} {f.code} "
                                                                   f"{f.severity.value}: {f.message}" for f in findings))
    print(f"- total: {dict(total) or 'none'}")
    if args.misses:
        print()
        for line in scores["all"].errors:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
