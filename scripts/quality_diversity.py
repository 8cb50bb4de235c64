"""Measure the diversity checker: precision/recall per language, per corpus set and per rule, plus
false-positive scans of external text and the corpus-level fixtures.

Usage: python scripts/quality_diversity.py [--misses] [--external]
Prints the Markdown tables of docs/quality/diversity.md. --misses lists every wrong case;
--external also scans shared/corpus (dark-pattern UI strings, French seed articles).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import ethicslint_diversity as plugin
from ethicslint.testing import check_corpus, check_text, load_cases, score

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "diversity"
SHARED = ROOT.parent / "shared" / "corpus"
REPOS = ROOT / "tests" / "fixtures" / "diversity_repos"


def predict(case: dict) -> set[str]:
    return {f.code for f in check_text(plugin, case["text"], lang=case["lang"], fmt=case.get("fmt", "text"))}


def table(header: list[str], rows: list[list[object]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print()


def main() -> int:
    show_misses = "--misses" in sys.argv
    cases = {lang: load_cases(CORPUS / f"{lang}.jsonl") for lang in ("en", "fr")}
    predicted: dict[int, set[str]] = {}
    rows, errors = [], []
    for lang, lang_cases in cases.items():
        started = time.perf_counter()
        for case in lang_cases:
            predicted[id(case)] = predict(case)
        elapsed = time.perf_counter() - started
        result = score(lang_cases, lambda c: predicted[id(c)])
        s = result[lang]
        neg = sum(1 for c in lang_cases if not c["expected_codes"])
        rows.append([lang, len(lang_cases), f"{neg} ({neg / len(lang_cases):.0%})", s.true_positives,
                     s.false_positives, s.false_negatives, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{elapsed:.1f}"])
        errors += result["all"].errors
    print("### Whole corpus (per (case, code) pair)\n")
    table(["lang", "cases", "hard negatives", "TP", "FP", "FN", "precision", "recall", "time (s)"], rows)

    print("### Per corpus set\n")
    rows = []
    for lang, lang_cases in cases.items():
        for name in ("dev", "holdout", "holdout2"):
            subset = [c for c in lang_cases if c.get("set", "dev") == name]
            s = score(subset, lambda c: predicted[id(c)])[lang]
            rows.append([lang, name, len(subset), s.true_positives, s.false_positives, s.false_negatives,
                         f"{s.precision:.3f}", f"{s.recall:.3f}"])
    table(["lang", "set", "cases", "TP", "FP", "FN", "precision", "recall"], rows)

    print("### Per rule (both languages)\n")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for lang_cases in cases.values():
        for case in lang_cases:
            expected, found = set(case["expected_codes"]), predicted[id(case)]
            for code in expected & found:
                counts[code][0] += 1
            for code in found - expected:
                counts[code][1] += 1
            for code in expected - found:
                counts[code][2] += 1
    table(["rule", "TP", "FP", "FN"], [[code, *counts[code]] for code in sorted(counts)])

    print("### Corpus-level fixtures (tests/fixtures/diversity_repos)\n")
    rows = []
    for repo in sorted(p for p in REPOS.iterdir() if p.is_dir()):
        files = {p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(repo.rglob("*")) if p.is_file()}
        configs = [{}] + ([{"subsets": ["testimonials/**"]}] if repo.name == "subset_skew" else [])
        for config in configs:
            gaps = [f for f in check_corpus(plugin, files, config=config) if f.code.startswith("DIV5")]
            found = ", ".join(f"{f.code} at {f.path}:{f.line}" for f in gaps) or "none"
            rows.append([repo.name + (f" (subsets {config['subsets']})" if config else ""), len(files), found])
    table(["fixture repo", "files", "corpus-level findings"], rows)

    if "--external" in sys.argv:
        external()
    if show_misses:
        print("\n".join(errors))
    return 0


def external() -> None:
    print("### External text (false-positive scan)\n")
    texts = []
    for name in ("darkpatterns-mathur2019/dark-patterns.jsonl", "darkpatterns-yada2022/dataset.jsonl"):
        path = SHARED / name
        if path.is_file():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    found = [(t, f) for t in texts for f in check_text(plugin, t, lang="en")]
    print(f"- {len(texts)} English UI strings (shared/corpus/darkpatterns-*): {len(found)} findings "
          f"in {time.perf_counter() - started:.1f} s")
    for text, f in found:
        print(f"  - {f.code} {f.text!r}: {text[:100]!r}")
    seeds = sorted((SHARED / "seeds-fr").glob("*.txt"))
    found = [(p.name, f) for p in seeds for f in check_text(plugin, p.read_text(encoding="utf-8"), lang="fr")]
    print(f"- {len(seeds)} French articles (shared/corpus/seeds-fr): {len(found)} findings")
    for name, f in found:
        print(f"  - {name}:{f.line} {f.code} {f.text!r}")
    print()


if __name__ == "__main__":
    sys.exit(main())
