"""Detection logic of the green-claims checker: a claim term, then the context that clears it.

A segment is left at once unless a claim term can match in it (:func:`may_report`). A segment that
passes gets one match of every role of the terms file (``terms/<lang>.toml``), grouped by sentence;
each claim is then asked, in order, what would make it honest copy rather than a claim: another
sense of the word, a negation or a disclaimer, a quotation or a discussion, and the rule's own
substantiation (an official label, a measured figure, a source, a published plan). Facts of the
whole document (an environmental word somewhere, the one aspect that supports a claim, a footnote)
are looked up lazily, only for a claim that needs them. Detectors return :class:`Hit` objects
(character offsets in the segment text); ``__init__`` turns them into findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import (SentenceMatches, TermMatcher, discusses, in_quotation, is_negated, matcher_for,
                        matches_by_sentence)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from ethicslint import AnalyzedDocument, AnalyzedSegment

TERMS_DIR = Path(__file__).parent / "terms"

# Tokens that end a clause: a future marker, a negation or a past cue counts only in the claim's clause.
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", "!", "?", "|", "·", "•", "but", "mais", "and", "et",
                           "while", "alors", "tandis"})

# Claim labels: a segment without one of them holds no finding
GENERIC = ("GRN101", "GRN101-strict", "GRN101-durable")
TRIGGERS = frozenset({*GENERIC, "GRN201", "GRN301", "label-noun", "GRN401", "future-target", "GRN601", "GRN602",
                      "GRN603"})
# Label nouns that make a self-made label with a bare "our" before them; the others need a stronger
# cue of the brand as author ("in-house", "our team", « en interne »)
STRONG_LABEL_NOUNS = frozenset({"label", "labels", "badge", "badges", "seal", "seals", "stamp", "stamps", "tick",
                                "leaf", "leaves", "sceau", "sceaux", "tampon", "tampons", "pastille", "pastilles",
                                "macaron", "écusson"})
BARE_SELF = frozenset({"our", "notre", "nos"})
SOURCED = ("GRN601", "GRN602")
SHORT_LINE = 8  # words: a title, a subject line, a catalogue string
FRONT = 1  # tokens before a future marker that still opens its sentence ("From next year", "Dès l'an")
ASPECT_REACH = 3  # segments on each side where the one supported aspect of a claim may stand
CATALOGUE_KINDS = frozenset({"string", "msgid", "msgstr"})
TOPIC_REACH = 4  # tokens between a generic word and the topic it qualifies
# Words that put a topic out of a generic word's reach ("sneakers for the future"), and the
# possessives that make a topic ours ("our food is sustainable" is a claim)
LINK_WORDS = frozenset({"for", "pour", "with", "avec", "of", "de", "du", "des", "to", "à", "au", "aux", "in", "en",
                        "on", "sur", "by", "par", "is", "are", "est", "sont", "but", "mais", ".", ":", ";", "'s",
                        "’s"})
OURS = frozenset({"our", "notre", "nos", "your", "votre", "vos", "this", "ce", "cette", "ces", "these"})
CHOICE_NOUNS = frozenset({"choices", "decisions", "choix", "décisions"})
# Imperatives that hand the choice to the reader ("Choose products that are good for the planet"):
# the generic words then describe what people should look for, not what is sold
CHOOSE_IMPERATIVES = frozenset({"choose", "pick", "select", "find", "choisissez", "choisis", "sélectionnez",
                                "trouvez", "privilégiez", "préférez"})
CHOICE_OBJECT_REACH = 3  # words between the imperative and the noun the relative clause qualifies
ADVICE_OPENERS = frozenset({"how", "comment"})
# The reader's own possessives: with a conduct noun ("your eco-conscious commitments", « vos gestes
# écologiques »), the generic word describes what the reader does, not what is sold
READERS = frozenset({"your", "votre", "vos", "ton", "ta", "tes"})
CONDUCT_REACH = 4  # words between the reader's possessive and the conduct phrase ("your food choices and")  # cleared by a source, a sample or a footnote next to them


@dataclass
class Hit:
    """One claim to report: character offsets in the segment text, the rule code, what was matched."""

    code: str
    start: int
    end: int
    text: str


# --- compiled terms, per language and configuration --------------------------------------------

def matcher_for_config(lang: str, config: dict[str, Any]) -> TermMatcher:
    """The terms of ``lang`` extended with the user's ``extra-terms`` (the host compiles and caches)."""
    return matcher_for(TERMS_DIR, lang, config.get("extra-terms"), source="config")


def may_match(matcher: TermMatcher, doc: Any, labels: frozenset[str], *, near: bool = True) -> bool:
    """The host's pre-filter: False proves that no term of ``labels`` matches in ``doc``."""
    return bool(matcher.prefilter(doc, labels, near=near))


def may_report(segment: AnalyzedSegment, matcher: TermMatcher) -> bool:
    """False proves that no claim of any rule is in ``segment`` (the pre-filter, then the claim labels only)."""
    return may_match(matcher, segment.doc, TRIGGERS) and bool(matcher(segment.doc, TRIGGERS))


def sentences_with_hits(segment: AnalyzedSegment, matcher: TermMatcher,
                        labels: Iterable[str] | None = None) -> list[SentenceMatches]:
    """The segment's sentences, each with the term matches inside it (one Matcher pass)."""
    return matches_by_sentence(segment.doc, matcher, labels)


# --- document facts, asked lazily ----------------------------------------------------------------

class DocumentFacts:
    """What a claim may need from the rest of its document, computed at most once per document."""

    def __init__(self, document: AnalyzedDocument, matcher_of: Callable[[Any], TermMatcher]) -> None:
        self.document = document
        self.matcher_of = matcher_of
        self._env: bool | None = None
        self._aspects: list[bool] | None = None
        self._footnote: bool | None = None

    def _sentences(self, labels: set[str], segments: Iterable[AnalyzedSegment] | None = None) -> Iterable[SentenceMatches]:
        for segment in self.document.segments if segments is None else segments:
            matcher = self.matcher_of(segment)
            if may_match(matcher, segment.doc, frozenset(labels), near=False):
                yield from sentences_with_hits(segment, matcher, labels)

    def environmental(self) -> bool:
        """An environmental word somewhere in the document ("planet", « recyclé », "EcoSmart")."""
        if self._env is None:
            self._env = any(s.has("env-cue") for s in self._sentences({"env-cue"}))
        return self._env

    def one_aspect_supported(self, segment: AnalyzedSegment) -> bool:
        """A sentence near ``segment`` (within ASPECT_REACH segments: a product card, a front matter
        description and its page's first paragraphs) that names one part or aspect of the product
        with what changed in it ("its bottle is now 30 % recycled plastic", « ses pieds sont en hêtre »)."""
        segments = self.document.segments
        if self._aspects is None:
            self._aspects = [any(s.has("support") and any(not covers(s.get("support"), a) for a in s.get("aspect"))
                                 for s in self._sentences({"aspect", "support"}, [seg])) for seg in segments]
        index = next(i for i, seg in enumerate(segments) if seg is segment)
        return any(self._aspects[max(0, index - ASPECT_REACH):index + ASPECT_REACH + 1])

    def footnote(self) -> bool:
        """A footnote paragraph ("*Clinical study on 34 volunteers…") anywhere in the document."""
        if self._footnote is None:
            self._footnote = any(seg.text.lstrip().startswith("*") and len(seg.text.strip()) > 8
                                 for seg in self.document.segments)
        return self._footnote


# --- helpers -------------------------------------------------------------------------------------

def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def covers(spans: list[Span], span: Span) -> bool:
    return any(overlaps(s, span) for s in spans)


def green_durable(segment: AnalyzedSegment, sent: SentenceMatches, span: Span, facts: DocumentFacts) -> bool:
    """« durable » in its environmental sense: an environmental word in the sentence, or a short
    line (a title, a subject, a catalogue string) in a document that speaks of the environment;
    never with a sign of the long-lasting sense (« robuste », « taillée pour », « se transmet »)."""
    if sent.has("lasting"):
        return False
    if any(not overlaps(e, span) for e in sent.get("env-cue")):
        return True
    words = [t for t in segment.doc if not (t.is_punct or t.is_space)]
    return len(words) <= SHORT_LINE and facts.environmental()


def about_topic(sent: SentenceMatches, span: Span) -> bool:
    """The generic word names a subject rather than a quality of what is sold: a topic or a
    behaviour near it, with only adjectives, commas or "and" between ("a more sustainable diet",
    « une alimentation saine et respectueuse de l'environnement »), and not one of ours ("our food").
    A "how to …?" question is advice, not a claim."""
    doc = sent.span.doc
    first = next((t for t in sent.span if not (t.is_punct or t.is_space)), None)
    if first is not None and first.lower_ in ADVICE_OPENERS and sent.span.text.rstrip().endswith("?"):
        return True
    for topic in sent.get("topic"):
        if topic.end <= span.start:
            between = doc[topic.end:span.start]
            before = doc[topic.start - 1].lower_ if topic.start > sent.span.start else ""
            if before in OURS:
                continue
        elif topic.start >= span.end:
            between = doc[span.end:topic.start]
        else:
            continue
        if len(between) <= TOPIC_REACH and not any(t.lower_ in LINK_WORDS for t in between):
            return True
    return reader_choice(sent, span) or reader_conduct(sent, span)


def reader_conduct(sent: SentenceMatches, span: Span) -> bool:
    """The generic word qualifies the reader's own conduct: a conduct noun right after it (English)
    or right before it (French), owned by "your" / « vos » within a few words before the phrase, across
    a coordination ("for your food choices and eco-conscious commitments", « vos engagements
    éco-responsables »). What the reader commits to is not a quality of what is sold."""
    doc = sent.span.doc
    for conduct in sent.get("conduct"):
        if conduct.start == span.end or conduct.end == span.start:
            phrase_start = min(conduct.start, span.start)
            before = doc[max(sent.span.start, phrase_start - CONDUCT_REACH):phrase_start]
            for token in reversed(before):
                if token.lower_ in READERS:
                    return True
                if token.is_punct and token.text != ",":
                    break
    return False


def reader_choice(sent: SentenceMatches, span: Span) -> bool:
    """The generic words qualify, in a relative clause, the reader's choices ("make choices that
    are good for you and the planet") or what an imperative tells the reader to choose ("Choose
    products that are good for you and the planet"): what people choose, not what is sold. A
    possessive in between makes it ours again ("Choose our products that are eco-friendly")."""
    doc = sent.span.doc
    before = [t for t in doc[sent.span.start:span.start] if not (t.is_space or t.is_punct)]
    if len(before) < 3:
        return False
    noun, pronoun, verb = before[-3:]
    if pronoun.lower_ not in ("that", "which", "qui") or verb.lower_ not in ("are", "is", "sont", "est"):
        return False
    if noun.lower_ in CHOICE_NOUNS:
        return True
    opening = before[:-3]
    return (0 < len(opening) <= CHOICE_OBJECT_REACH and opening[0].lower_ in CHOOSE_IMPERATIVES
            and not any(t.lower_ in OURS for t in opening))


def grade_label(sent: SentenceMatches, span: Span) -> bool:
    """A generic word followed by a grade letter in parentheses ("sustainable (B)"): the legend of
    a rating scale, not a claim."""
    doc = sent.span.doc
    after = [t.text for t in doc[span.end:min(span.end + 3, sent.span.end)]]
    return len(after) == 3 and after[0] == "(" and len(after[1]) == 1 and after[1].isupper() and after[2] == ")"


def goal_infinitive(sent: SentenceMatches, span: Span) -> bool:
    """The generic word completes an infinitive of aim ("allow the resource to be sustainable",
    « permettre à la ressource d'être durable »): a goal, not a description of what is sold."""
    doc = sent.span.doc
    before = [t.lower_ for t in doc[max(sent.span.start, span.start - 2):span.start]]
    return before in (["to", "be"], ["to", "become"], ["d'", "être"], ["de", "devenir"], ["d'", "devenir"])


def bare_string(segment: AnalyzedSegment, span: Span) -> bool:
    """A catalogue string that is only the ranking ("Best sellers", « MEILLEURES VENTES »): the
    title of a list computed from live sales, not a claim about one product."""
    return segment.kind in CATALOGUE_KINDS and all(
        t.is_punct or t.is_space or span.start <= t.i < span.end for t in segment.doc)


def in_markup(text: str, span: Span) -> bool:
    """The words are part of a file name, a link target or a template include
    ("[[texts/blocks/ecoscore-sustainable-fishing.html]]"), not prose."""
    lo = max(text.rfind(" ", 0, span.start_char), text.rfind("\n", 0, span.start_char)) + 1
    hi_candidates = [i for i in (text.find(" ", span.end_char), text.find("\n", span.end_char)) if i >= 0]
    word = text[lo:min(hi_candidates) if hi_candidates else len(text)]
    return "/" in word or "[[" in word or word.endswith((".html", ".md", ".png", ".jpg", ".svg"))


def names_aspect(sent: SentenceMatches, span: Span) -> bool:
    """The claim is about one part itself ("eco-friendly packaging", "eco packaging", « emballage
    écologique »): an aspect word inside it, right after it, or right before it."""
    doc = sent.span.doc
    for aspect in sent.get("aspect"):
        if overlaps(aspect, span) or aspect.start == span.end or aspect.end == span.start:
            return True
        if aspect.start == span.end + 1 and doc[span.end].lower_ not in ("with", "avec", "and", "et", "for", "pour"):
            return True
    return False


def clause_bounds(sent: SentenceMatches, span: Span) -> tuple[int, int]:
    """Token range of the clause that holds ``span`` (within its sentence)."""
    doc = sent.span.doc
    lo = span.start
    while lo > sent.span.start and doc[lo - 1].lower_ not in CLAUSE_BREAKS:
        lo -= 1
    hi = span.end
    while hi < sent.span.end and doc[hi].lower_ not in CLAUSE_BREAKS:
        hi += 1
    return lo, hi


def in_range(spans: list[Span], lo: int, hi: int, exclude: Span | None = None) -> bool:
    return any(lo <= s.start and s.end <= hi and (exclude is None or not overlaps(s, exclude)) for s in spans)


def one_per_sentence(spans: list[Span]) -> list[Span]:
    """The first of overlapping matches, longest first (a rule reports a passage once)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if not any(overlaps(span, k) for k in kept):
            kept.append(span)
    return kept


# --- context that clears any claim ---------------------------------------------------------------

def not_a_claim(segment: AnalyzedSegment, sent: SentenceMatches, span: Span, lang: str, discussed: bool) -> bool:
    """Another sense of the words, a negation or disclaimer before it, a quotation, or a passage
    about claims (an article, a guideline, a news item)."""
    if covers(sent.get("other-sense"), span):
        return True
    if any(d.start < span.start for d in sent.get("disclaimer")):
        return True
    if is_negated(span, lang, 6, clause_breaks=CLAUSE_BREAKS - {"and", "et"}):
        return True
    if in_quotation(segment, span.start_char, span.end_char):
        return True
    return discussed or discusses(sent.span, lang, exclude=(span.start_char, span.end_char))


# --- the rules -------------------------------------------------------------------------------------

def claims(document: AnalyzedDocument, segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str,
           facts: DocumentFacts) -> list[Hit]:
    """Every claim of the segment that its context does not clear, one per rule and sentence."""
    discussed = any(s.has("discussion") for s in sents)
    plan = any(s.has("plan") for s in sents)
    sourced = any(s.has("source") for s in sents)
    labelled = any(s.has("official-label") for s in sents)
    hits: list[Hit] = []
    for sent in sents:
        found: dict[str, list[Span]] = {}

        def add(code: str, span: Span) -> None:
            found.setdefault(code, []).append(span)

        def cleared(span: Span) -> bool:
            return not_a_claim(segment, sent, span, lang, discussed)

        # GRN101 / GRN102 / GRN501: generic claims, from one aspect, or promised for later
        for label in GENERIC:
            for span in sent.get(label):
                if cleared(span):
                    continue
                if label == "GRN101-durable" and not green_durable(segment, sent, span, facts):
                    continue  # « durable » = long-lasting (« une veste durable, taillée pour l'hiver »)
                if about_topic(sent, span):
                    continue  # a subject, not a product: « une alimentation plus durable », "eco-friendly actions"
                if future_claim(sent, span):
                    if not plan:
                        add("GRN501", span)
                    continue
                if goal_infinitive(sent, span) or grade_label(sent, span):
                    continue  # an aim ("allow the resource to be sustainable"), a scale's legend
                strict = label == "GRN101-strict"  # L541-9-1: banned on products whatever the label
                if not strict and labelled:
                    continue  # a named official label or certificate backs it
                about_aspect = names_aspect(sent, span)
                if facts.one_aspect_supported(segment) and not about_aspect:
                    add("GRN102", span)
                elif not strict and (sent.has("substantiation") or about_aspect and sent.has("support")):
                    continue  # specific: "68 % recycled nylon", "box made from recycled cardboard"
                else:
                    add("GRN101", span)
        # GRN201 / GRN501: neutrality resting on offsets, now or promised
        for span in sent.get("GRN201"):
            if cleared(span):
                continue
            if future_claim(sent, span):
                if not plan:
                    add("GRN501", span)
            else:
                add("GRN201", span)
        for span in sent.get("future-target"):
            if not plan and future_claim(sent, span, fronted=True) and not cleared(span):
                add("GRN501", span)
        # GRN301: a label of the brand's own; a generic word in its name ("Green Choice badge") is its name
        for span in self_made_labels(sent, facts):
            if not cleared(span):
                add("GRN301", span)
                for code in ("GRN101", "GRN102"):
                    found[code] = [g for g in found.get(code, []) if not span.start - 4 <= g.end <= span.start]
        # GRN401, GRN603: no substantiation changes them
        for code in ("GRN401", "GRN603"):
            for span in sent.get(code):
                if not cleared(span):
                    add(code, span)
        # GRN601, GRN602: cleared by a source, a sample or a footnote next to them
        footnoted = "*" in sent.span.text and facts.footnote()
        for code in SOURCED:
            for span in sent.get(code):
                if sourced or footnoted or cleared(span) or code == "GRN602" and bare_string(segment, span):
                    continue
                add(code, span)
        for code, spans in found.items():
            for span in one_per_sentence([s for s in spans if not in_markup(segment.text, s)])[:1]:
                hits.append(Hit(code, span.start_char, span.end_char, span.text))
    return hits


def future_claim(sent: SentenceMatches, span: Span, *, fronted: bool = False) -> bool:
    """A future marker ("by 2030", « d'ici 2030 », "will", « visons ») in the claim's clause, and
    no past cue there ("since 2023", « déjà »). With ``fronted``, a marker that opens the sentence
    counts too ("From next year, all our stores…", « D'ici 2030, toutes nos fraises… »): a
    target such as "renewable electricity" is a claim only when promised."""
    lo, hi = clause_bounds(sent, span)
    if in_range(sent.get("past"), lo, hi, exclude=span):
        return False
    if in_range(sent.get("future"), lo, hi, exclude=span):
        return True
    start = sent.span.start
    return fronted and any(f.start - start <= FRONT and not overlaps(f, span) for f in sent.get("future"))


def self_made_labels(sent: SentenceMatches, facts: DocumentFacts) -> list[Span]:
    """"Our Green Choice badge", "certified by our in-house experts", « notre label maison »: a
    label phrase of the brand's own, or a label noun with the brand as its author. A label, seal
    or badge that the brand's team awards needs nothing more; a weaker sign (a bare "our", a
    score, "approved") counts in a document that speaks of the environment. With an official
    scheme named in the sentence ("our FSC certification") only the phrases count."""
    found = [s for s in sent.get("GRN301") if facts.environmental()]
    nouns = sent.get("label-noun")
    if not nouns or any(not covers(nouns, o) for o in sent.get("official-label")):
        return found
    selves = sent.get("self")
    strong = [s for s in selves if s.text.lower() not in BARE_SELF]
    for noun in nouns:
        if strong and noun.text.lower() in STRONG_LABEL_NOUNS:
            found.append(noun)
        elif facts.environmental() and (strong or noun.text.lower() in STRONG_LABEL_NOUNS and any(
                s.text.lower() in BARE_SELF and noun.start - 4 <= s.start < noun.start for s in selves)):
            found.append(noun)
    return found
