"""The validation helpers every reader of user settings shares: the config file, plugin options,
rule packs and term files.

Written once so that every refusal reads the same way: where (the file and the TOML table, see
:class:`Place`), which key, what was expected, what was found (its TOML type and value, see
:func:`describe`) and, for a misspelt key, the closest known one (:func:`did_you_mean`). Each
helper returns the checked value or raises :class:`~ethicslint.errors.ConfigError`.
Plain functions rather than a schema library: the config is read on every pre-commit run, and
these cost nothing to import (pydantic takes about 50 ms).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .model import Severity

_TOML_TYPES = {dict: "table", list: "array", str: "string", bool: "boolean", int: "integer", float: "float"}


@dataclass(frozen=True)
class Place:
    """A file and a table in it, as error messages name them: ``pyproject.toml: [tool.ethicslint]``.

    ``table`` is written as the user wrote it (``[urgency]`` in ``.ethicslint.toml``,
    ``[tool.ethicslint.urgency]`` in ``pyproject.toml``); empty for the top level of a file."""

    file: str
    table: str = ""

    @property
    def prefix(self) -> str:
        return f"{self.file}: {self.table}" if self.table else f"{self.file}:"

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.prefix} {message}")

    def within(self, key: str) -> Place:
        """The table ``key`` of this one: ``[urgency]`` -> ``[urgency.extra-terms]``."""
        return Place(self.file, f"[{self.table[1:-1]}.{key}]" if self.table else f"[{key}]")


def type_name(value: Any) -> str:
    """The TOML name of ``value``'s type (``table``, ``array``, ``string``...)."""
    return _TOML_TYPES.get(type(value), type(value).__name__)


def describe(value: Any, item_ok: type | tuple[type, ...] | None = None) -> str:
    """What was found, for "got ...": its type and value; for an array whose items should be of
    type ``item_ok``, the first item that is not."""
    if item_ok is not None and isinstance(value, list):
        odd = [v for v in value if not isinstance(v, item_ok)]
        if odd:
            return f"an array containing {type_name(odd[0])} {odd[0]!r}"
    return f"{type_name(value)} {value!r}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing."""
    import difflib  # only on the way to an error: not at every start (plugins import this module)

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key(key: str, choices: Iterable[str], place: Place, known: str = "") -> ConfigError:
    """The error for a key that is not one of ``choices``; ``known`` ends the message (e.g. the
    list of the keys there are)."""
    return place.error(f"unknown key {key!r}{did_you_mean(key, choices)}{known}")


def string_list(what: str, value: Any, place: Place, *, non_empty: bool = False) -> list[str]:
    """``value`` as a list of strings (``non_empty``: each with something besides spaces)."""
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise place.error(f"{what} must be an array of strings, got {describe(value, str)}")
    if non_empty and any(not v.strip() for v in value):
        raise place.error(f"{what} contains an empty string")
    return list(value)


def table(what: str, value: Any, place: Place) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise place.error(f"{what} must be a table, got {describe(value)}")
    return value


def string(what: str, value: Any, place: Place) -> str:
    if not isinstance(value, str):
        raise place.error(f"{what} must be a string, got {describe(value)}")
    return value


def boolean(what: str, value: Any, place: Place) -> bool:
    if not isinstance(value, bool):
        raise place.error(f"{what} must be true or false, got {describe(value)}")
    return value


def one_of(what: str, value: Any, choices: Iterable[str], place: Place) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise place.error(f"{what} must be one of {', '.join(map(repr, choices))}, got {describe(value)}")
    return value


def severity(what: str, value: Any, place: Place) -> Severity:
    try:
        return Severity.parse(string(what, value, place))
    except ValueError as exc:
        raise place.error(f"{what}: {exc}") from None
