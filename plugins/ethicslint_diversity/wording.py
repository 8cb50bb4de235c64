"""Wording inside one document: term entries (data) filtered by their context conditions.

Every entry of ``terms/<lang>.toml`` with a ``code`` reports findings; entries named ``ctx-*``
are cues whose presence in the same sentence, segment or file the conditions test. One spaCy
pass (PhraseMatcher + Matcher) per segment finds both; everything else is set arithmetic, so the
cheap tier is enough and English needs no model.

Most segments hold no trigger: the host's pre-filter (``TermMatcher.prefilter``,
``docs/prefilter.md``) proves it from the Doc's token values, and only the segments it lets through are matched (``segment_matches``, cached on the Doc
and shared with ``representation.collect``). Context cues are looked at only in documents that have
a trigger: in the trigger's own segment, and, for ``doc:`` conditions, in every segment that may
hold one of those cues.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import TermMatch, TermMatcher, discusses, in_quotation, is_negated, matcher_for


if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from ethicslint import AnalyzedDocument, AnalyzedSegment

TERMS = Path(__file__).parent / "terms"
CONTEXT_PREFIX = "ctx-"
# Segment kinds where Title Case is the norm, so a capitalised word is not a proper name.
TITLE_CASE_KINDS = frozenset({"heading", "title"})


@dataclass(frozen=True)
class Condition:
    """``sent:team|doc:hiring`` -> alternatives ((scope, name), ...): any one satisfies it."""

    alternatives: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str, source: str) -> Condition:
        alternatives = []
        for part in text.split("|"):
            scope, _, name = part.strip().partition(":")
            if scope not in ("sent", "seg", "doc") or not name:
                raise ValueError(f"{source}: bad condition {text!r} (expected sent:X, seg:X or doc:X)")
            alternatives.append((scope, name))
        return cls(tuple(alternatives))


@dataclass(frozen=True)
class Entry:
    """One reporting entry of a terms file, with its data keys validated."""

    label: str
    code: str
    suggestion: str | None = None
    replacements: tuple[tuple[str, str], ...] = ()
    advice: str = ""
    why: str = ""
    needs: tuple[Condition, ...] = ()
    unless: tuple[Condition, ...] = ()
    negatable: bool = False
    proper: bool = True
    job_title: bool = False
    safe_fix: bool = False  # the suggestion may replace the match word for word (``--fix``)
    counterpart: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()


@dataclass
class Lexicon:
    """The compiled terms of one language (plus a user's extra terms)."""

    lang: str
    matcher: TermMatcher
    entries: dict[str, Entry]
    key: str
    triggers: frozenset[str]  # the labels that report (entries with a code)
    document_cues: frozenset[str]  # the ctx-* labels a condition looks for in the whole document


def _entries(data: dict[str, dict[str, Any]], source: str) -> dict[str, Entry]:
    entries = {}
    for label, values in data.items():
        code = values.get("code")
        if not code:
            continue
        entries[label] = Entry(
            label=label,
            code=str(code),
            suggestion=values.get("suggestion"),
            replacements=tuple((str(k).lower(), str(v)) for k, v in dict(values.get("replacements", {})).items()),
            advice=str(values.get("advice", "")),
            why=str(values.get("why", "")),
            needs=tuple(Condition.parse(c, f"{source} [{label}]") for c in values.get("needs", [])),
            unless=tuple(Condition.parse(c, f"{source} [{label}]") for c in values.get("unless", [])),
            negatable=bool(values.get("negatable", False)),
            proper=bool(values.get("proper", True)),
            job_title=bool(values.get("job_title", False)),
            safe_fix=bool(values.get("safe_fix", False)),
            counterpart=frozenset(w.lower() for w in values.get("counterpart", [])),
            focus=frozenset(w.lower() for w in values.get("focus", [])),
        )
    return entries


@functools.lru_cache(maxsize=64)
def _lexicon(matcher: TermMatcher) -> Lexicon:
    entries = _entries(matcher.table.data, matcher.table.source)
    # "hiring" decides DIV102 (candidates); the other names come from doc:X conditions
    document_cues = {CONTEXT_PREFIX + "hiring"} | {
        CONTEXT_PREFIX + name for entry in entries.values() for condition in entry.needs + entry.unless
        for scope, name in condition.alternatives if scope == "doc"}
    # the key of a segment's matches in its Doc: the Lexicon keeps its matcher alive, so its id is unique
    return Lexicon(lang=matcher.lang, matcher=matcher, entries=entries, key=f"{matcher.lang}:{id(matcher)}",
                   triggers=frozenset(entries), document_cues=frozenset(document_cues))


def lexicon(lang: str, config: dict[str, Any]) -> Lexicon:
    """The compiled lexicon for ``lang`` and this config's ``extra-terms`` (cached)."""
    return _lexicon(matcher_for(TERMS, lang, config.get("extra-terms"), source="extra-terms"))


def segment_matches(segment: AnalyzedSegment, lex: Lexicon,
                    labels: frozenset[str] | None = None) -> list[TermMatch]:
    """All term and cue matches of a segment, computed once per segment and lexicon (kept on the
    Doc, so both hooks share them). A caller that needs only ``labels`` gets those alone when the
    full list is not there yet (it is cheaper), else the full list: it must skip other labels."""
    store = segment.doc.user_data
    key = ("ethicslint_diversity", lex.key)
    if key in store:
        return store[key]
    if labels is not None:
        return lex.matcher(segment.doc, labels)
    store[key] = lex.matcher(segment.doc)
    return store[key]


@dataclass
class Candidate:
    """A finding before it is built: the entry, its span, and the code it reports under."""

    entry: Entry
    code: str
    segment: AnalyzedSegment
    start: int
    end: int
    text: str
    hiring: bool


class _Contexts:
    """The cue names present per sentence and per segment (of the segments that hold a trigger, the
    only ones ``holds`` is asked about), and in the whole document (computed on first use)."""

    def __init__(self, document: AnalyzedDocument, lexicons: dict[str, Lexicon],
                 triggered: list[tuple[int, AnalyzedSegment, list[TermMatch]]]) -> None:
        self._document_segments = document.segments
        self._lexicons = lexicons
        self.sentence: dict[tuple[int, int], set[str]] = {}
        self.segment: dict[int, set[str]] = {}
        for index, _segment, matches in triggered:
            names = self.segment.setdefault(index, set())
            for match in matches:
                if not match.label.startswith(CONTEXT_PREFIX):
                    continue
                name = match.label[len(CONTEXT_PREFIX):]
                names.add(name)
                self.sentence.setdefault((index, match.span.sent.start), set()).add(name)
        self._discussion: dict[tuple[int, int], bool] = {}

    @functools.cached_property
    def document(self) -> set[str]:
        """The cue names of ``doc:`` conditions (and "hiring") found anywhere in the document.

        Only those names are ever looked up here, so only their labels are matched, and only in
        segments the pre-filter lets through (a rejected segment holds none of them). The
        labels of every language of the document count in every segment, as one set did before.
        """
        labels = frozenset().union(*(lex.document_cues for lex in self._lexicons.values()))
        names: set[str] = set()
        for segment in self._document_segments:
            lex = self._lexicons[segment.lang]
            if not lex.matcher.prefilter(segment.doc, labels):
                continue
            matches = segment_matches(segment, lex, labels)
            names.update(m.label[len(CONTEXT_PREFIX):] for m in matches if m.label in labels)
        return names

    @property
    def hiring(self) -> bool:
        return "hiring" in self.document

    def holds(self, condition: Condition, index: int, span: Span) -> bool:
        for scope, name in condition.alternatives:
            if scope == "doc" and name in self.document:
                return True
            if scope == "seg" and name in self.segment.get(index, ()):
                return True
            if scope == "sent" and name in self.sentence.get((index, span.sent.start), ()):
                return True
        return False

    def discussed(self, index: int, segment: AnalyzedSegment, span: Span) -> bool:
        """Whether the sentence talks about the wording instead of using it on the reader."""
        sentence = span.sent
        key = (index, sentence.start)
        if key not in self._discussion:
            own = "discussion" in self.sentence.get(key, ())
            host = discusses(sentence, segment.lang)
            self._discussion[key] = own or host
        return self._discussion[key]


def looks_like_proper_name(span: Span, segment: AnalyzedSegment) -> bool:
    """A capitalised match inside a sentence ("partnered with Manpower", "the Crazy Horse show"),
    or a capitalised match opening a sentence and followed by another capitalised word or ``&``
    ("Manning & Co."). Headings are in Title Case by convention, so they never count."""
    if segment.kind in TITLE_CASE_KINDS:
        return False
    first = span[0]
    if not first.is_title:
        return False
    if not first.is_sent_start:
        return True
    doc = span.doc
    if span.end < len(doc):
        after = doc[span.end]
        return (after.is_title and not after.is_sent_start) or after.text == "&"
    return False


def _allowed(segment: AnalyzedSegment, start: int, end: int, allow: list[re.Pattern[str]],
             cache: dict[int, list[tuple[int, int]]]) -> bool:
    """Whether the match lies inside an occurrence of an allowed word or name ("Crazy Deals")."""
    key = id(segment)
    if key not in cache:
        cache[key] = [m.span() for pattern in allow for m in pattern.finditer(segment.text)]
    return any(a <= start and end <= b for a, b in cache[key])


def _focused(span: Span, focus: frozenset[str]) -> tuple[int, int]:
    if focus:
        tokens = [t for t in span if t.lower_ in focus]
        if tokens:
            return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return span.start_char, span.end_char


def candidates(document: AnalyzedDocument, config: dict[str, Any]) -> list[Candidate]:
    """The wording findings of a document, before messages are written."""
    lexicons: dict[str, Lexicon] = {}
    triggered: list[tuple[int, AnalyzedSegment, list[TermMatch]]] = []
    for index, segment in enumerate(document.segments):
        lex = lexicons.get(segment.lang)
        if lex is None:
            lex = lexicons[segment.lang] = lexicon(segment.lang, config)
        # Only a trigger (an entry with a code) starts a finding, and a segment that the pre-filter
        # rejects holds none: its cues matter only through contexts.document, computed there.
        if not lex.matcher.prefilter(segment.doc, lex.triggers):
            continue
        matches = segment_matches(segment, lex)
        if any(m.label in lex.entries for m in matches):
            triggered.append((index, segment, matches))
    if not triggered:
        return []  # the common case: nothing to report, no context to work out
    contexts = _Contexts(document, lexicons, triggered)
    allow = [re.compile(r"(?<!\w)" + re.escape(a.strip()) + r"(?!\w)", re.IGNORECASE)
             for a in config.get("allow", []) if a.strip()]
    allowed_spans: dict[int, list[tuple[int, int]]] = {}
    found: list[Candidate] = []
    for index, segment, matches in triggered:
        entries = lexicons[segment.lang].entries
        lower_tokens: set[str] | None = None
        accepted: list[Candidate] = []
        for match in matches:
            entry = entries.get(match.label)
            if entry is None:
                continue
            span = match.span
            # a replacement written for the whole phrase ("you guys" -> "you all") keeps the whole span
            whole = any(key == span.text.lower() for key, _ in entry.replacements)
            start, end = (span.start_char, span.end_char) if whole else _focused(span, entry.focus)
            text = segment.text[start:end]
            if allow and _allowed(segment, span.start_char, span.end_char, allow, allowed_spans):
                continue
            if not all(contexts.holds(c, index, span) for c in entry.needs):
                continue
            if any(contexts.holds(c, index, span) for c in entry.unless):
                continue
            if entry.counterpart:
                if lower_tokens is None:
                    lower_tokens = {t.lower_ for t in segment.doc}
                if lower_tokens & entry.counterpart:
                    continue
            focused = segment.doc.char_span(start, end, alignment_mode="expand") or span
            if entry.proper and looks_like_proper_name(focused, segment):
                continue
            if in_quotation(segment, start, end) or contexts.discussed(index, segment, span):
                continue
            if entry.negatable and is_negated(span, segment.lang):
                continue
            hiring = contexts.hiring
            code = "DIV102" if entry.job_title and hiring else entry.code
            overlap = next((c for c in accepted if c.code == code and c.start < end and start < c.end), None)
            if overlap is not None:  # "équipe jeune" + "jeune et dynamique": one finding over both
                overlap.start, overlap.end = min(overlap.start, start), max(overlap.end, end)
                overlap.text = segment.text[overlap.start:overlap.end]
                continue
            accepted.append(Candidate(entry, code, segment, start, end, text, hiring))
        found.extend(accepted)
    return found
