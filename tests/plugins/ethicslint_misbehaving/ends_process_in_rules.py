"""Ends the process with ``os._exit(0)`` while declaring its rules (in the command's own process)."""

import os

from ethicslint import hookimpl


@hookimpl
def ethicslint_rules():
    os._exit(0)
