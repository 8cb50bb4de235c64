"""Declares its rules, then raises while declaring its options."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB201", "raises-in-options")]


@hookimpl
def ethicslint_options():
    raise KeyError("options")
