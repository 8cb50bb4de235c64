"""Returns something that is not an Option from ethicslint_options."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB251", "bad-options")]


@hookimpl
def ethicslint_options():
    return ["max-words"]
