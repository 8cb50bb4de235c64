"""Uses the code prefix TST of ethicslint_testplugin (with a code of its own): both are loaded."""

from ethicslint import hookimpl

from . import rule

SHARED = rule("TST555", "same-prefix")


@hookimpl
def ethicslint_rules():
    return [SHARED]


@hookimpl
def ethicslint_check_document(document, config):
    segment = document.segments[0]
    return [document.finding(SHARED, segment, 0, 1, "a finding of the prefix-sharing plugin")]
