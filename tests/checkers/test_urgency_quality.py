"""urgency checker on the public dark-pattern datasets (read from ../shared/corpus, never copied).

The measurement code is scripts/quality_urgency.py (the same that prints docs/quality/urgency.md),
so the thresholds tested here are the figures reported there.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"  # beside the repo on every machine and in CI


@pytest.fixture(scope="module")
def quality():
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {SHARED_CORPUS}")
    name = "quality_urgency"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "quality_urgency.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    module = sys.modules[name]
    assert module.SHARED == SHARED_CORPUS, "the script and the tests must read the same shared corpus"
    return module


@pytest.fixture(scope="module")
def yada(quality):
    return quality.yada_scores()


@pytest.mark.parametrize("category", ["Urgency", "Scarcity"])
def test_recall_on_urgency_and_scarcity(quality, yada, category):
    tallies = yada[0]
    tally = tallies[category]
    assert tally.texts > 200
    assert tally.recall_own >= quality.RECALL_MIN, (
        f"{category}: recall {tally.recall_own:.3f} < {quality.RECALL_MIN}; misses:\n" + "\n".join(tally.misses))


def test_false_positive_rate_on_non_dark_texts(quality, yada):
    _, negatives, count, false_positives = yada
    assert negatives > 1000
    rate = count / negatives
    assert rate <= quality.FALSE_POSITIVE_MAX, (
        f"false-positive rate {rate:.3f} > {quality.FALSE_POSITIVE_MAX}:\n"
        + "\n".join(f"{text!r}: {sorted({f.code for f in found})}" for text, found in false_positives))


def test_in_scope_categories_are_measured(quality, yada):
    """Social proof and confirmshaming are reported without a threshold; they must be measured."""
    tallies = yada[0]
    assert tallies["Social Proof"].texts > 200 and tallies["Misdirection"].texts > 100
    types = quality.mathur_scores()
    assert set(types) == set(quality.TYPE_CODES)
    assert all(t.texts > 10 for t in types.values())


def test_share_times_the_plugins_own_hook_inside_a_real_run(quality, tmp_path: Path):
    """``--share`` wraps the plugin's hook before the host registers it: the timed run reports
    time spent in it (none would mean the host called the unwrapped function), and less than
    the whole run."""
    import json
    import subprocess

    (tmp_path / "page.md").write_text("# Sale\n\nHurry, only 2 left in stock! Offer ends tonight.\n", encoding="utf-8")
    command = quality._check_command(tmp_path, [])
    result = subprocess.run([sys.executable, "-c", quality._SHARE_RUN, *command[3:]], capture_output=True,
                            text=True, cwd=tmp_path)
    total, spent, status = json.loads(result.stderr.strip().splitlines()[-1])
    assert status == 0 and 0 < spent < total
