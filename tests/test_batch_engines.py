"""The three engines of ``ethicslint batch`` — local worker processes, Ray actors, Dask workers,
each started on this machine — write the same rows, in the same order, for 20,000 generated
variants (English and French, about 4 % with a planted problem, testimonials for the corpus
checks), corpus-level findings included."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ethicslint.batch import BatchOptions, Columns, LinterSpec, run_batch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import variants as generated  # noqa: E402  (benchmarks/variants.py)

VARIANTS = 20_000


@pytest.fixture(scope="module")
def job(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("batch-engines")
    source = folder / "variants.jsonl"
    generated.write_jsonl(source, VARIANTS)
    return folder, source


def rows_of(folder: Path, source: Path, engine: str) -> tuple[list[str], int]:
    output = folder / f"{engine}.jsonl"
    outcome = run_batch(BatchOptions(input=source, output=output, engine=engine, jobs=2, summary=True,
                                     columns=Columns(metadata=("ai_generated",)), progress=False,
                                     spec=LinterSpec(root=str(folder))))
    return output.read_text(encoding="utf-8").splitlines(), outcome.exit_status


@pytest.mark.slow
def test_local_ray_and_dask_write_the_same_rows_for_20000_variants(job):
    pytest.importorskip("ray")
    pytest.importorskip("distributed")
    folder, source = job
    local, local_status = rows_of(folder, source, "local")
    rows = [json.loads(line) for line in local]
    assert sum(1 for r in rows if r["type"] == "variant") == VARIANTS
    assert sum(1 for r in rows if r["type"] == "finding") > VARIANTS * 0.03
    assert any(r.get("corpus") for r in rows), "the testimonials should make a corpus-level finding"
    assert local_status == 1
    for engine in ("ray", "dask"):
        other, status = rows_of(folder, source, engine)
        assert status == local_status
        assert len(other) == len(local)
        assert other == local, f"{engine}: first difference at row {next(i for i, (a, b) in enumerate(zip(other, local)) if a != b)}"
