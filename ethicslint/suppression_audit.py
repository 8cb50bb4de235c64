"""Accountable suppressions: the findings about inline suppressions themselves.

Two settings make a suppression answer for itself (both off by default):

- ``require-reason = true``: a suppression without a reason (text after `` -- ``) is an
  ``EL201`` finding, so every exception in the copy says why it was made;
- ``report-unused-suppressions = true``: a suppression that turned no finding off is an
  ``EL202`` finding, so none outlives the problem it was written for and hides the next one.

A suppression is "unused" only when it had the chance to be used: every rule it names is loaded
and selected for its file (``select``, ``ignore``, ``per-file-ignores``). ``--select URG`` does
not make a ``DIV101`` suppression unused. Which directives were used is recorded by
:meth:`ethicslint.suppression.Suppressions.is_suppressed` as :func:`ethicslint.finding_filter.filter_findings`
asks it, per file; corpus findings (checked after every file) may use one later, which
:func:`drop_used_later` accounts for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .config import Config
from .host_rules import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION
from .model import Finding, Rule
from .selection import is_enabled, selector_matches
from .suppression import Directive, Suppressions, parse_suppressions, per_file_ignored


def reason_findings(path: str, suppressions: Suppressions, config: Config) -> list[Finding]:
    """``EL201`` for each suppression of ``path`` without a reason, when the config requires one."""
    if not config.require_reason:
        return []
    return [_finding(SUPPRESSION_WITHOUT_REASON, path, directive,
                     f"{_describe(directive)} gives no reason; add one after ' -- '")
            for directive in suppressions.directives if directive.reason is None]


def unused_findings(path: str, suppressions: Suppressions, config: Config, rules: Mapping[str, Rule]) -> list[Finding]:
    """``EL202`` for each suppression of ``path`` that turned nothing off (so far: call it after
    every finding of the file went through the filter), when the config asks for them."""
    if not config.report_unused_suppressions:
        return []
    return [_finding(UNUSED_SUPPRESSION, path, directive, f"{_describe(directive)} turned no finding off")
            for directive in suppressions.unused(could_suppress(path, config, rules))]


def could_suppress(path: str, config: Config, rules: Mapping[str, Rule]) -> Callable[[Directive], bool]:
    """Whether a directive of ``path`` had the chance to turn a finding off in this run: each of its
    selectors names at least one loaded rule, and every rule it names is selected for the file."""
    def enabled(rule: Rule) -> bool:
        return is_enabled(rule.code, rule.checker, config.select, config.ignore) and \
            not per_file_ignored(path, rule.code, rule.checker, config)

    def check(directive: Directive) -> bool:
        selectors = directive.selectors
        if not selectors:
            return all(enabled(rule) for rule in rules.values())
        named = [[rule for rule in rules.values() if selector_matches(s, rule.code, rule.checker)] for s in selectors]
        return all(named) and all(enabled(rule) for group in named for rule in group)

    return check


def drop_used_later(findings: Iterable[Finding], parsed: Mapping[str, Suppressions | None]) -> list[Finding]:
    """``findings`` without the ``EL202`` of suppressions that a later phase used (``parsed``: the
    suppressions, by path, that the corpus findings were filtered with)."""
    used = {(path, directive.line, directive.column)
            for path, suppressions in parsed.items() if suppressions is not None
            for index, directive in enumerate(suppressions.directives) if index in suppressions.used}
    return [f for f in findings if f.code != UNUSED_SUPPRESSION.code or (f.path, f.line, f.column) not in used]


def _describe(directive: Directive) -> str:
    codes = ", ".join(directive.selectors) or "every rule"
    return f"this suppression ({directive.kind} {codes})" if directive.kind != "skip-file" else \
        "this skip-file suppression"


def _finding(rule: Rule, path: str, directive: Directive, message: str) -> Finding:
    return Finding(path=path, line=directive.line, column=directive.column, end_line=directive.line,
                   end_column=directive.column, code=rule.code, checker=rule.checker, severity=rule.severity,
                   message=message)


# --- the audit: `ethicslint suppressions` -------------------------------------------------

def audit(files: Iterable[tuple[str, str | None]]) -> list[dict[str, object]]:
    """Every suppression of ``files`` (display path, decoded text or None when unreadable), as
    plain data: path, line, column, kind, codes (empty: every rule), reason (None: none given)."""
    return [{"path": path, **directive.to_dict()}
            for path, source in files if source is not None
            for directive in parse_suppressions(source).directives]


def audit_text(entries: list[dict[str, object]]) -> str:
    """One line per suppression: ``path:line:column: kind CODES -- reason``."""
    lines = []
    for entry in entries:
        codes = ",".join(entry["codes"]) or "(every rule)"  # type: ignore[arg-type]
        reason = f"-- {entry['reason']}" if entry["reason"] else "(no reason)"
        lines.append(f"{entry['path']}:{entry['line']}:{entry['column']}: {entry['kind']} {codes} {reason}")
    return "\n".join(lines)
