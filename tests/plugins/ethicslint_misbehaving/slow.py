"""Takes ``seconds`` on every document, then reports a finding: slow, but correct."""

import time

from ethicslint import Option, hookimpl

from . import rule

SLOW = rule("MSB701", "slow")


@hookimpl
def ethicslint_rules():
    return [SLOW]


@hookimpl
def ethicslint_options():
    return [Option("seconds", "float", 0.3, "how long each document takes")]


@hookimpl
def ethicslint_check_document(document, config):
    time.sleep(config["seconds"])
    segment = document.segments[0]
    return [document.finding(SLOW, segment, 0, 1, "found, slowly")]
