"""A hook wrapper (``wrapper=True``): the host calls each plugin on its own, so it is refused at load."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB911", "wraps")]


@hookimpl(wrapper=True)
def ethicslint_check_document(document):
    findings = yield
    return findings
