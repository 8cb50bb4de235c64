"""What running the plugins in a supervised worker process costs (``ethicslint/workers.py``).

    python benchmarks/isolation.py               # 1 and 40 small pages, 7 rounds
    python benchmarks/isolation.py --rounds 15

In one process, with the plugins loaded and spaCy's cheap pipelines built (as in a run once it
has started), the same files are checked by :func:`ethicslint.runner.run` with one job, with
``isolate=True`` (what the command line does: the checks in one forked worker) and
``isolate=False`` (in this process), interleaved and repeated; it prints the medians and their
difference, in total and per file. Fork-only (Linux).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ethicslint import nlp  # noqa: E402
from ethicslint.config import Config  # noqa: E402
from ethicslint.host import Host  # noqa: E402
from ethicslint.runner import RunContext, run  # noqa: E402

PAGE = ("# Spring sale\n\nOur new running shoes are light and breathable. Hurry, only 2 left in stock!\n\n"
        "Nos chaussures sont légères et respirantes : livraison offerte dès demain.\n")


def _measure(files: list[tuple[Path, str]], ctx: RunContext, rounds: int) -> dict[bool, list[float]]:
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(rounds):
        for isolate in (True, False):
            started = time.perf_counter()
            run(files, ctx, jobs=1, isolate=isolate)
            times[isolate].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    host = Host()
    host.load()
    for lang in ("en", "fr"):
        nlp.cheap_pipeline(lang)
    with tempfile.TemporaryDirectory(prefix="ethicslint-isolation-") as tmp:
        root = Path(tmp)
        ctx = RunContext(config=Config(path=None, root=root), plugin_configs={}, host=host)
        paths = []
        for index in range(40):
            path = root / f"page{index}.md"
            path.write_text(PAGE, encoding="utf-8")
            paths.append((path, path.name))
        run(paths[:1], ctx, jobs=1)  # the checkers compile their terms here, once
        print("| files | in this process (median s) | in a worker (median s) | difference | per file |")
        print("|---|---|---|---|---|")
        for count in (1, 40):
            times = _measure(paths[:count], ctx, rounds)
            here, worker = statistics.median(times[False]), statistics.median(times[True])
            print(f"| {count} | {here:.3f} | {worker:.3f} | {(worker - here) * 1000:+.1f} ms | "
                  f"{(worker - here) / count * 1000:+.2f} ms |")


if __name__ == "__main__":
    main()
