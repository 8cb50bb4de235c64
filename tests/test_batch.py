"""``ethicslint batch`` on small tables: each variant's findings are ``Linter.check_text``'s, every
input and output format gives the same rows, bad rows become EL107 rows and the job goes on, the
summary rows and the exit status follow ``fail-on``, metadata columns are read as front matter,
the corpus checks give what one ``ethicslint check`` run over the same texts gives, and the
progress line appears on a terminal only. The 20,000-variant comparison of the three engines is
in ``test_batch_engines.py``."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from ethicslint import Linter
from ethicslint.batch import BatchOptions, Columns, LinterSpec, run_batch
from ethicslint.batch.progress import Progress
from ethicslint.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import variants as generated  # noqa: E402  (benchmarks/variants.py)

SAMPLE = 240  # generated variants: about ten carry a planted problem, a few are testimonials


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A directory without config: the defaults apply, as for a user's export folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return list(generated.rows(SAMPLE))


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: ("true" if v is True else "false" if v is False else v) for k, v in r.items()}
                         for r in rows)
    return path


def batch(workdir: Path, source: Path, output: str = "out.jsonl", **options) -> tuple[list[dict], int]:
    target = workdir / output
    outcome = run_batch(BatchOptions(input=source, output=target, spec=LinterSpec(root=str(workdir)),
                                     progress=False, **options))
    return read_rows(target), outcome.exit_status


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return [{k: v for k, v in row.items() if v is not None} for row in pq.read_table(path).to_pylist()]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def findings_by_row(rows: list[dict]) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for row in rows:
        if row["type"] == "finding" and not row["corpus"]:
            out.setdefault(row["row"], []).append((row["code"], row["line"], row["column"], row["end_line"],
                                                   row["end_column"], row["message"], row["text"]))
    return out


def test_each_variant_gets_exactly_the_findings_of_check_text(workdir, sample):
    rows, status = batch(workdir, write_jsonl(workdir / "in.jsonl", sample), columns=Columns(metadata=("ai_generated",)))
    linter = Linter(root=workdir)
    expected = {}
    for number, variant in enumerate(sample, 1):
        found = linter.check_text(variant["text"], language=variant["language"], kind=variant["kind"],
                                  metadata={"ai_generated": variant["ai_generated"]})
        if found:
            expected[number] = [(f.code, f.line, f.column, f.end_line, f.end_column, f.message, f.text) for f in found]
    assert findings_by_row(rows) == expected
    assert len(expected) >= 5, "the sample should hold variants with findings"
    assert status == 1
    ids = {r["row"]: r["id"] for r in rows}
    assert all(ids[n] == sample[n - 1]["id"] for n in ids)
    for row in rows:  # offsets point at the matched text in the variant
        if row["type"] == "finding" and row["text"]:
            assert sample[row["row"] - 1]["text"][row["start"]:row["end"]] == row["text"]


def test_csv_and_parquet_inputs_give_the_rows_of_json_lines(workdir, sample):
    part = sample[:80]
    columns = Columns(metadata=("ai_generated",))
    expected, _ = batch(workdir, write_jsonl(workdir / "in.jsonl", part), columns=columns)
    from_csv, _ = batch(workdir, write_csv(workdir / "in.csv", part), "csv.jsonl", columns=columns)
    pq.write_table(pa.Table.from_pylist(part), workdir / "in.parquet")
    from_parquet, _ = batch(workdir, workdir / "in.parquet", "pq.jsonl", columns=columns, batch_size=7)
    assert from_csv == expected
    assert from_parquet == expected
    assert any(r["type"] == "finding" for r in expected)


def test_parquet_output_holds_the_rows_of_json_lines(workdir, sample):
    source = write_jsonl(workdir / "in.jsonl", sample[:80])
    as_jsonl, _ = batch(workdir, source, summary=True)
    as_parquet, _ = batch(workdir, source, "out.parquet", summary=True)
    assert as_parquet == as_jsonl
    schema = pq.read_schema(workdir / "out.parquet")
    assert {"id", "row", "code", "checker", "severity", "message", "suggestion", "start", "end", "text",
            "passed"} <= set(schema.names)


def test_metadata_columns_are_read_as_front_matter(workdir):
    text = "Meet the new reading lamp, made in Lyon. It folds flat and ships in plastic-free packaging."
    rows = [{"id": "declared", "text": text, "language": "en", "ai_generated": True},
            {"id": "not-declared", "text": text, "language": "en", "ai_generated": False}]
    with_column, _ = batch(workdir, write_csv(workdir / "in.csv", rows), columns=Columns(metadata=("ai_generated",)))
    assert [(r["id"], r["code"]) for r in with_column if r["type"] == "finding"] == [("declared", "AID101")]
    without, status = batch(workdir, workdir / "in.csv", "plain.jsonl")
    assert without == [] and status == 0


def test_bad_rows_become_el107_rows_and_the_job_goes_on(workdir):
    good = {"id": "ok", "text": "Hurry, this offer ends tonight!", "language": "en"}
    lines = [json.dumps(good).encode(), json.dumps({"id": "empty", "text": "  "}).encode(),
             json.dumps({"id": "number", "text": 42}).encode(), b"{not json",
             b'{"id": "bad-bytes", "text": "caf\xe9"}', json.dumps({"id": "no-text", "body": "x"}).encode(),
             json.dumps({"id": "klingon", "text": "Hello there, friend.", "language": "tlh"}).encode(),
             b"[1, 2]", json.dumps({**good, "id": "ok-again"}).encode()]
    source = workdir / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    rows, status = batch(workdir, source, summary=True)
    bad = {r["id"]: r["message"] for r in rows if r["type"] == "finding" and r["code"] == "EL107"}
    assert set(bad) == {"empty", "number", "4", "5", "no-text", "klingon", "8"}
    assert "empty" in bad["empty"] and "int" in bad["number"] and "JSON" in bad["4"] and "UTF-8" in bad["5"]
    assert "tlh" in bad["klingon"]
    checked = [r for r in rows if r["type"] == "finding" and r["id"] in ("ok", "ok-again")]
    assert {r["code"] for r in checked} >= {"URG101", "URG103"} and {r["id"] for r in checked} == {"ok", "ok-again"}
    summaries = {r["id"]: r["passed"] for r in rows if r["type"] == "variant"}
    assert len(summaries) == 9 and not any(summaries.values())
    assert status == 1


def test_summary_rows_count_by_severity_and_follow_fail_on(workdir):
    rows = [{"id": "clean", "text": "Our reading lamp is made in Lyon and ships within two days.", "language": "en"},
            {"id": "urgent", "text": "Hurry, this offer ends tonight!", "language": "en"},
            {"id": "deadline", "text": "This offer ends tonight.", "language": "en"}]
    source = write_jsonl(workdir / "in.jsonl", rows)
    out, status = batch(workdir, source, summary=True)
    summaries = {r["id"]: r for r in out if r["type"] == "variant"}
    findings = [r for r in out if r["type"] == "finding" and r["id"] == "urgent"]
    urgent = summaries["urgent"]
    assert urgent["findings"] == len(findings) > 0
    assert (urgent["errors"], urgent["warnings"], urgent["infos"]) == tuple(
        sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info"))
    assert summaries["clean"] == {"type": "variant", "id": "clean", "row": 1, "errors": 0, "warnings": 0,
                                  "infos": 0, "findings": 0, "passed": True}
    assert urgent["errors"] and urgent["warnings"]
    assert not urgent["passed"] and not summaries["deadline"]["passed"] and status == 1
    assert (summaries["deadline"]["warnings"], summaries["deadline"]["errors"]) == (1, 0)
    lenient, lenient_status = batch(workdir, source, "lenient.jsonl", summary=True, fail_on="error")
    assert {r["id"]: r["passed"] for r in lenient if r["type"] == "variant"} == {
        "clean": True, "urgent": False, "deadline": True}
    assert lenient_status == 1
    calm, calm_status = batch(workdir, write_jsonl(workdir / "calm.jsonl", [rows[0], rows[2]]), "calm.out.jsonl",
                              fail_on="error")
    assert [r["code"] for r in calm] == ["URG101"] and calm_status == 0


TESTIMONIALS = [
    "“She wears it every day,” says Mrs Carter, a mother of two.",
    "“My wife loves it and so does her sister,” writes a customer.",
    "“Ma fille l'utilise tous les jours », raconte Mme Martin, cliente fidèle.",
    "“She took it hiking and her mother wants one too,” says Mrs Okafor.",
]


def test_corpus_checks_give_what_one_run_over_the_same_texts_gives(workdir, monkeypatch):
    texts = [TESTIMONIALS[i % len(TESTIMONIALS)] + " The lamp ships within two days." for i in range(24)]
    texts[5] = "Our reading lamp is made in Lyon."  # a variant without people between them
    rows, status = batch(workdir, write_jsonl(workdir / "in.jsonl", [{"id": f"t{i}", "text": t}
                                                                      for i, t in enumerate(texts, 1)]),
                         engine="local", jobs=2, batch_size=5)
    corpus = [r for r in rows if r["type"] == "finding" and r["corpus"]]
    files = workdir / "files"
    files.mkdir()
    for number, text in enumerate(texts, 1):
        (files / f"row-{number:09d}.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(files)  # the run's display paths are then the variants' own: row-000000001.txt
    report = Linter(root=files).check_paths(["."])
    expected = [f for f in report.findings if f.code.startswith("DIV5")]
    assert expected, "the texts should make a representation gap"
    assert [(r["code"], r["message"], r["line"], r["column"], r["text"]) for r in corpus] == \
        [(f.code, f.message, f.line, f.column, f.text) for f in expected]
    assert [r["id"] for r in corpus] == [f"t{int(f.path[4:13])}" for f in expected]
    assert status == 1


def test_local_workers_give_the_rows_of_one_process(workdir, sample):
    source = write_jsonl(workdir / "in.jsonl", sample)
    one, _ = batch(workdir, source, summary=True, columns=Columns(metadata=("ai_generated",)))
    two, _ = batch(workdir, source, "two.jsonl", summary=True, jobs=2, batch_size=16,
                   columns=Columns(metadata=("ai_generated",)))
    assert two == one


def test_a_plugin_ending_a_worker_on_one_variant_loses_its_findings_on_that_variant_only(workdir, sample):
    """The batch of 16 is checked again without that plugin's call for the one variant it ended
    the worker process on: every other variant keeps the plugin's finding (MSB906)."""
    (workdir / "pyproject.toml").write_text(
        '[tool.ethicslint]\nplugins = ["ethicslint_misbehaving.ends_process_on_one_text"]\n', encoding="utf-8")
    rows = [dict(r) for r in sample[:40]]
    rows[20]["text"] += " END-THIS-PROCESS"  # row 21 (rows count from 1): the fifth variant of the second batch
    source = write_jsonl(workdir / "in.jsonl", rows)
    found, status = batch(workdir, source, jobs=2, batch_size=16)
    by_row: dict[int, set[str]] = {}
    for row in found:
        if row["type"] == "finding":
            by_row.setdefault(row["row"], set()).add(row["code"])
    assert [n for n in range(1, 41) if "MSB906" not in by_row.get(n, set())] == [21]
    assert [n for n, codes in by_row.items() if "EL001" in codes] == [21]
    assert status == 3  # a plugin failed: the result is incomplete, as ``ethicslint check`` says with 3


@pytest.mark.parametrize("to", ["group", "command"])
def test_sigterm_stops_the_job_and_leaves_no_file_and_no_process(workdir, to, still_alive):
    """A cancelled CI job signals the process group; ``kill PID`` signals the command alone. Either
    way the job ends with status 143, its temporary output file removed, its workers gone."""
    source = write_jsonl(workdir / "in.jsonl", list(generated.rows(4000)))
    job = subprocess.Popen([sys.executable, "-m", "ethicslint", "batch", str(source), "-o", "out.jsonl",
                            "--jobs", "2", "-q"], cwd=workdir, start_new_session=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # until it writes findings (its temporary file exists): up to a minute
            if list(workdir.glob(".tmp-out.jsonl-*")) or job.poll() is not None:
                break
            time.sleep(0.1)
        assert job.poll() is None and list(workdir.glob(".tmp-out.jsonl-*")), "the job did not start writing"
        (os.killpg if to == "group" else os.kill)(job.pid, signal.SIGTERM)
        _, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
    assert job.returncode == 143 and err.strip().splitlines()[-1] == "ethicslint: error: terminated"
    assert sorted(p.name for p in workdir.iterdir()) == ["in.jsonl"]
    assert still_alive(in_group(job.pid)) == []  # the workers end with the command (a bounded wait)


def in_group(group: int) -> list[int]:
    """The processes of a process group."""
    left = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == group:
                left.append(process.pid)
        except (ProcessLookupError, psutil.Error):
            pass
    return left


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_a_bad_file_or_usage_is_exit_2_with_a_message(workdir):
    status, output = cli("missing.jsonl", "-o", "out.jsonl")
    assert status == 2 and "missing.jsonl: no such file" in output and "Traceback" not in output
    (workdir / "in.txt").write_text("hello\n", encoding="utf-8")
    status, output = cli("in.txt", "-o", "out.jsonl")
    assert status == 2 and "unknown input format" in output
    write_csv(workdir / "in.csv", [{"id": "a", "body": "Hurry!"}])
    status, output = cli("in.csv", "-o", "out.jsonl")
    assert status == 2 and "no column 'text'" in output and "body" in output
    status, output = cli("in.csv", "-o", "out.csv", "--text-column", "body")
    assert status == 2 and "unknown output format" in output
    (workdir / "in.parquet").write_bytes(b"not parquet at all")
    status, output = cli("in.parquet", "-o", "out.jsonl")
    assert status == 2 and "not a Parquet file" in output
    assert not (workdir / "out.jsonl").exists()
    write_jsonl(workdir / "in.jsonl", [{"text": "Hurry!"}])
    status, output = cli("in.jsonl", "-o", "in.jsonl")
    assert status == 2 and "is the input" in output
    assert json.loads((workdir / "in.jsonl").read_text(encoding="utf-8")) == {"text": "Hurry!"}


def test_exit_status_says_whether_a_variant_failed(workdir):
    write_jsonl(workdir / "clean.jsonl", [{"text": "Our reading lamp is made in Lyon.", "language": "en"}])
    assert cli("clean.jsonl", "-o", "a.jsonl", "-q")[0] == 0
    write_jsonl(workdir / "urgent.jsonl", [{"text": "Hurry, this offer ends tonight!", "language": "en"}])
    assert cli("urgent.jsonl", "-o", "b.jsonl", "-q")[0] == 1
    assert read_rows(workdir / "b.jsonl")[0]["id"] == "1"  # no id column: the row number


def test_no_progress_on_a_pipe_and_a_progress_line_on_a_terminal(workdir, sample):
    write_jsonl(workdir / "in.jsonl", sample[:20])
    done = subprocess.run([sys.executable, "-m", "ethicslint", "batch", "in.jsonl", "-o", "out.jsonl"],
                          cwd=workdir, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("20 variants checked, "), done.stderr
    assert "\r" not in done.stderr and "/s" not in done.stderr

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = Progress(total=100, stream=screen)
    progress.add(40, 3)
    progress.close()
    assert "40 of 100 variants" in screen.getvalue() and "3 findings" in screen.getvalue()
    assert "left" in screen.getvalue()
    piped = io.StringIO()
    quiet = Progress(total=100, stream=piped)
    quiet.add(40, 3)
    quiet.close()
    assert piped.getvalue() == ""


def test_bad_rows_in_csv_and_parquet_spoil_only_their_row(workdir):
    source = workdir / "in.csv"
    source.write_bytes(b"id,text\nfine,Only 2 left in stock\nbytes,caf\xe9 cr\xe8me\nempty,\n")
    rows, _ = batch(workdir, source)
    assert [(r["id"], r["code"]) for r in rows] == [("fine", "URG201"), ("bytes", "EL107"), ("empty", "EL107")]
    assert "UTF-8" in rows[1]["message"] and "empty" in rows[2]["message"]
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": ["Only 2 left in stock", None, "Fine lamp."]}),
                   workdir / "in.parquet")
    rows, _ = batch(workdir, workdir / "in.parquet", "pq.jsonl")
    assert [(r["id"], r["code"]) for r in rows] == [("a", "URG201"), ("b", "EL107")]


@pytest.mark.parametrize(("missing", "args", "needs"), [
    ("pyarrow.csv", ("in.csv", "-o", "out.jsonl"), "CSV needs pyarrow: pip install 'ethicslint[batch]'"),
    ("pyarrow.parquet", ("in.jsonl", "-o", "out.parquet"), "Parquet needs pyarrow: pip install 'ethicslint[batch]'"),
    ("ray", ("in.jsonl", "-o", "out.jsonl", "--engine", "ray"), "--engine ray needs ray: pip install 'ethicslint[ray]'"),
    ("distributed", ("in.jsonl", "-o", "out.jsonl", "--engine", "dask"),
     "--engine dask needs distributed: pip install 'ethicslint[dask]'"),
])
def test_a_missing_extra_is_exit_2_naming_what_to_install(workdir, monkeypatch, missing, args, needs):
    write_csv(workdir / "in.csv", [{"id": "a", "text": "Hurry!"}])
    write_jsonl(workdir / "in.jsonl", [{"id": "a", "text": "Hurry!"}])
    monkeypatch.setitem(sys.modules, missing, None)  # importing it now raises ImportError
    status, output = cli(*args)
    assert status == 2 and needs in output and "Traceback" not in output
