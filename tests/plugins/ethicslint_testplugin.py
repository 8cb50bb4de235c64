"""A tiny checker used only by the tests (not shipped): proves the whole path end to end.

TST101 flags "hurry" (matched on the lowercase lemma, so "Hurry"/"hurrying" too) unless negated;
TST901 is corpus-level: it counts the documents mentioning "deal" and reports when there are
at least ``min-documents`` of them.
"""

from __future__ import annotations

from typing import Any

from ethicslint import Finding, Option, Rule, Severity, hookimpl
from ethicslint.context import is_negated

ETHICSLINT_API = "1"
__version__ = "0.0.1"

HURRY = Rule(code="TST101", name="test-hurry", checker="testcheck", severity=Severity.WARNING,
             summary="Flags the word 'hurry' (test rule).", why="Test rule: proves the host works.",
             example="Hurry up!", use_instead="Take your time.", fix="Remove 'hurry'.")
DEALS = Rule(code="TST901", name="test-deals", checker="testcheck", severity=Severity.INFO,
             summary="Corpus rule: too many documents talk about deals.", why="Test rule.")


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return [HURRY, DEALS]


@hookimpl
def ethicslint_options() -> list[Option]:
    return [Option("min-documents", "int", 2, "documents mentioning 'deal' before TST901 fires")]


@hookimpl
def ethicslint_check_document(document, config) -> list[Finding]:  # type: ignore[no-untyped-def]
    findings = []
    for segment in document.segments:
        for token in segment.doc:
            if token.lemma_ == "hurry" and not is_negated(token.doc[token.i:token.i + 1], segment.lang):
                findings.append(document.finding_for_span(
                    HURRY, segment, token.doc[token.i:token.i + 1], "'hurry' pushes the reader",
                    suggestion="take your time"))
    return findings


@hookimpl
def ethicslint_collect(document, config) -> Any:  # type: ignore[no-untyped-def]
    for segment in document.segments:
        if any(t.lemma_ == "deal" for t in segment.doc):
            return document.path
    return None


@hookimpl
def ethicslint_check_corpus(collected: list[Any], config: dict[str, Any]) -> list[Finding]:
    if len(collected) < config["min-documents"]:
        return []
    return [Finding(path=collected[0], line=1, column=1, end_line=1, end_column=1, code="TST901",
                    checker="testcheck", severity=Severity.INFO,
                    message=f"{len(collected)} documents mention deals: {', '.join(collected)}")]
