"""Never returns from declaring its rules (catching every Exception): loading must be bounded."""

from ethicslint import hookimpl


@hookimpl
def ethicslint_rules():
    while True:
        try:
            sum(range(1000))
        except Exception:
            pass
