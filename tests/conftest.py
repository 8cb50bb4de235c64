"""Shared fixtures: the test plugins directory on sys.path, paths to fixtures and shared corpora."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

sys.path.insert(0, str(TESTS / "plugins"))
# A warm server a developer started must not answer the tests' `ethicslint check` commands: every
# subprocess of the session looks for servers in a directory of its own.
os.environ["ETHICSLINT_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="ethicslint-tests-run-")
atexit.register(shutil.rmtree, os.environ["ETHICSLINT_RUNTIME_DIR"], ignore_errors=True)
os.environ.pop("ETHICSLINT_SERVER", None)  # and no test run starts one unless it asks


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {SHARED_CORPUS}")
    return SHARED_CORPUS


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting for its parent has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:  # no /proc
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


@pytest.fixture
def still_alive() -> Callable[..., list[int]]:
    """``still_alive(pids, seconds=60)``: waits up to ``seconds`` for the processes to end (a
    bounded wait, not a timing assertion) and returns those still running."""

    def wait(pids: list[int], seconds: float = 60) -> list[int]:
        deadline = time.monotonic() + seconds
        while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        return [pid for pid in pids if not _gone(pid)]

    return wait
