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

from .schema import Place, describe

TERM_KINDS = ("phrases", "lemmas", "patterns")


def check_entries(raw: Any, place: Place) -> tuple[dict[str, dict[str, list[Any]]], dict[str, dict[str, Any]]]:
    """The entries of the terms table at ``place`` (label -> kind -> terms) and their other keys
    (label -> data)."""
    if not isinstance(raw, dict):
        raise place.error(f"must be a table of entries, got {describe(raw)}")
    entries: dict[str, dict[str, list[Any]]] = {}
    data: dict[str, dict[str, Any]] = {}
    for label, entry in raw.items():
        if not isinstance(entry, dict):
            raise place.error(f"entry {label!r} must be a table, got {describe(entry)}")
        where = place.within(label)
        kinds: dict[str, list[Any]] = {kind: [] for kind in TERM_KINDS}
        extra: dict[str, Any] = {}
        for key, value in entry.items():
            if key in ("phrases", "lemmas"):
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise where.error(f"{key} must be a list of non-empty strings, got {describe(value, str)}")
                kinds[key] = list(value)
            elif key == "patterns":
                if not isinstance(value, list) or not all(
                        isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in value):
                    raise where.error(f"patterns must be a list of token-pattern lists (arrays of tables), got "
                                      f"{describe(value)}")
                kinds[key] = list(value)
            else:
                extra[key] = value
        entries[label] = kinds
        if extra:
            data[label] = extra
    return entries, data


def check_extra_terms(key: str, value: Any, place: Place) -> None:
    """A checker's option ``key`` of type ``terms`` in the table at ``place``: entries at the top
    level (every language) or under a language tag (that language only), as
    :func:`ethicslint.matching.terms_for_language` reads them."""
    from .nlp import SUPPORTED_LANGUAGES  # not when ethicslint is imported (options import this module)

    where = place.within(key)
    if not isinstance(value, dict):
        raise place.error(f"{key!r} must be a table of entries, got {describe(value)}")
    check_entries({label: entry for label, entry in value.items() if label not in SUPPORTED_LANGUAGES}, where)
    for lang in SUPPORTED_LANGUAGES:
        if lang in value:
            check_entries(value[lang], where.within(lang))
