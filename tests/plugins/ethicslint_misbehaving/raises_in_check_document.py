"""Raises on every document."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB301", "raises-in-check-document")]


@hookimpl
def ethicslint_check_document(document, config):
    raise ZeroDivisionError("division by zero in the checker")
