"""Whether a selector (from ``select``, ``ignore``, per-file ignores or a comment) names a rule.

One module decides this so that ``--select``, config files and inline comments can never
disagree about what ``URG`` or ``ai-disclosure`` means.

A selector is one of:

- ``ALL`` — every rule;
- a rule code or code prefix: 2-4 capital letters, then 0-3 digits (``URG101``, ``URG1``,
  ``URG``, ``EL``). The letters must equal the code's letters (``UR`` does not select
  ``URG101``, ``E`` does not select ``EL001``); the digits are a prefix of the code's digits;
- a checker name, compared ignoring case and ``-``/``_`` (``urgency``, ``AI_Disclosure``).
"""

from __future__ import annotations

import re

CODE = re.compile(r"[A-Z]{2,4}[0-9]{3}")  # a full rule code (host rules: EL001)
_CODE_SELECTOR = re.compile(r"([A-Z]{2,4})([0-9]{0,3})")
_CODE_LIKE = re.compile(r"[A-Z0-9]*[0-9][A-Z0-9]*")  # capitals with a digit: meant as a code
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def validate_selector(selector: object) -> str | None:
    """An error message when ``selector`` is malformed, else None.

    Capitals mixed with digits are meant as a code, so they must be code-shaped (``URG1X``
    is an error, not a checker name); lowercase ``urg101`` is a valid (checker-name) selector.
    """
    if not isinstance(selector, str):
        return f"selector must be a string, got {type(selector).__name__}"
    if selector == "ALL" or _CODE_SELECTOR.fullmatch(selector):
        return None
    if _CODE_LIKE.fullmatch(selector):
        return (f"invalid selector {selector!r}: a rule code or prefix is 2-4 capital letters "
                f"and up to 3 digits (URG, URG1, URG101)")
    if _NAME.fullmatch(selector):
        return None
    return (f"invalid selector {selector!r}: expected ALL, a rule code or prefix (URG101, URG) "
            f"or a checker name (urgency)")


def _checker_key(name: str) -> str:
    return name.lower().replace("_", "-")


def selector_matches(selector: str, code: str, checker: str) -> bool:
    """True when ``selector`` names the rule ``code`` of checker ``checker``."""
    if selector == "ALL":
        return True
    as_code = _CODE_SELECTOR.fullmatch(selector)
    if as_code:
        letters, digits = as_code.groups()
        if code.rstrip("0123456789") == letters and code[len(letters):].startswith(digits):
            return True
    return _checker_key(selector) == _checker_key(checker)


def is_enabled(code: str, checker: str, select: list[str], ignore: list[str]) -> bool:
    """Whether a rule is on, given ``select`` (default ``["ALL"]``) and ``ignore``.

    A rule must match some ``select`` entry. Then ``ignore`` wins, with one exception that
    makes "everything in URG but URG101" and "nothing in URG but URG101" both expressible:
    an exact code in ``select`` beats any broader ``ignore`` entry (but not the same exact code
    in ``ignore``).
    """
    if not any(selector_matches(s, code, checker) for s in select):
        return False
    if code in ignore:
        return False
    if code in select:
        return True
    return not any(selector_matches(s, code, checker) for s in ignore)
