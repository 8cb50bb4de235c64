"""Term lists as data, matched with spaCy: the matching machinery every checker shares.

A terms file (``terms/en.toml``, ``terms/fr.toml`` in a checker package) is a TOML document
of named entries. Each entry may hold three kinds of terms::

    [vague-deadline]
    phrases  = ["last chance", "ends tonight"]      # token sequences, case-insensitive (LOWER)
    lemmas   = ["hurry up"]                          # token sequences matched on lowercase lemmas
    patterns = [                                     # spaCy Matcher token patterns
      [{LOWER = "only"}, {LIKE_NUM = true}, {LOWER = {IN = ["left", "remaining"]}}],
    ]

Entry names are labels chosen by the checker (a rule code, or a role such as ``negation``).
Matching is on tokens, never on raw regexes, so "last chance" does not match "blast chancel".
Any other key in an entry is kept as data for the checker (``TermTable.data``).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

TERM_KINDS = ("phrases", "lemmas", "patterns")


class TermsError(ValueError):
    """A terms file or table is malformed; the message names the file and the entry."""


@dataclass
class TermTable:
    """The validated content of one terms file: entries with their terms and extra data."""

    source: str
    entries: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def extended(self, extra: dict[str, dict[str, list[Any]]], source: str = "config") -> TermTable:
        """A copy with more terms per entry (from a user's ``extra-terms`` config)."""
        merged = {label: {k: list(v) for k, v in kinds.items()} for label, kinds in self.entries.items()}
        other = parse_terms(extra, source)
        for label, kinds in other.entries.items():
            target = merged.setdefault(label, {k: [] for k in TERM_KINDS})
            for kind, values in kinds.items():
                target.setdefault(kind, []).extend(values)
        return TermTable(source=f"{self.source} + {source}", entries=merged, data=dict(self.data))

    def strings(self, label: str, kind: str = "phrases") -> list[str]:
        """The raw strings of one entry (for checkers that need a plain word set)."""
        return [s for s in self.entries.get(label, {}).get(kind, []) if isinstance(s, str)]


def parse_terms(raw: dict[str, Any], source: str) -> TermTable:
    """Validate a terms mapping (already parsed TOML) into a :class:`TermTable`."""
    table = TermTable(source=source)
    for label, entry in raw.items():
        if not isinstance(entry, dict):
            raise TermsError(f"{source}: entry {label!r} must be a table, got {type(entry).__name__}")
        kinds: dict[str, list[Any]] = {k: [] for k in TERM_KINDS}
        extra: dict[str, Any] = {}
        for key, value in entry.items():
            if key in ("phrases", "lemmas"):
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise TermsError(f"{source}: [{label}] {key} must be a list of non-empty strings")
                kinds[key] = list(value)
            elif key == "patterns":
                if not isinstance(value, list) or not all(
                    isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in value
                ):
                    raise TermsError(f"{source}: [{label}] patterns must be a list of token-pattern lists")
                kinds[key] = list(value)
            else:
                extra[key] = value
        table.entries[label] = kinds
        if extra:
            table.data[label] = extra
    return table


@functools.lru_cache(maxsize=None)
def load_terms(path: str | Path) -> TermTable:
    """Read and validate a terms TOML file (cached per path)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TermsError(f"{path}: {exc}") from None
    return parse_terms(raw, str(path))


@dataclass(frozen=True)
class TermMatch:
    """One match: the entry label and the token span in the segment's cheap Doc."""

    label: str
    span: Span

    @property
    def start_char(self) -> int:
        return self.span.start_char

    @property
    def end_char(self) -> int:
        return self.span.end_char


class TermMatcher:
    """A :class:`TermTable` compiled for one language's cheap pipeline."""

    def __init__(self, table: TermTable, lang: str) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from .nlp import cheap_pipeline, normalize_for_nlp

        nlp = cheap_pipeline(lang)
        self.lang = lang
        self.table = table
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._matcher = Matcher(nlp.vocab, validate=True)
        for label, kinds in table.entries.items():
            if kinds.get("phrases"):
                self._lower.add(label, [nlp.make_doc(normalize_for_nlp(p)) for p in kinds["phrases"]])
            if kinds.get("lemmas"):
                self._lemma.add(label, list(nlp.pipe(normalize_for_nlp(p) for p in kinds["lemmas"])))
            if kinds.get("patterns"):
                try:
                    self._matcher.add(label, kinds["patterns"])
                except Exception as exc:  # spaCy's pattern validation error
                    raise TermsError(f"{table.source}: [{label}] invalid pattern: {exc}") from None

    def __call__(self, doc: Doc, labels: set[str] | None = None) -> list[TermMatch]:
        """All matches in ``doc``, sorted by position, longest first at one start, de-duplicated."""
        found: set[tuple[int, int, int]] = set()
        for matcher in (self._lower, self._lemma, self._matcher):
            if len(matcher):
                found.update(matcher(doc))
        strings = doc.vocab.strings
        matches = []
        for match_id, start, end in sorted(found, key=lambda m: (m[1], -(m[2]), m[0])):
            label = strings[match_id]
            if labels is None or label in labels:
                matches.append(TermMatch(label, doc[start:end]))
        return matches


@functools.lru_cache(maxsize=None)
def _compiled(path: str, lang: str) -> TermMatcher:
    return TermMatcher(load_terms(path), lang)


def matcher_for(terms_dir: str | Path, lang: str) -> TermMatcher:
    """The compiled matcher of ``terms_dir/<lang>.toml`` (cached per process)."""
    return _compiled(str(Path(terms_dir) / f"{lang}.toml"), lang)
