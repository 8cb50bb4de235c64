"""Detection for the urgency checker: cheap term matching first, context only around a match.

Per segment:

1. the trigger terms (:mod:`ethicslint_urgency.lexicon`) over the cheap Doc;
2. for each match, cheap context in its sentence: the entry's own conditions (next/previous
   token, a word before), negation, cues that the text talks *about* the practice, a concrete
   date nearby, quotation marks;
3. the statistical parse, only for the rare candidates that need it (a French verb in -ez/-ons
   inside a sentence: is it an imperative?);
4. per document, "is this whole document a discussion?" (then its findings are info at most).

Nothing here imports spaCy at module level; the host has already built every Doc.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ethicslint import account_event, bare_label, cue_matches, in_quotation, is_negated, live_data, sentence_of

from .lexicon import TRIGGER_CONTEXT, Compiled, code_of, context_group

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

    from ethicslint import AnalyzedDocument, AnalyzedSegment, TermMatch

# When two devices of different rules cover the same words, the more specific one wins.
PRIORITY = {"URG401": 0, "URG102": 1, "URG301": 2, "URG201": 3, "URG202": 4, "URG101": 5, "URG103": 6}
# A concrete date this many sentences away (0: the same sentence) makes the claim checkable.
DATE_RADIUS = {"URG101": 1, "URG102": 1, "URG201": 1, "URG103": 0}
# Claims that live data makes true (a count, a date or a timer filled in by the program).
LIVE_DATA_CODES = frozenset({"URG101", "URG102", "URG201", "URG202", "URG301"})
# Time limits: said of an account (a link, a code, a card, a trial) they are facts, not pressure;
# alone in a catalogue string ("Last day", "Expires in") they are labels of a screen we cannot see.
DEADLINE_CODES = frozenset({"URG101", "URG102"})
NEGATION_WINDOW = 5  # tokens from a negation cue's start to the match it negates ("no 48-hour countdown")
CLAUSE_BREAKS = frozenset(",;:.!?()[]—–|·/")
SHORT_LABEL_TOKENS = 16  # a first-person sentence this short reads as a button or link label
SHAME_REACH = 24  # tokens after a decline where its shaming reason may stand
NEAR = 6  # tokens between a negation and the benefit it denies
TITLE_CUES = ("dark pattern", "pressure tactic", "urgency", "scarcity", "confirmshaming", "interfaces trompeuses",
              "fausse urgence", "manipulation", "pratiques commerciales")


@dataclass
class Device:
    """One pressure device found in a segment: it becomes one finding."""

    code: str
    segment_index: int
    start: int  # character offsets in the segment's text
    end: int
    text: str
    info_reason: str | None = None  # why it is only info: "quoted", "dated", "discussion"


class SegmentContext:
    """One segment's sentences and context matches, each computed on first use."""

    def __init__(self, compiled: Compiled, segment: AnalyzedSegment) -> None:
        self.compiled = compiled
        self.segment = segment
        self.doc: Doc = segment.doc
        self._context: dict[str, list[TermMatch]] = {}
        self._negations: list[Span] | None = None
        self._discussion: list[tuple[Span, bool]] | None = None

    # sentences from the host's per-Doc starts (Span.sent walks the tokens every time it is asked)
    def sentence_of(self, token_i: int) -> tuple[int, int, int]:
        """(index, start, end) of the sentence holding token ``token_i``."""
        return sentence_of(self.doc, token_i)

    def opens_sentence(self, start: int) -> bool:
        """Nothing but punctuation or symbols (quotes, bullets, emoji) before token ``start`` in
        its sentence: the match is a headline, a label or the start of a sentence."""
        _, sent_start, _ = self.sentence_of(start)
        return all(t.is_punct or not t.is_alpha and not t.like_num for t in self.doc[sent_start:start])

    def context(self, label: str) -> list[Span]:
        """Spans of context entry ``label`` and its variants (``label/...``) whose conditions hold."""
        group = context_group(label)
        if group not in self._context:
            self._context[group] = self.compiled.context_matches(group, self.doc, self.segment.text)
        data = self.compiled.data
        return [m.span for m in self._context[group]
                if (m.label == label or m.label.startswith(label + "/"))
                and conditions_hold(m.span, data.get(m.label, {}), self)]

    def negations(self) -> list[Span]:
        """The host's negation cues plus any a user adds to this checker's ``negation`` entry."""
        if self._negations is None:
            self._negations = cue_matches(self.doc, self.segment.lang, "negation") + self.context("negation")
        return self._negations

    def discussion_cues(self) -> list[tuple[Span, bool]]:
        """(cue, strong) pairs: the host's discussion cues and this checker's (strong), and this
        checker's weak cues ("such as", « comme », "study"), which count only when the match is
        quoted. The host keeps its own weak words apart (``example-marker``, counted when a
        quotation mark follows them), so every cue of its ``discussion`` entry is strong; this
        checker's rule for weak cues is its own (the host's would turn one quoted example of the
        project's text from info into nothing)."""
        if self._discussion is None:
            cues = [(c, True) for c in cue_matches(self.doc, self.segment.lang, "discussion")]
            cues += [(c, True) for c in self.context("discussion")]
            cues += [(c, False) for c in self.context("weak-discussion")]
            self._discussion = cues
        return self._discussion


# --- the conditions an entry may carry (terms/*.toml) ----------------------------------------

def _token_ok(token, wanted: list[str]) -> bool:  # type: ignore[no-untyped-def]
    if token is None:
        return "<end>" in wanted
    if "<punct>" in wanted and token.is_punct:
        return True
    return token.lower_ in wanted


def conditions_hold(span: Span, data: dict[str, Any], ctx: SegmentContext) -> bool:
    """The entry's own conditions: ``after``, ``not_after``, ``not_before``, ``not_followed_by``,
    ``sent_start``, ``needs_before`` (an offer word shortly before, unless the match opens its
    sentence: "the sale ends tonight", not "that myth ends today")."""
    if not data:
        return True
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    if "after" in data and not _token_ok(nxt, data["after"]):
        return False
    if "not_after" in data and nxt is not None and nxt.lower_ in data["not_after"]:
        return False
    if "not_before" in data and prev is not None and prev.lower_ in data["not_before"]:
        return False
    if "not_followed_by" in data and nxt is not None:
        following = " ".join(t.lower_ for t in doc[span.end:span.end + 4])
        if any(following == p or following.startswith(p + " ") for p in data["not_followed_by"]):
            return False
    if data.get("sent_start") and not ctx.opens_sentence(span.start):
        return False
    if "needs_before" in data and not ctx.opens_sentence(span.start):
        _, sent_start, _ = ctx.sentence_of(span.start)
        window = doc[max(sent_start, span.start - int(data.get("needs_before_window", 6))):span.start]
        wanted = data["needs_before"]
        if not any(t.lower_ in wanted or t.lemma_ in wanted for t in window):
            return False
    return True


# --- negation, discussion, dates, allow-list -------------------------------------------------

def negated(span: Span, ctx: SegmentContext) -> bool:
    """A negation cue shortly before the match, in the same clause: "no countdown", « sans date
    limite », "this isn't a limited-time offer" (the host's test, with the cues a user added to
    this checker's ``negation`` entry)."""
    return is_negated(span, ctx.segment.lang, NEGATION_WINDOW, extra=ctx.context("negation"),
                      clause_breaks=CLAUSE_BREAKS)


def discussed_here(span: Span, ctx: SegmentContext, quoted: bool) -> bool:
    """The sentence talks about the practice: a strong cue ("dark patterns", "confirmshaming",
    « pratique commerciale trompeuse ») or a weak one ("such as", « comme ») around a quotation."""
    _, sent_start, sent_end = ctx.sentence_of(span.start)
    for cue, strong in ctx.discussion_cues():
        if sent_start <= cue.start < sent_end and not span.start <= cue.start < span.end and (strong or quoted):
            return True
    return False


def dated_nearby(span: Span, ctx: SegmentContext, radius: int) -> bool:
    """A concrete date (day and month, or a numeric date) in the match's sentence or within
    ``radius`` sentences of it: the deadline or the stock statement can then be checked."""
    dates = ctx.context("date")
    if not dates:
        return False
    here = ctx.sentence_of(span.start)[0]
    return any(abs(ctx.sentence_of(d.start)[0] - here) <= radius for d in dates)


def allowed(span: Span, ctx: SegmentContext) -> bool:
    """The user's ``allow`` list: a listed phrase overlapping the match, in its sentence."""
    allow = ctx.compiled.allow
    if not allow:
        return False
    _, sent_start, sent_end = ctx.sentence_of(span.start)
    sentence = ctx.doc[sent_start:sent_end]
    text = sentence.text.lower()
    lo, hi = span.start_char - sentence.start_char, span.end_char - sentence.start_char
    for phrase in allow:
        at = text.find(phrase)
        while at != -1:
            if at < hi and at + len(phrase) > lo:
                return True
            at = text.find(phrase, at + 1)
    return False


# --- confirmshaming ---------------------------------------------------------------------------

def confirmshaming(start: Span, ctx: SegmentContext, first_person: bool) -> Span | None:
    """The decline option opening at ``start``, when it shames the reader: a decline ("No
    thanks", « Non merci ») or a first-person label, then in the same option a loss the reader
    supposedly chooses ("pay full price", « plein tarif ») or a benefit they supposedly refuse
    ("I don't like saving money", « je n'aime pas les économies »). A neutral decline is fine."""
    doc = start.doc
    if not ctx.opens_sentence(start.start):
        return None
    _, sent_start, sent_end = ctx.sentence_of(start.start)
    if first_person and (sent_end - sent_start > SHORT_LABEL_TOKENS or len(doc) > 2 * SHORT_LABEL_TOKENS):
        return None
    # a short label may run over a sentence end ("No thanks. I like paying more.")
    label_end = len(doc) if len(doc) <= 2 * SHORT_LABEL_TOKENS else sent_end
    reach_end = min(len(doc), start.end + SHAME_REACH, max(sent_end, label_end))
    losses = [s for s in ctx.context("loss") if start.end <= s.start and s.end <= reach_end]
    if losses:
        return doc[start.start:max(s.end for s in losses)]
    benefits = [s for s in ctx.context("benefit") if start.start <= s.start and s.end <= reach_end]
    if not benefits:
        return None
    denials = [s for s in ctx.context("shame-negation") if s.start >= start.end and s.end <= reach_end]
    if first_person:  # "I don't want exclusive offers": the negation follows the pronoun
        denials += [s for s in ctx.negations() if s.start >= start.start and s.end <= reach_end]
    for benefit in benefits:
        for denial in denials:
            gap = benefit.start - denial.end if denial.start < benefit.start else denial.start - benefit.end
            if gap <= NEAR and not benefit.start <= denial.start < benefit.end:
                return doc[start.start:max(benefit.end, denial.end)]
    return None


# --- the French imperative (model tier, candidates only) -------------------------------------

def imperative(span: Span, ctx: SegmentContext, document: AnalyzedDocument) -> bool:
    """Whether the verb opening ``span`` is an imperative ("Commandez vite"), not a statement
    ("vous commandez vite"). The cheap tier has already checked there is no subject pronoun just
    before. A verb opening its sentence is then an imperative; inside a sentence ("Quand le stock
    baisse, commandez vite"), the statistical parse of that one sentence decides: a nominal
    subject of the verb rules the imperative out. Without a model, the cheap answer stands."""
    lang = ctx.segment.lang
    if ctx.opens_sentence(span.start) or not document.has_model(lang):
        return True
    parsed = document.parse(span, lang)
    if parsed is None or not len(parsed):
        return True
    verb = parsed[0]
    if verb.pos_ not in ("VERB", "AUX"):
        return False  # « déployer ces solutions rapidement »: a noun in -ons, not a verb
    if "Imp" in verb.morph.get("Mood"):
        return True
    return not any(child.dep_.startswith("nsubj") for child in verb.children)


# --- one segment ------------------------------------------------------------------------------

def find_devices(document: AnalyzedDocument, index: int, segment: AnalyzedSegment, compiled: Compiled,
                 contexts: dict[int, SegmentContext] | None = None) -> list[Device]:
    """The pressure devices of one segment, before document-level context (discussion). The
    segment's context is left in ``contexts`` for :func:`discussion_document` to reuse."""
    matches = compiled.triggers(segment.doc, segment.text)
    if not matches:
        return []
    ctx = SegmentContext(compiled, segment)
    if contexts is not None:
        contexts[index] = ctx
    candidates: list[tuple[str, Span, dict[str, Any]]] = []
    declines_done: set[int] = set()
    for match in matches:
        label, span = match.label, match.span
        if label in TRIGGER_CONTEXT:
            if span.start in declines_done:
                continue  # the longest decline at this start came first
            shamed = confirmshaming(span, ctx, first_person=label == "first-person")
            if shamed is not None:
                declines_done.add(span.start)
                candidates.append(("URG401", shamed, compiled.data.get("URG401", {})))
            continue
        data = compiled.data.get(label, {})
        if conditions_hold(span, data, ctx):
            candidates.append((code_of(label), _trim(span), data))
    devices = []
    for code, span, data in _resolve_overlaps(candidates):
        if allowed(span, ctx) or (code != "URG401" and negated(span, ctx)):
            continue
        if code in LIVE_DATA_CODES and live_data(segment, span):
            continue
        if code in DEADLINE_CODES and (account_event(span, segment.lang) or bare_label(segment, span, segment.lang)):
            continue
        quoted = in_quotation(segment, span.start_char, span.end_char)
        if discussed_here(span, ctx, quoted):
            continue
        info_reason = "quoted" if quoted else None
        radius = DATE_RADIUS.get(code)
        if radius is not None and dated_nearby(span, ctx, radius):
            if code != "URG103":
                continue  # a dated deadline or stock statement is not a finding
            info_reason = info_reason or "dated"  # "Hurry, sale ends 31 May": the date is real
        if data.get("imperative") and not imperative(span, ctx, document):
            continue
        devices.append(Device(code, index, span.start_char, span.end_char, span.text, info_reason))
    return devices


def _trim(span: Span) -> Span:
    """The match without the punctuation its pattern needed around it ("Hurry!" -> "Hurry")."""
    start, end = span.start, span.end
    while end - start > 1 and span.doc[start].is_punct:
        start += 1
    while end - start > 1 and span.doc[end - 1].is_punct:
        end -= 1
    return span.doc[start:end]


def _resolve_overlaps(candidates: list[tuple[str, Span, dict[str, Any]]]) -> list[tuple[str, Span, dict[str, Any]]]:
    """One device per stretch of words: overlapping matches of one rule merge into their union;
    between rules, the more specific one wins (a countdown over a stock count).

    Candidates come in order of their start, so only the last kept device can overlap the next one
    (one that overlapped an earlier device would have been merged into it): one comparison each."""
    kept: list[tuple[str, Span, dict[str, Any]]] = []
    for code, span, data in sorted(candidates, key=lambda c: (c[1].start, -c[1].end)):
        if kept and span.start < kept[-1][1].end and kept[-1][1].start < span.end:
            k_code, k_span, k_data = kept[-1]
            if code == k_code:
                kept[-1] = (code, span.doc[min(span.start, k_span.start):max(span.end, k_span.end)], k_data)
            elif PRIORITY[code] < PRIORITY[k_code]:
                kept[-1] = (code, span, data)
        else:
            kept.append((code, span, data))
    return kept


# --- the whole document -----------------------------------------------------------------------

def discussion_document(document: AnalyzedDocument, compiled_by_lang: dict[str, Compiled],
                        contexts: dict[int, SegmentContext]) -> bool:
    """Whether the whole document is about these practices (an article, a brief, a guideline):
    a title that names the topic, a heading with a strong cue, or strong cues in at least three
    sentences of the segments that hold candidates (``contexts``, left by :func:`find_devices`).
    Segments with nothing to report are not scanned: they cannot change any finding but by this
    count, and scanning every paragraph of every page would cost more than the rest."""
    title = document.metadata.get("title") if isinstance(document.metadata, dict) else None
    if isinstance(title, str) and any(cue in title.lower() for cue in TITLE_CUES):
        return True
    sentences_with_cues = 0
    for index, segment in enumerate(document.segments):
        compiled = compiled_by_lang.get(segment.lang)
        if compiled is None or (index not in contexts and segment.kind not in ("heading", "title")):
            continue
        ctx = contexts.get(index) or SegmentContext(compiled, segment)
        strong = {ctx.sentence_of(cue.start)[0] for cue, is_strong in ctx.discussion_cues() if is_strong}
        if strong and segment.kind in ("heading", "title"):
            return True
        sentences_with_cues += len(strong)
        if sentences_with_cues >= 3:
            return True
    return False
