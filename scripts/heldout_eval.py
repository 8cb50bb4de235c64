#!/usr/bin/env python
"""Score the four checkers on the blind held-out cases in ``tests/heldout/<checker>/cases.jsonl``.

Each case is ``{"text", "lang", "fmt", "expected_prefixes", "note"}``, labelled only at the
checker-prefix level: a case is predicted positive when any finding of the checker's plugin has a
code starting with the prefix (``URG``, ``AID``, ``DIV``, ``DAT``). The cases were written without
looking at the checkers, their corpora or their tests, so the scores measure generalisation.

Usage::

    python scripts/heldout_eval.py                 # the table
    python scripts/heldout_eval.py --misses        # plus every wrong case
    python scripts/heldout_eval.py --checker urgency --misses
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ethicslint.testing import check_text

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "heldout"

CHECKERS: dict[str, tuple[str, str]] = {  # directory -> (plugin module, code prefix)
    "urgency": ("ethicslint_urgency", "URG"),
    "ai-disclosure": ("ethicslint_ai_disclosure", "AID"),
    "diversity": ("ethicslint_diversity", "DIV"),
    "data-claims": ("ethicslint_data_claims", "DAT"),
    "green-claims": ("ethicslint_green_claims", "GRN"),
}


@dataclass
class Tally:
    """Case-level counts for one checker and one language."""

    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, other: "Tally") -> None:
        for name in ("cases", "tp", "fp", "fn", "tn", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Miss:
    checker: str
    number: int
    kind: str  # FP, FN or ERROR
    case: dict
    codes: list[str] = field(default_factory=list)
    detail: str = ""


def load_cases(path: Path) -> list[dict]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: invalid JSON: {exc}") from None
    return cases


def evaluate(checker: str) -> tuple[dict[str, Tally], list[Miss]]:
    module_name, prefix = CHECKERS[checker]
    plugin = importlib.import_module(module_name)
    tallies: dict[str, Tally] = {}
    misses: list[Miss] = []
    for number, case in enumerate(load_cases(HELDOUT / checker / "cases.jsonl"), 1):
        lang = case.get("lang")
        tally = tallies.setdefault(lang, Tally())
        tally.cases += 1
        expected = any(p.startswith(prefix) or prefix.startswith(p) for p in case.get("expected_prefixes", []))
        try:
            findings = check_text(plugin, case["text"], lang=lang, fmt=case.get("fmt", "text"))
        except Exception as exc:  # a crash is a wrong answer, reported as such
            tally.errors += 1
            if expected:
                tally.fn += 1
            else:
                tally.tn += 1
            misses.append(Miss(checker, number, "ERROR", case, detail=f"{type(exc).__name__}: {exc}"))
            continue
        codes = sorted({f.code for f in findings if f.code.startswith(prefix)})
        predicted = bool(codes)
        if predicted and expected:
            tally.tp += 1
        elif predicted:
            tally.fp += 1
            misses.append(Miss(checker, number, "FP", case, codes))
        elif expected:
            tally.fn += 1
            misses.append(Miss(checker, number, "FN", case, codes))
        else:
            tally.tn += 1
    return tallies, misses


def fmt_ratio(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--checker", choices=sorted(CHECKERS), action="append",
                        help="only this checker (repeatable)")
    args = parser.parse_args(argv)

    checkers = args.checker or list(CHECKERS)
    header = f"{'checker':<14} {'lang':<4} {'cases':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'prec':>6} {'recall':>6}"
    print(header)
    print("-" * len(header))
    grand = Tally()
    all_misses: list[Miss] = []
    for checker in checkers:
        tallies, misses = evaluate(checker)
        all_misses.extend(misses)
        total = Tally()
        for lang in sorted(tallies):
            t = tallies[lang]
            total.add(t)
            print(f"{checker:<14} {lang:<4} {t.cases:>5} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.tn:>4} "
                  f"{fmt_ratio(t.precision)} {fmt_ratio(t.recall)}")
        print(f"{checker:<14} {'all':<4} {total.cases:>5} {total.tp:>4} {total.fp:>4} {total.fn:>4} {total.tn:>4} "
              f"{fmt_ratio(total.precision)} {fmt_ratio(total.recall)}")
        grand.add(total)
    print("-" * len(header))
    print(f"{'ALL':<14} {'':<4} {grand.cases:>5} {grand.tp:>4} {grand.fp:>4} {grand.fn:>4} {grand.tn:>4} "
          f"{fmt_ratio(grand.precision)} {fmt_ratio(grand.recall)}")
    errors = sum(1 for m in all_misses if m.kind == "ERROR")
    if errors:
        print(f"\n{errors} case(s) raised an exception (counted as predicted negative); see --misses")

    if args.misses and all_misses:
        print("\nWrong cases (checker #line kind [lang/fmt] found codes: text | note)")
        for m in all_misses:
            text = " ".join(m.case["text"].split())
            if len(text) > 160:
                text = text[:157] + "..."
            found = ",".join(m.codes) or m.detail or "-"
            print(f"{m.checker} #{m.number} {m.kind} [{m.case.get('lang')}/{m.case.get('fmt')}] {found}: "
                  f"{text} | {m.case.get('note', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
