"""Implements ``ethicslint_check_documents``, a hook that does not exist: refused at load."""

from ethicslint import Finding, hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB901", "misspelt")]


@hookimpl
def ethicslint_check_documents(document) -> list[Finding]:
    return []
