"""Collects fine, then raises in the corpus phase."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB501", "raises-in-check-corpus")]


@hookimpl
def ethicslint_collect(document, config):
    return document.path


@hookimpl
def ethicslint_check_corpus(collected, config):
    raise IndexError("corpus too small")
