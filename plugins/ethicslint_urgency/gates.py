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
   (a segment holding none of those words leaves at once), and a condition that several tokens
   of one match must meet is counted (``list.count`` on the few strings holding its bit);
2. only where a gate opened, its place: the tokens of one match lie within its ``span`` of
   each other, and in a segment longer than :data:`SENTENCE_GATING_TOKENS` within one sentence.
   Most gates that open on a paragraph's scattered words ("last", "price", « en », « reste »)
   close here, and the ``Matcher`` does not run. (The sentence rule is the one assumption: a
   pressure device is the words of one sentence, and a match across a sentence end is not
   looked for in a long segment.)
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from itertools import compress
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ethicslint.matching import TermTable, doc_tokens, doc_values, pattern_length, sentence_starts, token_is_required

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
    ``span`` is the most tokens a match covers (None: unbounded); ``repeats`` are the conditions
    that several tokens of one match must meet, as (bit, how many tokens): three timer units in
    a row need three unit-like tokens, not one."""

    label: str
    need: int
    span: int | None = None
    repeats: tuple[tuple[int, int], ...] = ()


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
    any number); then ``like_num``; last the word condition with the fewest common words. So
    « n'en reste que 3 » is looked at only where a number is, not in every French segment that
    holds « en »."""
    def rank(condition: Condition) -> tuple[int, int]:
        kind, value = condition
        if kind == "regex":
            return (1, -len(value))
        if kind == "like_num":  # (« un », "two", "first": more common than most stop words)
            return (3, 0)
        words = hashed[condition][0] | hashed[condition][1]
        return (0, len(words)) if not words & common else (2, len(words & common) * 1000 + len(words))

    return min(conditions, key=rank, default=None)


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
        gates: list[tuple[Gate, list[Condition]]] = []
        for label in labels:
            for pattern in table.entries[label].get("patterns", []):
                conditions = [c for spec in pattern if token_is_required(spec.get("OP")) and (c := _condition_of(spec))
                              and (c[0] != "like_num" or like_num is not None)]
                need = 0
                for condition in conditions:
                    need |= bits.setdefault(condition, 1 << len(bits))
                repeats = tuple((bits[c], n) for c, n in Counter(conditions).items() if n > 1)
                gates.append((Gate(label, need, pattern_length(pattern), repeats), conditions))
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
        # gates without either are tested on every segment
        common = {hash_string(w) for w in stop_words} | {hash_string(ch) for ch in _PUNCTUATION}
        by_word: tuple[dict[int, list[tuple[int, Gate]]], ...] = ({}, {})  # lowercase forms, lemmas
        by_learned_bit: dict[int, list[tuple[int, Gate]]] = {}
        self.unindexed: list[tuple[int, Gate]] = []  # (need, gate)
        for gate, conditions in gates:
            key = _key_of(conditions, hashed, common)
            if key is None:  # (a gate with no condition at all opens everywhere)
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
        self._unindexed_bits = 0  # a segment without any of these or of the keys opens no gate...
        for _, gate in self.unindexed:
            self._unindexed_bits |= gate.need
        self._opens_anywhere = any(not gate.need for _, gate in self.unindexed)  # ...unless this holds

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
                if found & self._learned_key_bits:  # the string keys the gates of those regexes
                    keyed = [gate for bit, gates in self._by_learned_bit.items() if found & bit for gate in gates]
                    self.by_word[key] = self.by_word.get(key, ()) + tuple(keyed)
                    self.keys.add(key)
        self._known.update(hashes)

    def open_labels(self, doc: Doc) -> set[str]:
        """The trigger entries that may match in ``doc``."""
        all_lowers = doc_values(doc, "LOWER")
        if not self._known.issuperset(all_lowers):
            self._learn(all_lowers.difference(self._known), doc.vocab.strings)
        lowers = self.words.intersection(all_lowers)
        all_lemmas = doc_values(doc, "LEMMA")
        if self.keys.isdisjoint(lowers) and self.lemma_keys.isdisjoint(all_lemmas) and not self._opens_anywhere \
                and not any(self.word_bits[word] & self._unindexed_bits for word in lowers):
            return set()  # most segments: no gate is indexed under any of their words
        lemmas = self.lemma_words.intersection(all_lemmas)
        gates = [gate for gate in self.open_gates(lowers, lemmas)
                 if not gate.repeats or self._enough_tokens(gate, doc, lowers, lemmas)]
        return self._placed(doc, gates, lowers, lemmas) if gates else set()

    def _enough_tokens(self, gate: Gate, doc: Doc, lowers: Set[int], lemmas: Set[int]) -> bool:
        """Whether the segment has as many tokens as ``gate`` needs for each repeated condition
        (``list.count`` on the few strings that hold its bit: cheaper than placing the gate)."""
        lower_tokens = doc_tokens(doc, "LOWER")
        for bit, n in gate.repeats:
            count = sum(lower_tokens.count(word) for word in lowers if self.word_bits[word] & bit)
            if count < n and lemmas:  # (a token may count twice here: this only lets more through)
                lemma_tokens = doc_tokens(doc, "LEMMA")
                count += sum(lemma_tokens.count(word) for word in lemmas if self.lemma_bits[word] & bit)
            if count < n:
                return False
        return True

    def open_gates(self, lowers: Set[int], lemmas: Set[int]) -> list[Gate]:
        """Pass 1: the gates whose every condition some token meets (``lowers``: the segment's
        lowercase forms that are keys of :attr:`word_bits`; ``lemmas``: its lemmas that are keys
        of :attr:`lemma_bits`)."""
        bits = self.word_bits
        mask = 0
        for word in lowers:
            mask |= bits[word]
        for word in lemmas:
            mask |= self.lemma_bits[word]
        opened = [gate for need, gate in self.unindexed if need & mask == need]
        for keys, by_word, present in ((self.keys, self.by_word, lowers), (self.lemma_keys, self.by_lemma, lemmas)):
            for word in keys.intersection(present):
                for need, gate in by_word[word]:
                    if need & mask == need:
                        opened.append(gate)
        return list(dict.fromkeys(opened)) if len(opened) > 1 else opened

    def _placed(self, doc: Doc, gates: list[Gate], lowers: Set[int], lemmas: Set[int]) -> set[str]:
        """Pass 2: the labels with a gate whose tokens lie close enough together for one match
        (its ``span``), within one sentence when the segment is long. Only the tokens that meet
        a condition are looked at."""
        bits, lemma_bits = self.word_bits, self.lemma_bits
        wanted = 0
        for gate in gates:
            wanted |= gate.need
        # (token index, the bits it holds that a gate wants), in token order
        hits = _marked(doc_tokens(doc, "LOWER"), {word: mark for word in lowers if (mark := bits[word] & wanted)})
        lemma_marks = {word: mark for word in lemmas if (mark := lemma_bits[word] & wanted)}
        if lemma_marks:
            lemma_hits = _marked(doc_tokens(doc, "LEMMA"), lemma_marks)
            if hits:
                merged = dict(hits)
                for i, mark in lemma_hits:
                    merged[i] = merged.get(i, 0) | mark
                hits = sorted(merged.items())
            else:
                hits = lemma_hits
        sentences = _Sentences(doc, split=len(doc) > SENTENCE_GATING_TOKENS)
        labels: set[str] = set()
        for gate in gates:
            if gate.label not in labels and _fits(gate, hits, sentences):
                labels.add(gate.label)
        return labels


class _Sentences:
    """The sentences of a segment, asked only about the few stretches that pass the other tests
    (one sentence for a short segment: ``split=False``)."""

    def __init__(self, doc: Doc, split: bool) -> None:
        self.doc = doc
        self.split = split
        self._starts: list[int] | None = None

    def index(self, token_i: int) -> int:
        """The index of the sentence holding token ``token_i``."""
        if not self.split:
            return 0
        if self._starts is None:
            self._starts = sentence_starts(self.doc)
        return bisect.bisect_right(self._starts, token_i) - 1


def _marked(tokens: list[int], marks: dict[int, int]) -> list[tuple[int, int]]:
    """(index, mark) for each token of ``tokens`` that ``marks`` holds, in order: ``map`` and
    ``compress`` walk the segment in C (a Python loop over its tokens cost more than the rest of
    the placing)."""
    if not marks:
        return []
    found = list(map(marks.get, tokens))
    return list(compress(enumerate(found), found))


def _fits(gate: Gate, hits: list[tuple[int, int]], sentences: _Sentences) -> bool:
    """Whether some stretch of tokens holds every condition of ``gate``: within its ``span`` of
    one token (when bounded) and inside one sentence (in a short segment: the segment).
    ``hits`` are (token index, bits) of the tokens that meet some condition, in token order.

    A match's first token that meets a condition starts a stretch of at most ``span`` tokens
    holding all the others, so only the stretches starting at such a token are looked at."""
    need = gate.need
    if not need:
        return True
    chosen = [hit for hit in hits if hit[1] & need]
    reach = gate.span
    count = len(chosen)
    for a in range(count):
        start = chosen[a][0]
        found = 0
        end = a
        while end < count and (reach is None or chosen[end][0] - start < reach):
            found |= chosen[end][1]
            end += 1
        if found & need != need:
            continue
        window = chosen[a:end]
        if sentences.split:  # asked only now: finding the sentences costs more than the rest
            sentence = sentences.index(start)
            window = [hit for hit in window if sentences.index(hit[0]) == sentence]
            if not _holds(need, window):
                continue
        if all(sum(1 for _, mark in window if mark & bit) >= n for bit, n in gate.repeats):
            return True
    return False


def _holds(need: int, hits: list[tuple[int, int]]) -> bool:
    found = 0
    for _, mark in hits:
        found |= mark
    return found & need == need
