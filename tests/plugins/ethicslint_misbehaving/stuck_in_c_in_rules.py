"""Spends about half an hour in one C call while declaring its rules (the in-process time limit
cannot reach it): the process that watches the run must end it."""

import hashlib

from ethicslint import hookimpl


@hookimpl
def ethicslint_rules():
    hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 2**31 - 1)
    return []
