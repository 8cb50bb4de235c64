"""Ends its process with ``os._exit(0)`` on a document whose source holds ``END-THIS-PROCESS``, as
a plugin crashing in C on one input would; on every other document it reports MSB906 once, so a
test sees which documents kept its findings."""

import os

from ethicslint import hookimpl

from . import rule

MARKER = "END-THIS-PROCESS"


@hookimpl
def ethicslint_rules():
    return [rule("MSB906", "ends-process-on-one-text")]


@hookimpl
def ethicslint_check_document(document, config):
    if MARKER in document.source:
        os._exit(0)
    rule_ = ethicslint_rules()[0]
    return [document.finding_at(rule_, 0, 0, "checked by the plugin that ends its process on one text")]
