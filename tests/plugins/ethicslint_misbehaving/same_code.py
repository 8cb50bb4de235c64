"""Declares TST101, a code ethicslint_testplugin already owns: a load-time error naming both."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("TST101", "same-code")]
