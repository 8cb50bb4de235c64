"""pre-commit, for real: `pre-commit try-repo` installs this repository's hooks into a fresh
environment (as a user's pre-commit would) and runs them in a temporary copy repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is required for the pre-commit test")
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(copy_repo: Path, home: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--files", *files],
        cwd=copy_repo, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"})


@pytest.mark.network  # pre-commit builds the hook's environment from the package index
def test_hook_passes_clean_copy_and_fails_manipulative_copy(tmp_path: Path, precommit_home: Path):
    copy = tmp_path / "copy"
    copy.mkdir()
    _git(copy, "init", "-q")
    (copy / "about.md").write_text("# About us\n\nWe make candles by hand in Lyon.\n", encoding="utf-8")
    (copy / "sale.md").write_text("# Sale\n\nHurry! Only 2 left in stock, offer ends tonight!\n",
                                  encoding="utf-8")
    _git(copy, "add", ".")

    clean = _try_repo(copy, precommit_home, "ethicslint", "about.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    dirty = _try_repo(copy, precommit_home, "ethicslint", "sale.md")
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "Failed" in dirty.stdout and "sale.md:3:" in dirty.stdout and "URG" in dirty.stdout


@pytest.mark.network  # pre-commit builds the hook's environment from the package index
def test_french_hook_installs_the_model(tmp_path: Path, precommit_home: Path):
    copy = tmp_path / "copie"
    copy.mkdir()
    _git(copy, "init", "-q")
    (copy / "soldes.md").write_text("# Soldes\n\nDernière chance : plus que 3 articles en stock !\n",
                                    encoding="utf-8")
    _git(copy, "add", ".")
    result = _try_repo(copy, precommit_home, "ethicslint-fr", "soldes.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "soldes.md:3:" in result.stdout and "URG" in result.stdout
    assert "fr_core_news_sm is not installed" not in result.stdout + result.stderr
