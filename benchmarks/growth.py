#!/usr/bin/env python
"""How the hostile inputs of issue #17 scale: the time at twice the input over the time at once.

    python benchmarks/growth.py [--size N] [--only NAME]

For each case, builds its input at size N and 2N, times the stage it stresses (best of three, in
this process, after one warm-up) and prints the ratio. Linear work gives about 2; quadratic, 4.
The issue's bar is 2.6; a case above it is marked and the exit status is 1. Timing lives here,
never in the tests, which count work instead (``tests/test_hostile_input.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

BAR = 2.6


def _read(fmt: str, name: str) -> Callable[[str], object]:
    from ethicslint.documents import read_text

    return lambda text: read_text(text, name, fmt)


def _check(fmt: str, name: str, plugins: bool = True) -> Callable[[str], object]:
    from ethicslint.analysis import analyze
    from ethicslint.documents import read_text
    from ethicslint.host import Host

    host = Host()
    host.load(entry_points=plugins)

    def run(text: str) -> object:
        document = read_text(text, name, fmt).document
        assert document is not None
        return host.check_document(analyze(document, "en"), {})

    return run


def _validate() -> Callable[[str], object]:
    from ethicslint import Finding, Severity
    from ethicslint.host import HookOutcome, Host

    host = Host()
    host.rule_owner["GRW101"] = "growth"

    def run(text: str) -> object:
        lines = text.count("\n")
        findings = [Finding(path="p", line=i + 1, column=1, end_line=i + 1, end_column=2, code="GRW101",
                            checker="growth", severity=Severity.WARNING, message="m") for i in range(lines)]
        host._accept("growth", findings, HookOutcome(), text, "p", expected_path="p")
        return findings

    return run


CASES: dict[str, tuple[Callable[[int], str], Callable[[], Callable[[str], object]]]] = {
    "html: unclosed <p>": (lambda n: "<p>Offer ends soon " * n, lambda: _read("html", "x.html")),
    "html: nested <b>": (lambda n: "<b>" * (5 * n) + "Hurry" + "</b>" * (5 * n), lambda: _read("html", "x.html")),
    "validation: a finding per line": (lambda n: "Hurry, only two left!\n" * (5 * n), _validate),
    "urgency: Someone From": (lambda n: "Someone From " * n + "bought", lambda: _check("text", "x.txt")),
    "all checkers: triggers in paragraphs": (
        lambda n: "Hurry, only 2 left! Offer ends soon. Someone in Paris just bought this.\n\n" * (n // 20),
        lambda: _check("text", "x.txt")),
    "json: one long string": (lambda n: json.dumps({"blob": "QUJD" * (60 * n)}), lambda: _check("json", "x.json")),
}


def _best(function: Callable[[str], object], text: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=4000, help="the 1x size of each case (default 4000)")
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    failing = 0
    for name, (build, setup) in CASES.items():
        if args.only and args.only not in name:
            continue
        function = setup()
        once, twice = build(args.size), build(2 * args.size)
        function(once)  # warm-up: pipelines, compiled terms
        ratio = _best(function, twice) / max(_best(function, once), 1e-9)
        mark = "" if ratio <= BAR else f"  <-- above {BAR}"
        failing += bool(mark)
        print(f"{name:<40} {len(once):>10,} chars  x2 time ratio {ratio:5.2f}{mark}", flush=True)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
