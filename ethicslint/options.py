"""Declared plugin options, so ``[tool.ethicslint.<checker>]`` tables can be validated."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# TOML value types an option may declare, and the Python types that satisfy them.
OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list[str]": (list,),
    "dict": (dict,),
}


@dataclass(frozen=True)
class Option:
    """One configuration key of a checker plugin.

    ``type`` is one of ``str``, ``int``, ``float``, ``bool``, ``list[str]``, ``dict``.
    """

    name: str
    type: str
    default: Any
    help: str = ""

    def validate(self, value: Any) -> str | None:
        """An error message when ``value`` does not fit the declared type, else None."""
        expected = OPTION_TYPES.get(self.type)
        if expected is None:
            return f"option {self.name!r} declares unknown type {self.type!r}"
        if isinstance(value, bool) and self.type in ("int", "float"):
            return f"expected {self.type}, got bool"
        if not isinstance(value, expected):
            return f"expected {self.type}, got {type(value).__name__}"
        if self.type == "float" and not math.isfinite(value):  # TOML has inf and nan
            return f"expected a finite number, got {value}"
        if self.type == "list[str]" and not all(isinstance(v, str) for v in value):
            return "expected a list of strings"
        return None
