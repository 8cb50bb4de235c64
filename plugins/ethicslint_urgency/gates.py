"""Which trigger patterns may match in a segment, decided before spaCy's ``Matcher`` runs.

The ``Matcher`` costs about a microsecond per token scanned (it builds a ``Token`` for each, and
calls Python for every ``IN`` or ``REGEX`` condition), and the cheap pass reaches every segment
of every file. So each token pattern has a :class:`Gate`: for each token every match must
contain, what that token may be (one of some words, as lowercase form or lemma; a string a regex
finds something in; a number-like word), and how many tokens one match covers at most. A gate
that stays shut proves its pattern has no match there, so skipping the pattern loses nothing.

The test is done with bits. Each distinct token condition gets one bit, and each token string
maps to the bits of the conditions it meets (:attr:`GateIndex.word_bits`): the words of the term
lists up front, and every other string the first time a text holds it (one combined regex and a
``like_num`` call per new string: copy has a few thousand distinct words, and the answer is kept
for the process). A text's strings OR into one integer, and a gate is open when all its bits are
in it: one integer operation per gate, however many tokens it needs. Two passes:

1. the segment: its sets of word hashes (the host's per-Doc cache, shared with the other
   checkers) give the mask; only the gates indexed under a word the segment holds are tested
   (a segment holding none of those words leaves at once);
2. only where a gate opened, its place. Each gate has a *key* token (the condition fewest
   segments meet, see :func:`_key_of`) and, for every other required token, the range of
   places it may take from the key in one match (the pattern's ``OP`` quantifiers give them:
   "in stock" needs "stock" right after "in"). Around each key token of the segment, every
   other condition is looked for at its places only, within one sentence in a segment longer
   than :data:`SENTENCE_GATING_TOKENS`. Most gates that open on a paragraph's scattered words
   ("last", "end", « en », « reste ») close here, and the ``Matcher`` does not run. (The
   sentence rule is the one assumption: a pressure device is the words of one sentence, and a
   match across a sentence end is not looked for in a long segment.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ethicslint import TermTable, doc_tokens, doc_values, sentence_of, token_is_required, token_lengths, token_op

if TYPE_CHECKING:  # pragma: no cover
    from spacy.strings import StringStore
    from spacy.tokens import Doc

SENTENCE_GATING_TOKENS = 25  # longer segments are gated sentence by sentence

_PUNCTUATION = ":;,.!?%()[]-–—/'\"«»+&"
_REGEX_ATTRS = ("TEXT", "ORTH", "LOWER")  # a regex on these is tested on the lowercase form


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per pattern
class Gate:
    """What one token pattern of entry ``label`` needs before it can match.

    ``need`` holds one bit per required token condition (see :attr:`GateIndex.word_bits`);
    ``key`` is the bit of the condition the gate is placed around; ``others`` holds, for every
    other required token, (its condition's bit, its lowest and highest place from the key token
    in one match; None: unbounded that way). Three timer units in a row are three entries, at
    +1, +2 and +3 from a number: one unit-like token does not open the gate."""

    label: str
    need: int
    key: int = 0
    others: tuple[tuple[int, int | None, int | None], ...] = ()


# A token condition: ("words", (lowercase forms, lemmas)) | ("regex", pattern) | ("like_num", "")
Condition = tuple[str, Any]


def _condition_of(spec: dict[str, Any]) -> Condition | None:
    """The one condition of a pattern token that the gate tests: its literal words if it has any
    (lowercase forms from ``LOWER``/``TEXT``/``ORTH``, lemmas from ``LEMMA``), else a regex on its
    text, else ``LIKE_NUM``. A token with several conditions must meet them all, so testing one
    of them is enough to rule it out."""
    forms: dict[str, set[str]] = {"LOWER": set(), "LEMMA": set()}
    for attr in ("LOWER", "TEXT", "ORTH", "LEMMA"):
        value = spec.get(attr)
        words = forms["LEMMA" if attr == "LEMMA" else "LOWER"]
        if isinstance(value, str):
            words.add(value.lower())
        elif isinstance(value, dict) and isinstance(value.get("IN"), list):
            words.update(str(v).lower() for v in value["IN"])
    if forms["LOWER"] or forms["LEMMA"]:
        return ("words", (frozenset(forms["LOWER"]), frozenset(forms["LEMMA"])))
    for attr in _REGEX_ATTRS:
        value = spec.get(attr)
        if isinstance(value, dict) and isinstance(value.get("REGEX"), str) and not _about_case(value["REGEX"]):
            return ("regex", value["REGEX"])
    if spec.get("LIKE_NUM") is True:
        return ("like_num", "")
    return None


def _key_of(conditions: list[Condition], hashed: dict[Condition, tuple[frozenset[int], frozenset[int]]],
            common: Set[int]) -> Condition | None:
    """The condition a gate is indexed under: the one fewest segments meet, by a simple rule.
    Best is a word condition without a common word (stop word, punctuation), the fewest words
    first; then a regex, the longest (the most specific, as a rule: a clock time rather than
    any number); then the word condition with the fewest common words; last ``like_num``
    (« un », "two", "first": more common than most stop words). So « en moins de 09:59 » is
    looked at only where a clock time is, not in every French segment that holds « en »."""
    def rank(condition: Condition) -> tuple[int, int]:
        kind, value = condition
        if kind == "regex":
            return (1, -len(value))
        if kind == "like_num":
            return (3, 0)
        words = hashed[condition][0] | hashed[condition][1]
        return (0, len(words)) if not words & common else (2, len(words & common) * 1000 + len(words))

    return min(conditions, key=rank, default=None)


def _gate(label: str, conditions: list[Condition | None], lengths: list[tuple[int, int | None]],
          bits: dict[Condition, int], hashed: dict[Condition, tuple[frozenset[int], frozenset[int]]],
          common: Set[int]) -> tuple[Gate, Condition | None]:
    """The gate of one pattern (``conditions`` and ``lengths`` per pattern token), and its key."""
    required = [c for c in conditions if c is not None]
    need = 0
    for condition in required:
        need |= bits[condition]
    key = _key_of(required, hashed, common)
    if key is None:
        return Gate(label, need), None
    at = conditions.index(key)
    others = tuple((bits[c], *_places(lengths, at, i)) for i, c in enumerate(conditions) if c is not None and i != at)
    return Gate(label, need, bits[key], others), key


def _places(lengths: list[tuple[int, int | None]], key: int, other: int) -> tuple[int | None, int | None]:
    """The lowest and highest place of pattern token ``other`` from token ``key`` in one match
    (each token starts where the ones before it end; None: unbounded that way)."""
    first, last = sorted((key, other))
    low = sum(lengths[t][0] for t in range(first, last))
    highs = [lengths[t][1] for t in range(first, last)]
    high = None if None in highs else sum(highs)  # type: ignore[arg-type]
    return (low, high) if other > key else (None if high is None else -high, -low)


def _about_case(regex: str) -> bool:
    """Whether ``regex`` tells words apart by their capitals ("^[A-Z]", a name): tested on the
    lowercase form, it would find something in every word, so it is no condition worth a bit."""
    return not regex.startswith("(?i)") and re.search(r"\[[^\]]*A-Z", regex) is not None


def _case_insensitive(regex: str) -> str:
    """``regex`` as a case-insensitive group: it is run on the lowercase form of a token, and
    whatever it finds in the token's text it then finds there too."""
    return f"(?i:{regex.removeprefix('(?i)')})"


class GateIndex:
    """The gates of every trigger pattern of one language, indexed for :meth:`open_labels`."""

    def __init__(self, table: TermTable, labels: Iterable[str], stop_words: Set[str],
                 like_num: Callable[[str], bool] | None) -> None:
        from spacy.strings import hash_string  # the ids that Doc.to_array(["LOWER", "LEMMA"]) holds

        self._like_num = like_num
        bits: dict[Condition, int] = {}
        patterns: list[tuple[str, list[Condition | None], list[tuple[int, int | None]]]] = []
        for label in labels:
            for pattern in table.entries[label].get("patterns", []):
                # each token's condition (None: not required, or nothing testable) and lengths
                ops = [token_op(spec) for spec in pattern]
                conditions = [c if token_is_required(op) and (c := _condition_of(spec))
                              and (c[0] != "like_num" or like_num is not None) else None
                              for spec, op in zip(pattern, ops)]
                for condition in conditions:
                    if condition is not None:
                        bits.setdefault(condition, 1 << len(bits))
                patterns.append((label, conditions, [token_lengths(op) for op in ops]))
        # the words of the term lists, up front: lowercase forms, and lemmas apart (as hashes)
        hashed = {condition: tuple(frozenset(hash_string(w) for w in forms) for forms in condition[1])
                  for condition in bits if condition[0] == "words"}
        self.word_bits: dict[int, int] = {}
        self.lemma_bits: dict[int, int] = {}
        for condition, both in hashed.items():
            for keys, table_bits in zip(both, (self.word_bits, self.lemma_bits)):
                for key in keys:
                    table_bits[key] = table_bits.get(key, 0) | bits[condition]
        self.words = set(self.word_bits)  # grows with the strings that meet a regex or like_num
        self.lemma_words = frozenset(self.lemma_bits)
        # the other conditions, tested on each new string
        self._regex_sources = [(_case_insensitive(value), bit) for (kind, value), bit in bits.items()
                               if kind == "regex"]
        self._regexes: list[tuple[re.Pattern[str], int]] | None = None  # compiled when a string needs them
        self._any_regex = re.compile("|".join(source for source, _ in self._regex_sources) or "(?!)")
        self._like_num_bit = bits.get(("like_num", ""), 0)
        self._known: set[int] = set()
        # each gate indexed under the strings of its key condition (see _key_of): the words of a
        # word condition up front, the strings a regex finds something in as they are learned;
        # a gate without any condition opens everywhere
        common = {hash_string(w) for w in stop_words} | {hash_string(ch) for ch in _PUNCTUATION}
        by_word: tuple[dict[int, list[tuple[int, Gate]]], ...] = ({}, {})  # lowercase forms, lemmas
        by_learned_bit: dict[int, list[tuple[int, Gate]]] = {}
        self.unindexed: list[tuple[int, Gate]] = []  # (need, gate)
        for label, conditions, lengths in patterns:
            gate, key = _gate(label, conditions, lengths, bits, hashed, common)
            if key is None:
                self.unindexed.append((gate.need, gate))
            elif key[0] != "words":  # regex or like_num: keyed by the strings learned to meet it
                by_learned_bit.setdefault(bits[key], []).append((gate.need, gate))
            else:
                for words, index in zip(hashed[key], by_word):
                    for word in words:
                        index.setdefault(word, []).append((gate.need, gate))
        self.by_word: dict[int, tuple[tuple[int, Gate], ...]] = {word: tuple(gates) for word, gates in by_word[0].items()}
        self.by_lemma = {word: tuple(gates) for word, gates in by_word[1].items()}
        self.keys: set[int] = set(self.by_word)  # grows with the strings that meet a key regex
        self.lemma_keys = frozenset(self.by_lemma)
        self._by_learned_bit = {bit: tuple(gates) for bit, gates in by_learned_bit.items()}
        self._learned_key_bits = sum(self._by_learned_bit)

    def _learn(self, hashes: Iterable[int], strings: StringStore) -> None:
        """Give the strings seen for the first time the bits of the regex and ``like_num``
        conditions they meet."""
        for key in hashes:
            text = strings[key]
            found = self._like_num_bit if self._like_num_bit and self._like_num(text) else 0  # type: ignore[misc]
            if self._any_regex.search(text):
                if self._regexes is None:
                    self._regexes = [(re.compile(source), bit) for source, bit in self._regex_sources]
                for regex, bit in self._regexes:
                    if regex.search(text):
                        found |= bit
            if found:
                self.word_bits[key] = self.word_bits.get(key, 0) | found
                self.words.add(key)
                if found & self._learned_key_bits:  # the string keys the gates keyed on those conditions
                    keyed = [gate for bit, gates in self._by_learned_bit.items() if found & bit for gate in gates]
                    self.by_word[key] = self.by_word.get(key, ()) + tuple(keyed)
                    self.keys.add(key)
        self._known.update(hashes)

    def open_labels(self, doc: Doc) -> set[str]:
        """The labels of the patterns that may match in ``doc``."""
        all_lowers = doc_values(doc, "LOWER")
        if not self._known.issuperset(all_lowers):
            self._learn(all_lowers.difference(self._known), doc.vocab.strings)
        all_lemmas = doc_values(doc, "LEMMA")
        if self.keys.isdisjoint(all_lowers) and self.lemma_keys.isdisjoint(all_lemmas) and not self.unindexed:
            return set()  # no gate is indexed under any of the segment's words
        lowers = self.words.intersection(all_lowers)
        lemmas = self.lemma_words.intersection(all_lemmas)
        opened = self.open_gates(lowers, lemmas)
        return self._placed(doc, opened, lemmas) if opened else set()

    def open_gates(self, lowers: Set[int], lemmas: Set[int]) -> dict[Gate, tuple[list[int], list[int]]]:
        """Pass 1: the gates whose every condition some token meets (``lowers``: the segment's
        lowercase forms that are keys of :attr:`word_bits`; ``lemmas``: its lemmas that are keys
        of :attr:`lemma_bits`), each with the key strings it was found by (lowercase forms,
        lemmas)."""
        bits = self.word_bits
        mask = 0
        for word in lowers:
            mask |= bits[word]
        for word in lemmas:
            mask |= self.lemma_bits[word]
        opened: dict[Gate, tuple[list[int], list[int]]] = {gate: ([], []) for need, gate in self.unindexed
                                                          if need & mask == need}
        for side, keys, by_word, present in ((0, self.keys, self.by_word, lowers),
                                             (1, self.lemma_keys, self.by_lemma, lemmas)):
            for word in keys.intersection(present) if present else ():
                for need, gate in by_word[word]:
                    if need & mask == need:
                        found = opened.get(gate)
                        if found is None:
                            found = opened[gate] = ([], [])
                        found[side].append(word)
        return opened

    def _placed(self, doc: Doc, opened: dict[Gate, tuple[list[int], list[int]]], lemmas: Set[int]) -> set[str]:
        """Pass 2: the labels with a gate whose other tokens all stand at their places from one
        of its key tokens, within one sentence when the segment is long."""
        place = _Placing(doc, self.word_bits, self.lemma_bits if lemmas else None)
        labels: set[str] = set()
        for gate, (key_lowers, key_lemmas) in opened.items():
            if gate.label in labels:
                continue
            if not gate.key:
                labels.add(gate.label)
                continue
            for i in place.positions(key_lowers, key_lemmas):
                if place.fits(gate, i):
                    labels.add(gate.label)
                    break
        return labels


class _Placing:
    """One segment's tokens, asked where a gate's tokens stand (:meth:`GateIndex._placed`)."""

    def __init__(self, doc: Doc, word_bits: dict[int, int], lemma_bits: dict[int, int] | None) -> None:
        self.doc = doc
        self.lowers = doc_tokens(doc, "LOWER")
        self.lemmas = doc_tokens(doc, "LEMMA") if lemma_bits else None
        self.word_bits = word_bits
        self.lemma_bits = lemma_bits
        self.split = len(doc) > SENTENCE_GATING_TOKENS
        self._marks: dict[int, int] = {}
        self._positions: dict[tuple[bool, int], list[int]] = {}  # gates often share a key word

    def positions(self, lowers: list[int], lemmas: list[int]) -> list[int]:
        """The indexes of the tokens whose lowercase form is one of ``lowers`` or whose lemma is
        one of ``lemmas`` (the lists' own ``count`` and ``index`` scan in C)."""
        found: list[int] = []
        for is_lemma, tokens, words in ((False, self.lowers, lowers), (True, self.lemmas, lemmas)):
            for word in words:
                at = self._positions.get((is_lemma, word))
                if at is None:
                    at = self._positions[is_lemma, word] = []
                    i = -1
                    for _ in range(tokens.count(word)):  # type: ignore[union-attr]
                        i = tokens.index(word, i + 1)  # type: ignore[union-attr]
                        at.append(i)
                found.extend(at)
        return found

    def mark(self, i: int) -> int:
        """The bits of the conditions token ``i`` meets."""
        mark = self._marks.get(i)
        if mark is None:
            mark = self.word_bits.get(self.lowers[i], 0)
            if self.lemmas is not None:
                mark |= self.lemma_bits.get(self.lemmas[i], 0)  # type: ignore[union-attr]
            self._marks[i] = mark
        return mark

    def fits(self, gate: Gate, at: int) -> bool:
        """Whether every other token of ``gate`` finds its condition at one of its places from
        a key token at ``at`` (inside that token's sentence in a long segment)."""
        if not self._fits_between(gate, at, 0, len(self.lowers)):
            return False
        if not self.split:
            return True
        # asked only now: finding the sentences costs more than the rest
        _, start, end = sentence_of(self.doc, at)
        return self._fits_between(gate, at, start, end)

    def _fits_between(self, gate: Gate, at: int, first: int, end: int) -> bool:
        marks, mark = self._marks, self.mark
        for bit, low, high in gate.others:
            start = first if low is None else max(first, at + low)
            stop = end if high is None else min(end, at + high + 1)
            for i in range(start, stop):
                if (marks[i] if i in marks else mark(i)) & bit:
                    break
            else:
                return False
        return True
