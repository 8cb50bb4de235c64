"""What the user turned off or changed, applied the same way to every finding of a run.

A finding is reported only if its rule applies to the kind of copy it is in, it is selected and
not ignored (``select``/``ignore``), not turned off for its file (``per-file-ignores``) nor by a
comment in its file (inline suppressions), and it carries the severity the config gives its
code. Host findings (EL0xx, EL1xx: a file that cannot be read, a plugin that failed; EL2xx: a
suppression without a reason, or unused), and plugin findings, per file or of the corpus phase, all
pass through :func:`filter_findings`, so one setting can never mean two things. Asking whether a
finding is suppressed marks the suppressions that turn it off as used
(:mod:`ethicslint.suppression_audit` reports the others when asked to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from .config import Config
from .kinds import KINDS, applies
from .model import Finding, Rule
from .selection import is_enabled
from .suppression import Suppressions, per_file_ignored


def no_suppressions(path: str) -> Suppressions | None:
    return None


def unknown_kind(finding: Finding) -> str | None:
    return None


def filter_findings(findings: Iterable[Finding], config: Config, rules: Mapping[str, Rule], *,
                    suppressions_in: Callable[[str], Suppressions | None] = no_suppressions,
                    kind_of: Callable[[Finding], str | None] = unknown_kind) -> list[Finding]:
    """The findings as reported (severity overrides applied), without those turned off.

    ``rules``: every rule of the run by code (for the kinds of copy it applies to);
    ``suppressions_in(path)``: the inline suppressions of a file (None: it has none, or its text
    is unknown); ``kind_of(finding)``: the kind of copy at the finding (None: unknown, every rule
    applies)."""
    kept = []
    for finding in findings:
        rule = rules.get(finding.code)
        if rule is not None and len(rule.kinds) != len(KINDS) and not applies(rule, kind_of(finding)):
            continue
        if not is_enabled(finding.code, finding.checker, config.select, config.ignore):
            continue
        if per_file_ignored(finding.path, finding.code, finding.checker, config):
            continue
        suppressions = suppressions_in(finding.path)
        if suppressions is not None and suppressions.is_suppressed(finding.code, finding.checker, finding.line):
            continue
        override = config.severity.get(finding.code)
        kept.append(replace(finding, severity=override) if override else finding)
    return kept
