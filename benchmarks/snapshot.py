#!/usr/bin/env python
"""Every finding of every built-in checker over all the text the project has, as one JSON file.

A speed change must not change a single finding. Take a snapshot before the change, one after,
and compare them::

    python benchmarks/snapshot.py /tmp/before.json          # on the old code
    python benchmarks/snapshot.py /tmp/after.json           # on the new code
    python benchmarks/snapshot.py --compare /tmp/before.json /tmp/after.json

The text: every case of the labelled corpora (``tests/corpus``), of the blind held-out set
(``tests/heldout``) and of the two public dark-pattern datasets (``../shared/corpus``), each run
through every built-in plugin as :func:`ethicslint.testing.check_text` does; then the real
command line (``--format json --no-cache``) over ``examples/``, the French articles of
``../shared/corpus/seeds-fr`` and the generated benchmark repo (:mod:`corpus`, scale 1), so that
corpus-level checks and the whole host path are covered too. Findings are compared on position,
code, severity and message.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
PLUGINS = ("ethicslint_urgency", "ethicslint_ai_disclosure", "ethicslint_diversity", "ethicslint_data_claims")


def _cases() -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*/*.jsonl")) + sorted((ROOT / "tests" / "heldout").glob("*/*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                cases.append((f"{path.relative_to(ROOT)}:{number}", json.loads(line)))
    for name in ("darkpatterns-yada2022/dataset.jsonl", "darkpatterns-mathur2019/dark-patterns.jsonl"):
        path = SHARED / name
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    row = json.loads(line)
                    cases.append((f"shared/{name}:{number}", {"text": row["text"], "lang": "en"}))
    return cases


def _row(finding: Any) -> list[Any]:
    return [finding.line, finding.column, finding.end_line, finding.end_column, finding.code,
            str(finding.severity), finding.message]


def _in_process() -> dict[str, Any]:
    from ethicslint.testing import check_text

    plugins = [importlib.import_module(name) for name in PLUGINS]
    out: dict[str, Any] = {}
    for key, case in _cases():
        rows = []
        for plugin in plugins:
            try:
                found = check_text(plugin, case["text"], lang=case.get("lang"), fmt=case.get("fmt", "text"))
            except ValueError as exc:  # unreadable as that format: the same either way
                rows.append(["unreadable", str(exc)])
                continue
            rows.extend(_row(f) for f in found)
        out[key] = rows
    return out


def _command_line(label: str, target: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "ethicslint", "check", str(target), "--format", "json",
                           "--no-cache", "--exit-zero"], capture_output=True, text=True, cwd=target.parent)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ethicslint failed on {target}:\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    rows: dict[str, list[Any]] = {}
    for f in findings:
        rows.setdefault(f"{label}/{f['path']}", []).append(
            [f["line"], f["column"], f.get("end_line"), f.get("end_column"), f["code"], f["severity"], f["message"]])
    return rows


def take(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    snapshot = _in_process()
    snapshot.update(_command_line("examples", ROOT / "examples"))
    with tempfile.TemporaryDirectory() as tmp:
        seeds = SHARED / "seeds-fr"
        if seeds.is_dir():
            snapshot.update(_command_line("seeds-fr", seeds))
        repo = Path(tmp) / "repo"
        corpus.generate(repo, 1)
        snapshot.update(_command_line("bench", repo))
    path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    total = sum(len(v) for v in snapshot.values())
    print(f"{len(snapshot)} inputs, {total} findings -> {path}")


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    differ = [k for k in sorted(set(a) | set(b)) if a.get(k, []) != b.get(k, [])]
    for key in differ[:40]:
        print(f"{key}\n  before: {a.get(key, [])}\n  after:  {b.get(key, [])}")
    print(f"{len(set(a) | set(b))} inputs, {sum(len(v) for v in a.values())} findings before, "
          f"{sum(len(v) for v in b.values())} after; {len(differ)} inputs differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="OUT.json, or BEFORE.json AFTER.json with --compare")
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args(argv)
    if args.compare:
        if len(args.paths) != 2:
            parser.error("--compare takes two snapshots")
        return compare(*args.paths)
    take(args.paths[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
