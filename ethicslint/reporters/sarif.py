"""``sarif``: SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards.

Choices that matter to consumers:

* ``columnKind`` is ``unicodeCodePoints``: Finding columns count code points, 1-based with an
  exclusive end column, which is exactly SARIF's region convention, so columns pass through.
* ``tool.driver.rules`` lists only the rules that have results (sorted by code), and each
  result's ``ruleIndex`` points into that list. A finding whose code has no known
  :class:`Rule` still gets a minimal descriptor, so the log stays valid.
* ``artifactLocation.uri`` is a relative URI reference: forward slashes, percent-encoded
  (spaces, non-ASCII, ``:``, ``#``...). Absolute paths become ``file://`` URIs.
* ``partialFingerprints["ethicslint/v1"]`` hashes code, path, matched text and the occurrence
  index of that triple, not the line, so an alert survives edits elsewhere in the file.
* No ``fixes``: a suggestion is advice in words ("give the real end date"), not a replacement
  text, so it cannot be a valid SARIF fix; it is appended to the result message instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..model import Finding, Rule, Severity
from . import native_separators, sorted_findings, source_lines

if TYPE_CHECKING:
    from . import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "ethicslint"
INFORMATION_URI = "https://pypi.org/project/ethicslint/"
FINGERPRINT_KEY = "ethicslint/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# semver.org's regular expression: SARIF's semanticVersion must be a SemVer 2.0 string
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_KEBAB = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def render(report: Report) -> str:
    """The SARIF log as indented UTF-8 JSON."""
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False)


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a dict (one run), for callers that post-process it."""
    findings = sorted_findings(report)
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    checkers = {f.code: f.checker for f in findings}
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "informationUri": INFORMATION_URI,
        "version": report.tool_version,
    }
    if _SEMVER.match(report.tool_version):
        driver["semanticVersion"] = report.tool_version
    driver["rules"] = [
        rule_descriptor(report.rules[code]) if code in report.rules else _unknown_rule(code, checkers[code])
        for code in codes
    ]
    lines_of = source_lines(report)
    fingerprints = _fingerprints(findings)
    results = [_result(f, index[f.code], lines_of(f.path), fp) for f, fp in zip(findings, fingerprints)]
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor`` with ruff-like help sections built from the rule's fields."""
    return {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.why}".strip()},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": [rule.checker]},
    }


def pascal_case(name: str) -> str:
    """``vague-deadline`` -> ``VagueDeadline``, ``scarcity`` -> ``Scarcity``.

    A name that is not lower-case kebab/snake case (a plugin's ``BotAsHuman``) is kept as is.
    """
    if not _KEBAB.match(name):
        return name
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))


def artifact_uri(path: str) -> str:
    """A valid URI reference for a finding's path (relative stays relative)."""
    posix = path.replace("\\", "/") if native_separators() else path  # else a character of a name
    while posix.startswith("./"):
        posix = posix[2:]
    if _WINDOWS_DRIVE.match(posix):
        return "file:///" + posix[:2] + quote(posix[2:], safe="/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable identity of a finding across runs: code, path, matched text, occurrence index."""
    path = finding.path.replace("\\", "/") if native_separators() else finding.path
    key = "\0".join((finding.code, path, finding.text, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _fingerprints(findings: list[Finding]) -> list[str]:
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for f in findings:
        triple = (f.code, f.path, f.text)
        out.append(fingerprint(f, seen[triple]))
        seen[triple] += 1
    return out


def _unknown_rule(code: str, checker: str) -> dict[str, Any]:
    return {
        "id": code,
        "shortDescription": {"text": f"{code} (no rule metadata: run `ethicslint explain {code}`)"},
        "properties": {"tags": [checker]},
    }


def _result(finding: Finding, rule_index: int, lines: list[str] | None, fp: str) -> dict[str, Any]:
    message = finding.message
    if finding.suggestion:
        message = f"{message.rstrip()} Suggestion: {finding.suggestion}"
    start_line = max(1, finding.line)
    start_column = max(1, finding.column)
    end_line = max(start_line, finding.end_line)
    end_column = max(1, finding.end_column)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    region: dict[str, Any] = {"startLine": start_line, "startColumn": start_column,
                              "endLine": end_line, "endColumn": end_column}
    snippet = _snippet(lines, start_line, start_column, end_line, end_column)
    if snippet is None and finding.text:
        snippet = finding.text
    if snippet:
        region["snippet"] = {"text": snippet}
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.path)},
            "region": region,
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
    }


def _snippet(lines: list[str] | None, line: int, column: int, end_line: int, end_column: int) -> str | None:
    """The region's exact source text, when the source is at hand and the region fits in it."""
    if lines is None or end_line > len(lines):
        return None
    if line == end_line:
        text = lines[line - 1]
        return text[column - 1:end_column - 1] if end_column - 1 <= len(text) else None
    parts = [lines[line - 1][column - 1:], *lines[line:end_line - 1], lines[end_line - 1][:end_column - 1]]
    return "\n".join(parts)


def _help_text(rule: Rule) -> str:
    sections = [rule.summary]
    for title, body in _sections(rule):
        sections.append(f"{title}\n{body}" if title.endswith("?") else f"{title}:\n{body}")
    sections.append(f"Run `ethicslint explain {rule.code}` for the full documentation.")
    return "\n\n".join(sections)


def _help_markdown(rule: Rule) -> str:
    sections = [rule.summary]
    for title, body in _sections(rule):
        if title in ("Example", "Use instead"):
            body = "\n".join(f"> {ln}" if ln else ">" for ln in body.splitlines())
        sections.append(f"## {title}\n{body}")
    sections.append(f"Run `ethicslint explain {rule.code}` for the full documentation.")
    return "\n\n".join(sections)


def _sections(rule: Rule) -> list[tuple[str, str]]:
    """Ruff's documentation sections that the rule fills in, in ruff's order."""
    candidates = [("Why is this bad?", rule.why), ("Example", rule.example),
                  ("Use instead", rule.use_instead), ("How to fix", rule.fix),
                  ("References", "\n".join(f"- {ref}" for ref in rule.references))]
    return [(title, body.strip()) for title, body in candidates if body.strip()]
