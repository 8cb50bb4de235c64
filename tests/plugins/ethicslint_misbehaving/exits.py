"""Calls ``sys.exit(0)`` on every document: the run must not end with it (nor with status 0)."""

import sys

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB901", "exits")]


@hookimpl
def ethicslint_check_document(document, config):
    sys.exit(0)
