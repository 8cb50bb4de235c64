"""A baseline: today's findings, recorded so that later runs report only new ones.

A legacy copy repo adopts the linter without fixing everything first: ``check --write-baseline
FILE`` records every finding, ``check --baseline FILE`` then leaves out the recorded ones.

A finding is recorded by its code, its file and a hash of its matched text and of the sentence
holding it (:mod:`ethicslint.passages`), never by its line: adding a paragraph above it, or
re-wrapping its own, does not make it new; editing its sentence does. The same finding twice in
a file is recorded with a count, so a third occurrence is new. Paths are relative to the
baseline's directory, so the file works from any working directory and on any machine.

The file is JSON, sorted, one entry per line, so that its diffs review well::

    {"ethicslint-baseline": 1, "findings": [
      {"code": "URG101", "path": "pages/sale.md", "hash": "9f2c…", "count": 1}
    ]}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import Finding
from .output_file import write_output
from .passages import Passage

FORMAT_KEY = "ethicslint-baseline"
FORMAT_VERSION = 1
_ENTRY_KEYS = frozenset(("code", "path", "hash", "count"))

Key = tuple[str, str, str]  # code, path relative to the baseline's directory, hash


class BaselineError(ValueError):
    """The baseline file is missing, unreadable or not a baseline; the message says which."""


def finding_key(finding: Finding, passage: Passage, directory: Path) -> Key:
    """What identifies ``finding`` across runs (see the module's docstring)."""
    digest = hashlib.sha256(f"{finding.text}\0{passage.sentence}".encode("utf-8", "surrogatepass")).hexdigest()
    return finding.code, _relative(finding.path, directory), digest[:32]


def write_baseline(path: Path, findings: list[Finding], passages: Mapping[Finding, Passage]) -> None:
    """Record ``findings`` in ``path`` (written atomically)."""
    counts = Counter(finding_key(f, passages[f], path.parent) for f in findings)
    entries = [{"code": code, "path": where, "hash": digest, "count": count}
               for (code, where, digest), count in sorted(counts.items())]
    lines = ",\n".join("  " + json.dumps(entry, ensure_ascii=False) for entry in entries)
    text = f'{{"{FORMAT_KEY}": {FORMAT_VERSION}, "findings": [\n{lines}\n]}}\n' if entries \
        else f'{{"{FORMAT_KEY}": {FORMAT_VERSION}, "findings": []}}\n'
    write_output(path, text)


def read_baseline(path: Path) -> Counter[Key]:
    """The recorded findings of ``path`` and how many times each; BaselineError when it is not a
    baseline this version wrote."""
    try:
        data: Any = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise BaselineError(f"baseline {path}: no such file (create it with --write-baseline {path})") from None
    except OSError as exc:
        raise BaselineError(f"baseline {path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise BaselineError(f"baseline {path}: not valid JSON ({exc})") from None
    if type(data) is not dict or data.get(FORMAT_KEY) != FORMAT_VERSION or type(data.get("findings")) is not list:
        raise BaselineError(f"baseline {path}: not an ethicslint baseline (expected an object with "
                            f'"{FORMAT_KEY}": {FORMAT_VERSION} and a "findings" list; write one with --write-baseline)')
    recorded: Counter[Key] = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        if type(entry) is not dict or set(entry) != _ENTRY_KEYS \
                or not all(type(entry[k]) is str for k in ("code", "path", "hash")) \
                or type(entry["count"]) is not int or entry["count"] < 1:
            raise BaselineError(f"baseline {path}: finding {number} is malformed (expected code, path and hash "
                                "strings and a positive count)")
        recorded[(entry["code"], entry["path"], entry["hash"])] += entry["count"]
    return recorded


def new_findings(findings: list[Finding], passages: Mapping[Finding, Passage], recorded: Counter[Key],
                 directory: Path) -> list[Finding]:
    """The findings the baseline does not account for, in order: each recorded key covers as many
    findings as its count, the first ones in the file."""
    left = Counter(recorded)
    new = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding_key(finding, passages[finding], directory)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    return new


def _relative(path: str, directory: Path) -> str:
    """``path`` (as findings show it) relative to ``directory``, with forward slashes; standard
    input (``-``) and paths on another drive as they are."""
    if path == "-":
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(directory))).as_posix()
    except ValueError:
        return Path(path).as_posix()

