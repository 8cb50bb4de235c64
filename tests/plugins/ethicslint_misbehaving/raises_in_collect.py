"""Raises while summarising a document for the corpus phase."""

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB401", "raises-in-collect")]


@hookimpl
def ethicslint_collect(document, config):
    raise ValueError(f"cannot summarise {document.path}")
