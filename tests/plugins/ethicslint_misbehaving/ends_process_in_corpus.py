"""Ends its process with ``os._exit(0)`` in the corpus phase."""

import os

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB903", "ends-process-in-corpus")]


@hookimpl
def ethicslint_check_corpus(collected, config):
    os._exit(0)
