"""Written for a plugin API major this ethicslint does not provide."""

from ethicslint import hookimpl

from . import rule

ETHICSLINT_API = "2"


@hookimpl
def ethicslint_rules():
    return [rule("MSB801", "wrong-api")]
