"""Spends hours in one C call that never returns to Python (so never sees the in-process time
limit), on every document: the supervisor must end it."""

import hashlib

from ethicslint import hookimpl

from . import rule


@hookimpl
def ethicslint_rules():
    return [rule("MSB904", "stuck-in-c")]


@hookimpl
def ethicslint_check_document(document, config):
    hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 2**31 - 1)
