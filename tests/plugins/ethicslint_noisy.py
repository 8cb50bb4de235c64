"""A plugin that prints to stdout at import, when declaring its rules and when checking (and
flags "noise"): proves a server speaking a protocol on stdout keeps its stdout clean."""

from ethicslint import Rule, Severity, hookimpl

print("noisy plugin imported")

NOISE = Rule(code="NOI101", name="noise", checker="noisy", severity=Severity.WARNING,
             summary="Flags the word 'noise' (test rule).", why="Test rule: proves stdout stays clean.")


@hookimpl
def ethicslint_rules():
    print("noisy plugin declares its rules")
    return [NOISE]


@hookimpl
def ethicslint_check_document(document, config):
    print("noisy plugin checks a document")
    findings = []
    for segment in document.segments:
        start = segment.text.find("noise")
        if start >= 0:
            findings.append(document.finding(NOISE, segment, start, start + 5, "'noise' found"))
    return findings
