"""A plugin whose document hook tells which process runs it, then never returns (process-death
tests: run it with ``plugin-time-limit = 0`` and kill the run). It writes ``<pid> <parent pid>``
to a file named after its pid in the directory ``$ETHICSLINT_TEST_PIDS``."""

import os
from pathlib import Path

from ethicslint import Rule, Severity, hookimpl

PID = Rule(code="PID101", name="pid", checker="pid", severity=Severity.WARNING, summary="test", why="test")


@hookimpl
def ethicslint_rules():
    return [PID]


@hookimpl
def ethicslint_check_document(document, config):
    directory = Path(os.environ["ETHICSLINT_TEST_PIDS"])
    temporary = directory / f".{os.getpid()}"
    temporary.write_text(f"{os.getpid()} {os.getppid()}\n", encoding="utf-8")
    temporary.rename(directory / str(os.getpid()))
    while True:
        try:
            sum(range(1000))
        except Exception:
            pass
