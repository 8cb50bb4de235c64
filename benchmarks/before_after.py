"""Two source trees of ethicslint timed on one machine, interleaved: medians of N runs each.

    git worktree add /tmp/before <commit>
    python benchmarks/corpus.py /tmp/bench22/corpus 1
    python benchmarks/before_after.py 5      # BEFORE=/tmp/before by default

The "before" tree runs through PYTHONPATH (its own host and plugins), each tree with its own
cache directory (derived tables are keyed per version), both from the working directory /tmp so
that the current directory does not shadow PYTHONPATH. CPU is what the started process and the
children it waited for used (supervised plugin workers are not counted).
"""
import os, statistics, subprocess, sys, time, resource
from pathlib import Path

BEFORE = os.environ.get("BEFORE", "/tmp/before")

PY = sys.executable
CORPUS = Path("/tmp/bench22/corpus")
SMALL = Path("/tmp/bench22/small")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 5
if not SMALL.is_dir():  # the one-file pages of benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).parent))
    import run
    SMALL.mkdir(parents=True)
    (SMALL / "en.md").write_text(run.EN_PAGE, encoding="utf-8")
    (SMALL / "fr.md").write_text(run.FR_PAGE, encoding="utf-8")
before_env = {**os.environ, "PYTHONPATH": f"{BEFORE}:{BEFORE}/plugins", "ETHICSLINT_RUNTIME_DIR": "/tmp/bench22/run",
              "ETHICSLINT_CACHE_HOME": "/tmp/bench22/cache-before"}
after_env = {**os.environ, "ETHICSLINT_RUNTIME_DIR": "/tmp/bench22/run", "ETHICSLINT_CACHE_HOME": "/tmp/bench22/cache-after"}
os.makedirs("/tmp/bench22/run", mode=0o700, exist_ok=True)
base = [PY, "-m", "ethicslint", "check", "--no-cache", "--no-server", "-q", "--exit-zero"]
four = ["--disable-plugin", "green-claims"]
cases = {
    "1x repo, default jobs: before": (before_env, base + four + [str(CORPUS)], Path("/tmp")),
    "1x repo, default jobs: after (same four checkers)": (after_env, base + four + [str(CORPUS)], Path("/tmp")),
    "1x repo, default jobs: after, five checkers": (after_env, base + [str(CORPUS)], Path("/tmp")),
    "1x repo, --jobs 1: before": (before_env, base + four + ["--jobs", "1", str(CORPUS)], Path("/tmp")),
    "1x repo, --jobs 1: after (same four checkers)": (after_env, base + four + ["--jobs", "1", str(CORPUS)], Path("/tmp")),
    "one file en, cold: before": (before_env, base + four + ["en.md"], SMALL),
    "one file en, cold: after": (after_env, base + four + ["en.md"], SMALL),
    "one file fr, cold: before": (before_env, base + four + ["fr.md"], SMALL),
    "one file fr, cold: after": (after_env, base + four + ["fr.md"], SMALL),
    "import spacy": (after_env, [PY, "-c", "import spacy"], Path("/tmp")),
}
times = {k: [] for k in cases}
cpu = {k: [] for k in cases}
for _ in range(1):  # warm-up: bytecode, derived tables
    for k, (env, cmd, cwd) in cases.items():
        subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(N):
    for k, (env, cmd, cwd) in cases.items():
        t = time.perf_counter()
        u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times[k].append(time.perf_counter() - t)
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[k].append((u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime))
        if r.returncode not in (0,):
            print("FAILED", k, r.returncode, r.stderr[-300:], file=sys.stderr)
print("| case | median wall s | median CPU s | CPU runs (s) |")
print("|---|---|---|---|")
for k, v in times.items():
    c = cpu[k]
    print(f"| {k} | {statistics.median(v):.2f} | {statistics.median(c):.2f} | {', '.join(f'{x:.2f}' for x in sorted(c))} |")
