"""Raises while declaring its rules: it cannot be loaded, the others run."""

from ethicslint import hookimpl


@hookimpl
def ethicslint_rules():
    raise RuntimeError("no rules today")
