"""Measure the urgency checker: its labelled corpus and the public dark-pattern datasets.

Usage: python scripts/quality_urgency.py [--misses] [--perf [COPIES]] [--instructions] [--share [SCALES]]

Prints the Markdown tables of docs/quality/urgency.md:

1. precision/recall per language on tests/corpus/urgency/ (codes reported at warning or above);
2. recall per category on darkpatterns-yada2022 and the false-positive rate on its non-dark texts;
3. recall per pattern type on darkpatterns-mathur2019 (distinct non-empty texts).

The datasets are read from ../shared/corpus/ beside the repository (never copied into it: the
Mathur data is GPL-licensed). They are English shopping-site UI strings, read as format "text".
With --misses, the texts the checker got wrong are listed after the tables (for the author; the
datasets were first measured blind, see docs/quality/urgency.md before adjusting terms to them).

With --perf, it also times ``ethicslint check`` with and without the urgency plugin on generated
copy repos in temporary directories: the project's benchmark corpus (benchmarks/corpus.py), and
COPIES copies (default 10) of examples/, the French seed articles and the labelled corpora as
Markdown pages, without and with this checker's own corpus (runs interleaved, best of five).

With --instructions, it counts the machine instructions of one ``ethicslint check`` of the
project's benchmark (scale 2) with and without the plugin, under valgrind (``cachegrind``
without cache simulation, about 20 times slower than a normal run). Unlike CPU time on a shared
machine, the count barely moves from one run to the next (two runs: 20.84 and 20.87 G without
the plugin), so it shows what the plugin adds even when the timings scatter by several points.

With --share, it times the plugin's own hook inside one real ``ethicslint check`` (one job, a
fresh process) of the project's benchmark at each of SCALES (default ``2,4,16``), and prints
what it adds to the rest of that same run: a ratio measured within one run, which the machine's
load shifts far less than a comparison of two runs.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ethicslint_urgency as plugin
from ethicslint.model import Severity
from ethicslint.testing import check_text, load_cases, plugin_config, score

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "urgency"
SHARED = ROOT.parent / "shared" / "corpus"
YADA = SHARED / "darkpatterns-yada2022" / "dataset.jsonl"
MATHUR = SHARED / "darkpatterns-mathur2019" / "dark-patterns.jsonl"

# Which of the checker's rules answer which dataset category / pattern type.
CATEGORY_CODES = {
    "Urgency": {"URG101", "URG102", "URG103"},
    "Scarcity": {"URG201", "URG202"},
    "Social Proof": {"URG301"},
    "Misdirection": {"URG401"},
}
TYPE_CODES = {
    "Countdown Timer": CATEGORY_CODES["Urgency"],
    "Limited-time Message": CATEGORY_CODES["Urgency"],
    "Low-stock Message": CATEGORY_CODES["Scarcity"],
    "High-demand Message": CATEGORY_CODES["Scarcity"],
    "Activity Notification": CATEGORY_CODES["Social Proof"],
    "Confirmshaming": CATEGORY_CODES["Misdirection"],
}
THRESHOLD_CATEGORIES = ("Urgency", "Scarcity")  # recall >= 0.80 is tested on these
RECALL_MIN = 0.80
FALSE_POSITIVE_MAX = 0.05


def findings(text: str, lang: str, fmt: str = "text") -> list:
    return check_text(plugin, text, lang=lang, fmt=fmt, config=plugin_config(plugin))


def reported_codes(text: str, lang: str, fmt: str = "text") -> set[str]:
    """Codes reported at warning or above (info is a hint, e.g. a quoted example)."""
    return {f.code for f in findings(text, lang, fmt) if f.severity.rank >= Severity.WARNING.rank}


# --- labelled corpus -----------------------------------------------------------------------

def corpus_scores() -> tuple[list[tuple], list[str]]:
    rows, errors = [], []
    for lang in ("en", "fr"):
        cases = load_cases(CORPUS / f"{lang}.jsonl")
        negatives = sum(1 for c in cases if not c["expected_codes"])
        started = time.perf_counter()
        result = score(cases, lambda c: reported_codes(c["text"], c["lang"], c.get("fmt", "text")))
        elapsed = time.perf_counter() - started
        s = result[lang]
        rows.append((lang, len(cases), negatives, s.true_positives, s.false_positives, s.false_negatives,
                     s.precision, s.recall, elapsed))
        errors += result["all"].errors
    return rows, errors


# --- public datasets -----------------------------------------------------------------------

@dataclass
class Tally:
    """How many texts of one group the checker reported, with the codes that answered."""

    texts: int = 0
    hit_own: int = 0  # reported by the rules of this group
    hit_any: int = 0  # reported by any URG rule (warning or above)
    misses: list[str] = field(default_factory=list)

    @property
    def recall_own(self) -> float:
        return self.hit_own / self.texts if self.texts else 0.0

    @property
    def recall_any(self) -> float:
        return self.hit_any / self.texts if self.texts else 0.0


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _tally(groups: dict[str, list[str]], codes_for: dict[str, set[str]]) -> dict[str, Tally]:
    tallies = {}
    for group, texts in groups.items():
        tally = Tally()
        for text in texts:
            found = reported_codes(text, "en")
            tally.texts += 1
            if found & codes_for[group]:
                tally.hit_own += 1
            else:
                tally.misses.append(text)
            if found:
                tally.hit_any += 1
        tallies[group] = tally
    return tallies


def yada_scores() -> tuple[dict[str, Tally], int, int, list[tuple[str, list]]]:
    """Recall per in-scope category, and false positives on the non-dark texts (any finding,
    info included, counts as a false positive)."""
    rows = _read_jsonl(YADA)
    groups: dict[str, list[str]] = {c: [] for c in CATEGORY_CODES}
    for row in rows:
        if row["label"] == 1 and row["category"] in groups:
            groups[row["category"]].append(row["text"])
    tallies = _tally(groups, CATEGORY_CODES)
    negatives = [r["text"] for r in rows if r["label"] == 0]
    false_positives = []
    for text in negatives:
        found = findings(text, "en")
        if found:
            false_positives.append((text, found))
    return tallies, len(negatives), len(false_positives), false_positives


def mathur_scores() -> dict[str, Tally]:
    """Recall per in-scope pattern type, over distinct non-empty texts."""
    groups: dict[str, list[str]] = {t: [] for t in TYPE_CODES}
    seen: set[tuple[str, str]] = set()
    for row in _read_jsonl(MATHUR):
        text = (row.get("text") or "").strip()
        key = (row["type"], text)
        if row["type"] in groups and text and key not in seen:
            seen.add(key)
            groups[row["type"]].append(text)
    return _tally(groups, TYPE_CODES)


# --- performance -------------------------------------------------------------------------

def build_copy_repo(root: Path, copies: int, with_own_corpus: bool = True) -> tuple[int, int]:
    """A large copy repo: ``copies`` copies of the examples, the French seed articles and the
    labelled corpora of every checker (as Markdown pages of 20 snippets). ``with_own_corpus=False``
    leaves out this checker's corpus (about 60 % urgency snippets: far denser than real copy).
    Returns (files, characters)."""
    pages: list[tuple[str, str]] = []
    for corpus in sorted((ROOT / "tests" / "corpus").glob("*/*.jsonl")):
        if corpus.parent.name == "urgency" and not with_own_corpus:
            continue
        cases = [c for c in load_cases(corpus) if c.get("fmt", "text") == "text"]
        for start in range(0, len(cases), 20):
            body = "\n\n".join(c["text"] for c in cases[start:start + 20])
            lang = cases[start]["lang"]
            pages.append((f"{corpus.parent.name}-{corpus.stem}-{start // 20}.md", f"---\nlang: {lang}\n---\n\n{body}\n"))
    for seed in sorted((SHARED / "seeds-fr").glob("*.txt")):
        pages.append((f"blog-{seed.stem}.md", seed.read_text(encoding="utf-8")))
    for i in range(copies):
        target = root / f"site{i:03d}"
        shutil.copytree(ROOT / "examples", target / "examples")
        (target / "pages").mkdir(parents=True, exist_ok=True)
        for name, text in pages:
            (target / "pages" / name).write_text(text, encoding="utf-8")
    files = [path for path in root.rglob("*") if path.is_file()]
    return len(files), sum(len(path.read_text(encoding="utf-8", errors="replace")) for path in files)


def _check_command(repo: Path, extra: list[str]) -> list[str]:
    """One ``ethicslint check`` of ``repo`` as timed here: no cache, one job, in this process's
    own environment (no warm server)."""
    return [sys.executable, "-m", "ethicslint", "check", str(repo), "--no-cache", "-q", "--exit-zero",
            "--format", "json", "--jobs", "1", "--no-server", *extra]


def _run_check(repo: Path, extra: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one ``ethicslint check`` run on ``repo``. A run that fails
    (exit 3: a plugin raised, EL001) stops the measurement with the plugin's error, not a bare
    exit status: the timing of an incomplete run would be meaningless."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(_check_command(repo, extra), capture_output=True, text=True, cwd=repo)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        try:
            errors = [f"{f['path']}: {f['message']}" for f in json.loads(result.stdout or "[]") if f["code"] == "EL001"]
        except (ValueError, KeyError, TypeError):
            errors = []
        detail = "\n".join(errors[:5] + ([result.stderr.strip()] if result.stderr.strip() else []))
        raise SystemExit(f"ethicslint check {' '.join(extra)} exited with {result.returncode} on {repo}:\n{detail}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _project_benchmark(root: Path, scale: int) -> tuple[int, int]:
    """The project's own benchmark copy repo (benchmarks/corpus.py: 400 pages of about 350 words
    per scale unit, 4 % of the sentences holding something a checker looks for)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus as benchmark_corpus
    finally:
        sys.path.pop(0)
    paths, _ = benchmark_corpus.generate(root, scale)
    return len(paths), sum(len(Path(path).read_text(encoding="utf-8")) for path in paths)


def perf(copies: int, runs: int = 5) -> None:
    """Time ``ethicslint check`` with and without the plugin on three generated copy repos: the
    project's benchmark corpus (scale 2), and ``copies`` copies of this repo's examples, seed
    articles and labelled corpora, without and with this checker's own dense corpus. Runs are
    interleaved (A B A B ...) so that a change in the machine's load hits both alike, and the best
    of each is kept. CPU time (user + system of the child) is the figure to compare: wall time
    moves with everyone else's load. One job (``--jobs 1``): workers would add their own start."""
    repos = [
        ("project benchmark", "benchmarks/corpus.py, scale 2 (the project's benchmark)",
         lambda root: _project_benchmark(root, 2)),
        ("realistic mix", f"{copies} × (examples + seed articles + the other checkers' corpora)",
         lambda root: build_copy_repo(root, copies, with_own_corpus=False)),
        ("worst case", f"{copies} × (the same + the urgency corpus): worst case, dense triggers",
         lambda root: build_copy_repo(root, copies, with_own_corpus=True)),
    ]
    print("\n### Speed: `ethicslint check` with and without the urgency plugin\n")
    print("| repo | files | characters | CPU s without urgency | CPU s with | added | wall s without | wall s with |")
    print("|---|---|---|---|---|---|---|---|")
    built = []
    for short, name, build in repos:
        with tempfile.TemporaryDirectory(prefix="ethicslint-bench-") as tmp:
            repo = Path(tmp)
            files, chars = build(repo)
            _run_check(repo, [])  # warm the file system cache and the byte-code
            without, with_plugin = [], []
            for _ in range(runs):
                without.append(_run_check(repo, ["--disable-plugin", "urgency"]))
                with_plugin.append(_run_check(repo, []))
            base = (min(c for c, _ in without), min(w for _, w in without))
            full = (min(c for c, _ in with_plugin), min(w for _, w in with_plugin))
            print(f"| {name} | {files} | {chars / 1e6:.1f} M | {base[0]:.2f} | {full[0]:.2f} "
                  f"| {full[0] - base[0]:+.2f} s ({(full[0] - base[0]) / base[0]:+.1%}) | {base[1]:.2f} | {full[1]:.2f} |")
            built.append((short, breakdown(repo)))
    print(f"\n_Best of {runs} interleaved runs each; `--no-cache`, one job._")
    print("\n### In-process CPU time per stage (best of 3; leaves out start-up, discovery and reporting)\n")
    stages = list(built[0][1])
    print("| stage | " + " | ".join(short for short, _ in built) + " |")
    print("|---|" + "---|" * len(built))
    for stage in stages:
        print(f"| {stage} | " + " | ".join(f"{seconds[stage]:.2f} s ({seconds[stage] / sum(seconds.values()):.0%})"
                                         for _, seconds in built) + " |")
    print("| **urgency added to everything else** | " + " | ".join(
        f"**{seconds['urgency'] / (sum(seconds.values()) - seconds['urgency']):+.1%}**" for _, seconds in built) + " |")


def instructions() -> None:
    """Print the instructions of one run with and without the plugin (see the module docstring)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("\n_--instructions needs valgrind, which is not installed here._")
        return
    print("\n### Instructions executed by `ethicslint check` (valgrind), with and without the urgency plugin\n")
    with tempfile.TemporaryDirectory(prefix="ethicslint-bench-") as tmp:
        repo = Path(tmp)
        files, chars = _project_benchmark(repo, 2)
        _run_check(repo, [])  # the lemma tables and byte-code are built before counting
        counts = [_instructions(valgrind, repo, extra) for extra in (["--disable-plugin", "urgency"], [])]
    print("| repo | files | characters | instructions without urgency | with | added |")
    print("|---|---|---|---|---|---|")
    print(f"| benchmarks/corpus.py, scale 2 | {files} | {chars / 1e6:.1f} M | {counts[0] / 1e9:.2f} G "
          f"| {counts[1] / 1e9:.2f} G | {(counts[1] - counts[0]) / counts[0]:+.1%} |")


def _instructions(valgrind: str, repo: Path, extra: list[str]) -> int:
    """Instructions of one ``ethicslint check`` run. The hash seed is fixed, and the addresses too
    where ``setarch -R`` works: objects hashed by identity (the pre-filter's caches) otherwise change
    set and dict orders, and the count, from one run to the next."""
    command = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               *_check_command(repo, extra)]
    if _no_randomisation():
        command = ["setarch", "-R", *command]
    result = subprocess.run(command, capture_output=True, text=True, cwd=repo, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"valgrind ethicslint check {' '.join(extra)} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def _no_randomisation() -> bool:
    """Whether ``setarch -R`` (address-space randomisation off) can run a command here."""
    if shutil.which("setarch") is None:
        return False
    return subprocess.run(["setarch", "-R", "true"], capture_output=True).returncode == 0


def breakdown(repo: Path, rounds: int = 3) -> dict[str, float]:
    """CPU seconds per stage in one process: reading + analysis, then each plugin's
    ``ethicslint_check_document``, on every file of ``repo`` (best of ``rounds`` per stage).
    Steadier than timing whole runs on a shared machine."""
    from importlib.metadata import entry_points

    from ethicslint.analysis import analyze
    from ethicslint.documents import format_for
    from ethicslint.testing import read_string

    plugins = {ep.name: ep.load() for ep in entry_points(group="ethicslint")}
    paths = sorted(p for p in repo.rglob("*") if p.is_file() and format_for(p))
    texts = [(p, p.read_text(encoding="utf-8")) for p in paths]

    def analysed() -> list:
        return [analyze(read_string(text, format_for(path), str(path))) for path, text in texts]

    documents = analysed()  # warm-up: pipelines, caches, compiled terms
    for plugin_module in plugins.values():
        for document in documents[:20]:
            plugin_module.ethicslint_check_document(document=document, config=plugin_config(plugin_module))
    seconds: dict[str, float] = {}
    for _ in range(rounds):
        started = time.process_time()
        documents = analysed()
        seconds["read + analysis"] = min(seconds.get("read + analysis", 1e9), time.process_time() - started)
        for plugin_name, plugin_module in plugins.items():
            config = plugin_config(plugin_module)
            started = time.process_time()
            for document in documents:
                plugin_module.ethicslint_check_document(document=document, config=config)
            seconds[plugin_name] = min(seconds.get(plugin_name, 1e9), time.process_time() - started)
    return seconds


_SHARE_RUN = """
import contextlib, functools, gc, io, json, sys, time
import ethicslint_urgency as plugin
spent = [0.0]
hook = plugin.ethicslint_check_document
@functools.wraps(hook)  # (keeps the hookimpl marker: the host registers this function)
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return hook(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - started
plugin.ethicslint_check_document = timed
from ethicslint.cli import GC_THRESHOLDS, run_command
gc.set_threshold(*GC_THRESHOLDS)  # as the console entry point sets it
started = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    status = run_command(sys.argv[1:], isolate=False)  # the plugin in this process, where it is timed
print(json.dumps([time.perf_counter() - started, spent[0], status]), file=sys.stderr)
"""


def share(scales: list[int]) -> None:
    """Print the plugin's share of one real run per scale (see the module docstring)."""
    print("\n### The urgency plugin's time within one `ethicslint check` run (one job)\n")
    print("| repo | files | characters | run s | urgency s | urgency added to the rest of the run |")
    print("|---|---|---|---|---|---|")
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix="ethicslint-bench-") as tmp:
            repo = Path(tmp)
            files, chars = _project_benchmark(repo, scale)
            _run_check(repo, [])  # warm the file system cache and the byte-code
            command = _check_command(repo, [])
            result = subprocess.run([sys.executable, "-c", _SHARE_RUN, *command[3:]], capture_output=True,
                                    text=True, cwd=repo)
            try:
                total, spent, status = json.loads(result.stderr.strip().splitlines()[-1])
            except (ValueError, IndexError):
                raise SystemExit(f"the timed run failed:\n{result.stderr[-2000:]}") from None
            if status != 0:
                raise SystemExit(f"the timed run exited with {status}:\n{result.stderr[-2000:]}")
            print(f"| benchmarks/corpus.py, scale {scale} | {files} | {chars / 1e6:.1f} M | {total:.2f} | {spent:.2f} "
                  f"| {spent / (total - spent):+.1%} |")


def _pct(value: float) -> str:
    return f"{value:.3f}"


def main(argv: Iterable[str] = ()) -> int:
    argv = list(argv)
    show_misses = "--misses" in argv
    started = time.perf_counter()

    corpus_rows, corpus_errors = corpus_scores()
    print("### Labelled corpus (tests/corpus/urgency)\n")
    print("| lang | cases | hard negatives | TP | FP | FN | precision | recall | time (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for lang, n, neg, tp, fp, fn, p, r, t in corpus_rows:
        print(f"| {lang} | {n} | {neg} ({neg / n:.0%}) | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {t:.1f} |")

    tallies, negatives, fp_count, false_positives = yada_scores()
    print("\n### darkpatterns-yada2022 (English UI strings)\n")
    print("| category | texts | recall (own rules) | recall (any URG rule) | threshold |")
    print("|---|---|---|---|---|")
    for category, tally in tallies.items():
        threshold = f">= {RECALL_MIN:.2f}" if category in THRESHOLD_CATEGORIES else "reported only"
        codes = "/".join(sorted(CATEGORY_CODES[category]))
        print(f"| {category} ({codes}) | {tally.texts} | {_pct(tally.recall_own)} | {_pct(tally.recall_any)} "
              f"| {threshold} |")
    print(f"| Not Dark Pattern: false-positive rate (any finding) | {negatives} | "
          f"{_pct(fp_count / negatives)} ({fp_count} text{'s' if fp_count != 1 else ''}) | | <= {FALSE_POSITIVE_MAX:.2f} |")

    types = mathur_scores()
    print("\n### darkpatterns-mathur2019 (distinct non-empty texts per pattern type)\n")
    print("| pattern type | texts | recall (own rules) | recall (any URG rule) |")
    print("|---|---|---|---|")
    for kind, tally in types.items():
        print(f"| {kind} | {tally.texts} | {_pct(tally.recall_own)} | {_pct(tally.recall_any)} |")
    print(f"\n_Measured in {time.perf_counter() - started:.0f} s._")

    if "--perf" in argv:
        at = argv.index("--perf")
        copies = int(argv[at + 1]) if at + 1 < len(argv) and argv[at + 1].isdigit() else 10
        perf(copies)
    if "--instructions" in argv:
        instructions()
    if "--share" in argv:
        at = argv.index("--share")
        given = argv[at + 1] if at + 1 < len(argv) and not argv[at + 1].startswith("-") else "2,4,16"
        if not all(scale.strip().isdigit() and int(scale) > 0 for scale in given.split(",")):
            raise SystemExit(f"--share takes scales such as 2,4,16, not {given!r}")
        share([int(scale) for scale in given.split(",")])

    if show_misses:
        print("\n### Corpus errors\n")
        for line in corpus_errors:
            print(f"- {line}")
        print("\n### Dataset false positives (non-dark texts)\n")
        for text, found in false_positives:
            print(f"- {text!r}: {sorted({f.code for f in found})}")
        for name, group in (("yada", tallies), ("mathur", types)):
            for key, tally in group.items():
                print(f"\n### Misses: {name} / {key} ({len(tally.misses)})\n")
                for text in tally.misses:
                    print(f"- {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
