"""Rule documentation in ruff's sections, generated from rule metadata and written nowhere else.

Used by ``ethicslint explain CODE``, the SARIF rule help and ``docs/rules/`` (``ethicslint rules
--docs DIR``).
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import Rule


def find_rule(rules: Mapping[str, Rule], code: str) -> Rule:
    """The rule ``code`` names (any case, spaces around it ignored), for ``ethicslint explain``
    and the servers' explain tools alike, so an unknown code gets the same message everywhere:
    ``ValueError`` naming the rules that share its prefix, or pointing at ``ethicslint rules``."""
    wanted = code.strip().upper()
    rule = rules.get(wanted)
    if rule is not None:
        return rule
    close = sorted(c for c in rules if c.startswith(wanted[:3])) if wanted else []
    hint = f" (rules with that prefix: {', '.join(close)})" if close else " (see `ethicslint rules`)"
    raise ValueError(f"unknown rule code {code!r}{hint}")


def explain(rule: Rule, plugin: str | None = None) -> str:
    """The rule's documentation as Markdown: what it does, why, example, use instead, fix."""
    languages = ", ".join(rule.languages)
    lines = [f"# {rule.code} {rule.name}", "",
             f"Checker: `{rule.checker}`{f' (plugin `{plugin}`)' if plugin and plugin != rule.checker else ''} · "
             f"default severity: {rule.severity.value} · languages: {languages}", "",
             f"Applies to: {_kinds(rule)}", "",
             "## What it does", rule.summary, "", "## Why is this bad?", rule.why, ""]
    if rule.example:
        lines += ["## Example", _quote(rule.example), ""]
    if rule.use_instead:
        lines += ["## Use instead", _quote(rule.use_instead), ""]
    if rule.fix:
        lines += ["## How to fix", rule.fix, ""]
    if rule.references:
        lines += ["## References", *[f"- {ref}" for ref in rule.references], ""]
    lines += ["## Turning it off",
              f"Per line: `<!-- ethicslint-disable-next-line {rule.code} -->` (Markdown/HTML) or "
              f"`# ethicslint: disable={rule.code}` (YAML/po); per project: `ignore = [\"{rule.code}\"]`.", ""]
    return "\n".join(lines)


def _kinds(rule: Rule) -> str:
    """The copy kinds the rule runs on (``ethicslint.kinds``), and those it leaves alone."""
    from .kinds import KINDS

    skipped = [kind for kind in KINDS if kind not in rule.kinds]
    if not skipped:
        return "every kind of copy (" + ", ".join(KINDS) + ")"
    return (", ".join(k for k in KINDS if k in rule.kinds) + " copy; not " + ", ".join(skipped)
            + " (see docs/kinds.md)")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())
