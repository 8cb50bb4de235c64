"""The urgency checker's terms, compiled once per language and config, and matched cheaply.

The terms are data (``terms/en.toml``, ``terms/fr.toml``). Entries named ``URGnnn`` or
``URGnnn/<variant>`` are triggers of rule URGnnn; ``decline`` and ``first-person`` start a
confirmshaming candidate; every other entry is context, read only around a trigger.

Speed: the cheap pass runs on every segment of every file, so trigger *phrases* (a PhraseMatcher)
run everywhere, but each token *pattern* has a :class:`Gate` (the words it cannot match without,
and whether it needs a digit or a clock-like "12:30"), and a pattern entry runs only on the
segments where one of its gates opens (in a longer segment: within one sentence).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint.matching import (TermMatch, TermMatcher, TermTable, doc_tokens, doc_values, load_terms,
                                 terms_for_language)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

TERMS_DIR = Path(__file__).parent / "terms"
DEVICE_CODES = ("URG101", "URG102", "URG103", "URG201", "URG202", "URG301", "URG401")
TRIGGER_CONTEXT = ("decline", "first-person")  # context entries that also start a candidate
SENTENCE_GATING_TOKENS = 25  # longer segments with several open entries are gated by sentence
LONG_SEGMENT_TOKENS = 120  # and segments this long always are

_NOTHING: frozenset[int] = frozenset()
_CLOCK = re.compile(r"\d\s?:\s?\d")
_DIGIT = re.compile(r"\d")
_PUNCTUATION = ":;,.!?%()[]-–—/'\"«»+&"


def code_of(label: str) -> str:
    """``"URG201/count"`` -> ``"URG201"``; context labels come back unchanged."""
    return label.split("/", 1)[0]


def is_trigger(label: str) -> bool:
    return code_of(label) in DEVICE_CODES or label in TRIGGER_CONTEXT


# --- gates -----------------------------------------------------------------------------------

class TextFacts:
    """What the gates ask of a text, each answer computed once, on first question."""

    __slots__ = ("text", "_digit", "_clock", "_searched")

    def __init__(self, text: str) -> None:
        self.text = text
        self._digit: bool | None = None
        self._clock: bool | None = None
        self._searched: dict[re.Pattern[str], bool] = {}

    @property
    def digit(self) -> bool:
        if self._digit is None:
            self._digit = _DIGIT.search(self.text) is not None
        return self._digit

    @property
    def clock(self) -> bool:
        if self._clock is None:
            self._clock = self.digit and _CLOCK.search(self.text) is not None
        return self._clock

    def search(self, pattern: re.Pattern[str]) -> bool:
        found = self._searched.get(pattern)
        if found is None:
            found = self._searched[pattern] = pattern.search(self.text) is not None
        return found


@dataclass(frozen=True)
class Gate:
    """What a text needs before one token pattern of entry ``label`` can match in it: for each
    required token of the pattern, one of its words (lowercase form or lemma, as string hashes);
    a digit or a clock-like "12:30" when a required token is a digit regex; an entry's own regex.
    A gate that stays shut proves the pattern has no match there, so skipping it loses nothing."""

    label: str
    words: tuple[frozenset[int], ...] = ()
    digit: bool = False
    clock: bool = False
    text: re.Pattern[str] | None = None

    def opens(self, lowers: Set[int], lemmas: Set[int], facts: TextFacts) -> bool:
        """Whether the text (its lowercase forms, its lemmas, its facts) passes every condition."""
        for alternatives in self.words:
            if alternatives.isdisjoint(lowers) and alternatives.isdisjoint(lemmas):
                return False
        if self.digit and not facts.digit:
            return False
        if self.clock and not facts.clock:
            return False
        return self.text is None or facts.search(self.text)


def _required(op: object) -> bool:
    if op is None or op == "+":
        return True
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        low = op[1:-1].split(",")[0].strip()
        return low.isdigit() and int(low) >= 1
    return False  # "?", "*", "!" and anything unknown


def _gate_of(label: str, pattern: list[dict[str, Any]], entry: dict[str, Any], hash_string) -> Gate:  # type: ignore[no-untyped-def]
    """The gate of one pattern. An entry made of regex tokens only may name its own conditions:
    ``gate`` (a regex on the text) or ``gate_words`` (words one of which must occur)."""
    words: list[frozenset[int]] = []
    digit = clock = False
    own_regex = entry.get("gate")
    for spec in pattern:
        if not _required(spec.get("OP")):
            continue
        alternatives: set[str] = set()
        for attr in ("LOWER", "TEXT", "LEMMA"):
            value = spec.get(attr)
            if isinstance(value, str):
                alternatives.add(value.lower())
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                alternatives.update(str(v).lower() for v in value["IN"])
            elif isinstance(value, dict) and isinstance(value.get("REGEX"), str) and own_regex is None:
                regex = value["REGEX"]
                if "\\d" in regex:
                    digit = True
                    clock = clock or (":" in regex and "|" not in regex)
        if alternatives:  # LIKE_NUM or IS_* tokens have no cheap test ("one", « deux »)
            words.append(frozenset(hash_string(w) for w in alternatives))
    if isinstance(entry.get("gate_words"), list):
        words = [frozenset(hash_string(str(w).lower()) for w in entry["gate_words"])]
        digit = clock = False
    text = re.compile(own_regex) if isinstance(own_regex, str) else None
    if isinstance(own_regex, str) and own_regex.removeprefix("(?i)").startswith("\\d"):
        digit = True  # the entry's regex needs a digit: the cached digit test goes first
    return Gate(label, tuple(words), digit, clock, text)


def _stop_words(lang: str) -> frozenset[str]:
    """The stop words of the host's cheap pipeline for ``lang`` (spaCy's list for the language):
    the words too common to index a gate by."""
    from ethicslint.nlp import cheap_pipeline

    return frozenset(cheap_pipeline(lang).Defaults.stop_words)


def _index_gates(table: TermTable, lang: str) -> tuple[dict[int, tuple[Gate, ...]], dict[Gate, tuple[Gate, ...]]]:
    """Gates indexed by the hashes of their smallest set of rare words (no stop word, no
    punctuation): a text tests only the gates of the rare words it holds. Gates with common words
    only (« plus que », "in") are grouped by their digit/clock/regex test, which a text passes
    once per group before their words are looked at."""
    from spacy.strings import hash_string  # the ids that Doc.to_array(["LOWER", "LEMMA"]) holds

    common = {hash_string(w) for w in _stop_words(lang)} | {hash_string(ch) for ch in _PUNCTUATION}
    by_word: dict[int, list[Gate]] = {}
    without: list[Gate] = []
    for label, kinds in table.entries.items():
        if not is_trigger(label):
            continue
        for pattern in kinds.get("patterns", []):
            gate = _gate_of(label, pattern, table.data.get(label, {}), hash_string)
            # test the rarest word sets first: a shut gate then fails on its first test
            ordered = tuple(sorted(gate.words, key=lambda ws: (len(ws & common), len(ws))))
            gate = Gate(gate.label, ordered, gate.digit, gate.clock, gate.text)
            rare = [ws for ws in gate.words if ws.isdisjoint(common)]
            if not rare and (gate.digit or gate.clock or gate.text is not None or not gate.words):
                without.append(gate)
                continue
            for word in min(rare or list(gate.words), key=len):
                by_word.setdefault(word, []).append(gate)
    by_test: dict[Gate, list[Gate]] = {}
    for gate in without:
        by_test.setdefault(Gate("", (), gate.digit, gate.clock, gate.text), []).append(gate)
    return {word: tuple(gates) for word, gates in by_word.items()}, {test: tuple(g) for test, g in by_test.items()}


# --- compiled terms --------------------------------------------------------------------------

def _table(source: str, entries: dict[str, dict[str, list[Any]]], data: dict[str, dict[str, Any]]) -> TermTable:
    full = {label: {kind: list(kinds.get(kind, [])) for kind in ("phrases", "lemmas", "patterns")}
            for label, kinds in entries.items()}
    return TermTable(source=source, entries=full, data=data)


def context_group(label: str) -> str:
    """Context entries are matched in small groups, each only when asked for: dates (only in a
    text with a digit), shaming terms (only around a decline), and the cues every candidate
    needs (discussion, negation) together."""
    base = code_of(label)
    if base in ("benefit", "loss", "shame-negation"):
        return "shame"
    if base in ("discussion", "weak-discussion", "negation"):
        return "cues"
    return base


@dataclass
class Compiled:
    """The terms of one language, plus the user's extra terms, compiled once."""

    lang: str
    phrases: TermMatcher  # the phrases and lemmas of every trigger entry
    patterns: TermMatcher  # every trigger pattern, called with the labels whose gates opened
    gates_by_word: dict[int, tuple[Gate, ...]]
    gate_words: frozenset[int]  # the keys of gates_by_word (a set intersects fastest with a set)
    gates_by_test: dict[Gate, tuple[Gate, ...]]  # gates with common words only, by their text test
    context: dict[str, TermMatcher]  # context group -> its entries
    data: dict[str, dict[str, Any]]  # entry label -> its extra keys (conditions, kind...)
    shame_words: frozenset[int]  # every word of a benefit or loss term (hashes): a cheap pre-test
    allow: tuple[str, ...] = field(default=())

    def triggers(self, doc: Doc, text: str) -> list[TermMatch]:
        """Trigger matches in ``doc`` (whose text is ``text``), by position, longest first.

        The token sets come from the host's per-Doc cache (:func:`ethicslint.matching.doc_values`,
        shared with the other checkers). In a segment of several sentences, a gate must open in
        one sentence, not on words scattered over the paragraph; the entries that open then run
        once on the whole segment."""
        found = self.phrases(doc)
        labels = self._open_labels(text, doc_values(doc, "LOWER"), doc_values(doc, "LEMMA"))
        if labels and (len(doc) > LONG_SEGMENT_TOKENS or (len(doc) > SENTENCE_GATING_TOKENS and len(labels) > 2)):
            lowers, lemmas = doc_tokens(doc, "LOWER"), doc_tokens(doc, "LEMMA")
            in_a_sentence: set[str] = set()
            for sent in doc.sents:
                present = set(lowers[sent.start:sent.end])
                present.update(lemmas[sent.start:sent.end])
                in_a_sentence |= self._open_labels(text[sent.start_char:sent.end_char], present, _NOTHING)
            labels &= in_a_sentence
        if not labels:
            return found
        found.extend(self.patterns(doc, labels))
        return sorted(found, key=lambda m: (m.span.start, -m.span.end))

    def _open_labels(self, text: str, lowers: Set[int], lemmas: Set[int]) -> set[str]:
        """The pattern entries with at least one gate open on this text."""
        facts = TextFacts(text)
        labels: set[str] = set()
        for test, gates in self.gates_by_test.items():
            if test.opens(lowers, lemmas, facts):
                labels.update(gate.label for gate in gates
                              if gate.label not in labels and gate.opens(lowers, lemmas, facts))
        for words in (self.gate_words & lowers, self.gate_words & lemmas):
            for word in words:
                for gate in self.gates_by_word[word]:
                    if gate.label not in labels and gate.opens(lowers, lemmas, facts):
                        labels.add(gate.label)
        return labels

    def context_matches(self, group: str, doc: Doc, text: str) -> list[TermMatch]:
        matcher = self.context.get(group)
        if matcher is None or (group == "date" and _DIGIT.search(text) is None):
            return []
        return matcher(doc)


@functools.lru_cache(maxsize=16)
def _compiled(lang: str, extra_json: str, allow_json: str) -> Compiled:
    table = load_terms(TERMS_DIR / f"{lang}.toml")
    extra = json.loads(extra_json)
    if extra:
        table = table.extended(extra, source="[tool.ethicslint.urgency] extra-terms")
    allow = tuple(sorted({a.strip().lower() for a in json.loads(allow_json) if a.strip()}))
    phrases = {label: {"phrases": kinds.get("phrases", []), "lemmas": kinds.get("lemmas", [])}
               for label, kinds in table.entries.items() if is_trigger(label)}
    patterns = {label: {"patterns": kinds["patterns"]} for label, kinds in table.entries.items()
                if is_trigger(label) and kinds.get("patterns")}
    groups: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for label, kinds in table.entries.items():
        if not is_trigger(label):
            groups.setdefault(context_group(label), {})[label] = kinds
    context = {group: TermMatcher(_table(table.source, entries, table.data), lang) for group, entries in groups.items()}
    by_word, without = _index_gates(table, lang)
    return Compiled(lang, TermMatcher(_table(table.source, phrases, table.data), lang),
                    TermMatcher(_table(table.source, patterns, table.data), lang), by_word, frozenset(by_word),
                    without, context, table.data, _shame_words(table), allow)


def _shame_words(table: TermTable) -> frozenset[int]:
    """The words of every benefit and loss term: a decline whose segment holds none of them
    cannot be confirmshaming, and needs no further look."""
    from spacy.strings import hash_string

    words: set[str] = set()
    for label, kinds in table.entries.items():
        if code_of(label) not in ("benefit", "loss"):
            continue
        for phrase in kinds.get("phrases", []):
            words.update(phrase.lower().replace("'", " ' ").split())
        for pattern in kinds.get("patterns", []):
            for spec in pattern:
                for attr in ("LOWER", "LEMMA"):
                    value = spec.get(attr)
                    if isinstance(value, str):
                        words.add(value.lower())
                    elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                        words.update(str(v).lower() for v in value["IN"])
    return frozenset(hash_string(w) for w in words if any(ch.isalpha() for ch in w))


def compiled_for(lang: str, config: dict[str, Any]) -> Compiled:
    """The compiled terms for ``lang`` and this plugin config (cached per distinct config)."""
    extra = terms_for_language(config.get("extra-terms"), lang)
    return _compiled(lang, json.dumps(extra, sort_keys=True), json.dumps(sorted(config.get("allow") or [])))
