#!/usr/bin/env python
"""Judged precision and recall of ethicslint on real copy from public repositories.

Runs ``ethicslint check`` on each repository folder of ``../shared/corpus/realcopy/`` on its own
(as a new user would: from inside it, default settings, no cache, no server) and compares the
findings with two ledgers kept in this repo:

- ``tests/realcopy/verdicts.tsv``: every finding ever reported there, judged ``true`` or ``false``
  by a reviewer who had only the rule's explain text and the passage;
- ``tests/realcopy/misses.tsv``: real problems a careful editor would flag that were not reported
  when they were found (matched by checker: any finding of that checker on that line counts).

Both hold positions and reasons in our own words; the corpus text stays in ``shared/``.

Precision counts distinct (repo, path, line, code) findings judged true; recall counts the true
verdicts plus the misses that a finding now covers. Host findings (``EL``) are not judged.

Usage::

    python scripts/realcopy_eval.py              # the table (about a minute)
    python scripts/realcopy_eval.py --list       # plus every finding with its verdict, and misses
    python scripts/realcopy_eval.py --kinds      # the copy kind ethicslint gives each file, counted
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "realcopy"
LEDGER = ROOT / "tests" / "realcopy"
VERDICT_FIELDS = ("repo", "path", "line", "code", "lang", "verdict", "reason")
MISS_FIELDS = ("repo", "path", "line", "checker", "code", "lang", "reason")
CHECKER_OF_PREFIX = {"URG": "urgency", "AID": "ai-disclosure", "DIV": "diversity", "DAT": "data-claims",
                     "GRN": "green-claims"}

Key = tuple[str, str, int, str]  # repo, path, line, code


@dataclass(frozen=True)
class Reported:
    repo: str
    path: str
    line: int
    code: str
    text: str

    @property
    def key(self) -> Key:
        return (self.repo, self.path, self.line, self.code)

    @property
    def checker(self) -> str:
        return CHECKER_OF_PREFIX.get(self.code[:3], self.code[:3])


@dataclass
class Score:
    """Counts for one slice (a checker, a language, or everything)."""

    true: int = 0
    false: int = 0
    found: int = 0  # true verdicts and misses that a finding covers now
    wanted: int = 0  # true verdicts and misses

    @property
    def precision(self) -> float | None:
        return self.true / (self.true + self.false) if self.true + self.false else None

    @property
    def recall(self) -> float | None:
        return self.found / self.wanted if self.wanted else None


@dataclass
class Evaluation:
    reported: list[Reported]
    verdicts: dict[Key, dict[str, str]]
    misses: list[dict[str, str]]
    unjudged: list[Reported] = field(default_factory=list)
    missed: list[dict[str, str]] = field(default_factory=list)  # ledger problems not reported now
    scores: dict[str, Score] = field(default_factory=dict)  # "all", "checker:x", "lang:en"


def repositories(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_dir())


def run_repository(repo: Path) -> list[Reported]:
    """ethicslint's findings on one repository, run from inside it with default settings."""
    command = [sys.executable, "-m", "ethicslint", "check", "--format", "json", "--no-cache", "--no-server",
               "--exit-zero", "."]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETHICSLINT_")}
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ethicslint failed on {repo.name} (exit {done.returncode}): {done.stderr[-2000:]}")
    return [Reported(repo.name, f["path"], f["line"], f["code"], f["text"])
            for f in json.loads(done.stdout) if not f["code"].startswith("EL")]


def run_all(corpus: Path = CORPUS, jobs: int = 2) -> list[Reported]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return [r for found in pool.map(run_repository, repositories(corpus)) for r in found]


def _rows(path: Path, fields: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = []
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != len(fields):
                raise ValueError(f"{path.name}:{number}: expected {len(fields)} tab-separated fields "
                                 f"({', '.join(fields)}), got {len(row)}")
            rows.append(dict(zip(fields, row)))
        return rows


def load_verdicts(path: Path = LEDGER / "verdicts.tsv") -> dict[Key, dict[str, str]]:
    verdicts: dict[Key, dict[str, str]] = {}
    for row in _rows(path, VERDICT_FIELDS):
        if row["verdict"] not in ("true", "false"):
            raise ValueError(f"{path.name}: verdict must be true or false, got {row['verdict']!r}")
        key = (row["repo"], row["path"], int(row["line"]), row["code"])
        if key in verdicts:
            raise ValueError(f"{path.name}: {key} is judged twice")
        verdicts[key] = row
    return verdicts


def load_misses(path: Path = LEDGER / "misses.tsv") -> list[dict[str, str]]:
    return _rows(path, MISS_FIELDS)


def evaluate(reported: list[Reported], verdicts: dict[Key, dict[str, str]],
             misses: list[dict[str, str]]) -> Evaluation:
    result = Evaluation(reported, verdicts, misses)
    scores = result.scores
    distinct = {r.key: r for r in reported}
    by_line_checker = {(r.repo, r.path, r.line, r.checker) for r in reported}

    def slices(checker: str, lang: str) -> list[Score]:
        return [scores.setdefault(name, Score()) for name in ("all", f"checker:{checker}", f"lang:{lang}")]

    for key, finding in sorted(distinct.items()):
        verdict = verdicts.get(key)
        if verdict is None:
            result.unjudged.append(finding)
            continue
        for score in slices(finding.checker, verdict["lang"]):
            if verdict["verdict"] == "true":
                score.true += 1
            else:
                score.false += 1
    for key, verdict in verdicts.items():
        if verdict["verdict"] != "true":
            continue
        checker = CHECKER_OF_PREFIX.get(key[3][:3], key[3][:3])
        for score in slices(checker, verdict["lang"]):
            score.wanted += 1
            score.found += key in distinct
        if key not in distinct:
            result.missed.append({"repo": key[0], "path": key[1], "line": str(key[2]), "checker": checker,
                                  "code": key[3], "lang": verdict["lang"], "reason": verdict["reason"]})
    judged_true = {(k[0], k[1], k[2], CHECKER_OF_PREFIX.get(k[3][:3], k[3][:3]))
                   for k, v in verdicts.items() if v["verdict"] == "true"}
    for miss in misses:
        where = (miss["repo"], miss["path"], int(miss["line"]), miss["checker"])
        if where in judged_true:
            continue  # a miss since reported and judged true: counted once, as its verdict
        hit = where in by_line_checker
        for score in slices(miss["checker"], miss["lang"]):
            score.wanted += 1
            score.found += hit
        if not hit:
            result.missed.append(miss)
    return result


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(evaluation: Evaluation) -> str:
    lines = ["| slice | findings | judged true | precision | problems found / known | recall |",
             "|---|---|---|---|---|---|"]
    order = sorted(evaluation.scores, key=lambda name: (name != "all", name.split(":")[0] != "checker", name))
    for name in order:
        s = evaluation.scores[name]
        lines.append(f"| {name} | {s.true + s.false} | {s.true} | {_fmt(s.precision)} | "
                     f"{s.found} / {s.wanted} | {_fmt(s.recall)} |")
    if evaluation.unjudged:
        lines.append(f"\n{len(evaluation.unjudged)} findings have no verdict (run with --list).")
    return "\n".join(lines)


def kinds_report(corpus: Path = CORPUS) -> str:
    """The kind and language ethicslint gives each file, counted per repository."""
    from ethicslint.documents import format_for
    from ethicslint.kinds import kind_from_path
    from ethicslint.language_hints import language_from_path

    lines = []
    for repo in repositories(corpus):
        counts: Counter[tuple[str, str]] = Counter()
        for path in sorted(repo.rglob("*")):
            fmt = format_for(path) if path.is_file() else None
            if fmt is None:
                continue
            relative = path.relative_to(repo).as_posix()
            counts[(kind_from_path(relative, fmt), language_from_path(relative) or "-")] += 1
        lines.append(f"{repo.name}: " + ", ".join(f"{k}/{lang} {n}" for (k, lang), n in sorted(counts.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="every finding with its verdict, and the misses")
    parser.add_argument("--kinds", action="store_true", help="the kind and language of each file, counted")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"realcopy_eval: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if args.kinds:
        print(kinds_report(args.corpus))
        return 0
    evaluation = evaluate(run_all(args.corpus), load_verdicts(), load_misses())
    print(table(evaluation))
    if args.list:
        print("\n## Findings")
        for r in sorted({r.key: r for r in evaluation.reported}.values(), key=lambda r: r.key):
            verdict = evaluation.verdicts.get(r.key)
            mark = verdict["verdict"] if verdict else "UNJUDGED"
            print(f"{mark:8} {r.repo}\t{r.path}\t{r.line}\t{r.code}\t{r.text!r}"
                  + (f"\t{verdict['reason']}" if verdict else ""))
        print("\n## Known problems not reported")
        for m in evaluation.missed:
            print(f"MISSED   {m['repo']}\t{m['path']}\t{m['line']}\t{m['checker']}\t{m['code']}\t{m['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
