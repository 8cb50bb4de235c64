"""The shape of a terms table: a checker's terms file, or a user's ``extra-terms`` option.

A terms table maps entry labels to tables holding ``phrases`` and ``lemmas`` (arrays of
non-empty strings) and ``patterns`` (arrays of spaCy token patterns: non-empty arrays of
tables); any other key of an entry is data for the checker. Checked here without spaCy, so the
host can refuse a malformed ``extra-terms`` as a configuration error naming the file, table and
key before any checker compiles it; what only spaCy knows (whether a token attribute exists) is
still checked when the checker compiles its matcher.
"""

from __future__ import annotations

from typing import Any

from .nlp import SUPPORTED_LANGUAGES
from .schema import Place, describe

TERM_KINDS = ("phrases", "lemmas", "patterns")


def check_entries(raw: Any, place: Place, what: str = "") -> tuple[dict[str, dict[str, list[Any]]],
                                                                  dict[str, dict[str, Any]]]:
    """The entries of a terms table (label -> kind -> terms) and their other keys (label -> data).
    ``what``: the key holding the table, prefixed to entry names in messages (``extra-terms.``)."""
    if not isinstance(raw, dict):
        raise place.error(f"{repr(what) + ' ' if what else ''}must be a table of entries, got {describe(raw)}")
    entries: dict[str, dict[str, list[Any]]] = {}
    data: dict[str, dict[str, Any]] = {}
    for label, entry in raw.items():
        name = f"{what}.{label}" if what else label
        if not isinstance(entry, dict):
            raise place.error(f"entry {name!r} must be a table, got {describe(entry)}")
        kinds: dict[str, list[Any]] = {kind: [] for kind in TERM_KINDS}
        extra: dict[str, Any] = {}
        for key, value in entry.items():
            if key in ("phrases", "lemmas"):
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise place.error(f"[{name}] {key} must be a list of non-empty strings, got "
                                      f"{describe(value, str)}")
                kinds[key] = list(value)
            elif key == "patterns":
                if not isinstance(value, list) or not all(
                        isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in value):
                    raise place.error(f"[{name}] patterns must be a list of token-pattern lists (arrays of "
                                      f"tables), got {describe(value)}")
                kinds[key] = list(value)
            else:
                extra[key] = value
        entries[label] = kinds
        if extra:
            data[label] = extra
    return entries, data


def check_extra_terms(what: str, value: Any, place: Place) -> None:
    """A checker's ``extra-terms`` option: entries at the top level (every language) or under a
    language tag (that language only), as :func:`ethicslint.matching.terms_for_language` reads it."""
    if not isinstance(value, dict):
        raise place.error(f"'{what}' must be a table of entries, got {describe(value)}")
    shared = {label: entry for label, entry in value.items() if label not in SUPPORTED_LANGUAGES}
    check_entries(shared, place, what)
    for lang in SUPPORTED_LANGUAGES:
        if lang in value:
            check_entries(value[lang], place, f"{what}.{lang}")
