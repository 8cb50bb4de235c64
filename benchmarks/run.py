"""ethicslint's speed, measured against the floor (import spaCy, spaCy's tokenizer) and other prose linters.

    python benchmarks/run.py                      # scales 1, 4, 16; about 6 minutes on 2 cores
    python benchmarks/run.py --scales 1 --repeat 5
    python benchmarks/run.py --quick              # scale 1, fewer repetitions, no competitors

What it does, all on one machine in one run, every comparison interleaved (A, B, C, A, B, C...)
and repeated, reporting medians, so that a busy neighbour slows every tool alike:

1. **one file, cold**: ``python -c "import spacy"`` against ``ethicslint check FILE --no-cache``
   on one small English and one small French page (the pre-commit case);
2. **a whole copy repo**: a generated bilingual repo (:mod:`corpus`, ~400 pages / ~150 k words at
   scale 1) checked by ethicslint (``--no-cache``; as run by default, which uses one worker per
   core for 32 files or more, and with ``--jobs 1``), proselint and alex
   when installed, and by a "blank tokenizer" process (import spaCy, build the blank English and
   French tokenizers, read every file, tokenize every paragraph): the floor for any spaCy-based
   linter. Also: the share of sentences that reached the statistical (heavy) stage, and ethicslint
   with every built-in checker turned off (what the host alone costs: reading Markdown, language
   detection, the cheap tier);
3. **unchanged files**: a first run with the result cache against a second one;
4. **scaling**: the same at 4x and 16x the words, with peak memory (max RSS) of each run;
5. **a warm server** (``ethicslint server start``, once, before the timings): the one-file and
   whole-repo runs again, served by it. Every other ethicslint run passes ``--no-server``; the
   server lives in a runtime directory of this benchmark's own.

A tool that is not installed is reported as skipped. Before timing, one untimed run writes
Python's bytecode (``__pycache__``, as ``pip install`` does) and ethicslint's derived lemma tables
(``~/.cache/ethicslint``), so "cold" means a new process, as in pre-commit, not a new install.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PY = sys.executable

EN_PAGE = """# Spring collection

Our new linen shirts are cut from European flax and washed for softness. Each shirt comes in
five colours and sizes from XS to XXL. Free returns within 30 days.

Care: machine wash at 30 °C, hang to dry.
"""

FR_PAGE = """# Collection de printemps

Nos nouvelles chemises en lin sont taillées dans du lin européen et lavées pour plus de douceur.
Chaque chemise existe en cinq couleurs et en tailles du XS au XXL. Retours gratuits sous 30 jours.

Entretien : lavage en machine à 30 °C, séchage à l'air libre.
"""

# The floor: what a spaCy-based linter cannot avoid (start, import, tokenizers, read, tokenize).
BLANK_TOKENIZER = r"""
import sys, time
from pathlib import Path
import spacy
from ethicslint.nlp.speedups.french_tokenizer import compact_token_match
with compact_token_match():  # French without the stock regex compile
    fr = spacy.blank("fr")
en = spacy.blank("en")
start = time.perf_counter()
tokens = 0
for name in sys.argv[1:]:
    path = Path(name)
    nlp = fr if "/fr/" in path.as_posix() else en
    for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
        tokens += len(nlp.tokenizer(paragraph))
print(tokens, time.perf_counter() - start)
"""

# Sentences and heavy-stage sentences of a run, from the runner's own counters.
STATS = r"""
import json, sys
import ethicslint.runner as runner
seen = {}
real_run = runner.run
def run(*args, **kwargs):
    result = real_run(*args, **kwargs)
    seen.update(sentences=result.sentences, parsed=result.parsed_sentences, findings=len(result.findings))
    return result
runner.run = run
from ethicslint.cli import main
try:
    main(["check", *sys.argv[1:], "--no-cache", "-q", "--exit-zero", "--format", "json"], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(seen), file=sys.stderr)
"""


@dataclass
class Timing:
    """Wall times and peak memory of repeated runs of one command."""

    name: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, workers included
    max_rss_kb: list[int] = field(default_factory=list)
    skipped: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def rss_mb(self) -> float:
        return max(self.max_rss_kb) / 1024 if self.max_rss_kb else float("nan")


BASELINE: Path | None = None  # another source tree of ethicslint to compare with (--baseline)
RUNTIME_DIR = Path(tempfile.mkdtemp(prefix="ethicslint-bench-run-"))  # the warm server's socket


def _env(baseline: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # keep __pycache__, as an installed package has
    env["ETHICSLINT_RUNTIME_DIR"] = str(RUNTIME_DIR)
    if baseline and BASELINE is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(BASELINE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def timed(cmd: list[str], cwd: Path, baseline: bool = False) -> tuple[float, float, int, int]:
    """Wall time, CPU time, max RSS (KiB) and exit status of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(baseline), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def interleaved(commands: dict[str, list[str] | None], cwd: Path, repeat: int,
                allowed: Callable[[str, int], bool] = lambda name, code: code == 0) -> dict[str, Timing]:
    """Run every command ``repeat`` times, round-robin; None commands are reported as skipped. A
    command that fails (say, ethicslint not installed) stops the benchmark: its time means nothing."""
    timings = {name: Timing(name) for name in commands}
    for name, cmd in commands.items():
        if cmd is None:
            timings[name].skipped = "not installed"
    for _ in range(repeat):
        for name, cmd in commands.items():
            if cmd is None:
                continue
            seconds, cpu, rss, code = timed(cmd, cwd, baseline=name.startswith("baseline"))
            if not allowed(name, code):
                raise SystemExit(f"{name}: exit status {code} for {' '.join(cmd)}")
            timings[name].seconds.append(seconds)
            timings[name].cpu.append(cpu)
            timings[name].max_rss_kb.append(rss)
    return timings


# The built-in checkers, turned off for the "no checker" row: what the host alone costs.
NO_CHECKER = [flag for name in ("urgency", "ai-disclosure", "diversity", "data-claims")
              for flag in ("--disable-plugin", name)]


def ethicslint_cmd(*args: str) -> list[str]:
    """A cold run: ``--no-server``."""
    return [PY, "-m", "ethicslint", "check", *args, "-q", "--exit-zero", "--no-server"]


def warm_cmd(*args: str) -> list[str]:
    """A run the warm server serves."""
    return [PY, "-m", "ethicslint", "check", *args, "-q", "--exit-zero"]


def baseline_cmd(*args: str) -> list[str]:
    """A run of the --baseline tree (which may predate ``--no-server``; it has no server)."""
    return [PY, "-m", "ethicslint", "check", *args, "-q", "--exit-zero"]


def proselint_cmd(root: Path) -> list[str] | None:
    exe = shutil.which("proselint")
    return [exe, "check", str(root)] if exe else None


def alex_cmd(root: Path) -> list[str] | None:
    exe = shutil.which("alex")
    return [exe, "--quiet", str(root)] if exe else None


def stats(root: Path) -> dict[str, int]:
    proc = subprocess.run([PY, "-c", STATS, str(root)], env=_env(), capture_output=True, text=True, cwd=root)
    for line in reversed(proc.stderr.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"could not read the run's counters:\n{proc.stderr[-2000:]}")


# --- the report -----------------------------------------------------------------------------

ROWS: list[tuple[str, ...]] = []


def row(*cells: object) -> None:
    ROWS.append(tuple(str(c) for c in cells))
    print(" | ".join(str(c) for c in cells), flush=True)


def fmt_s(value: float) -> str:
    return f"{value:.2f}" if value == value else "—"


def fmt_rate(words: int, seconds: float) -> str:
    return f"{words / seconds:,.0f}" if seconds == seconds and seconds > 0 else "—"


def table() -> str:
    header = ("case", "words", "median s", "words/s", "peak MB", "ratio")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in ROWS]
    return "\n".join(lines)


# --- the benchmark --------------------------------------------------------------------------

def cold(work: Path, repeat: int) -> None:
    pages = work / "cold"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "en.md").write_text(EN_PAGE, encoding="utf-8")
    (pages / "fr.md").write_text(FR_PAGE, encoding="utf-8")
    commands = {
        "import spacy": [PY, "-c", "import spacy"],
        "en": ethicslint_cmd("en.md", "--no-cache"),
        "fr": ethicslint_cmd("fr.md", "--no-cache"),
        "warm en": warm_cmd("en.md", "--no-cache"),
        "warm fr": warm_cmd("fr.md", "--no-cache"),
    }
    if BASELINE is not None:
        commands["baseline en"] = baseline_cmd("en.md", "--no-cache")
        commands["baseline fr"] = baseline_cmd("fr.md", "--no-cache")
    t = interleaved(commands, pages, repeat)
    base = t["import spacy"].median
    row("one file, cold: `python -c \"import spacy\"`", "—", fmt_s(base), "—", f"{t['import spacy'].rss_mb:.0f}", "1.00")
    for lang in ("en", "fr"):
        words = len((pages / f"{lang}.md").read_text(encoding="utf-8").split())
        row(f"one file, cold: `ethicslint check {lang}.md` ({lang})", words, fmt_s(t[lang].median), "—",
            f"{t[lang].rss_mb:.0f}", f"{t[lang].median / base:.2f}x import spacy")
        warm = t[f"warm {lang}"]
        row(f"one file, warm server: `ethicslint check {lang}.md` ({lang})", words, fmt_s(warm.median), "—",
            f"{warm.rss_mb:.0f} (client)", f"{warm.median / base:.2f}x import spacy")
        if BASELINE is not None:
            old = t[f"baseline {lang}"]
            row(f"one file, cold: baseline ({BASELINE.name}) `{lang}.md`", words, fmt_s(old.median), "—",
                f"{old.rss_mb:.0f}", f"{old.median / base:.2f}x import spacy; now {old.median / t[lang].median:.2f}x faster")


def whole_repo(root: Path, words: int, repeat: int, tools: bool, scale: int) -> dict[str, Timing]:
    from ethicslint.runner import default_jobs

    jobs = default_jobs()
    files = sorted(str(p) for p in root.rglob("*.md"))
    commands: dict[str, list[str] | None] = {
        "ethicslint": ethicslint_cmd(str(root), "--no-cache"),
        "ethicslint --jobs 1": ethicslint_cmd(str(root), "--no-cache", "--jobs", "1"),
        "ethicslint, warm server": warm_cmd(str(root), "--no-cache"),
        "ethicslint, no checker": ethicslint_cmd(str(root), "--no-cache", *NO_CHECKER),
        "blank tokenizer": [PY, "-c", BLANK_TOKENIZER, *files],
    }
    if tools:
        commands["proselint"] = proselint_cmd(root)
        commands["alex"] = alex_cmd(root)
    if BASELINE is not None and scale == 1:
        commands["baseline"] = baseline_cmd(str(root), "--no-cache")
    t = interleaved(commands, root, repeat,
                    allowed=lambda name, code: code == 0 or name in ("alex", "proselint"))  # 1: they found something
    ours = t["ethicslint"].median
    one = t["ethicslint --jobs 1"]
    blank = t["blank tokenizer"].median
    prefix = f"{scale}x repo"
    row(f"{prefix}: ethicslint (`--no-cache`; default: {jobs} workers here)", f"{words:,}", fmt_s(ours),
        fmt_rate(words, ours), f"{t['ethicslint'].rss_mb:.0f} (parent)",
        f"{one.median / ours:.2f}x faster than one job (CPU {t['ethicslint'].cpu_median:.1f} s, one job "
        f"{one.cpu_median:.1f} s)")
    row(f"{prefix}: ethicslint `--jobs 1`", f"{words:,}", fmt_s(one.median), fmt_rate(words, one.median),
        f"{one.rss_mb:.0f}", "1.00")
    warm = t["ethicslint, warm server"]
    row(f"{prefix}: ethicslint, warm server", f"{words:,}", fmt_s(warm.median), fmt_rate(words, warm.median),
        f"{warm.rss_mb:.0f} (client)", f"{ours / warm.median:.2f}x faster than a cold run")
    row(f"{prefix}: blank tokenizer process (the floor)", f"{words:,}", fmt_s(blank), fmt_rate(words, blank),
        f"{t['blank tokenizer'].rss_mb:.0f}", f"ethicslint reaches {blank / ours:.0%} of its words/s "
        f"({blank / one.median:.0%} with one job, {blank / warm.median:.0%} warm)")
    host = t["ethicslint, no checker"]
    row(f"{prefix}: ethicslint with no checker (host: read, language, cheap tier)", f"{words:,}",
        fmt_s(host.median), fmt_rate(words, host.median), f"{host.rss_mb:.0f} (parent)",
        f"{blank / host.median:.0%} of the floor's words/s; the checkers add {ours - host.median:.2f} s")
    if "baseline" in t:
        old = t["baseline"]
        row(f"{prefix}: baseline ({BASELINE.name}) ethicslint", f"{words:,}", fmt_s(old.median),
            fmt_rate(words, old.median), f"{old.rss_mb:.0f}", f"now {old.median / one.median:.2f}x faster (one job)")
    for tool in ("proselint", "alex"):
        if tool not in t:
            continue
        if t[tool].skipped:
            row(f"{prefix}: {tool}", f"{words:,}", "skipped", "—", "—", t[tool].skipped)
            continue
        row(f"{prefix}: {tool}", f"{words:,}", fmt_s(t[tool].median), fmt_rate(words, t[tool].median),
            f"{t[tool].rss_mb:.0f}", f"ethicslint is {t[tool].median / ours:.2f}x faster cold, "
            f"{t[tool].median / warm.median:.2f}x warm")
    return t


def cache_case(root: Path, words: int, repeat: int) -> None:
    first, second = Timing("first"), Timing("second")
    for _ in range(repeat):
        shutil.rmtree(root / ".ethicslint_cache", ignore_errors=True)
        for timing in (first, second):
            seconds, cpu, rss, code = timed(ethicslint_cmd(str(root)), root)
            if code != 0:
                raise SystemExit(f"ethicslint: exit status {code} in {root}")
            timing.seconds.append(seconds)
            timing.cpu.append(cpu)
            timing.max_rss_kb.append(rss)
    shutil.rmtree(root / ".ethicslint_cache", ignore_errors=True)
    row("1x repo: first run, empty result cache", f"{words:,}", fmt_s(first.median), fmt_rate(words, first.median),
        f"{first.rss_mb:.0f}", "1.00")
    row("1x repo: second run, nothing changed", f"{words:,}", fmt_s(second.median), "—",
        f"{second.rss_mb:.0f}", f"{first.median / second.median:.1f}x faster")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,4,16", help="corpus sizes, in multiples of 400 pages")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions at scale 1 (median reported)")
    parser.add_argument("--scale-repeat", type=int, default=1, help="repetitions at larger scales")
    parser.add_argument("--cold-repeat", type=int, default=7, help="repetitions of the one-file runs")
    parser.add_argument("--no-tools", action="store_true", help="do not run proselint and alex")
    parser.add_argument("--quick", action="store_true", help="scale 1, 2 repetitions, no competitors")
    parser.add_argument("--workdir", type=Path, help="where corpora are generated (default: a temp dir)")
    parser.add_argument("--baseline", type=Path, help="a source tree of another ethicslint version to time "
                        "too (e.g. `git archive HEAD ethicslint | tar -x -C /tmp/before`)")
    args = parser.parse_args(argv)
    global BASELINE
    BASELINE = args.baseline.resolve() if args.baseline else None
    if args.quick:
        args.scales, args.repeat, args.cold_repeat, args.no_tools = "1", 2, 3, True
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ethicslint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# ethicslint benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
          f"python {sys.version.split()[0]}, work dir {work}", flush=True)

    corpora: dict[int, tuple[Path, int]] = {}
    for scale in scales:
        root = work / f"repo-{scale}x"
        files, words = corpus.generate(root, scale)
        corpora[scale] = (root, words)
        print(f"generated {len(files)} pages, {words:,} words in {root}", flush=True)

    # untimed: bytecode, derived lemma tables, the model's tables (the result is discarded)
    for baseline in ([False, True] if BASELINE is not None else [False]):
        command = baseline_cmd if baseline else ethicslint_cmd
        subprocess.run(command(str(corpora[scales[0]][0]), "--no-cache"), env=_env(baseline),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.run([PY, "-m", "ethicslint", "server", "start", "--idle-timeout", "7200"], env=_env(),
                            capture_output=True, text=True)
    if server.returncode != 0:
        raise SystemExit(f"could not start the warm server:\n{server.stderr}")
    try:
        _timings(args, scales, corpora, work)
    finally:
        subprocess.run([PY, "-m", "ethicslint", "server", "stop"], env=_env(), capture_output=True)
        shutil.rmtree(RUNTIME_DIR, ignore_errors=True)
    print()
    print(table())
    return 0


def _timings(args: argparse.Namespace, scales: list[int], corpora: dict[int, tuple[Path, int]], work: Path) -> None:
    cold(work, args.cold_repeat)
    results: dict[int, dict[str, Timing]] = {}
    for index, scale in enumerate(scales):
        root, words = corpora[scale]
        repeat = args.repeat if index == 0 else args.scale_repeat
        results[scale] = whole_repo(root, words, repeat, tools=not args.no_tools and index == 0,
                                    scale=scale)
        if index == 0:
            counts = stats(root)
            share = counts["parsed"] / counts["sentences"] if counts["sentences"] else 0.0
            row(f"{scale}x repo: sentences that reached the heavy stage", f"{words:,}", "—", "—", "—",
                f"{counts['parsed']:,} of {counts['sentences']:,} ({share:.1%})")
            cache_case(root, words, args.repeat)
    base_scale = scales[0]
    # scaling and memory with one job: a parallel run's peak memory is the parent's alone
    base_time = results[base_scale]["ethicslint --jobs 1"].median
    base_rss = results[base_scale]["ethicslint --jobs 1"].rss_mb
    for scale in scales[1:]:
        words = corpora[scale][1]
        t = results[scale]["ethicslint --jobs 1"]
        row(f"scaling (`--jobs 1`): {scale // base_scale}x the words", f"{words:,}", fmt_s(t.median), fmt_rate(words, t.median),
            f"{t.rss_mb:.0f}", f"{t.median / base_time:.1f}x the time, {t.rss_mb / base_rss:.2f}x the peak memory")


if __name__ == "__main__":
    sys.exit(main())
