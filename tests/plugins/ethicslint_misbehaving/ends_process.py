"""Ends its process with ``os._exit(0)`` on every document, as a plugin crashing in C would."""

import os

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB902", "ends-process")]


@hookimpl
def ethicslint_check_document(document, config):
    os._exit(0)
