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

import bisect
import functools
import json
import tomllib
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .schema import Place
from .term_schema import TERM_KINDS, check_entries

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span


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
        return self.merged(parse_terms(extra, source))

    def merged(self, other: TermTable) -> TermTable:
        """A copy with ``other``'s terms added to each entry of the same label (new labels are new
        entries), and ``other``'s data keys added to (and winning over) the entry's own."""
        entries = {label: {k: list(v) for k, v in kinds.items()} for label, kinds in self.entries.items()}
        for label, kinds in other.entries.items():
            target = entries.setdefault(label, {k: [] for k in TERM_KINDS})
            for kind, values in kinds.items():
                target.setdefault(kind, []).extend(values)
        data = {label: dict(values) for label, values in self.data.items()}
        for label, values in other.data.items():
            data.setdefault(label, {}).update(values)
        return TermTable(source=f"{self.source} + {other.source}", entries=entries, data=data)

    def strings(self, label: str, kind: str = "phrases") -> list[str]:
        """The raw strings of one entry (for checkers that need a plain word set)."""
        return [s for s in self.entries.get(label, {}).get(kind, []) if isinstance(s, str)]


def parse_terms(raw: dict[str, Any], source: str) -> TermTable:
    """Validate a terms mapping (already parsed TOML) into a :class:`TermTable`."""
    try:
        entries, data = check_entries(raw, Place(source))
    except ConfigError as exc:
        raise TermsError(str(exc)) from None
    return TermTable(source=source, entries=entries, data=data)


@functools.lru_cache(maxsize=None)
def load_terms(path: str | Path) -> TermTable:
    """Read and validate a terms TOML file (cached per path)."""
    path = Path(path)
    try:
        raw = _read_toml(path)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TermsError(f"{path}: {exc}") from None
    return parse_terms(raw, str(path))


def _read_toml(path: Path) -> dict[str, Any]:
    """The data of a terms file: through its parsed copy in the user cache directory
    (:mod:`ethicslint.nlp.speedups.terms_files`) unless the speedups are switched off."""
    from .nlp import speedups

    if speedups.enabled():
        from .nlp.speedups.terms_files import cached_toml

        return cached_toml(path)
    return tomllib.loads(path.read_text(encoding="utf-8"))


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
    """A :class:`TermTable` compiled for one language's cheap pipeline.

    Matching is the cheap pass over all prose, so it is built to skip work (the pre-filter,
    ``docs/prefilter.md``): spaCy's ``Matcher`` tries every pattern at every token, the largest cost
    of a run when a terms file holds a hundred token patterns (see ``benchmarks/``). Here each
    token pattern gets a *key token* — one token it cannot match
    without, given as a set of literal ``LOWER``/``ORTH``/``LEMMA``/``NORM`` values or a ``REGEX``
    (see :func:`pattern_key_token`) — and patterns are grouped by key token, one ``Matcher`` per group. A
    Doc runs only the groups whose key token occurs in it (a set lookup over the Doc's values, computed
    once per Doc; a regex is tried once per distinct string), only on windows around the key
    tokens when the patterns have a bounded length, plus the few patterns without a key token.
    Phrase lists are skipped when the Doc lacks a word of every phrase. The result is exactly the
    one a single ``Matcher`` would give: a pattern skipped here has no match in that Doc, and every
    match lies in a window. ``tests/test_performance.py`` compares both on every terms file.
    """

    def __init__(self, table: TermTable, lang: str, *, validate: bool = True) -> None:
        """``validate=False`` skips spaCy's schema check of each token pattern (a large part of
        the cost of compiling it): only for tables a test suite already compiles with the check, never
        for a user's terms. An invalid pattern then fails less clearly, or not at all."""
        from .nlp import cheap_pipeline, import_spacy, normalize_for_nlp

        import_spacy()
        from spacy.matcher import Matcher, PhraseMatcher

        nlp = cheap_pipeline(lang)
        strings = nlp.vocab.strings
        self.lang = lang
        self.table = table
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._lower_labels: set[str] = set()
        self._lemma_labels: set[str] = set()
        # what prefilter() is built from, per label: phrase Docs, and literal-keyed patterns
        # (turned into keys and requirements only for the labels the pre-filter is asked about)
        self._sources: dict[str, list[tuple[Any, ...]]] = {}
        self._anywhere: set[str] = set()  # labels with a pattern that has no key token
        self._keyed: dict[str, list[tuple[str, int, _Term]]] = {}
        self._strings = strings
        self._token_regexes: dict[tuple[str, str], _TokenRegex] = {}
        self._prefilters: dict[frozenset[str] | None, _Prefilter] = {}
        groups: dict[KeyToken | None, _PatternGroup] = {}
        stop_words = self._stop_words = frozenset(getattr(nlp.Defaults, "stop_words", ()) or ())
        # every phrase's words: __call__ runs a PhraseMatcher only on a Doc holding all of one phrase's
        self._lower_words = _PhraseWords("LOWER", stop_words)
        self._lemma_words = _PhraseWords("LEMMA", stop_words)
        for label, kinds in table.entries.items():
            if kinds.get("phrases"):
                docs = [nlp.make_doc(normalize_for_nlp(p)) for p in kinds["phrases"]]
                self._lower.add(label, docs)
                self._lower_labels.add(label)
                self._lower_words.add_phrases(docs)
                self._sources.setdefault(label, []).append(("LOWER", docs))
            if kinds.get("lemmas"):
                docs = list(nlp.pipe(normalize_for_nlp(p) for p in kinds["lemmas"]))
                self._lemma.add(label, docs)
                self._lemma_labels.add(label)
                self._lemma_words.add_phrases(docs)
                self._sources.setdefault(label, []).append(("LEMMA", docs))
            for pattern in kinds.get("patterns") or ():
                pattern = bounded_pattern(pattern)
                key_token = pattern_key_token(pattern, stop_words)
                group = groups.get(key_token)
                if group is None:
                    group = groups[key_token] = _PatternGroup(Matcher(nlp.vocab, validate=validate), key_token)
                    if key_token is not None and not key_token[0].startswith("REGEX:"):
                        group.values = frozenset(strings.add(v) for v in key_token[1])
                try:
                    group.matcher.add(label, [pattern])
                except Exception as exc:  # spaCy's pattern validation error
                    raise TermsError(f"{table.source}: [{label}] invalid pattern: {exc}") from None
                group.labels.add(label)
                if group.values:
                    self._sources.setdefault(label, []).append((key_token[0], group.values, pattern))  # type: ignore[index]
                elif key_token is not None:  # regex-keyed: pre-filtered on its requirements alone
                    self._sources.setdefault(label, []).append(("REGEX", None, pattern))
                else:
                    self._anywhere.add(label)
                length = pattern_length(pattern)
                group.max_len = None if length is None or group.max_len is None else max(group.max_len, length)
        self._groups = list(groups.values())
        self._patterns = sum(len(g.matcher) for g in self._groups)
        for group in self._groups:
            if group.key_token is not None and group.key_token[0].startswith("REGEX:"):
                group.regex = _TokenRegex(group.key_token[0].split(":", 1)[1], group.key_token[1])
        self._group_sets: dict[frozenset[str] | None, _GroupSet] = {}

    @property
    def labels(self) -> frozenset[str]:
        """Every entry label of the table."""
        return frozenset(self.table.entries)

    def prefilter(self, doc: Doc, labels: Collection[str] | None = None, *, near: bool = True) -> bool:
        """Whether ``doc`` may hold a match of ``labels`` (default: any label), without matching.

        False proves that ``self(doc, labels)`` finds nothing: no phrase or pattern of those
        labels finds every word (and token regex) it needs in the Doc, within one match's length.
        It costs set operations on values computed once per Doc and shared by every matcher, so
        a checker can leave a segment at once when none of its *triggers* is in it — most of a
        copy repo — and match its context terms only around real candidates. True means only
        "maybe": call the matcher. ``near=False`` skips the test that a term's tokens lie within
        one match's length of each other: weaker, and cheaper on a long Doc.
        """
        return bool(self._prefilter_of(labels).labels(doc, first=True, near=near))

    def _regex_need(self, kind: str, regex: str) -> tuple[str, _TokenRegex]:
        """A regex requirement, as the :class:`_TokenRegex` that remembers which strings it matches (one per regex)."""
        key = (kind, regex)
        token_regex = self._token_regexes.get(key)
        if token_regex is None:
            token_regex = self._token_regexes[key] = _TokenRegex(kind.split(":", 1)[1], regex)
        return "REGEX", token_regex

    def _keyed_of(self, label: str) -> list[tuple[str, int, _Term]]:
        """(attribute, key hash, requirements) for each phrase and literal-keyed pattern of
        ``label``: the key is one value a Doc must hold (a phrase's rarest word, a pattern's
        key token); the requirements are every token the term needs — the pre-filter's proof."""
        keyed = self._keyed.get(label)
        if keyed is not None:
            return keyed
        keyed = self._keyed[label] = []
        for attr, first, *rest in self._sources.get(label, ()):
            if rest:  # a pattern: (key token attribute, key token value hashes or None for a regex, pattern)
                term = _Term(tuple(self._regex_need(*need) if need[0].startswith("REGEX:") else need
                                   for need in pattern_requirements(rest[0], self._strings.add)),
                             pattern_length(rest[0]))
                keyed.extend((attr, value, term) for value in (first if first is not None else [0]))
                continue
            for phrase in first:  # phrases: (LOWER or LEMMA, phrase Docs)
                if len(phrase):
                    key = _phrase_key(phrase, self._stop_words)
                    value = key.lower if attr == "LOWER" else key.lemma
                    keyed.append((attr, value, _Term(tuple(
                        (attr, frozenset([t.lower if attr == "LOWER" else t.lemma])) for t in phrase), len(phrase))))
        return keyed

    def prefilter_labels(self, doc: Doc, labels: Collection[str] | None = None) -> set[str]:
        """The labels (of ``labels``, default: all) that :meth:`prefilter` cannot rule out in
        ``doc``: ``self(doc, possible)`` finds every match ``self(doc, labels)`` would."""
        return self._prefilter_of(labels).labels(doc)

    def _prefilter_of(self, labels: Collection[str] | None) -> _Prefilter:
        key = None if labels is None else frozenset(labels)
        prefilter = self._prefilters.get(key)
        if prefilter is None:
            prefilter = self._prefilters[key] = self._build_prefilter(key)
        return prefilter

    def _build_prefilter(self, labels: frozenset[str] | None) -> _Prefilter:
        index: dict[str, dict[int, set[tuple[_Term, str]]]] = {}
        by_regex: dict[Any, list[tuple[_Term, str]]] = {}
        for label in self._sources:
            if labels is None or label in labels:
                for attr, value, term in self._keyed_of(label):
                    if attr == "REGEX":  # keyed by the token_regex of its first regex requirement
                        token_regex = next(allowed for kind, allowed in term.needs if kind == "REGEX")
                        by_regex.setdefault(token_regex, []).append((term, label))
                    else:
                        index.setdefault(attr, {}).setdefault(value, set()).add((term, label))
        return _Prefilter(frozenset(self._anywhere if labels is None else self._anywhere & labels),
                       {attr: frozenset(by_value) for attr, by_value in index.items()},
                       {attr: {v: tuple(n) for v, n in by_value.items()} for attr, by_value in index.items()},
                       {token_regex: tuple(terms) for token_regex, terms in by_regex.items()})

    def __call__(self, doc: Doc, labels: set[str] | None = None) -> list[TermMatch]:
        """All matches in ``doc``, sorted by position, longest first at one start, de-duplicated."""
        found: set[tuple[int, int, int]] = set()
        if self._lower_labels and (labels is None or not labels.isdisjoint(self._lower_labels)) \
                and self._lower_words.some_phrase_in(doc_values(doc, "LOWER")):
            found.update(self._lower(doc))
        if self._lemma_labels and (labels is None or not labels.isdisjoint(self._lemma_labels)) \
                and self._lemma_words.some_phrase_in(doc_values(doc, "LEMMA")):
            found.update(self._lemma(doc))
        if self._groups:
            for group in self._groups_for(doc, labels):
                found.update(group.run(doc))
        if not found:
            return []  # most segments: nothing to sort or look up
        strings = doc.vocab.strings
        matches = []
        for match_id, start, end in sorted(found, key=lambda m: (m[1], -(m[2]), m[0])):
            label = strings[match_id]
            if labels is None or label in labels:
                matches.append(TermMatch(label, doc[start:end]))
        return matches

    def _groups_for(self, doc: Doc, labels: Collection[str] | None) -> list[_PatternGroup]:
        """The pattern groups of ``labels`` that may match in ``doc``: those without a key token,
        those whose key token regex finds a token, and those whose key token value the Doc holds."""
        key = None if labels is None else frozenset(labels)
        group_set = self._group_sets.get(key)
        if group_set is None:
            group_set = self._group_sets[key] = _GroupSet.of(
                [g for g in self._groups if key is None or not key.isdisjoint(g.labels)], self._strings)
        return group_set.present(doc)


class _PhraseWords:
    """The words of a PhraseMatcher's phrases: a Doc that does not hold every word of some phrase
    has no match, and testing that costs a set lookup or two, far less than running the
    PhraseMatcher. Each phrase's set of words is indexed under its first word that is not
    a stop word or punctuation ("thanks" in "no thanks"), so a Doc is tested only against the
    phrases whose key word it holds. (Keyed on first words, as before, the PhraseMatcher ran on
    most segments: "no", « plus », "only" begin many phrases and much prose.) The index is built
    on the first call: a pre-commit run in one language never builds the other language's."""

    def __init__(self, attr: str, common: frozenset[str]) -> None:
        self.attr = attr
        self._common = common  # stop words: never a key when the phrase has another word
        self._phrases: list[Doc] = []
        self._by_key: dict[int, list[frozenset[int]]] | None = None
        self._keys: frozenset[int] = frozenset()

    def add_phrases(self, phrases: list[Doc]) -> None:
        self._phrases.extend(phrase for phrase in phrases if len(phrase))
        self._by_key = None

    def _index(self) -> dict[int, list[frozenset[int]]]:
        from spacy.strings import hash_string

        common = {hash_string(word) for word in self._common} | {hash_string(mark) for mark in ",.;:!?'\"-"}
        by_key: dict[int, list[frozenset[int]]] = {}
        lemma = self.attr == "LEMMA"
        for phrase in self._phrases:
            values = [token.lemma if lemma else token.lower for token in phrase]
            rare = [value for value in values if value not in common]
            by_key.setdefault(rare[0] if rare else values[0], []).append(frozenset(values))
        self._keys = frozenset(by_key)
        return by_key

    def some_phrase_in(self, values: frozenset[int]) -> bool:
        """Whether ``values`` (a Doc's set of the attribute) hold every word of some phrase."""
        by_key = self._by_key
        if by_key is None:
            by_key = self._by_key = self._index()
        if self._keys.isdisjoint(values):
            return False
        return any(words <= values for key in self._keys.intersection(values) for words in by_key[key])


@dataclass
class _GroupSet:
    """Pattern groups indexed for :meth:`TermMatcher._groups_for` (one set per label filter)."""

    always: list[_PatternGroup]
    by_regex: list[_PatternGroup]  # regex-keyed
    index: dict[str, dict[int, list[_PatternGroup]]]  # attribute -> key token value hash -> groups
    keys: dict[str, frozenset[int]] = field(default_factory=dict)  # attribute -> the index's values

    def __post_init__(self) -> None:
        self.keys = {attr: frozenset(by_value) for attr, by_value in self.index.items()}

    @classmethod
    def of(cls, groups: list[_PatternGroup], strings: Any) -> _GroupSet:
        index: dict[str, dict[int, list[_PatternGroup]]] = {}
        for group in groups:
            if group.key_token is not None and group.regex is None:
                by_value = index.setdefault(group.key_token[0], {})
                for value in group.key_token[1]:
                    by_value.setdefault(strings.add(value), []).append(group)
        return cls([g for g in groups if g.key_token is None], [g for g in groups if g.regex is not None], index)

    def present(self, doc: Doc) -> list[_PatternGroup]:
        groups = list(self.always)
        groups.extend(group for group in self.by_regex if group.regex.found_in(doc))  # type: ignore[union-attr]
        seen: set[int] = set()
        for attr, keys in self.keys.items():
            by_value = self.index[attr]
            for value in keys.intersection(doc_values(doc, attr)):
                for group in by_value[value]:
                    if id(group) not in seen:
                        seen.add(id(group))
                        groups.append(group)
        return groups


def _phrase_key(phrase: Doc, stop_words: frozenset[str]) -> Any:
    """The token of a phrase that is rarest in copy, by a simple rule: a word that is not a stop
    word, the longest one. "a bot" is keyed on "bot", not on "a", so that the pre-filter lets through
    only the Docs that hold the rare word."""
    return max(phrase, key=lambda t: (t.lower_ not in stop_words and any(c.isalnum() for c in t.text),
                                      len(t.text), -t.i))


# every condition a match needs: (attribute, allowed hashes), or ("REGEX", token_regex) for a token regex
Requirements = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _Term:
    """What one phrase or pattern needs of a Doc: every condition, each on some token, and all
    those tokens within ``span`` tokens of each other (a match is at most ``span`` long; None:
    unbounded)."""

    needs: Requirements
    span: int | None

    def may_match(self, doc: Doc, values: _Values, near: bool = True) -> bool:
        for kind, allowed in self.needs:
            if kind == "REGEX":
                if not allowed.found_in(doc):
                    return False
            elif allowed.isdisjoint(values[kind]):
                return False
        if not near or self.span is None or len(self.needs) < 2 or len(doc) <= self.span:
            return True
        # every pair of a match's tokens is less than ``span`` apart: look for a token meeting
        # the rarest condition with each other condition met that close to it
        where = sorted((_positions(need, doc) for need in self.needs), key=len)
        reach = self.span - 1
        return any(all(any(abs(q - p) <= reach for q in others) for others in where[1:]) for p in where[0])


class _Values(dict):  # type: ignore[type-arg]
    """A Doc's :func:`doc_values` per attribute, looked up once per pre-filtering."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, attr: str) -> frozenset[int]:
        values = self[attr] = doc_values(self.doc, attr)
        return values


def _positions(need: tuple[str, Any], doc: Doc) -> list[int]:
    kind, allowed = need
    if kind == "REGEX":
        allowed, kind = allowed.positive, allowed.attr
    return [i for i, value in enumerate(doc_tokens(doc, kind)) if value in allowed]


@dataclass(frozen=True)
class _Prefilter:
    """What :meth:`TermMatcher.prefilter` tests for one set of labels.

    A label may match in a Doc when one of its phrases or patterns finds *every* token it needs
    among the Doc's values, close enough together (:class:`_Term`) — looked up only for the keys
    the Doc holds; regex-keyed patterns are tested on their requirements alone; a label with
    a pattern that has no key token may always match.
    """

    anywhere: frozenset[str]
    keys: dict[str, frozenset[int]]  # attribute -> key hashes (a phrase's rarest word, a pattern's key token)
    terms: dict[str, dict[int, tuple[tuple[_Term, str], ...]]]  # attribute -> key -> (term, label)
    by_regex: dict[Any, tuple[tuple[_Term, str], ...]]  # regex-keyed patterns, by their first token regex

    def labels(self, doc: Doc, first: bool = False, near: bool = True) -> set[str]:
        """The labels that may match (with ``first``: stop at the first one; ``near``: see
        :meth:`TermMatcher.prefilter`)."""
        found = set(self.anywhere)
        if found and first:
            return found
        values = _Values(doc)
        for attr, keys in self.keys.items():
            for key in keys.intersection(values[attr]):
                for term, label in self.terms[attr][key]:
                    if label not in found and term.may_match(doc, values, near):
                        found.add(label)
                        if first:
                            return found
        for token_regex, terms in self.by_regex.items():
            if not token_regex.found_in(doc):
                continue
            for term, label in terms:
                if label not in found and term.may_match(doc, values, near):
                    found.add(label)
                    if first:
                        return found
        return found


def pattern_requirements(pattern: list[dict[str, Any]], hash_string: Any) -> Requirements:
    """Every literal or regex condition a match of ``pattern`` must meet: for each token that must
    occur (see :func:`token_is_required`), each ``LOWER``/``ORTH``/``TEXT``/``LEMMA``/``NORM`` literal or
    ``IN`` list, as (attribute, allowed value hashes), and each ``REGEX`` on one of them, as
    ``("REGEX:<attribute>", regex)``. Other conditions (shapes, flags, ``NOT_IN``) are left out: a
    requirement list may be weaker than the pattern, never stronger."""
    return tuple((attr, frozenset(hash_string(v) for v in values)) if values is not None else (f"REGEX:{attr}", regex)
                 for attr, values, regex in _required_conditions(pattern))


def _required_conditions(pattern: list[dict[str, Any]]) -> Iterator[tuple[str, frozenset[str] | None, str]]:
    """(attribute, literal values, regex) of each ``LOWER``/``ORTH``/``TEXT``/``LEMMA``/``NORM``
    condition of each token that every match must contain: literal values (a string or an ``IN``
    list) when it has them, else its ``REGEX``."""
    for spec in pattern:
        if not token_is_required(token_op(spec)):
            continue
        for key, value in spec.items():
            attr = _KEY_ATTRS.get(str(key).upper())
            if attr is None:
                continue
            values = _literal_values(value)
            if values is not None:
                yield attr, values, ""
            elif (regex := _regex_value(value)) is not None:
                yield attr, None, regex


@dataclass
class _PatternGroup:
    """Token patterns that share a key token, in one spaCy ``Matcher``.

    A match cannot be longer than ``max_len`` tokens (None: unbounded, ``+``/``*``) and contains
    a key token, so it lies within ``max_len - 1`` tokens of one: the Matcher runs on those
    windows only (spaCy's token predicates look at one token at a time, so a match inside a
    window is a match in the Doc, and every match of the Doc is inside some window).
    """

    matcher: Any
    key_token: KeyToken | None
    labels: set[str] = field(default_factory=set)
    max_len: int | None = 0
    values: frozenset[int] = frozenset()  # key token value hashes (literal key tokens)
    regex: _TokenRegex | None = None  # the key token's regex (regex-keyed groups)

    def run(self, doc: Doc) -> list[tuple[int, int, int]]:
        n = len(doc)
        length = self.max_len
        if self.key_token is None or not length or n <= 4 * length:
            return self.matcher(doc)
        if self.regex is not None:
            hashes = self.regex.positive
            tokens = doc_tokens(doc, self.regex.attr)
        else:
            hashes = self.values
            tokens = doc_tokens(doc, self.key_token[0])
        windows: list[list[int]] = []
        for i, value in enumerate(tokens):
            if value in hashes:
                start, end = max(0, i - length + 1), min(n, i + length)
                if windows and start <= windows[-1][1]:
                    windows[-1][1] = end
                else:
                    windows.append([start, end])
        if not windows:
            return []
        if sum(end - start for start, end in windows) * 2 > n:
            return self.matcher(doc)
        found = []
        for start, end in windows:
            found.extend((key, s + start, e + start) for key, s, e in self.matcher(doc[start:end]))
        return found


MAX_REPEAT = 12  # the most tokens one pattern token may cover ("+", "*", "{2,}" are capped to it)


def bounded_pattern(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pattern`` with every repetition capped at :data:`MAX_REPEAT` tokens.

    spaCy's ``Matcher`` keeps one partial match per start for an unbounded ``+``/``*``: a run of
    tokens that all fit (a 500 KB line of "Someone From", every word a title) costs the square of
    its length, in C code no time limit can interrupt. Capped, a match costs at most
    ``MAX_REPEAT`` steps per start, and :class:`_PatternGroup` can run on windows. No phrase of
    copy repeats one kind of token more than a dozen times, so matches on real text are unchanged.
    """
    bounded = []
    for spec in pattern:
        op = token_op(spec)
        if isinstance(op, str) and (op in ("+", "*") or (op.startswith("{") and op.endswith("}"))):
            low, high = token_lengths(op)
            if high is None or high > MAX_REPEAT:
                key = next(k for k in spec if str(k).upper() == "OP")
                spec = {**spec, key: f"{{{min(low, MAX_REPEAT)},{MAX_REPEAT}}}"}
        bounded.append(spec)
    return bounded


def pattern_length(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens one match of ``pattern`` can cover; None when unbounded (``+``, ``*``, ``{n,}``)."""
    total = 0
    for spec in pattern:
        high = token_lengths(token_op(spec))[1]
        if high is None:
            return None
        total += high
    return total


def token_op(spec: object) -> object:
    """A pattern token's ``OP`` (spaCy reads pattern keys in any case); None without one."""
    if not isinstance(spec, dict):
        return None
    return next((v for k, v in spec.items() if str(k).upper() == "OP"), None)


def token_lengths(op: object) -> tuple[int, int | None]:
    """How few and how many tokens a pattern token with this ``OP`` covers (None: no limit)."""
    if op is None or op == "1":
        return 1, 1
    if op in ("?", "!"):  # ("!" covers none in spaCy; one is the safe bound)
        return 0, 1
    if op == "+":
        return 1, None
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        low, _, high = op[1:-1].partition(",")
        low, high = low.strip(), (high.strip() if "," in op else low.strip())
        if (low.isdigit() or not low) and (high.isdigit() or not high):
            return int(low or 0), int(high) if high else None
    return 0, None  # "*" and anything unknown


# Token attributes whose literal values ca key token a pattern (TEXT is ORTH under another name).
_KEY_ATTRS = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "LEMMA": "LEMMA", "NORM": "NORM"}


def token_is_required(op: object) -> bool:
    """Whether a pattern token with this ``OP`` must occur at least once in every match."""
    if op is None or op == "+":
        return True
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        low = op[1:-1].split(",")[0].strip()
        return low.isdigit() and int(low) >= 1
    return False  # "?", "*", "!" (must not match) and anything unknown


def _literal_values(value: object) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).upper() == "IN" and isinstance(inner, list) and inner \
                    and all(isinstance(v, str) for v in inner):
                return frozenset(inner)
    return None


def _regex_value(value: object) -> str | None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).upper() == "REGEX" and isinstance(inner, str):
                return inner
    return None


KeyToken = tuple[str, Any]  # ("LOWER", frozenset of values) or ("REGEX:LOWER", pattern string)


def pattern_key_token(pattern: list[dict[str, Any]], stop_words: frozenset[str] = frozenset()) -> KeyToken | None:
    """A token that every match of ``pattern`` must contain.

    ``(attribute, allowed values)`` for a literal value or an ``IN`` list of ``LOWER``, ``ORTH``
    (``TEXT``), ``LEMMA`` or ``NORM``; else ``("REGEX:<attribute>", regex)`` for a ``REGEX`` on one
    of them. Only tokens that must occur (no ``?``, ``*`` or ``!`` operator) qualify; among them
    the most selective is chosen (literal before regex; a value that is no stop word or
    punctuation; fewest such values; fewest values). None when the pattern has no such token:
    it then runs on every Doc.
    """
    if not all(isinstance(spec, dict) for spec in pattern):
        return None
    best: tuple[tuple[int, int, int, int], KeyToken] | None = None
    for attr, values, regex in _required_conditions(pattern):
        if values is not None:
            common = sum(1 for v in values if v.lower() in stop_words or not v.isalnum())
            rank = (0, common == len(values), common, len(values))  # some rare value first
            candidate: tuple[tuple[int, int, int, int], KeyToken] = (rank, (attr, values))
        else:
            candidate = ((1, 0, 0, 0), (f"REGEX:{attr}", regex))
        if best is None or candidate[0] < best[0]:
            best = candidate
    return best[1] if best else None


class _TokenRegex:
    """Which value hashes of one attribute a regex finds something in (spaCy's ``REGEX`` is
    ``re.search``), remembered across Docs: each distinct token string is tested once."""

    def __init__(self, attr: str, regex: str) -> None:
        import re

        self.attr = attr
        self.search = re.compile(regex).search
        self.known: set[int] = set()
        self.positive: set[int] = set()

    def found_in(self, doc: Doc) -> bool:
        values = doc_values(doc, self.attr)
        new = values.difference(self.known)
        if new:
            strings = doc.vocab.strings
            self.positive.update(h for h in new if self.search(strings[h]))
            self.known.update(new)
        return not self.positive.isdisjoint(values)


_DOC_VALUES: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _per_doc(doc: Doc) -> dict[str, Any]:
    """The values kept for ``doc``. The last Doc asked about is checked first, by a weak
    reference: a checker asks several times about one segment before the next."""
    last_ref, last_values = _LAST_DOC
    if last_ref is not None and last_ref() is doc:
        return last_values  # type: ignore[no-any-return]
    try:
        per_doc = _DOC_VALUES.get(doc)
    except TypeError:  # not weak-referenceable
        return {}
    if per_doc is None:
        per_doc = _DOC_VALUES[doc] = {}
    _LAST_DOC[:] = (weakref.ref(doc), per_doc)
    return per_doc


_LAST_DOC: list[Any] = [None, None]  # (weak reference to the last Doc, its values)


def doc_tokens(doc: Doc, attr: str) -> list[int]:
    """The hash of ``attr`` (``"LOWER"``, ``"ORTH"``, ``"LEMMA"``, ``"NORM"``) for each token of
    ``doc``: one ``to_array`` call per Doc, kept only as long as the Doc lives."""
    per_doc = _per_doc(doc)
    key = "list:" + attr
    tokens = per_doc.get(key)
    if tokens is None:
        from spacy.attrs import IDS

        tokens = per_doc[key] = doc.to_array(IDS[attr]).tolist() if len(doc) else []
    return tokens


def sentence_starts(doc: Doc) -> list[int]:
    """The index of each sentence's first token, computed once per Doc (kept as long as the Doc
    lives) for every checker that asks: ``doc.sents`` builds a new Span per sentence each time."""
    per_doc = _per_doc(doc)
    starts = per_doc.get("sentence-starts")
    if starts is None:
        starts = per_doc["sentence-starts"] = [sentence.start for sentence in doc.sents] if len(doc) else [0]
    return starts


def sentence_of(doc: Doc, token_i: int) -> tuple[int, int, int]:
    """(index, first token, end) of the sentence holding token ``token_i``, from
    :func:`sentence_starts`."""
    starts = sentence_starts(doc)
    index = max(0, bisect.bisect_right(starts, token_i) - 1)
    return index, starts[index], starts[index + 1] if index + 1 < len(starts) else len(doc)


@dataclass
class SentenceMatches:
    """One sentence of a Doc with the term matches that fall inside it, by label: what a checker
    that combines roles within a sentence (a subject, a verb, a claim and what clears it) reads."""

    span: Span
    hits: dict[str, list[Span]] = field(default_factory=dict)

    def get(self, label: str) -> list[Span]:
        return self.hits.get(label, [])

    def has(self, label: str) -> bool:
        return bool(self.hits.get(label))


def matches_by_sentence(doc: Doc, matcher: TermMatcher, labels: Iterable[str] | None = None) -> list[SentenceMatches]:
    """The sentences of ``doc``, each with the matches of ``matcher`` (of ``labels``, or all) inside
    it, from one matcher pass."""
    sents = [SentenceMatches(s) for s in doc.sents]
    if not sents:
        return []
    for match in matcher(doc, frozenset(labels) if labels is not None else None):
        sents[sentence_of(doc, match.span.start)[0]].hits.setdefault(match.label, []).append(match.span)
    return sents


def doc_values(doc: Doc, attr: str) -> frozenset[int]:
    """The set of :func:`doc_tokens` (computed once per Doc)."""
    per_doc = _per_doc(doc)
    values = per_doc.get(attr)
    if values is None:
        values = per_doc[attr] = frozenset(doc_tokens(doc, attr))
    return values


def terms_for_language(extra: object, lang: str) -> dict[str, Any]:
    """A checker's ``extra-terms`` option for one language. Entries at the top level apply to
    every language; entries nested under a language tag apply to that language only and win over
    shared ones of the same label: ``{URG202 = {...}, fr = {URG202 = {...}}}``. Every built-in
    checker reads its option this way, so users write it one way for all of them."""
    from .nlp import SUPPORTED_LANGUAGES

    if not isinstance(extra, dict):
        return {}
    chosen = {label: entry for label, entry in extra.items() if label not in SUPPORTED_LANGUAGES}
    specific = extra.get(lang)
    if isinstance(specific, dict):
        chosen.update(specific)
    return chosen


def matcher_for(terms_dir: str | Path, lang: str, extra_terms: object = None, *,
                shared: tuple[str, ...] = (), added: dict[str, dict[str, list[Any]]] | None = None,
                source: str = "extra-terms") -> TermMatcher:
    """A checker's terms for ``lang``, compiled: the one terms loader every checker uses.

    Reads ``terms_dir/<lang>.toml``, then each file named in ``shared`` (terms every language
    uses, such as tool names), then merges the user's ``extra_terms`` (the checker's
    ``extra-terms`` option as written, read by :func:`terms_for_language`), then ``added`` (terms
    a checker derives from its other options, such as brand names), entry by entry, and compiles
    the result. The matcher is cached per process for each distinct input, so calling this once
    per document costs a dictionary lookup. The shipped files are compiled without spaCy's
    pattern check (``tests/test_performance.py`` compiles each with it); a user's terms are
    checked, and a malformed one is a :class:`TermsError` that names ``source``.
    """
    chosen = terms_for_language(extra_terms, lang)
    inputs = json.dumps([chosen, added or {}], sort_keys=True, ensure_ascii=False)
    return _compiled(str(terms_dir), lang, tuple(shared), inputs, source)


@functools.lru_cache(maxsize=64)
def _compiled(terms_dir: str, lang: str, shared: tuple[str, ...], inputs: str, source: str) -> TermMatcher:
    directory = Path(terms_dir)
    table = load_terms(directory / f"{lang}.toml")
    for name in shared:
        table = table.merged(load_terms(directory / name))
    chosen, added = json.loads(inputs)
    if chosen:
        table = table.extended(chosen, source=source)
    if added:
        table = table.extended(added, source=source)
    return TermMatcher(table, lang, validate=bool(chosen or added))
