"""Context every checker needs, written once: negation, quotation, and copy that discusses a practice.

"Flag manipulation, not words": a negated claim ("no countdown, no pressure"), a quotation, or
an article *about* dark patterns is not a finding. These functions work on the cheap tier
(tokens, lemmas) and the cue words are data (``ethicslint/data/context_<lang>.toml``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .matching import TermMatcher, load_terms

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from .analysis import AnalyzedSegment

_DATA = Path(__file__).parent / "data"

# Quotation marks: opening -> closing. Straight quotes pair with themselves.
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_SINGLE_QUOTES = "'\u2018\u2019"  # also apostrophes: see in_quotation
_ANY_QUOTE = re.compile("[" + re.escape("".join(sorted({*_QUOTES, *_QUOTES.values(), *_SINGLE_QUOTES}))) + "]")


@functools.lru_cache(maxsize=None)
def _cues(lang: str) -> TermMatcher:
    # the project's own data, compiled with validation by tests/test_performance.py
    return TermMatcher(load_terms(_DATA / f"context_{lang}.toml"), lang, validate=False)


def cue_matches(span_or_doc, lang: str, label: str) -> list[Span]:  # type: ignore[no-untyped-def]
    """Spans of ``span_or_doc`` that match cue entry ``label`` (``negation``, ``discussion``)."""
    doc = span_or_doc.doc if hasattr(span_or_doc, "doc") and span_or_doc.doc is not span_or_doc else span_or_doc
    start = getattr(span_or_doc, "start", 0)
    end = getattr(span_or_doc, "end", len(doc))
    return [m.span for m in _cues(lang)(doc, {label}) if m.span.start >= start and m.span.end <= end]


def is_negated(span: Span, lang: str, window: int = 4, *, extra: Iterable[Span] = (),
               clause_breaks: Collection[str] = ()) -> bool:
    """Whether a negation cue governs ``span``: one that starts within ``window`` tokens before it,
    in its sentence, with no clause break between ("we do **not** sell your data", « **sans** date
    limite », "**no** countdown"). The one negation test of every checker; each passes its reach
    (a label is short, a data promise spans a clause), its own extra cues, and the tokens that end
    a clause for it (punctuation, "but", "and"...).

    Cues inside the span are part of what was matched ("don't miss out"), not a negation of it.
    French « ne … que » restricts (« il n'en reste que 3 ») and « ne … plus » before the span
    counts a stock (« il n'y a plus que 3 »): neither negates.
    """
    sentence = span.sent
    doc = span.doc
    lo = max(sentence.start, span.start - window)
    for cue in [*cue_matches(sentence, lang, "negation"), *extra]:
        if not (lo <= cue.start and cue.end <= span.start):
            continue
        if clause_breaks and any(t.lower_ in clause_breaks for t in doc[cue.end:span.start]):
            continue
        if not _restrictive(cue, span):
            return True
    return False


def _restrictive(cue: Span, span: Span) -> bool:
    """French « ne »/« n' » that restricts or counts rather than negates: « ne … que » up to the end
    of the span, or « plus » opening the span right after it (« n'a plus que 3 »)."""
    if cue.text.lower() not in ("ne", "n'"):
        return False
    doc = span.doc
    if any(t.lower_ in ("que", "qu'") for t in doc[cue.end:span.end]):
        return True
    return span[0].lower_ == "plus" and cue.end >= span.start - 1


def in_quotation(segment: AnalyzedSegment, start: int, end: int) -> bool:
    """Whether ``segment.text[start:end]`` is someone else's words: a blockquote, or inside a
    pair of quotation marks within its paragraph ("…", « … », “…”, '…', ‘…’).

    A single quote between two letters is an apostrophe ("don't"); otherwise it opens when
    it follows a non-letter and precedes a non-space, and closes in the mirror case.
    """
    if segment.quoted:
        return True
    opens, reach = _quotations(segment.text)
    before = bisect.bisect_left(opens, start)  # the quotations opened before ``start``
    return before > 0 and reach[before - 1] >= end


@functools.lru_cache(maxsize=64)
def _quotations(text: str) -> tuple[list[int], list[int]]:
    """The quotations of ``text``, found once per text (a checker asks for every candidate):
    their opening marks' offsets, sorted, and for each the furthest closing mark's offset among
    the quotations opened so far. A span is quoted when one opened before it closes after it."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for mark in _ANY_QUOTE.finditer(text):  # other characters never change the state
        index, ch = mark.start(), mark.group()
        if ch in _SINGLE_QUOTES:
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe
            if stack and stack[-1][0] in _SINGLE_QUOTES and not before.isspace() and not after.isalnum():
                pairs.append((stack.pop()[1], index))
            elif not before.isalnum() and not after.isspace():
                stack.append((ch, index))
        elif stack and ch == _QUOTES.get(stack[-1][0]):
            pairs.append((stack.pop()[1], index))
        elif ch in _QUOTES:
            stack.append((ch, index))
    pairs.sort()
    reach: list[int] = []
    for _, close in pairs:
        reach.append(max(close, reach[-1]) if reach else close)
    return [open_ for open_, _ in pairs], reach


def discussion_cues(target, lang: str, exclude: tuple[int, int] | None = None) -> list[Span]:  # type: ignore[no-untyped-def]
    """The cues in ``target`` (a segment, span or Doc) showing that it talks *about* a practice.

    Strong cues ("dark patterns", « interfaces trompeuses ») always count; example markers
    ("such as", « comme ») count only when a quotation mark follows them closely. Cues whose
    start lies in ``exclude`` (character offsets of the claim itself, e.g. "validated by the
    regulators") do not count.
    """
    from .analysis import AnalyzedSegment

    span = target.doc if isinstance(target, AnalyzedSegment) else target
    text = span.doc.text if hasattr(span, "doc") else span.text
    def counted(cue: Span) -> bool:
        return exclude is None or not exclude[0] <= cue.start_char < exclude[1]

    cues = [cue for cue in cue_matches(span, lang, "discussion") if counted(cue)]
    for marker in cue_matches(span, lang, "example-marker"):
        following = text[marker.end_char:marker.end_char + 3]
        if counted(marker) and any(q in following for q in (*_QUOTES, *_SINGLE_QUOTES)):
            cues.append(marker)
    return cues


def discusses(target, lang: str, exclude: tuple[int, int] | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Whether a passage talks *about* a practice: a copy deck or article describing urgency
    is not urgency. See :func:`discussion_cues`."""
    return bool(discussion_cues(target, lang, exclude))


# --- live data and account events -------------------------------------------------------------

# Template placeholders: the value is filled in from live data when the copy is shown.
# {{ x }} (Jinja, Handlebars, Liquid, Go), {x} / {0} / ICU plurals (lingui, i18next), %{x} (Rails),
# %s %d %1$s (printf, gettext), %(x)s (Python), $X$ (bitwarden-style), :x / ${x} / [[x]] kept out:
# they are as common in prose as in templates.
PLACEHOLDER = re.compile(
    r"\{\{[^{}]{1,80}\}\}|\{%[^{}]{1,80}%\}|%\{[\w.]{1,40}\}|%\([\w.]{1,40}\)[sdif]|%(?:\d\$)?[sdif]\b"
    r"|\$[A-Z][A-Z0-9_]{0,30}\$|\{[\w.]{1,40}(?:,[^{}]{0,80}(?:\{[^{}]*\}[^{}]*)*)?\}|\#(?=\s*(?:minute|hour|day|jour|heure))"
)


def placeholders(text: str) -> list[tuple[int, int]]:
    """Character ranges of the template placeholders in ``text``."""
    return [m.span() for m in PLACEHOLDER.finditer(text)]


@functools.lru_cache(maxsize=64)
def _placeholder_bounds(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the placeholders of ``text`` (both sorted: they do not overlap), found
    once per text: :func:`live_data` is asked for every candidate of a segment."""
    spans = placeholders(text)
    return [start for start, _ in spans], [end for _, end in spans]


def live_data(segment: AnalyzedSegment, span: Span) -> bool:
    """Whether the claim at ``span`` shows live data rather than a fixed assertion: a template
    placeholder in its sentence ("Only %{count} left", « Plus que {n} en stock », "Offer ends
    {{ end_date }}"). URG201's own fix asks for exactly this: stock shown from live inventory."""
    sentence = span.sent
    lo, hi = sentence.start_char, sentence.end_char
    starts, ends = _placeholder_bounds(segment.text)
    first_start = bisect.bisect_left(starts, lo)  # a placeholder starting in [lo, hi)...
    if first_start < len(starts) and starts[first_start] < hi:
        return True
    first_end = bisect.bisect_right(ends, lo)  # ...or ending in (lo, hi]
    return first_end < len(ends) and ends[first_end] <= hi


def account_event(span: Span, lang: str) -> bool:
    """Whether the sentence of ``span`` is about the reader's account (a link, code or session
    that expires, a card ending in four digits, a trial that ends): cue entry ``account-event``,
    and no ``offer`` (a price or a discount on the account is a sale)."""
    sentence = span.sent
    return bool(cue_matches(sentence, lang, "account-event")) and not cue_matches(sentence, lang, "offer")


# Segment kinds of catalogue readers: one translatable string each (JSON/YAML values, .po messages).
CATALOGUE_SEGMENT_KINDS = frozenset({"string", "msgid", "msgstr"})


def bare_label(segment: AnalyzedSegment, span: Span, lang: str) -> bool:
    """Whether ``span`` is all there is of a catalogue string ("Last day", « dernier jour »,
    "Expires in"): a label whose screen (a calendar, a token dialog, a sale) the string does not
    tell, so no claim can be read into it. "Sale ends in" and « Fin de l'offre dans » name an
    offer: they say which screen they are on, and are not bare."""
    if segment.kind not in CATALOGUE_SEGMENT_KINDS or cue_matches(segment.doc, lang, "offer"):
        return False
    return all(token.is_punct or token.is_space or span.start <= token.i < span.end for token in segment.doc)
