"""Output formats: turn a run's findings into text for people (concise, full) and machines.

The CLI builds one :class:`Report` and calls :func:`render` with the chosen format. Each format
lives in its own module with a single ``render(report) -> str`` function; they are imported
only when used, so ``--format concise`` never pays for ``json``/``hashlib``.

Conventions shared by every format:

* findings are sorted by ``(path, line, column, code)`` here, not by the caller, so the output
  is stable whatever order the (parallel) runner produced;
* the returned text has no trailing newline (``click.echo`` adds one), and is ``""`` for the
  line-oriented formats when there is nothing to report, so the CLI prints nothing at all.
"""

from __future__ import annotations

import importlib
import os
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..model import Finding, Rule, Severity, split_lines

FORMATS: tuple[str, ...] = ("concise", "full", "json", "sarif", "github", "html")


@dataclass
class Report:
    """Everything a format may need about one run."""

    findings: list[Finding]  # already filtered; reporters sort them
    rules: dict[str, Rule]  # every known rule by code (SARIF rule metadata, help text)
    files_checked: int
    sources: Callable[[str], str | None]  # path -> source text (``full``'s excerpt); may return None
    tool_version: str
    # the language of each finding's passage (``html`` filters by it; see ethicslint.passages)
    languages: Mapping[Finding, str | None] = field(default_factory=dict)
    rule_owners: Mapping[str, str] = field(default_factory=dict)  # code -> plugin (``explain``'s text)


def render(fmt: str, report: Report) -> str:
    """The text to print on stdout for ``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.render(report)


def sorted_findings(report: Report) -> list[Finding]:
    """The report's findings in output order: path, line, column, code."""
    return sorted(report.findings, key=Finding.sort_key)


def source_lines(report: Report) -> Callable[[str], list[str] | None]:
    r"""A per-render reader of a file's source lines, each file split once however many findings.

    Lines end at CRLF, a lone CR or LF (:func:`~ethicslint.model.split_lines`), the way
    :meth:`Document.position` counts them; ``str.splitlines`` would also split on ``\x0c``,
    ``\x1c``, U+2028... and put every later finding on the wrong line.
    """
    cache: dict[str, list[str] | None] = {}

    def lines_of(path: str) -> list[str] | None:
        if path not in cache:
            source = report.sources(path)
            cache[path] = None if source is None else split_lines(source)
        return cache[path]

    return lines_of


def printable(text: str) -> str:
    """``text`` safe on one terminal line: control characters (line breaks, escape sequences) and
    Unicode line separators as backslash escapes (a file may be named ``"a\\nb.md"``); tabs and
    every printable character kept as they are."""
    if text.isprintable():
        return text
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Zl", "Zp"):
        return ch
    return ch.encode("unicode_escape").decode("ascii")


def native_separators() -> bool:
    """Whether a backslash in a path is a separator (Windows) rather than a character of a name."""
    return os.sep == "\\"


def summary_line(report: Report) -> str:
    """One line for stderr, e.g. ``3 findings (1 error, 2 warnings) in 5 files``.

    Severities are listed from most to least serious and only when present; "info" is a mass
    noun, so it does not take a plural ``s``.
    """
    files = _plural(report.files_checked, "file")
    total = len(report.findings)
    if not total:
        return f"No findings in {files}"
    counts = {severity: 0 for severity in Severity}
    for finding in report.findings:
        counts[finding.severity] += 1
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = counts[severity]
        if count:
            parts.append(f"{count} info" if severity is Severity.INFO else _plural(count, severity.value))
    return f"{_plural(total, 'finding')} ({', '.join(parts)}) in {files}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


__all__ = ["FORMATS", "Report", "native_separators", "printable", "render", "sorted_findings", "source_lines",
           "summary_line"]
