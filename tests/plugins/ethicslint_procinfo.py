"""A plugin that reports the process it runs in: umask, resource limits, niceness, groups and the
standard streams' encodings (a served run must report what a local one reports). With
``$ETHICSLINT_TEST_PIDS`` set, it also writes ``<pid> <parent pid> <process group>`` to a file
named after its pid there (which process ran it)."""

import os
import resource
import sys
from pathlib import Path

from ethicslint import Finding, Rule, Severity, hookimpl

INFO = Rule(code="PRC101", name="procinfo", checker="procinfo", severity=Severity.INFO, summary="test",
            why="test")
LIMITS = ("RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_NOFILE",
          "RLIMIT_NPROC", "RLIMIT_STACK")


def _describe() -> str:
    mask = os.umask(0)
    os.umask(mask)
    limits = {name: resource.getrlimit(getattr(resource, name)) for name in LIMITS if hasattr(resource, name)}
    return (f"umask={mask:o} limits={limits} nice={os.nice(0)} gid={os.getgid()} groups={sorted(os.getgroups())} "
            f"streams={[(s.encoding, s.errors) for s in (sys.stdout, sys.stderr)]}")


@hookimpl
def ethicslint_rules():
    return [INFO]


@hookimpl
def ethicslint_check_document(document, config):
    if os.environ.get("ETHICSLINT_TEST_PIDS"):
        (Path(os.environ["ETHICSLINT_TEST_PIDS"]) / str(os.getpid())).write_text(
            f"{os.getpid()} {os.getppid()} {os.getpgid(0)}\n", encoding="utf-8")
    return [Finding(path=document.path, line=1, column=1, end_line=1, end_column=1, code="PRC101",
                    checker="procinfo", severity=Severity.INFO, message=_describe())]
