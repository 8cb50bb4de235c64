"""Detection logic of the data-claims checker: term roles (terms/*.toml) combined per sentence.

The cheap pass leaves a segment at once unless its trigger terms could make a finding
(:func:`may_report`: the host's pre-filter, ``docs/prefilter.md``, then a match of the triggers
only); a segment that passes gets one
Matcher run over every role of the terms file, only sentences that hold a trigger are looked at
further, and only French DAT101 candidates go to the statistical parse (a veto on imperatives and
on subjects that are not "we"/the data). Document-level facts (evidence elsewhere, a stated
purpose) are asked of other segments only when a candidate needs them (:func:`segment_has`).
Each detector returns :class:`Hit` objects (char offsets in the segment text); ``__init__`` turns
them into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import (SentenceMatches, TermMatcher, discusses, in_quotation, is_negated, matcher_for,
                        matches_by_sentence)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from ethicslint import AnalyzedDocument, AnalyzedSegment

TERMS_DIR = Path(__file__).parent / "terms"

# Tokens that end a clause for negation and subject scope.
_CLAUSE_BREAK = {",", ";", ":", "—", "–", "(", ")", "|", "·", "•", "!", "?", "but", "mais", "so", "donc",
                 "because", "car", "although", "while", "whereas", "alors", "puis", "pourtant", "yet", "and",
                 "et", "c'", "-", "since", "if", "unless", "when", "puisque", "si", "quand", "lorsque"}
# "and"/"et" end a clause for negation only; subjects may sit before a coordinated clause ("and we never...")
_SUBJECT_BREAK = _CLAUSE_BREAK - {"and", "et", "-"}
_ABSOLUTE_MODIFIERS = {"100", "%", "completely", "totally", "fully", "entirely", "perfectly", "absolutely",
                       "always", "truly", "totalement", "entièrement", "parfaitement", "complètement",
                       "absolument", "strictement"}
_QUOTE_CHARS = "\"'«»“”„‘’"
_TIME_RE = re.compile(
    r"\b\d{1,2}\s?[:h]\s?\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b\d{1,2}\s?h(?!\w)"
    r"|\b\d+\s*(?:times|fois|minutes|min|mins|hours|heures|visits|visites)\b", re.IGNORECASE)
_EVIDENCE_URL_RE = re.compile(r"(?:https?://|www\.|\b[\w-]+\.(?:com|fr|io|org|net|eu|co|de)/)\S*"
                              r"(?:secur|trust|certif|complian|attest|audit|iso|soc)", re.IGNORECASE)
_PRIVACY_URL_RE = re.compile(r"(?:https?://\S*|\]\(\S*|href=\S*|/)\S*(?:privacy|confidentialit|donnees-personnelles"
                             r"|data-protection|protection-des-donnees|rgpd|gdpr|vie-privee)", re.IGNORECASE)

# Rule groups: the context checks each group obeys.
CLAIM_CODES = ("DAT101", "DAT102", "DAT103", "DAT201", "DAT202")


@dataclass
class Hit:
    """One detected problem in a segment: char offsets, the rule code, and what to say."""

    code: str
    start: int
    end: int
    detail: str = ""
    severity: str | None = None  # None: the rule's default
    suggestion: str | None = None


# --- compiled terms, per language and configuration --------------------------------------------

def matcher_for_config(lang: str, config: dict[str, Any]) -> TermMatcher:
    """The terms of ``lang`` extended with the user's ``extra-terms`` and ``brand`` names (cached
    by the host's loader): a brand name counts as "we" and as an address of the company."""
    brands = [b.lower() for b in config.get("brand") or [] if isinstance(b, str) and b.strip()]
    added = {label: {"phrases": brands} for label in ("we", "address")} if brands else None
    return matcher_for(TERMS_DIR, lang, config.get("extra-terms"), added=added, source="config")


# --- which segments can hold a finding ------------------------------------------------------------
#
# Most segments of a copy repo hold no candidate at all, so a segment is first asked whether some
# detector *could* report in it, with the trigger terms only (the host's pre-filter, then a match of
# those terms); the full match (context labels such as "we", "you", negation, qualifiers) and the
# SentenceMatches objects are built for the few that pass.

# absolute_promises: a handling verb with an absolute negation or an absolute subject
# (_handling_promise returns None without one; see _handling_verb_may_promise)
_HANDLING_VERBS = frozenset({"handling-verb", "passive-handling-verb"})
_HANDLING = (_HANDLING_VERBS, frozenset({"absolute-neg", "absolute-subject"}))

# A detector reports in a segment only if one of these requirements holds there: each is a conjunction
# of label sets, and every set must have a match of one of its labels (a necessary condition read
# off the detector, named in the comment). Rare sets come first: the pre-filter stops at the first empty one.
REQUIREMENTS: tuple[tuple[frozenset[str], ...], ...] = tuple(tuple(frozenset(s) for s in c) for c in (
    # one term suffices: absolute_promises (DAT101), absolute_security (DAT102, DAT103),
    # compliance_claims (DAT201), creepy_personalisation (a reveal, a tracked basis or a reader
    # behaviour), collection_prompts (every path starts from a strong field), consent_patterns (DAT501)
    ({"DAT101", "DAT102", "DAT103", "DAT201", "reveal", "tracked-basis", "reader-behaviour", "field-strong",
      "DAT501"},),
    # absolute_security: DAT102-ctx needs a data-context term (_data_context)
    ({"DAT102-ctx"}, {"data-context"}),
    # compliance_claims: a standard with a compliance word (_compliance_span)
    ({"standard"}, {"compliance-after", "compliance-before"}),
    # consent_patterns, DAT501: a consent act with a gate or a reward
    ({"consent-act"}, {"consent-gate", "reward"}),
    # consent_patterns, DAT502: a refusal and a guilt cue in the same segment
    ({"refusal"}, {"guilt"}),
    _HANDLING,
))
TRIGGER_LABELS = frozenset(label for requirement in REQUIREMENTS for labels in requirement for label in labels)
EVIDENCE_LABELS = frozenset({"evidence"})
PURPOSE_LABELS = frozenset({"purpose", "privacy-notice"})
SIGNUP_LABELS = frozenset({"signup"})
FIELD_LABELS = frozenset({"field-strong"})
REWARD_LABELS = frozenset({"reward"})


TRIGGER_FIRSTS = frozenset().union(*(requirement[0] for requirement in REQUIREMENTS))


def may_report(segment: AnalyzedSegment, matcher: TermMatcher) -> bool:
    """False proves that no detector reports anything in ``segment``.

    1. Every requirement needs a label of its first set: one pre-filter over all of them, where most
       segments stop; then each set of each requirement is pre-filtered (``TermMatcher.prefilter`` checks
       every word and regex a term needs, so a pattern label whose words are absent is ruled out).
    2. The labels of the requirements that pass are matched (and only they); one must hold.
    """
    doc = segment.doc
    if not matcher.prefilter(doc, TRIGGER_FIRSTS):
        return False
    kept = [requirement for requirement in REQUIREMENTS
            if all(matcher.prefilter(doc, labels) for labels in requirement)]
    if not kept:
        return False
    found: dict[str, list[Span]] = {}
    for match in matcher(doc, frozenset().union(*(labels for requirement in kept for labels in requirement))):
        found.setdefault(match.label, []).append(match.span)
    for requirement in kept:
        if all(not labels.isdisjoint(found) for labels in requirement) \
                and (requirement != _HANDLING or _handling_verb_may_promise(found)):
            return True
    return False


def _handling_verb_may_promise(found: dict[str, list[Span]]) -> bool:
    """What _handling_promise needs around a handling verb: an absolute negation from 6 tokens
    before the verb to 2 after it, or an absolute subject before it."""
    negations, subjects = found.get("absolute-neg", []), found.get("absolute-subject", [])
    return any(any(v.start - 6 <= n.start < v.end + 2 for n in negations) or any(a.start < v.start for a in subjects)
               for label in _HANDLING_VERBS for v in found.get(label, []))


def segment_has(segment: AnalyzedSegment, matcher: TermMatcher, labels: frozenset[str]) -> bool:
    """Whether a term of ``labels`` matches in ``segment``: the same as ``any(s.has(label) ...)`` over
    :func:`sentences_with_hits` (every match is put in some sentence; a Doc with tokens has a
    sentence), without building the sentences or matching the other labels."""
    return matcher.prefilter(segment.doc, labels) and bool(matcher(segment.doc, labels))


def sentences_with_hits(segment: AnalyzedSegment, matcher: TermMatcher) -> list[SentenceMatches]:
    """The segment's sentences, each with the term matches inside it (one Matcher pass)."""
    return matches_by_sentence(segment.doc, matcher)


# --- shared context helpers ---------------------------------------------------------------------

def clause_start(sentence: Span, token_index: int, breaks: set[str] = _CLAUSE_BREAK) -> int:
    """Index of the first token of the clause holding ``token_index`` (within its sentence)."""
    doc = sentence.doc
    i = token_index - 1
    while i >= sentence.start:
        if doc[i].lower_ in breaks:
            return i + 1
        i -= 1
    return sentence.start


def clause_end(sentence: Span, token_index: int, breaks: set[str] = _CLAUSE_BREAK) -> int:
    doc = sentence.doc
    i = token_index
    while i < sentence.end:
        if doc[i].lower_ in breaks:
            return i
        i += 1
    return sentence.end


def spans_in(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """Spans that start in [lo, hi)."""
    return [s for s in spans if lo <= s.start < hi]


def negated_before(sent: SentenceMatches, span: Span, lang: str, window: int = 8) -> bool:
    """A disclaimer before ``span`` in its sentence ("we don't claim", "no system is"), or a negation
    in the same clause, up to ``window`` tokens before it (the host's test, clause-bounded here:
    a claim spans a clause). Negation after the claim, or in another clause, does not count."""
    if spans_in(sent.get("disclaimer"), sent.span.start, span.start):
        return True
    return is_negated(span, lang, window, clause_breaks=_CLAUSE_BREAK)


def attributed_to_others(sent: SentenceMatches, span: Span) -> bool:
    """The claim is reported as someone else's ("apps that call themselves 100% secure")."""
    we = sent.get("we")
    for cue in spans_in(sent.get("others"), sent.span.start, span.start):
        if any(cue.start - 3 <= w.start < cue.start for w in we):
            continue  # "we promise ..." is our own claim
        return True
    return False


def is_question(sent: SentenceMatches) -> bool:
    return sent.span.text.rstrip().rstrip(_QUOTE_CHARS + " )").endswith("?")


def reported(segment: AnalyzedSegment, sent: SentenceMatches, start: int, end: int, lang: str) -> bool:
    """Someone else's words or an article about the practice: quoted, or in a discussion."""
    return in_quotation(segment, start, end) or discusses(sent.span, lang, exclude=(start, end))


def addresses_reader(sent: SentenceMatches, lang: str) -> bool:
    """The sentence speaks to the reader or for us (pronouns, imperative), or is a short fragment
    (a badge, a heading). "Completely anonymous voting is a cornerstone of democracy" is neither."""
    if sent.has("address"):
        return True
    words = [t for t in sent.span if not t.is_punct and not t.is_space]
    if not words:
        return False
    first = words[0]
    if sent.get("imperative") and sent.get("imperative")[0].start == first.i:
        return True
    if lang == "fr" and first.lower_.endswith("ez") and len(first) > 3:
        return True
    copulas = {"is", "are", "was", "were", "est", "sont", "était", "étaient", "be"}
    return len(words) <= 12 and not any(t.lower_ in copulas for t in words)


def strip_absolute(text: str) -> str | None:
    """``100% secure`` -> ``secure``: the same words without the absolute modifier."""
    kept = [w for w in re.split(r"\s+", text.replace("%", " % ")) if w and w.lower() not in _ABSOLUTE_MODIFIERS
            and w.lower() != "à"]
    result = " ".join(kept).strip()
    return result if result and result.lower() != text.lower().strip() else None


# --- DAT101: absolute promises about data handling ------------------------------------------------

def absolute_promises(document: AnalyzedDocument, segment: AnalyzedSegment, sents: list[SentenceMatches],
                      lang: str) -> list[Hit]:
    hits: list[Hit] = []
    for index, sent in enumerate(sents):
        parcel = sent.get("parcel-sense")
        candidates: list[tuple[int, int]] = [(s.start, s.end) for s in sent.get("DAT101")
                                             if not any(p.start < s.end + 2 and s.start < p.end for p in parcel)]
        previous = sents[index - 1] if index else None
        antecedent = previous is not None and previous.has("data-noun")
        verbs = [(verb, False) for verb in sent.get("handling-verb")] + \
            [(verb, True) for verb in sent.get("passive-handling-verb")]
        for verb, passive_only in verbs:
            found = _handling_promise(sent, verb, lang, passive_only=passive_only, antecedent=antecedent)
            if found and _parse_agrees(document, sent, verb, lang):
                candidates.append(found)
        if not candidates:
            continue
        following = sents[index + 1] if index + 1 < len(sents) else None
        if sent.has("qualifier") or (following is not None and following.has("qualifier")):
            continue  # bounded: says who, why, or points to the notice
        start, end = min(c[0] for c in candidates), max(c[1] for c in candidates)
        span = sent.span.doc[start:end]
        if spans_in(sent.get("disclaimer"), sent.span.start, span.start) or attributed_to_others(sent, span) \
                or is_question(sent) or reported(segment, sent, span.start_char, span.end_char, lang):
            continue
        hits.append(Hit("DAT101", span.start_char, span.end_char, span.text))
    return hits


def _handling_promise(sent: SentenceMatches, verb: Span, lang: str, passive_only: bool = False,
                      antecedent: bool = False) -> tuple[int, int] | None:
    """``(start, end)`` token range of "we never share your data" around ``verb``, or None.

    ``passive_only``: the verb promises only with the data as its subject ("your data is never
    sent"). ``antecedent``: the sentence before names data, which a pronoun subject ("It will
    never be shared") stands for."""
    s = sent.span
    v = verb.start
    neg_lo = max(clause_start(s, v), v - 6)
    neg_hi = min(clause_end(s, verb.end), verb.end + 2)
    negs = spans_in(sent.get("absolute-neg"), neg_lo, neg_hi)
    subj_lo = clause_start(s, v, _SUBJECT_BREAK)
    absolute_subjects = [a for a in spans_in(sent.get("absolute-subject"), subj_lo, v)
                         if _subject_of(sent, a, verb)]
    if not negs and not absolute_subjects:
        return None
    if spans_in(sent.get("technical-recipient"), verb.end, min(clause_end(s, verb.end), verb.end + 8)):
        return None  # "never shared with the server": where the data goes, said of one named recipient
    if verb.lemma_.lower() in _SELLING and not absolute_subjects and \
            all(n.text.lower() in _PLAIN_NEGATION for n in negs):
        return None  # "we don't sell your data": the narrow statement the rule's own rewrite keeps
    start = min([n.start for n in negs] + [a.start for a in absolute_subjects] + [v])
    if passive_only and not (v > s.start and s.doc[v - 1].lower_ in _AUX):
        return None  # "No emails sent", a status line: a passive promise has its auxiliary ("is never sent")
    subjects = [] if passive_only else spans_in(sent.get("we"), subj_lo, v) + absolute_subjects
    passive_subjects = [d for d in spans_in(sent.get("data-noun"), subj_lo, v)]
    if not passive_subjects and not subjects:
        passive_subjects = _implicit_data_subject(sent, verb, subj_lo, antecedent)
    if not subjects and not passive_subjects:
        return None  # no "we" and no data as subject: advice ("never share your password") or not ours
    if passive_subjects and not subjects:
        if _specific(sent, passive_subjects[0]):
            return None
        if all(n.text.lower() in _PLAIN_NEGATION for n in negs) and \
                not spans_in(sent.get("absolute-recipient"), verb.end, verb.end + 8):
            return None  # "the data you edit is not stored (it stays in your repository)": a description

        return (min(start, passive_subjects[0].start), verb.end)
    if absolute_subjects:
        if any(_specific(sent, a) for a in absolute_subjects):
            return None
        return (min(start, absolute_subjects[0].start), verb.end)
    # "we advise you to never share your data": the reader, not us, does the sharing
    between = [t for t in s.doc[subjects[0].end:v] if t.lower_ not in ("ne", "n'")]
    if any(t.lower_ in _RELATIVE for t in s.doc[subjects[-1].end:v]):
        return None  # « nous n'utilisons que des fournisseurs qui ne conservent pas… »: their verb, not ours
    if any(t.lower_ in _READER for t in between[:-1]) or (lang == "en" and any(t.lower_ == "you" for t in between)):
        return None
    # "we" subject: the object must be the reader's data, a clitic standing for it, or "anyone"
    obj_hi = min(clause_end(s, verb.end, _SUBJECT_BREAK), verb.end + 8)
    objects = spans_in(sent.get("data-noun"), verb.end, obj_hi) + \
        spans_in(sent.get("absolute-recipient"), verb.end, obj_hi)
    clitics = spans_in(sent.get("clitic"), subjects[0].end, v) if lang == "fr" else \
        spans_in(sent.get("clitic"), verb.end, verb.end + 1)
    if not objects and not clitics and _is(sent, "watch-verb", verb):
        doc = s.doc
        if lang == "en" and verb.end < s.end and doc[verb.end].lower_ == "you":
            objects = [doc[verb.end:verb.end + 1]]
        elif lang == "fr":
            before = [t for t in doc[subjects[0].end:v] if t.lower_ not in ("ne", "n'")]
            if before and before[-1].lower_ in ("vous", "te", "t'"):
                clitics = [doc[before[-1].i:before[-1].i + 1]]
    if objects:
        if _specific(sent, objects[0]):
            return None
        return (min(start, subjects[0].start), max(verb.end, objects[0].end))
    if clitics and _data_before(sent, subjects[0].start):
        return (min(start, subjects[0].start), max(verb.end, clitics[0].end))
    return None


def _implicit_data_subject(sent: SentenceMatches, verb: Span, clause_lo: int, antecedent: bool) -> list[Span]:
    """The data a passive verb is said of when its clause does not name it: a pronoun standing for
    the data of the sentence before ("… the admin e-mail. It will never be shared."), or a subject
    left out after "and" ("your data … remains on your phone and is never sent anywhere"), which is
    the data named earlier in the sentence."""
    doc = sent.span.doc
    pronouns = [p for p in spans_in(sent.get("pronoun-subject"), clause_lo, verb.start) if _subject_of(sent, p, verb)]
    if pronouns and antecedent:
        return pronouns[-1:]
    lo = verb.start
    while lo > sent.span.start and doc[lo - 1].lower_ in _AUX:
        lo -= 1
    if lo == verb.start or lo <= sent.span.start or doc[lo - 1].lower_ not in ("and", "et"):
        return []
    earlier = [d for d in sent.get("data-noun") if d.end <= lo - 1]
    return earlier[-1:]


def _data_before(sent: SentenceMatches, index: int) -> bool:
    """A data noun before token ``index`` in the sentence: what a pronoun ("them", « les ») stands
    for. "We buy clothes and don't keep them" speaks of clothes."""
    return any(d.start < index for d in sent.get("data-noun"))


_READER = {"you", "vous", "tu", "te", "t'"}
_RELATIVE = {"qui", "who", "which", "that"}  # a verb after one of these (and the last "we") has another subject
# A plain negation describes; only "never", "no", « jamais », « aucun »... make a passive statement absolute.
_PLAIN_NEGATION = {"not", "n't", "pas", "ni"}
_SELLING = {"sell", "rent", "resell", "vendre", "revendre", "louer"}
_AIM = {"to", "pour", "de", "d'"}  # before "comply with", « se conformer à »: the purpose of an action
_ADVISING = {"conseiller", "recommander", "demander", "inviter", "rappeler", "encourager", "déconseiller",
             "advise", "recommend", "ask", "remind", "encourage", "urge"}

_AUX = {"is", "are", "was", "were", "will", "be", "been", "being", "ever", "never", "'s", "can", "could", "would",
        "shall", "'ll", "n't", "not", "ne", "n'", "est", "sont", "sera", "seront", "a", "ont", "été", "jamais",
        "pas", "être", "peut", "peuvent", "ni", "y", "en", "is n't"}


def _subject_of(sent: SentenceMatches, subject: Span, verb: Span) -> bool:
    """"nothing you type is ever stored": only auxiliaries (and at most two other words) stand between
    an absolute subject and its verb; « rien à ce que vous pouvez lire » is an object, not a subject."""
    between = [t for t in sent.span.doc[subject.end:verb.start] if t.lower_ not in _AUX]
    return len(between) <= 2


def _is(sent: SentenceMatches, label: str, span: Span) -> bool:
    return any(m.start == span.start for m in sent.get(label))


def _specific(sent: SentenceMatches, noun: Span) -> bool:
    """A data noun narrowed to a technical item ("card numbers", « données bancaires »)."""
    return any(noun.start - 2 <= sp.start <= noun.end + 1 for sp in sent.get("specific-data"))


def _parse_agrees(document: AnalyzedDocument, sent: SentenceMatches, verb: Span, lang: str) -> bool:
    """With a model (French), the dependency parse must agree that the verb is a statement by us or
    about the data: it needs a subject ("nous", "on", « vos données » passive) along its conj/xcomp
    chain that is not the reader; an imperative (no subject: « ne partagez jamais… ») or advice
    (« nous vous conseillons de ne jamais partager… ») is vetoed. Without a model, the cheap
    decision stands."""
    if lang != "fr" or not document.has_model(lang):
        return True
    parsed = document.parse(verb, lang)
    if parsed is None or not len(parsed):
        return True
    token = parsed[0]
    if "Imp" in token.morph.get("Mood"):
        return False
    if "Inf" in token.morph.get("VerbForm") and token.head is not token and token.head.lemma_ in _ADVISING:
        return False  # « nous vous conseillons de ne jamais partager vos données »
    current = token
    for _ in range(4):
        # the small model sometimes hangs the subject on the auxiliary (« vos coordonnées ne seront … »)
        heads = [current] + [c for c in current.children if c.dep_ in ("aux", "aux:pass", "aux:tense", "cop")]
        subjects = [c for h in heads for c in h.children
                    if c.dep_ in ("nsubj", "nsubj:pass", "expl:subj", "expl:pass")]
        if subjects:
            return not any(c.lower_ in _READER for c in subjects)
        if current.dep_ not in ("conj", "xcomp", "ccomp", "advcl") or current.head is current:
            break
        current = current.head
    return False  # no subject anywhere: an imperative or an instruction


# --- DAT102 / DAT103: absolute security and anonymity ----------------------------------------------

def absolute_security(segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str) -> list[Hit]:
    hits: list[Hit] = []
    for sent in sents:
        for code, spans, needs_context in (("DAT102", sent.get("DAT102"), False),
                                           ("DAT102", sent.get("DAT102-ctx"), True),
                                           ("DAT103", sent.get("DAT103"), False)):
            for span in spans:
                if needs_context and not _data_context(sent, span):
                    continue
                if code == "DAT103" and not addresses_reader(sent, lang):
                    continue
                if negated_before(sent, span, lang) or attributed_to_others(sent, span) or is_question(sent) \
                        or reported(segment, sent, span.start_char, span.end_char, lang):
                    continue
                suggestion = strip_absolute(span.text) if needs_context or code == "DAT103" else None
                hits.append(Hit(code, span.start_char, span.end_char, span.text, suggestion=suggestion))
                break  # one finding per rule and sentence
    return _one_per_sentence(hits, sents)


def _data_context(sent: SentenceMatches, span: Span) -> bool:
    return any(not (span.start <= c.start < span.end) for c in sent.get("data-context"))


def _one_per_sentence(hits: list[Hit], sents: list[SentenceMatches]) -> list[Hit]:
    seen: set[tuple[str, int]] = set()
    result = []
    for hit in hits:
        sent_index = next((i for i, s in enumerate(sents) if s.span.start_char <= hit.start < s.span.end_char), -1)
        if (hit.code, sent_index) not in seen:
            seen.add((hit.code, sent_index))
            result.append(hit)
    return result


# --- DAT201 / DAT202: certification and compliance claims -------------------------------------------

def compliance_claims(segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str) -> list[tuple[Hit, str]]:
    """Certification/compliance claims as ``(hit, standard)``; evidence is checked by the caller."""
    found: list[tuple[Hit, str]] = []
    for sent in sents:
        certs = sent.get("DAT201")
        claims: list[tuple[str, Span, str]] = [("DAT201", c, "gdpr") for c in certs]
        for std in sent.get("standard"):
            span = _compliance_span(sent, std, lang)
            if span is None or any(c.start < span.end and span.start < c.end for c in certs):
                continue
            claims.append(("DAT202", span, std.text.lower()))
        for code, span, standard in claims:
            if span.start > sent.span.start and span.doc[span.start - 1].lower_ in _AIM:
                continue  # "we updated our terms to comply with the GDPR": an aim, not a claim
            if negated_before(sent, span, lang) or attributed_to_others(sent, span) or is_question(sent) \
                    or reported(segment, sent, span.start_char, span.end_char, lang):
                continue
            found.append((Hit(code, span.start_char, span.end_char, span.text), standard))
    result, seen = [], set()
    for hit, standard in found:
        sent_index = next((i for i, s in enumerate(sents) if s.span.start_char <= hit.start < s.span.end_char), -1)
        if (hit.code, sent_index) not in seen:
            seen.add((hit.code, sent_index))
            result.append((hit, standard))
    return result


_BETWEEN_STANDARD_AND_WORD = {"type", "ii", "i", "1", "2", "level", "-", "/", "iec", "2013", "2022"}
_TOPIC_BEFORE = {"la", "de", "sur", "une", "sa", "leur", "votre", "notre", "of", "the", "a", "your", "our",
                 "en", "vers"}


def _compliance_span(sent: SentenceMatches, std: Span, lang: str) -> Span | None:
    doc = sent.span.doc
    # "HIPAA compliant", "ISO 27001 certified", "SOC 2 Type II compliant"
    i = std.end
    while i < sent.span.end and i - std.end < 3 and doc[i].lower_ in _BETWEEN_STANDARD_AND_WORD:
        i += 1
    for word in sent.get("compliance-after"):
        if word.start == i or (word.start == std.end and i > std.end):
            return doc[std.start:word.end]
    # "compliant with HIPAA", « conforme au RGPD », « certifié ISO 27001 »
    for word in sent.get("compliance-before"):
        if word.end == std.start or (word.end == std.start - 1 and doc[word.end].lower_ in ("the", "le", "la", "l'")):
            if word.text.lower() == "conformité":
                before = doc[word.start - 1].lower_ if word.start > sent.span.start else ""
                if before in _TOPIC_BEFORE:
                    continue  # « la conformité RGPD »: a topic, not a claim
            return doc[word.start:std.end]
    return None


def has_evidence(document: AnalyzedDocument, segment: AnalyzedSegment,
                 has_evidence_terms: Callable[[AnalyzedSegment], bool], standard: str) -> bool:
    """The same paragraph carries evidence (certificate number, issuer, named scheme, a link to a
    certificate), or another paragraph of the document does and names the same standard.
    ``has_evidence_terms(segment)``: whether an ``evidence`` term matches in it (lazy, cached by the caller)."""
    if has_evidence_terms(segment):
        return True
    if _EVIDENCE_URL_RE.search(_segment_source(document, segment)):
        return True
    for other in document.segments:
        if other is segment:
            continue
        if standard in other.text.lower() and has_evidence_terms(other):
            return True
    return False


def _segment_source(document: AnalyzedDocument, segment: AnalyzedSegment) -> str:
    seg = segment.segment
    start = seg.source_offset(0)
    end = seg.source_offset(max(0, len(seg.text) - 1)) + 1
    return document.source[start:end]


# --- DAT301: creepy personalisation -------------------------------------------------------------

def creepy_personalisation(segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str) -> list[Hit]:
    hits: list[Hit] = []
    for sent in sents:
        reveal, basis, behaviour = sent.get("reveal"), sent.get("tracked-basis"), sent.get("reader-behaviour")
        if not (reveal or basis or behaviour) or sent.has("exempt-301"):
            continue
        details = sent.get("time-detail") + sent.get("place-detail") + sent.get("sensitive-detail")
        clock = _TIME_RE.search(sent.span.text)
        specific = bool(details or clock)
        anchor = (reveal or basis or behaviour)[0]
        if negated_before(sent, anchor, lang, window=4):
            continue
        if basis:
            severity, what = None, "names the tracked data it is based on"
        elif reveal and specific:
            severity, what = None, "tells the reader we watched a specific behaviour, time or place"
        elif reveal and behaviour:
            severity, what = "warning", "tells the reader we watched what they did"
        elif behaviour and specific:
            severity, what = None, "names a tracked behaviour with its time or place"
        else:
            continue
        start = anchor.start_char
        ends = [s.end_char for s in reveal + basis + behaviour + details]
        if clock:
            ends.append(sent.span.start_char + clock.end())
        end = max(ends)
        if reported(segment, sent, start, end, lang):
            continue
        hits.append(Hit("DAT301", start, end, what, severity=severity))
    return hits


# --- DAT401: collection without purpose (document level) ----------------------------------------

def collection_prompts(segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str, has_form: bool) -> list[Hit]:
    """Copy that asks the reader for personal data: a prompt ("enter your email", « laissez votre
    numéro »); a field word in a segment with a sign-up or an incentive; or, only where ``has_form``
    (the document is a lead form: form markup and a sign-up), a bare field label or a list of
    fields. A field word alone is not a form: a catalogue label or a contact line collects nothing."""
    hits: list[Hit] = []
    possessive = {"your", "votre", "vos", "ton", "ta", "tes"}
    segment_has_signup = any(s.has("signup") or s.has("reward") for s in sents)
    for sent in sents:
        strong = sent.get("field-strong")
        weak = sent.get("field-weak")
        found: Span | None = None
        for verb in sent.get("form-verb"):
            if any(verb.start - 2 <= w.start < verb.start for w in sent.get("we") + sent.get("address")
                   if w.text.lower() not in possessive):
                continue  # "we share your email with...": a statement, not a prompt
            for f in strong:
                if verb.end <= f.start <= verb.end + 5 and any(
                        t.lower_ in possessive for t in sent.span.doc[verb.end:f.start + 1]):
                    found = sent.span.doc[verb.start:f.end]
                    break
            if found:
                break
        if found is None and strong and segment_has_signup:
            # with an incentive alone the field must be the reader's ("share your birthday, get 10% off") or
            # one of a list of fields ("free quote: name, email, phone required"); "Happy birthday, here's
            # 20% off" names no field
            listed = len({w.start for w in strong + weak}) >= 3
            signed = listed or any(s.has("signup") for s in sents)
            fields = strong if signed else [f for f in strong if any(
                t.lower_ in possessive for t in sent.span.doc[max(0, f.start - 2):f.start])]
            found = fields[0] if fields else None
        if found is None and has_form and strong and len({w.start for w in strong + weak}) >= 3:
            found = strong[0]
        if found is None and has_form and strong:
            words = [t for t in segment.doc if not t.is_punct and not t.is_space]
            last = max(strong, key=lambda f: f.end)
            if len(words) <= 5 and _is_field_label(segment, last):
                found = last
        if found is not None and not reported(segment, sent, found.start_char, found.end_char, lang):
            hits.append(Hit("DAT401", found.start_char, found.end_char, found.text))
    return hits


_FORM_MARKUP = re.compile(r"<(?:form|input|mj-form)\b|\btype\s*=\s*[\"']?(?:email|tel)\b", re.IGNORECASE)


def has_form(document: AnalyzedDocument) -> bool:
    """Whether the document's source holds a real form: ``<form>``, ``<input>``, an e-mail or phone field."""
    return document.format in ("html", "mjml", "markdown") and bool(_FORM_MARKUP.search(document.source))


_CATALOGUE_FORMATS = ("yaml", "json", "po")
LABEL_WORDS = 5  # a field label is this short: "Your email address", « Votre adresse e-mail »


def label_next_to_signup(document: AnalyzedDocument, signups: list[bool],
                         has_field: Callable[[AnalyzedSegment], bool]) -> bool:
    """A form drawn as text: a short segment naming a field ("Your email address") right after or
    before a sign-up ("Subscribe to our newsletter"). ``signups[i]``: whether segment i has a sign-up
    term. Catalogue strings are labels of screens we cannot see, never a form by themselves."""
    if document.format in _CATALOGUE_FORMATS:
        return False
    segments = document.segments
    for index, segment in enumerate(segments):
        neighbours = signups[max(0, index - 1):index] + signups[index + 1:index + 2]
        if any(neighbours) and len(segment.text.split()) <= LABEL_WORDS and has_field(segment):
            return True
    return False


_LABEL_TAIL = {"]", ":", "*", "(", ")", "required", "obligatoire", "invalide", "invalid", "here", "ici", "below",
               "ci-dessous", "|", "_", "…", "..."}


def _is_field_label(segment: AnalyzedSegment, field_span: Span) -> bool:
    """"Your email address", "[ Email address ]", « Adresse e-mail invalide »: a form field, not prose."""
    doc = segment.doc
    following = [t for t in doc[field_span.end:] if not t.is_space]
    return not following or following[0].lower_ in _LABEL_TAIL or following[0].is_punct


def says_purpose_or_links_notice(document: AnalyzedDocument,
                                 says_purpose: Callable[[AnalyzedSegment], bool]) -> bool:
    """A segment has a ``purpose`` or ``privacy-notice`` term (``says_purpose(segment)``), or the
    source links a privacy page."""
    if any(says_purpose(segment) for segment in document.segments):
        return True
    return bool(_PRIVACY_URL_RE.search(document.source))


# --- DAT501 / DAT502: consent bundled with value, guilt about refusing --------------------------

def consent_patterns(segment: AnalyzedSegment, sents: list[SentenceMatches], lang: str) -> list[Hit]:
    hits: list[Hit] = []
    for sent in sents:
        walls = sent.get("DAT501")
        acts = sent.get("consent-act")
        if acts and (sent.has("consent-gate") or sent.has("reward")):
            walls = walls + acts[:1]
        for span in walls[:1]:
            if negated_before(sent, span, lang, window=5) or reported(segment, sent, span.start_char,
                                                                        span.end_char, lang):
                continue
            hits.append(Hit("DAT501", span.start_char, span.end_char, span.text))
    # guilt: a refusal and a guilt cue close together in the same paragraph (may span "?")
    refusals = [(s, r) for s in sents for r in s.get("refusal")]
    guilts = [(s, g) for s in sents for g in s.get("guilt")]
    for sent, refusal in refusals:
        near = [g for gs, g in guilts if abs(g.start - refusal.start) <= 30]
        if not near:
            continue
        if reported(segment, sent, refusal.start_char, refusal.end_char, lang):
            continue
        start = min(refusal.start_char, near[0].start_char)
        end = max(refusal.end_char, near[0].end_char)
        hits.append(Hit("DAT502", start, end, segment.text[start:end]))
        break
    return hits
