"""Shared fixtures: the test plugins directory on sys.path, paths to fixtures and shared corpora."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
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
