"""Which segments can hold a match of some labels: an exact pre-test, stronger than ``TermMatcher.screen``.

``TermMatcher.screen`` looks at one token per term (a phrase's rarest-looking word, a pattern's
anchor), and this checker's terms share common words ("man-hours", "so easy even mom", « homme de
la maison »): 57 % of the benchmark repo's segments pass it for the triggers, while 2 % hold one.
Here a term is a *conjunction of clauses*, each a set of values of one token attribute, one of which
some token of the Doc must have; a Doc passes when every clause of one of the terms holds.

* A phrase (matched on ``LOWER``): for each of its space-separated chunks, the lowercase forms of
  the chunk's prefixes (its first token is one of them) and of its suffixes (its last token is one);
  spaCy tokenizes each space-separated chunk on its own, so every token of a phrase lies inside one
  chunk. A chunk of letters only in a shipped terms file is one token (``test_diversity_screen``
  checks every phrase against the real tokenizer): its clause is that word alone.
* A token pattern: one clause per token that every match contains (no ``OP``, or ``+``) and that
  names literal values (``LOWER``/``ORTH``/``TEXT``/``LEMMA``/``NORM``: a string or an ``IN`` list)
  or a ``REGEX`` on one of those attributes: what spaCy's Matcher tests for that token. An ``ORTH``
  literal also gives a ``LOWER`` clause (a lexeme's ``LOWER`` is its text lowercased), which most
  Docs can be tested on without computing their ``ORTH`` values. Two such tokens that follow each
  other in the pattern must be neighbours in the Doc ("Sarah, 34": a comma, then an age), which a
  scan of the Doc's tokens tests last, for the few Docs that passed everything else.
* A lemma phrase (none is shipped; a user's ``extra-terms`` may add some) has no clause: it always
  passes.

So ``may_match(doc, labels)`` False proves that the labels' matcher finds nothing in the Doc. It costs
a set intersection per attribute on the per-Doc values that every matcher shares (``doc_values``),
then a few set tests for the terms whose key clause is there.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ethicslint.matching import TermTable, doc_tokens, doc_values

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

_ATTRS = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "LEMMA": "LEMMA", "NORM": "NORM"}
# What ethicslint.nlp.normalize_for_nlp does before tokenizing (a test compares the two).
_NORMALIZE = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


class _Values(dict):  # type: ignore[type-arg]
    """attribute -> the Doc's values (``doc_values``), looked up once per test."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, attr: str) -> frozenset[int]:
        found = self[attr] = doc_values(self.doc, attr)
        return found


def _hash(text: str) -> int:
    # the id that Doc.to_array(LOWER, ORTH, ...) holds: a hash, or the symbol's number for the
    # strings spaCy reserves ("aux", "det", "ADJ", ...), as the Matcher computes it
    from spacy.strings import get_string_id

    return get_string_id(text)


class _Clause(NamedTuple):
    attr: str
    values: frozenset[int]
    rank: tuple[int, bool, int]  # the lowest is the rarest in copy: the term is indexed by it

    @classmethod
    def of(cls, attr: str, strings: Collection[str], stop_words: Collection[str]) -> _Clause:
        # the fewest common values (stop words, numbers, punctuation), then LOWER (every Doc has
        # those values already), then the longest shortest value
        common = sum(1 for s in strings if s.lower() in stop_words or not s.isalpha())
        return cls(attr, frozenset(_hash(s) for s in strings), (common, attr != "LOWER", -min(map(len, strings))))


class _Regex:
    """A ``REGEX`` on one attribute (spaCy's is ``re.search``); each distinct value is tried once
    (one object per attribute and regex: see ``_regex``)."""

    def __init__(self, attr: str, regex: str) -> None:
        self.attr = attr
        self.search = re.compile(regex).search
        self.known: set[int] = set()
        self.positive: set[int] = set()

    def holds(self, doc: Doc, values: _Values) -> bool:
        present = values[self.attr]
        new = present.difference(self.known)
        if new:
            strings = doc.vocab.strings
            self.positive.update(h for h in new if self.search(strings[h]))
            self.known.update(new)
        return not self.positive.isdisjoint(present)


Condition = tuple[str, "frozenset[int] | _Regex"]  # what one pattern token tests: (attribute, values or regex)


@functools.lru_cache(maxsize=None)
def _regex(attr: str, regex: str) -> _Regex:
    return _Regex(attr, regex)


class _Pair(NamedTuple):
    """Two pattern tokens that are next to each other in every match ("," then an age)."""

    left: Condition
    right: Condition

    def holds(self, doc: Doc) -> bool:
        (left_attr, left), (right_attr, right) = self.left, self.right
        # a regex's positive values are up to date: _Term.holds tested the regexes first
        left_values = left.positive if isinstance(left, _Regex) else left
        right_values = right.positive if isinstance(right, _Regex) else right
        lefts, rights = doc_tokens(doc, left_attr), doc_tokens(doc, right_attr)
        for value in right_values.intersection(rights):  # list.index scans in C
            at = 0
            try:
                while True:
                    at = rights.index(value, at + 1)
                    if lefts[at - 1] in left_values:
                        return True
            except ValueError:
                continue
        return False


class _Term(NamedTuple):
    """One phrase or pattern: every clause, every regex and every pair must hold in the Doc."""

    clauses: tuple[_Clause, ...]  # the rarest-looking first: a Doc without it fails at once
    regexes: tuple[_Regex, ...] = ()
    pairs: tuple[_Pair, ...] = ()

    @classmethod
    def of(cls, clauses: list[_Clause], regexes: list[_Regex] | tuple[()] = (),
           pairs: list[_Pair] | tuple[()] = ()) -> _Term:
        return cls(tuple(sorted(clauses, key=lambda c: c.rank)), tuple(regexes), tuple(pairs))

    def holds(self, doc: Doc, values: _Values) -> bool:
        for clause in self.clauses:
            if clause.values.isdisjoint(values[clause.attr]):
                return False
        for regex in self.regexes:
            if not regex.holds(doc, values):
                return False
        for pair in self.pairs:  # scans the tokens: last, and only for Docs that passed the rest
            if not pair.holds(doc):
                return False
        return True

    def key(self) -> _Clause | None:
        """The clause to index the term by (the rarest-looking one), None for a term without one."""
        return self.clauses[0] if self.clauses else None


def phrase_term(phrase: str, words_are_tokens: bool, stop_words: Collection[str]) -> _Term:
    clauses = []
    for chunk in phrase.translate(_NORMALIZE).split(" "):
        lower = chunk.lower()
        if words_are_tokens and chunk.isalpha():
            clauses.append(_Clause.of("LOWER", [lower], stop_words))
        elif chunk:
            # chunk[:i].lower(), not lower[:i]: a token's LOWER is its own text lowercased
            clauses.append(_Clause.of("LOWER", [chunk[:i].lower() for i in range(1, len(chunk) + 1)], stop_words))
            clauses.append(_Clause.of("LOWER", [chunk[i:].lower() for i in range(len(chunk))], stop_words))
    return _Term.of(clauses)


def pattern_term(pattern: list[dict[str, Any]], stop_words: Collection[str]) -> _Term:
    clauses: list[_Clause] = []
    regexes: list[_Regex] = []
    tested: list[Condition | None] = []  # per token: one condition it tests, None if it may be absent
    for spec in pattern:
        tested.append(None)
        if any(str(k).upper() == "OP" and v != "+" for k, v in spec.items()):
            continue  # "?", "*", "!", "{n,m}": the token may be absent
        for key, value in spec.items():
            attr = _ATTRS.get(str(key).upper())
            if attr is None:
                continue
            literals: list[str] | None = None
            if isinstance(value, str):
                literals = [value]
            elif isinstance(value, dict):
                for op, inner in value.items():
                    op = str(op).upper()
                    if op == "IN" and isinstance(inner, list) and inner and all(isinstance(v, str) for v in inner):
                        literals = inner
                    elif op == "REGEX" and isinstance(inner, str):
                        regexes.append(_regex(attr, inner))
                        tested[-1] = (attr, regexes[-1])
            if literals is not None:
                clauses.append(_Clause.of(attr, literals, stop_words))
                tested[-1] = (attr, clauses[-1].values)
                if attr == "ORTH":  # a token's LOWER is its text lowercased (spaCy's lexeme attribute)
                    clauses.append(_Clause.of("LOWER", [v.lower() for v in literals], stop_words))
    # two tokens that must occur (at least once each) and follow each other in the pattern are
    # next to each other in every match: the last token of the first, the first of the second
    pairs = [_Pair(left, right) for left, right in zip(tested, tested[1:]) if left and right]
    return _Term.of(clauses, regexes, pairs)


class Screen:
    """``may_match(doc, labels)``: False proves that no term of ``labels`` matches in ``doc``."""

    def __init__(self, lang: str, shipped: TermTable, extra: TermTable | None = None) -> None:
        stop_words = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        self.terms: dict[str, list[_Term]] = {}
        for table, tested in ((shipped, True), (extra, False)):
            for label, kinds in (table.entries.items() if table is not None else ()):
                terms = self.terms.setdefault(label, [])
                terms.extend(phrase_term(p, tested, stop_words) for p in kinds.get("phrases") or ())
                terms.extend(_Term(()) for _ in kinds.get("lemmas") or ())
                terms.extend(pattern_term(p, stop_words) for p in kinds.get("patterns") or ())
        self._indexes: dict[frozenset[str], _Index] = {}

    def may_match(self, doc: Doc, labels: Collection[str]) -> bool:
        key = labels if isinstance(labels, frozenset) else frozenset(labels)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = _Index.of(term for label in key for term in self.terms.get(label, ()))
        return index.passes(doc)


@dataclass
class _Index:
    """The terms of one label set, indexed by one clause each: a set intersection finds the terms
    whose key clause holds, and only those are tested in full."""

    keyed: dict[str, tuple[frozenset[int], dict[int, list[_Term]]]]
    unkeyed: tuple[_Term, ...]

    @classmethod
    def of(cls, terms: Any) -> _Index:
        by_attr: dict[str, dict[int, list[_Term]]] = {}
        unkeyed = []
        for term in dict.fromkeys(terms):  # equal terms ("Sarah, 34" in two labels) are tested once
            key = term.key()
            if key is None:
                unkeyed.append(term)
                continue
            for value in key.values:
                by_attr.setdefault(key.attr, {}).setdefault(value, []).append(term)
        return cls({attr: (frozenset(by_value), by_value) for attr, by_value in by_attr.items()}, tuple(unkeyed))

    def passes(self, doc: Doc) -> bool:
        values = _Values(doc)
        for attr, (keys, by_value) in self.keyed.items():
            for value in keys.intersection(values[attr]):
                for term in by_value[value]:
                    if term.holds(doc, values):
                        return True
        for term in self.unkeyed:
            if term.holds(doc, values):
                return True
        return False
