"""``html``: one self-contained page an editor reads, in a browser or from an e-mail attachment.

Findings are grouped by file, then listed in order; each shows the passage with the match
highlighted, the message, the suggestion and the rule's why (collapsible; the whole
``ethicslint explain`` text of every rule in the report is at the end). Counts and a chart of
findings per checker (inline SVG) come first; then filters by checker, severity and language.

Choices that matter:

* **Self-contained**: no external script, style sheet, font or image; the page works offline.
  A Content-Security-Policy allows only this page's own ``<style>`` and ``<script>``, by their
  hashes, so even a mistake in escaping could not run a script from a checked file.
* **Everything from the checked files is escaped** (paths, passages, messages, which quote the
  copy); rule texts are Markdown rendered by markdown-it-py with raw HTML off.
* **Works without the script**: every finding is shown; the filters, which need it, stay hidden.
* **Accessible**: one ``h1``, a ``h2`` per file and a ``h3`` per finding; native controls
  (checkboxes, ``<details>``) reachable by keyboard with a visible focus ring; colours at a
  contrast of at least 4.5:1; the chart has a text alternative; a narrow screen gets one column.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape
from typing import TYPE_CHECKING

from ..model import Finding, Rule, Severity
from ..ruledocs import explain
from . import _plural, sorted_findings, source_lines

if TYPE_CHECKING:
    from . import Report

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
UNKNOWN_LANGUAGE = "unknown"
PASSAGE_MAX_LINES = 4  # a span over more lines shows its first ones
PASSAGE_CONTEXT = 160  # characters kept either side of the match on a long line

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: #fff; }
.page { max-width: 60rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible, input:focus-visible, .skip:focus {
  outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; overflow-wrap: anywhere; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; margin: .5rem 0; list-style: none; }
.counts strong { font-size: 1.3rem; }
.chart { width: 100%; max-width: 40rem; height: auto; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .25rem .75rem .5rem; margin: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
fieldset label { display: inline-flex; align-items: center; gap: .3rem; margin-right: .75rem;
  min-height: 2.75rem; }
input[type=checkbox] { width: 1.2rem; height: 1.2rem; }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: .75rem;
  margin: .75rem 0; }
.finding.error { border-left-color: #b00020; }
.finding.warning { border-left-color: #8a5300; }
.finding.info { border-left-color: #1f5fa8; }
.badge { display: inline-block; color: #fff; border-radius: 3px; padding: 0 .4rem; font-size: .85rem;
  font-weight: 600; }
.badge.error { background: #b00020; } .badge.warning { background: #8a5300; } .badge.info { background: #1f5fa8; }
.where { color: var(--muted); font-size: .9rem; margin: 0; }
.passage { margin: .5rem 0; padding: .5rem .75rem; background: #f4f4f4; border-radius: 4px;
  white-space: pre-wrap; overflow-wrap: anywhere; font: .95rem/1.45 ui-monospace, Menlo, Consolas, monospace; }
mark { background: #ffe066; color: #000; padding: 0 .1rem; outline: 1px solid #8a6d00; }
.suggestion { margin: .25rem 0; }
details { margin-top: .5rem; }
summary { cursor: pointer; color: var(--accent); min-height: 2rem; }
.rule { border-top: 1px solid var(--line); margin-top: 1rem; }
.rule h4 { margin: .75rem 0 .25rem; font-size: 1rem; }
blockquote { margin: .25rem 0; padding-left: .75rem; border-left: 3px solid var(--line); }
code { overflow-wrap: anywhere; }
@media (max-width: 36rem) {
  .page { padding: .5rem; }
  .filters { flex-direction: column; }
}
"""

# Shows the filters (they need this script) and applies them: a finding is shown when its checker,
# severity and language are all ticked; a file whose findings are all hidden is hidden too.
SCRIPT = """
(() => {
  const filters = document.getElementById("filters");
  const findings = Array.from(document.querySelectorAll(".finding"));
  const files = Array.from(document.querySelectorAll(".file"));
  const shown = document.getElementById("shown");
  const ticked = (name) => new Set(Array.from(filters.querySelectorAll(`input[name="${name}"]:checked`),
                                              (box) => box.value));
  const apply = () => {
    const checkers = ticked("checker"), severities = ticked("severity"), languages = ticked("language");
    let count = 0;
    for (const finding of findings) {
      const show = checkers.has(finding.dataset.checker) && severities.has(finding.dataset.severity)
        && languages.has(finding.dataset.language);
      finding.hidden = !show;
      count += show ? 1 : 0;
    }
    for (const file of files) {
      file.hidden = !file.querySelector(".finding:not([hidden])");
    }
    shown.textContent = `Showing ${count} of ${findings.length} findings.`;
  };
  filters.hidden = false;
  filters.addEventListener("change", apply);
  apply();
})();
"""


def render(report: Report) -> str:
    """The whole page (UTF-8 text, no trailing newline)."""
    findings = sorted_findings(report)
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    lines_of = source_lines(report)
    language = {f: report.languages.get(f) or UNKNOWN_LANGUAGE for f in findings}
    codes = sorted({f.code for f in findings})
    body = [
        '<a class="skip" href="#findings">Skip to the findings</a>',
        '<div class="page">',
        '<header>',
        '<h1>ethicslint report</h1>',
        _counts(findings, len(by_file), report.files_checked),
        _chart(Counter(f.checker for f in findings)),
        '</header>',
        _filters(findings, language) if findings else "",
        '<main id="findings" tabindex="-1">',
        _file_index(by_file) if len(by_file) > 1 else "",
    ]
    number = 0
    for file_number, (path, in_file) in enumerate(by_file.items(), start=1):
        body.append(f'<section class="file" aria-labelledby="file-{file_number}">'
                    f'<h2 id="file-{file_number}">{escape(path)} <small>({_plural(len(in_file), "finding")})</small></h2>')
        for finding in in_file:
            number += 1
            body.append(_finding(finding, number, lines_of(finding.path), report.rules.get(finding.code),
                                 language[finding]))
        body.append('</section>')
    if codes:
        body.append('<section aria-labelledby="rules"><h2 id="rules">The rules in this report</h2>')
        body += [_rule(report.rules[code], report.rule_owners.get(code)) for code in codes if code in report.rules]
        body.append('</section>')
    body += ['</main>',
             f'<footer><p class="where">ethicslint {escape(report.tool_version)} · '
             '<code>ethicslint explain CODE</code> prints a rule\'s text in a terminal.</p></footer>',
             '</div>']
    return _page("\n".join(part for part in body if part))


def _page(body: str) -> str:
    policy = (f"default-src 'none'; style-src '{_hash(STYLE)}'; script-src '{_hash(SCRIPT)}'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="ethicslint">',
        "<title>ethicslint report</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        body,
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ])


def _hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline element's text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _counts(findings: list[Finding], files_with_findings: int, files_checked: int) -> str:
    severities = Counter(f.severity for f in findings)
    items = [f"<li><strong>{len(findings)}</strong> {'finding' if len(findings) == 1 else 'findings'}</li>",
             *(f'<li><span class="badge {s.value}">{s.value}</span> <strong>{severities[s]}</strong></li>'
               for s in SEVERITY_ORDER if severities[s]),
             f"<li><strong>{files_with_findings}</strong> of {_plural(files_checked, 'file')} checked "
             f"{'has' if files_with_findings == 1 else 'have'} findings</li>"]
    return '<ul class="counts" aria-label="Counts">' + "".join(items) + "</ul>"


def _chart(per_checker: Counter[str]) -> str:
    """A horizontal bar per checker, longest first, with its count written beside it."""
    if not per_checker:
        return ""
    rows = sorted(per_checker.items(), key=lambda item: (-item[1], item[0]))
    label_width, bar_width, row_height = 150, 360, 30
    height = row_height * len(rows) + 10
    most = rows[0][1]
    description = "; ".join(f"{checker}: {count}" for checker, count in rows)
    parts = [f'<svg class="chart" viewBox="0 0 {label_width + bar_width + 60} {height}" role="img" '
             'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">Findings per checker</title>',
             f'<desc id="chart-desc">{escape(description)}</desc>']
    for index, (checker, count) in enumerate(rows):
        y = 5 + index * row_height
        width = max(2, round(bar_width * count / most))
        parts += [f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" font-size="15" fill="#1a1a1a">'
                  f'{escape(checker)}</text>',
                  f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="20" fill="#1f5fa8"/>',
                  f'<text x="{label_width + width + 6}" y="{y + 19}" font-size="15" fill="#1a1a1a">{count}</text>']
    parts.append("</svg>")
    return "\n".join(parts)


def _filters(findings: list[Finding], language: dict[Finding, str]) -> str:
    groups = [
        ("checker", "Checker", sorted({f.checker for f in findings})),
        ("severity", "Severity", [s.value for s in SEVERITY_ORDER if any(f.severity is s for f in findings)]),
        ("language", "Language", sorted(set(language.values()))),
    ]
    parts = ['<div id="filters" class="filters" role="group" aria-label="Filters" hidden>']
    for name, legend, values in groups:
        boxes = "".join(f'<label><input type="checkbox" name="{name}" value="{escape(value)}" checked> '
                        f'{escape(value)}</label>' for value in values)
        parts.append(f"<fieldset><legend>{legend}</legend>{boxes}</fieldset>")
    parts += ['</div>', '<p id="shown" role="status" aria-live="polite"></p>']
    return "\n".join(parts)


def _file_index(by_file: dict[str, list[Finding]]) -> str:
    links = "".join(f'<li><a href="#file-{number}">{escape(path)}</a> ({len(in_file)})</li>'
                    for number, (path, in_file) in enumerate(by_file.items(), start=1))
    return (f'<nav aria-label="Files"><details><summary>The {len(by_file)} files with findings</summary>'
            f"<ul>{links}</ul></details></nav>")


def _finding(finding: Finding, number: int, lines: list[str] | None, rule: Rule | None, language: str) -> str:
    severity = finding.severity.value
    name = f" {escape(rule.name)}" if rule else ""
    parts = [f'<article class="finding {severity}" id="finding-{number}" data-checker="{escape(finding.checker)}" '
             f'data-severity="{severity}" data-language="{escape(language)}">',
             f'<h3><span class="badge {severity}">{severity}</span> <code>{escape(finding.code)}</code>{name}</h3>',
             f'<p class="where">Line {finding.line}, column {finding.column} · {escape(finding.checker)} · '
             f'language: {escape(language)}</p>',
             f'<p class="message">{escape(finding.message)}</p>']
    passage = _passage(finding, lines)
    if passage:
        parts.append(f'<pre class="passage">{passage}</pre>')
    if finding.suggestion:
        parts.append(f'<p class="suggestion"><strong>Suggestion:</strong> {escape(finding.suggestion)}</p>')
    if rule:
        parts.append(f"<details><summary>Why this is flagged</summary>{_markdown(rule.why)}"
                     f'<p><a href="#rule-{escape(rule.code)}">The whole explanation of {escape(rule.code)}</a></p>'
                     "</details>")
    parts.append("</article>")
    return "\n".join(parts)


def _passage(finding: Finding, lines: list[str] | None) -> str:
    """The finding's source lines, escaped, with the match in ``<mark>``; "" without the source."""
    if lines is None or not 0 < finding.line <= len(lines):
        return ""
    last = min(finding.end_line, len(lines), finding.line + PASSAGE_MAX_LINES - 1)
    shown = lines[finding.line - 1:last]
    start = min(max(finding.column - 1, 0), len(shown[0]))
    end = min(max(finding.end_column - 1, 0), len(shown[-1])) if last == finding.end_line else len(shown[-1])
    if len(shown) == 1:
        end = max(end, start)
        before, match, after = shown[0][:start], shown[0][start:end], shown[0][end:]
    else:
        before = shown[0][:start]
        match = "\n".join([shown[0][start:], *shown[1:-1], shown[-1][:end]])
        after = shown[-1][end:]
    if len(before) > PASSAGE_CONTEXT:
        before = "…" + before[-PASSAGE_CONTEXT:]
    if len(after) > PASSAGE_CONTEXT:
        after = after[:PASSAGE_CONTEXT] + "…"
    return f"{escape(before)}<mark>{escape(match)}</mark>{escape(after)}"


def _rule(rule: Rule, plugin: str | None) -> str:
    """The rule's ``ethicslint explain`` text, its headings under this page's ``h2``."""
    return (f'<section class="rule" id="rule-{escape(rule.code)}" aria-label="{escape(rule.code)}">'
            f"{_markdown(explain(rule, plugin), heading_offset=2)}</section>")


def _markdown(text: str, heading_offset: int = 0) -> str:
    """Markdown as HTML with raw HTML escaped (a custom rule's text comes from a checked repo's
    config); headings moved ``heading_offset`` levels down."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).disable("image")  # an example's image is text here
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    return parser.renderer.render(tokens, parser.options, {})

