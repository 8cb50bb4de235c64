"""Shared fixtures: the test plugins directory on sys.path, paths to fixtures and shared corpora."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
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


@pytest.fixture
def signalled_run(still_alive: Callable[..., list[int]]) -> Callable[..., list[int]]:
    """``signalled_run(run, records, count, signum, pids_of)``: waits (bounded) until ``count`` pid
    records (files named by a pid, written by a hanging test plugin) are in ``records``, takes the
    plugin's processes from them (``pids_of(record paths)``), checks they are not ``run`` itself,
    sends ``signum`` to ``run`` and returns those processes still alive after a bounded wait.
    Whatever happens, ``run`` and the processes are killed before it returns."""

    def end(run: subprocess.Popen, records: Path, count: int, signum: int,
            pids_of: Callable[[list[Path]], list[int]]) -> list[int]:
        running: list[int] = []
        try:
            deadline = time.monotonic() + 120
            while len(list(records.glob("[0-9]*"))) < count:
                assert run.poll() is None and time.monotonic() < deadline, "the plugin never ran"
                time.sleep(0.1)
            running = pids_of(sorted(records.glob("[0-9]*")))
            assert run.pid not in running  # the plugin runs in other processes than the one signalled
            run.send_signal(signum)
            run.wait(timeout=60)
            return still_alive(running)
        finally:
            if run.poll() is None:
                run.kill()
            for pid in still_alive(running, 0):
                os.kill(pid, signal.SIGKILL)

    return end
