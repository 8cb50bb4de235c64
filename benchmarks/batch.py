"""``ethicslint batch`` throughput and memory: variants per second and peak RSS per worker, for the
``local`` engine with 1 and 2 workers and the ``ray`` and ``dask`` engines started on this machine.

    python benchmarks/batch.py                      # one million variants (docs/performance.md)
    python benchmarks/batch.py --variants 50000     # while working
    python benchmarks/batch.py --engines local-2,ray

The input is generated (``benchmarks/variants.py``: ~60-word variants, English and French
alternating, ~4 % with a planted problem) once into ``--workdir``. Each configuration runs the
real command in a new process (``python -m ethicslint batch IN -o OUT --engine E --jobs N -q``),
timed from start to exit (start-up of Ray or Dask included); every 0.2 s the resident memory of
each process of its tree is sampled (psutil) and the peak of each kept. A "worker" is a process
that checks variants: a local worker process, a Ray ``RayChecker`` actor, a Dask worker process;
the command's own process is the "driver"; Ray's and Dask's other processes (raylet, GCS, nannies'
helpers) are summed as "other". The CPU time (user + system) of every process of the tree, summed,
gives variants per CPU-second: the per-core throughput, whatever else the machine runs, start-up
and the driver's reading and writing included. Configurations run one after the other, not
interleaved: run it on an idle machine, and read the load average printed with the table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
import variants as generated  # noqa: E402

CONFIGS = {"local-1": ("local", 1), "local-2": ("local", 2), "ray": ("ray", 2), "dask": ("dask", 2)}
SAMPLE_SECONDS = 0.2


@dataclass
class Measure:
    name: str
    workers: int
    seconds: float = 0.0
    status: int = 0
    driver_mb: float = 0.0
    worker_mb: list[float] = field(default_factory=list)
    other_mb: float = 0.0
    cpu_seconds: float = 0.0  # user + system time of every process of the tree


def _is_worker(process: psutil.Process, command: int | None, engine: str) -> bool:
    try:
        line = " ".join(process.cmdline())
        parent = process.ppid()
    except psutil.Error:
        return False
    if engine == "ray":
        return "RayChecker" in line or process.name().startswith("ray::RayChecker")
    if engine == "dask":
        return "spawn_main" in line and "resource_tracker" not in line
    return command is not None and parent == command


def run(config: str, source: Path, output: Path, count: int) -> Measure:
    engine, jobs = CONFIGS[config]
    command = [sys.executable, "-m", "ethicslint", "batch", str(source), "-o", str(output), "--engine", engine,
               "--jobs", str(jobs), "-q", "--metadata-columns", "ai_generated"]
    measure = Measure(config, jobs)
    peaks: dict[int, tuple[float, str]] = {}  # pid -> (peak MB, role)
    cpu: dict[int, float] = {}  # pid -> CPU seconds so far (its last sample)
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, "ETHICSLINT_SERVER": "off"})
    top = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
        except psutil.Error:
            tree = []
        # the command runs in a child the top process watches (ethicslint.workers.watch_this_process)
        command_pid = next((p.pid for p in tree if p.ppid() == top.pid and _alive(p)), None) if tree else None
        for proc in tree:
            try:
                rss = proc.memory_info().rss / 2**20
                times = proc.cpu_times()
            except psutil.Error:
                continue
            cpu[proc.pid] = times.user + times.system
            role = ("driver" if proc.pid == command_pid else "watcher" if proc.pid == top.pid
                    else "worker" if _is_worker(proc, command_pid, engine) else "other")
            previous = peaks.get(proc.pid, (0.0, role))
            peaks[proc.pid] = (max(previous[0], rss), role if role != "other" else previous[1])
        time.sleep(SAMPLE_SECONDS)
    measure.seconds = time.perf_counter() - started
    measure.status = process.returncode
    measure.cpu_seconds = sum(cpu.values())
    measure.driver_mb = max((mb for mb, role in peaks.values() if role == "driver"), default=0.0)
    measure.worker_mb = sorted((mb for mb, role in peaks.values() if role == "worker"), reverse=True)
    measure.other_mb = sum(mb for mb, role in peaks.values() if role == "other")
    if engine == "local" and jobs == 1:
        measure.worker_mb = [measure.driver_mb]  # the driver checks the variants itself
    return measure


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running()
    except psutil.Error:
        return False


def table(measures: list[Measure], count: int, words: int) -> str:
    lines = ["| engine | workers | wall s | variants/s | per worker | CPU s | variants per CPU-second | "
             "peak RSS per worker (MB) | driver MB | other processes MB | exit |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in measures:
        rate = count / m.seconds
        workers = ", ".join(f"{mb:.0f}" for mb in m.worker_mb[:m.workers]) or "—"
        lines.append(f"| {m.name} | {m.workers} | {m.seconds:.0f} | {rate:,.0f} | {rate / m.workers:,.0f} | "
                     f"{m.cpu_seconds:.0f} | {count / max(m.cpu_seconds, 1e-9):,.0f} | {workers} | "
                     f"{m.driver_mb:.0f} | {m.other_mb:.0f} | {m.status} |")
    lines.append(f"\n{count:,} variants, {words:,} words ({words / count:.0f} per variant); load average "
                 f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end; {os.cpu_count()} cores.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=1_000_000)
    parser.add_argument("--engines", default=",".join(CONFIGS))
    parser.add_argument("--workdir", type=Path, default=Path("bench-batch"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.workdir / f"variants-{args.variants}.jsonl"
    words_file = source.with_suffix(".words")
    if not source.exists() or not words_file.exists():
        words_file.write_text(str(generated.write_jsonl(source, args.variants)))
    words = int(words_file.read_text())
    measures = []
    for config in args.engines.split(","):
        measure = run(config, source, args.workdir / f"findings-{config}.jsonl", args.variants)
        print(f"{config}: {measure.seconds:.0f} s, exit {measure.status}", file=sys.stderr, flush=True)
        measures.append(measure)
    print(table(measures, args.variants, words))


if __name__ == "__main__":
    main()
