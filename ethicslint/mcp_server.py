"""``ethicslint mcp``: a Model Context Protocol server over stdio, so an AI assistant that drafts
copy can check it before showing it to anyone. Reference: ``docs/mcp.md``.

Three tools on the official ``mcp`` SDK (``MCPServer``): ``check_copy``, ``explain_rule`` and
``list_rules``. Each answers with structured content (JSON, under an output schema) and a short
text for the model to read; bad input is a tool error (``is_error``) with a message that says
what to change, and the server goes on serving.

Every tool is an ``async`` function that runs the check synchronously in the event loop's
thread, which is the main thread of the process. Two reasons: a :class:`~ethicslint.Linter` is
not thread-safe, and running the calls one after another on one thread needs no lock; and
``plugin-time-limit`` (a SIGALRM timer) only stops a plugin in the main thread, so it applies
here as in ``ethicslint check``. The cost: a check blocks the loop while it runs, which for copy
(a few milliseconds to a second) is nothing a single stdio client notices; :data:`MAX_TEXT_CHARS`
bounds the worst case.

The SDK points file descriptor 1 at stderr while it serves, and the Linter sends what plugins
print to stderr, so nothing but protocol messages reaches stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

from typing_extensions import TypedDict  # pydantic reads nested TypedDicts from here below Python 3.12

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from . import __version__
from .api import Linter
from .model import Finding, line_starts

MAX_TEXT_CHARS = 100_000
"""The longest ``text`` ``check_copy`` takes, in characters (about 15,000 words; a long landing
page is 2,000). A check holds the server while it runs, so a bound keeps it answering; the
config's ``max-file-size`` still applies below it, as for a file."""

FORMAT_PATHS: dict[str, str] = {
    "text": "snippet.txt", "txt": "snippet.txt",
    "markdown": "snippet.md", "md": "snippet.md",
    "html": "snippet.html", "htm": "snippet.html",
    "mjml": "snippet.mjml",
    "yaml": "snippet.yml", "yml": "snippet.yml",
    "json": "snippet.json",
    "po": "snippet.po",
}
"""``check_copy``'s ``format`` -> the path the text is checked under (the path decides the reader)."""

INSTRUCTIONS = (
    "ethicslint checks marketing copy (English and French) for unethical patterns: fake urgency and "
    "scarcity, undisclosed AI-generated content, exclusionary wording, unbacked data and green claims. "
    "Call check_copy on marketing copy you drafted or edited (emails, landing pages, ads, product "
    "pages, social posts, notifications) before showing it to the user, fix what it flags, and check "
    "again. Call explain_rule for the reasoning behind a code; list_rules to see every rule."
)

CHECK_COPY_DESCRIPTION = """Check marketing copy for unethical patterns before showing it to the user.

Call this on every piece of marketing or product copy you write or rewrite (email, landing page,
ad, product description, push notification, social post, UI string), in English or French. It
flags fake urgency and scarcity ("only 2 left!", "offer ends soon"), AI-generated content without
a disclosure, exclusionary or stereotyping wording, statistics and claims without a source, and
vague environmental claims. Each finding gives the rule code, the flagged text and its position,
a message, often a suggested replacement, and why the rule exists. Rewrite the copy to address
the findings (do not just delete the flagged words) and check it again; no findings means
nothing was flagged, not that the copy is approved.

Arguments: text (the copy itself); language "en" or "fr" (default: detected); kind of copy, one
of promotional, transactional, editorial, ui-strings, legal, recruitment (default: guessed; it
decides which rules apply, e.g. urgency rules skip transactional mail); format text (default),
markdown, html, mjml, yaml, json or po; metadata, front-matter keys such as
{"ai_generated": true} when the copy was written by AI."""

EXPLAIN_RULE_DESCRIPTION = """Explain an ethicslint rule by its code (e.g. URG101): what it flags,
why it is a problem (with its policy basis), an example, an honest rewrite, how to fix it and how
to turn it off. Call it when a finding of check_copy needs more context, or when the user asks why
copy was flagged."""

LIST_RULES_DESCRIPTION = """List ethicslint's rules: code, name, checker, default severity,
languages and a one-line summary. Optionally only one checker's (urgency, ai-disclosure,
diversity, data-claims, green-claims, or a plugin's). Call it to see what ethicslint checks or
to find a rule's code."""


class FindingResult(TypedDict):
    """One finding: the fields of `ethicslint check --format json` but the path; `line`, `column`,
    `end_line`, `end_column` are 1-based (columns in Unicode code points, the end exclusive);
    `offset`, `end_offset` index the checked text in code points (text[offset:end_offset]);
    `rule` is the rule's name and `why` the reason it exists."""

    code: str
    rule: str
    checker: str
    severity: str
    message: str
    suggestion: str | None
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    why: str


class CheckCopyResult(TypedDict):
    """The findings, sorted by position; a one-line summary; the config file in use (or null)."""

    findings: list[FindingResult]
    summary: str
    config: str | None


class RuleSummary(TypedDict):
    code: str
    name: str
    checker: str
    severity: str
    languages: list[str]
    summary: str


class ExplainRuleResult(RuleSummary):
    why: str
    example: str
    use_instead: str
    fix: str
    references: list[str]
    kinds: list[str]
    markdown: str


class ListRulesResult(TypedDict):
    rules: list[RuleSummary]


def build_server(linter: Linter) -> MCPServer:
    """The MCP server with ethicslint's three tools, all served by ``linter``."""
    server = MCPServer("ethicslint", title="ethicslint", version=__version__, instructions=INSTRUCTIONS,
                       log_level="WARNING")
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                                open_world_hint=False)

    @server.tool(title="Check marketing copy", description=CHECK_COPY_DESCRIPTION, annotations=read_only)
    async def check_copy(text: str, language: str | None = None, kind: str | None = None,
                         format: str | None = None,  # noqa: A002 - the name the client sees
                         metadata: dict[str, Any] | None = None) -> Annotated[CallToolResult, CheckCopyResult]:
        findings = _check(linter, text, language=language, kind=kind, fmt=format, metadata=metadata)
        result = check_result(linter, text, findings)
        return CallToolResult(content=[TextContent(type="text", text=findings_text(result))],
                              structured_content=dict(result))

    @server.tool(title="Explain an ethicslint rule", description=EXPLAIN_RULE_DESCRIPTION, annotations=read_only)
    async def explain_rule(code: str) -> Annotated[CallToolResult, ExplainRuleResult]:
        try:
            markdown = linter.explain(code)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        rule = linter.rules[code.strip().upper()]
        result = ExplainRuleResult(**rule_summary(rule), why=rule.why, example=rule.example,
                                   use_instead=rule.use_instead, fix=rule.fix,
                                   references=list(rule.references), kinds=list(rule.kinds), markdown=markdown)
        return CallToolResult(content=[TextContent(type="text", text=markdown)], structured_content=dict(result))

    @server.tool(title="List ethicslint rules", description=LIST_RULES_DESCRIPTION, annotations=read_only)
    async def list_rules(checker: str | None = None) -> Annotated[CallToolResult, ListRulesResult]:
        rules = sorted(linter.rules.values(), key=lambda r: r.code)
        if checker is not None:
            checkers = sorted({r.checker for r in rules})
            if checker not in checkers:
                raise ToolError(f"unknown checker {checker!r}: expected one of {', '.join(checkers)}")
            rules = [r for r in rules if r.checker == checker]
        summaries = [rule_summary(r) for r in rules]
        lines = [f"{s['code']} {s['name']} ({s['checker']}, {s['severity']}): {s['summary']}" for s in summaries]
        return CallToolResult(content=[TextContent(type="text", text="\n".join(lines))],
                              structured_content={"rules": summaries})

    return server


def _check(linter: Linter, text: str, *, language: str | None, kind: str | None, fmt: str | None,
           metadata: dict[str, Any] | None) -> list[Finding]:
    """``linter.check_text`` on the tool's arguments, every bad one a :class:`ToolError`."""
    if not text.strip():
        raise ToolError("text is empty: pass the copy to check")
    if len(text) > MAX_TEXT_CHARS:
        raise ToolError(f"text is {len(text):,} characters long, over the limit of {MAX_TEXT_CHARS:,}: "
                        f"check it in parts")
    path = FORMAT_PATHS.get((fmt or "text").strip().lower())
    if path is None:
        raise ToolError(f"unknown format {fmt!r}: expected one of {', '.join(sorted(set(FORMAT_PATHS)))}")
    try:
        return linter.check_text(text, path=path, language=language, kind=kind, metadata=metadata)
    except (TypeError, ValueError) as exc:  # unknown language or kind, unencodable text
        raise ToolError(str(exc)) from None


def check_result(linter: Linter, text: str, findings: Sequence[Finding]) -> CheckCopyResult:
    """The structured content of ``check_copy``: each finding with offsets and its rule's why."""
    bom = 1 if text.startswith("\ufeff") else 0  # the reader drops it: positions start after it
    starts = line_starts(text[bom:])

    def offset(line: int, column: int) -> int:
        return bom + min(len(text) - bom, starts[min(line, len(starts)) - 1] + column - 1)

    results: list[FindingResult] = []
    for finding in findings:
        rule = linter.rules.get(finding.code)
        results.append(FindingResult(
            code=finding.code, rule=rule.name if rule else "", checker=finding.checker,
            severity=finding.severity.value, message=finding.message, suggestion=finding.suggestion,
            text=finding.text, line=finding.line, column=finding.column, end_line=finding.end_line,
            end_column=finding.end_column, offset=offset(finding.line, finding.column),
            end_offset=offset(finding.end_line, finding.end_column), why=rule.why if rule else ""))
    config = linter.config_path
    return CheckCopyResult(findings=results, summary=summary(results),
                           config=os.fspath(config) if config is not None else None)


def summary(findings: Sequence[FindingResult]) -> str:
    """"No findings." or "3 findings: 1 error, 2 warnings."."""
    if not findings:
        return "No findings."
    counts = {level: sum(f["severity"] == level for f in findings) for level in ("error", "warning", "info")}
    parts = [f"{n} {level}{'s' if n > 1 else ''}" for level, n in counts.items() if n]
    return f"{len(findings)} finding{'s' if len(findings) > 1 else ''}: {', '.join(parts)}."


def findings_text(result: CheckCopyResult) -> str:
    """The short text a model reads: the summary, then one line per finding."""
    lines = [result["summary"]]
    for f in result["findings"]:
        fix = f" Suggestion: {f['suggestion']!r}." if f["suggestion"] else ""
        lines.append(f"- {f['line']}:{f['column']} {f['code']} ({f['severity']}) \"{f['text']}\": {f['message']}{fix}")
    return "\n".join(lines)


def rule_summary(rule: Any) -> RuleSummary:
    """A rule as ``ethicslint rules --format json`` lists it."""
    return RuleSummary(code=rule.code, name=rule.name, checker=rule.checker, severity=rule.severity.value,
                       languages=list(rule.languages), summary=rule.summary)


def serve(config: str | None = None, plugins: Sequence[str] = ()) -> None:
    """Load the config (found from the current directory, as ``ethicslint check`` finds it, or
    ``config``) and the plugins, warm the pipelines, then serve over stdio until the client
    closes the connection. Raises :class:`~ethicslint.ConfigError` or
    :class:`~ethicslint.PluginLoadError` before serving when the settings cannot be used."""
    linter = Linter(config=config, plugins=plugins)
    for warning in linter.warnings:
        print(f"ethicslint: warning: {warning}", file=sys.stderr)
    build_server(linter).run("stdio")
