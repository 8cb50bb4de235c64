"""Declared plugin options, so the host validates ``[tool.ethicslint.<checker>]`` tables.

A plugin declares each key of its table with a type; the host checks the user's value against
it (items of arrays and values of tables too) before any plugin sees it, so a wrong value is a
configuration error naming the file, the table and the key (exit 2), not an exception inside
the plugin. Types are written as in the plugin's documentation:

- ``str``, ``int``, ``float`` (finite; an integer is accepted), ``bool``;
- ``list[T]``: an array whose items are of type ``T`` (``list[str]``, ``list[int]``...);
- ``dict``: any table; ``dict[T]``: a table whose values are of type ``T`` (keys are strings
  in TOML), e.g. ``dict[float]``, ``dict[list[str]]``;
- ``terms``: extra terms for a checker's terms file (``extra-terms``): a table of entries, each
  a table of ``phrases``/``lemmas`` (arrays of strings) and ``patterns`` (token patterns), at the
  top level (every language) or under a language tag (``en = {...}``); see
  :func:`ethicslint.term_schema.check_terms_table`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .schema import Place, describe, type_name
from .term_schema import check_extra_terms

SCALAR_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}
OPTION_TYPES = (*SCALAR_TYPES, "list[T]", "dict", "dict[T]", "terms")  # as listed in messages
_CONTAINER = re.compile(r"(list|dict)\[(.+)\]")
_NOUNS = {"str": "a string", "int": "an integer", "float": "a finite number", "bool": "true or false",
          "dict": "a table", "terms": "a table of terms"}
_PLURALS = {"str": "strings", "int": "integers", "float": "finite numbers", "bool": "booleans", "dict": "tables",
            "terms": "tables of terms"}


def type_problem(spec: object) -> str | None:
    """Why ``spec`` is not an option type, or None when it is one."""
    if not isinstance(spec, str):
        return f"a type must be a string, got {type(spec).__name__}"
    if spec in SCALAR_TYPES or spec in ("dict", "terms"):
        return None
    container = _CONTAINER.fullmatch(spec)
    if container is None:
        return f"unknown type {spec!r}; expected one of {', '.join(OPTION_TYPES)}"
    return type_problem(container.group(2))


def _expected(spec: str, plural: bool = False) -> str:
    """How a message says "a value of type ``spec``": "an array of strings", "a table of numbers"."""
    container = _CONTAINER.fullmatch(spec)
    if container is None:
        return (_PLURALS if plural else _NOUNS)[spec]
    kind, inner = container.groups()
    noun = "arrays" if kind == "list" else "tables"
    return f"{noun if plural else ('an ' + noun[:-1] if kind == 'list' else 'a table')} of {_expected(inner, True)}"


def check_value(what: str, value: Any, spec: str, place: Place) -> None:
    """Raise :class:`ConfigError` at ``place`` unless ``value`` is of type ``spec``; ``what``
    names the value (``weights``, ``weights.high``, ``names[2]``)."""
    container = _CONTAINER.fullmatch(spec)
    if container is not None:
        kind, inner = container.groups()
        if kind == "list":
            if not isinstance(value, list):
                raise place.error(f"'{what}' must be {_expected(spec)}, got {describe(value)}")
            for index, item in enumerate(value):
                _check_item(what, f"{what}[{index}]", item, inner, spec, place)
        else:
            if not isinstance(value, dict):
                raise place.error(f"'{what}' must be {_expected(spec)}, got {describe(value)}")
            for key, item in value.items():
                _check_item(what, f"{what}.{key}", item, inner, spec, place)
        return
    if spec == "terms":
        check_extra_terms(what, value, place)
        return
    expected = dict if spec == "dict" else SCALAR_TYPES[spec]
    if not isinstance(value, expected) or (isinstance(value, bool) and spec in ("int", "float")) or (
            spec == "float" and not math.isfinite(value)):
        raise place.error(f"'{what}' must be {_expected(spec)}, got {describe(value)}")


def _check_item(what: str, item_what: str, item: Any, inner: str, spec: str, place: Place) -> None:
    """One item of an array or a table: a scalar of the wrong type is told about the whole value
    ("'names' must be an array of strings, got an array containing integer 3"); a wrong nested
    value by its own path."""
    if inner in SCALAR_TYPES:
        try:
            check_value(item_what, item, inner, place)
        except ConfigError:
            found = f"an array containing {type_name(item)} {item!r}" if spec.startswith("list") \
                else f"{type_name(item)} {item!r} at '{item_what}'"
            raise place.error(f"'{what}' must be {_expected(spec)}, got {found}") from None
        return
    check_value(item_what, item, inner, place)


@dataclass(frozen=True)
class Option:
    """One configuration key of a checker plugin: its name, type (see the module's docstring),
    default value and a line of help."""

    name: str
    type: str
    default: Any
    help: str = ""

    def check(self, value: Any, place: Place) -> Any:
        """``value`` when it fits the declared type, else :class:`ConfigError` naming ``place``
        (the real file and table) and this key."""
        problem = type_problem(self.type)
        if problem:
            raise place.error(f"option {self.name!r} declares {problem}")
        check_value(self.name, value, self.type, place)
        return value

    def validate(self, value: Any) -> str | None:
        """An error message when ``value`` does not fit the declared type, else None."""
        try:
            self.check(value, Place("<option>"))
        except ConfigError as exc:
            return str(exc).removeprefix("<option>: ")
        return None
