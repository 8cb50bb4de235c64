"""Narrowing a run's findings to what a review is about: changed lines, and what a baseline lacks.

``check --changed-since REF`` keeps a finding when its lines include a line changed since REF
(:mod:`ethicslint.git_changes`). A corpus-level finding (a representation gap across the repo) is
about every file its checker collected from, not about its anchor line: it is kept when one of
those files changed. ``check --baseline FILE`` then leaves out the findings the baseline records
(:mod:`ethicslint.baseline`).
"""

from __future__ import annotations

from collections.abc import Mapping

from .git_changes import ChangedLines
from .model import Finding


def on_changed_lines(findings: list[Finding], corpus_findings: list[Finding], contributors: Mapping[str, set[str]],
                     owners: Mapping[str, str], changes: ChangedLines) -> list[Finding]:
    """The findings that a change since ``changes.ref`` is responsible for, in order.

    ``contributors``: plugin -> the files (display paths) it collected corpus data from;
    ``owners``: rule code -> plugin, to find a corpus finding's plugin."""
    corpus = {id(f) for f in corpus_findings}
    kept = []
    for finding in findings:
        if id(finding) in corpus:
            sources = contributors.get(owners.get(finding.code, ""), set())
            if any(changes.changed_file(path) for path in sources) or changes.changed_file(finding.path):
                kept.append(finding)
        elif changes.touches(finding.path, finding.line, finding.end_line):
            kept.append(finding)
    return kept
