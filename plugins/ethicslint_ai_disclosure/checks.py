"""The ai-disclosure analysis of one document: disclosures found, then each rule's test against the metadata.

Order of work, cheapest first: read the metadata (``declarations``); a document that declares nothing
and is not a bot script only gets the textual persona check. A segment is matched with the compiled term
table only when a rule needs its matches and the host's pre-filter (``TermMatcher.prefilter``,
``docs/prefilter.md``) says it may hold the labels that rule looks for (``Seg.may_match``): most segments of most files are never matched. Each segment is matched at
most once, with the whole table; every rule below reads those matches. No statistical parsing is needed.

What counts as a disclosure, by kind:
* ``text``  - "Text generated with AI", « Article rédigé avec l'aide de l'IA »
* ``media`` - "AI-generated image", "computer-generated", « Images virtuelles », « voix de synthèse »
* ``generic`` - "Generated with AI", "#AI", « Contenu généré par IA », "(AI)"
* ``bot``   - "I'm a virtual assistant", « robot conversationnel », "chatbot"
* ``persona`` - "not a real person", « personnage fictif »
A disclosure counts wherever the reader sees it in the file (body, caption, alt text, footer), as
POLICY.md says ("a visible disclosure anywhere the reader sees it"); only bot scripts made of keyed
strings need it in the opening message or the chat chrome (AI Act art. 50(5): at the first interaction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import (Finding, Rule, Severity, TermMatcher, cue_matches, discusses, in_quotation, is_negated,
                        matcher_for)

from . import declarations
from .declarations import Declarations

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span

    from ethicslint import AnalyzedDocument, AnalyzedSegment

TERMS = Path(__file__).parent / "terms"
AGENT_LABELS = ("ai-agent", "text-tools", "media-tools")
DISCLOSURE_LABELS = {"disclose-media": "media", "disclose-generic": "generic", "disclose-bot": "bot",
                     "disclose-persona": "persona"}
# Label sets for the pre-filter, TermMatcher.prefilter (frozensets: it is built once per set of labels)
AGENT_PREFILTER = frozenset(AGENT_LABELS)
LEAD_PREFILTER = frozenset({"gen-lead", "credit-lead", "gen-trail"})
DISCLOSURE_PREFILTER = frozenset(DISCLOSURE_LABELS)
TESTIMONIAL_HEADING_PREFILTER = frozenset({"testimonial-heading"})
PERSONA_TERM_PREFILTER = frozenset({"persona-term"})
VOICE_ROLE_PREFILTER = frozenset({"voice-role"})
HUMAN_CLAIM_PREFILTER = frozenset({"human-claim", "bot-denial"})
HUMAN_MADE_PREFILTER = frozenset({"human-made-text", "human-made-general"})
FOR_TEXT = {"text", "generic"}
FOR_MEDIA = {"media", "generic", "persona"}
FOR_PERSONA = {"media", "generic", "persona"}
FOR_BOT = {"bot", "generic", "text", "persona"}
ALWAYS_HANDOVER = {"connect", "transfer", "transférer", "rediriger", "relation", "escalate", "hand", "pass",
                   "passer"}
CHROME_KEYS = {"title", "titre", "header", "entete", "en-tête", "en_tete", "name", "nom", "label", "libelle",
               "libellé", "disclaimer", "notice", "mention", "mentions", "banner", "bandeau", "footer",
               "pied", "subtitle", "sous_titre", "bot_name", "caption", "legende", "légende", "avatar_alt",
               "tagline", "status", "statut"}
_SELF_NAME = re.compile(
    r"(?:\b(?:I'm|I am|this is|it's|my name is|je suis|c'est|ici|je m'appelle|vous êtes en ligne avec)\s+"
    r"([A-ZÀ-Ý][\w'-]+)|\b([A-ZÀ-Ý][\w'-]+) here\b)")


# --- matching --------------------------------------------------------------------------------------

def terms_for(lang: str, config: dict[str, Any]) -> TermMatcher:
    """The language's terms plus the shared tool names (``terms/tools.toml``) plus the user's
    ``extra-terms``, compiled (cached by the host's loader)."""
    return matcher_for(TERMS, lang, config.get("extra-terms"), shared=("tools.toml",),
                       source="config extra-terms")


# --- the document as the rules see it --------------------------------------------------------------

@dataclass
class Seg:
    index: int
    seg: AnalyzedSegment
    path: list[str]  # key path of a string file ([] otherwise)
    matcher: TermMatcher  # the compiled table of the segment's language
    visible: bool = True  # copy the reader sees: not a metadata key, not a <meta> tag
    user_side: bool = False  # in a bot script: the user's words (intents, examples, menu buttons)
    testimonial: str | None = None  # testimonial group (section heading index or key path), if inside one
    _matches: dict[str, list[Span]] | None = field(default=None, repr=False)
    _disclosures: list[Disclosure] | None = field(default=None, repr=False)

    @property
    def matches(self) -> dict[str, list[Span]]:
        """Every match of the whole table in the segment, by label (matched on first use)."""
        if self._matches is None:
            grouped: dict[str, list[Span]] = {}
            for match in self.matcher(self.seg.doc):
                grouped.setdefault(match.label, []).append(match.span)
            self._matches = grouped
        return self._matches

    def may_match(self, labels: frozenset[str]) -> bool:
        """False proves that ``matches`` holds none of ``labels`` (the host's pre-filter)."""
        return self.matcher.prefilter(self.seg.doc, labels)

    @property
    def disclosures(self) -> list[Disclosure]:
        """The disclosures in this segment (computed on first use: most files never need them)."""
        if self._disclosures is None:
            self._disclosures = _disclosures(self)
        return self._disclosures

    @property
    def lang(self) -> str:
        return self.seg.lang

    @property
    def last_key(self) -> str:
        parts = [p for p in self.path if not p.isdigit()]
        return parts[-1].lower() if parts else ""


@dataclass
class Disclosure:
    kind: str
    seg: Seg
    span: Span


@dataclass
class View:
    document: AnalyzedDocument
    decl: Declarations
    config: dict[str, Any]
    segs: list[Seg]

    def disclosed(self, kinds: set[str], segs: list[Seg] | None = None) -> bool:
        """Whether a disclosure of one of ``kinds`` is in a visible segment (of ``segs``, default: any).

        Segment by segment, stopping at the first: the segments after it are never matched."""
        return any(d.kind in kinds for seg in (self.segs if segs is None else segs) if seg.visible
                   for d in seg.disclosures)

    @property
    def keyed(self) -> bool:
        return self.document.format in ("yaml", "json", "po")


def build_view(document: AnalyzedDocument, config: dict[str, Any]) -> View:
    matchers: dict[str, TermMatcher] = {}

    def matcher(lang: str) -> TermMatcher:  # only for the languages the document has
        lang = lang if lang in ("en", "fr") else "en"
        if lang not in matchers:
            matchers[lang] = terms_for(lang, config)
        return matchers[lang]

    decl = declarations.read(document, config, matcher(document.lang).table)
    user_keys = {k.lower() for k in config.get("user-keys", [])}
    testimonial_keys = {k.lower() for k in config.get("testimonial-keys", [])}
    segs: list[Seg] = []
    for index, aseg in enumerate(document.segments):
        path = aseg.segment.key.split(".") if (aseg.segment.key and document.format in ("yaml", "json")) else []
        seg = Seg(index, aseg, path, matcher(aseg.lang))  # matched lazily (Seg.matches), only where a rule needs it
        lowered = [p.lower() for p in path]
        if aseg.kind == "meta" or (lowered and declarations.normal_key(lowered[0]) in decl.skip_keys) or \
                (lowered and lowered[-1] in declarations.SYNTHETIC_FLAGS + tuple(declarations.FLAG_KEYS)):
            seg.visible = False
        seg.user_side = any(p in user_keys for p in lowered)
        for i, part in enumerate(lowered):
            if part in testimonial_keys:
                seg.testimonial = ".".join(path[:i + 1])
                break
        segs.append(seg)
    if document.format in ("markdown", "html"):
        _mark_testimonial_sections(document, segs)
    return View(document, decl, config, segs)


def _disclosures(seg: Seg) -> list[Disclosure]:
    # Each disclosure below needs a [disclose-*] match, or an agent match together with a gen-lead,
    # credit-lead or gen-trail match: when the pre-filter rules those out, there is none (and no matching).
    if not (seg.may_match(DISCLOSURE_PREFILTER) or (seg.may_match(AGENT_PREFILTER) and seg.may_match(LEAD_PREFILTER))):
        return []
    m = seg.matches
    doc = seg.seg.doc
    found: list[Disclosure] = []
    agents = [(label, span) for label in AGENT_LABELS for span in m.get(label, [])]
    lead_ends = {}
    for span in m.get("gen-lead", []):
        if span.end not in lead_ends or span.start < lead_ends[span.end].start:
            lead_ends[span.end] = span
    trail_starts = {span.start: span for span in m.get("gen-trail", [])}
    credit_ends = {span.end: span for span in m.get("credit-lead", [])}
    for label, agent in agents:
        credit = credit_ends.get(agent.start)
        if credit is not None:  # "Visuals: Adobe Firefly": a credit line naming an AI
            found.append(Disclosure("media", seg, doc[credit.start:agent.end]))
        lead = lead_ends.get(agent.start)
        if lead is not None:
            found.append(Disclosure(_classify(seg, doc[lead.start:agent.end], label), seg, doc[lead.start:agent.end]))
        trail = trail_starts.get(agent.end)
        if trail is not None:
            span = doc[agent.start:trail.end]
            found.append(Disclosure(_classify(seg, span, label), seg, span))
    for label, kind in DISCLOSURE_LABELS.items():
        for span in m.get(label, []):
            found.append(Disclosure(kind, seg, span))
    return [d for d in found if d.kind == "persona" or not is_negated(d.span, seg.lang)]


def _classify(seg: Seg, span: Span, agent_label: str) -> str:
    """text, media or generic: what the sentence around a "made with AI" says was made."""
    sent = span.sent
    media = any(s.start >= sent.start and s.end <= sent.end for s in seg.matches.get("media-noun", []))
    text = any(s.start >= sent.start and s.end <= sent.end for s in seg.matches.get("text-noun", []))
    if media and not text:
        return "media"
    if text and not media:
        return "text"
    if agent_label == "media-tools":
        return "media"
    return "generic"


def _mark_testimonial_sections(document: AnalyzedDocument, segs: list[Seg]) -> None:
    """Markdown/HTML: the segments under a testimonials heading, until a heading of the same or higher level."""
    current: tuple[int, str] | None = None  # (level, group id)
    for seg in segs:
        if seg.seg.kind == "heading":  # the level is only needed inside a section or to open one
            if current is not None and _heading_level(document, seg) <= current[0]:
                current = None
            if current is None and _is_testimonial_heading(seg):
                current = (_heading_level(document, seg), f"section:{seg.index}")
                seg.testimonial = current[1]
                continue
        if current is not None and seg.visible:
            seg.testimonial = current[1]


def _is_testimonial_heading(seg: Seg) -> bool:
    if not seg.may_match(TESTIMONIAL_HEADING_PREFILTER):  # proves there is no testimonial-heading span
        return False
    spans = seg.matches.get("testimonial-heading", [])
    if not spans:
        return False
    covered = {i for s in spans for i in range(s.start, s.end)}
    rest = [t for t in seg.seg.doc if t.is_alpha and t.i not in covered]
    return len(rest) <= 2


def _heading_level(document: AnalyzedDocument, seg: Seg) -> int:
    source = document.source
    offset = seg.seg.segment.source_offset(0)
    if document.format == "html":
        tags = list(re.finditer(r"<h([1-6])\b", source[max(0, offset - 300):offset], re.I))
        return int(tags[-1].group(1)) if tags else 2
    line_start = source.rfind("\n", 0, offset) + 1
    prefix = source[line_start:offset].strip()
    if prefix.startswith("#"):
        return len(prefix) - len(prefix.lstrip("#"))
    next_line = source[source.find("\n", offset) + 1:].lstrip(" ")[:1]
    return 1 if next_line == "=" else 2


# --- the rules -------------------------------------------------------------------------------------

@dataclass
class Rules:
    ai_text: Rule
    ai_media: Rule
    persona: Rule
    bot_human: Rule
    bot_undisclosed: Rule
    human_made: Rule
    testimonial: Rule
    ai_image: Rule


def check(document: AnalyzedDocument, config: dict[str, Any], rules: Rules) -> list[Finding]:
    view = build_view(document, config)
    findings: list[Finding] = []
    testimonial_findings = _testimonials(view, rules)
    findings += testimonial_findings
    findings += _bots(view, rules)
    findings += _personas(view, rules)
    findings += _human_made(view, rules)
    # a file of nothing but testimonials is judged as testimonials (AID501, or cleared by a "fictional" label);
    # testimonials_only is only read when the metadata declares AI text, so it is only worked out then
    testimonials_only = bool(view.decl.text) and (
        bool(testimonial_findings) or view.disclosed({"persona"}, [s for s in view.segs if s.testimonial])) \
        and _testimonials_only(view)
    findings += _provenance(view, rules, testimonials_only=testimonials_only)
    from . import images  # (it builds on this module's segments and disclosures)

    findings += images.check(view, rules.ai_image)
    return findings


def _lang(view: View) -> str:
    return view.document.lang if view.document.lang in ("en", "fr") else "en"


# AID101 / AID102 ------------------------------------------------------------------------------------

def _provenance(view: View, rules: Rules, testimonials_only: bool) -> list[Finding]:
    findings = []
    decl = view.decl
    fr = _lang(view) == "fr"
    text = decl.text
    if text and not testimonials_only and not view.disclosed(FOR_TEXT):
        first = text[0]
        assisted = all(p.assisted for p in text)
        wording = ("« Texte rédigé avec l'aide de l'IA et relu par notre équipe. »" if fr and assisted else
                   "« Contenu généré par IA. »" if fr else
                   "\"Written with the help of AI and reviewed by our team.\"" if assisted else
                   "\"This text was generated with AI.\"")
        findings.append(view.document.metadata_finding(
            rules.ai_text, first.key,
            f"'{first.key}: {first.value}' declares AI-{'assisted' if assisted else 'generated'} copy, but no "
            f"reader-visible line says so; add a disclosure such as {wording}",
            severity=Severity.INFO if assisted else None))
    media = decl.media
    if media and not view.disclosed(FOR_MEDIA):
        first = media[0]
        wording = ("« Images virtuelles » (the mention loi n° 2023-451 art. 5 requires for AI-made faces and "
                   "bodies) or « Image générée par IA » in the caption or alt text") if fr else \
            "\"AI-generated image\" in the caption or alt text"
        findings.append(view.document.metadata_finding(
            rules.ai_media, first.key,
            f"'{first.key}: {first.value}' declares AI-generated images, video or voice, but nothing the reader "
            f"sees labels them; add {wording}"))
    return findings


def _testimonials_only(view: View) -> bool:
    """Whether all the copy (headings and titles aside) sits in testimonial sections or keys."""
    copy = [s for s in view.segs if s.visible and s.seg.kind not in ("heading", "title")]
    return bool(copy) and all(s.testimonial for s in copy)


# AID501 --------------------------------------------------------------------------------------------

def _testimonials(view: View, rules: Rules) -> list[Finding]:
    groups: dict[str, list[Seg]] = {}
    for seg in view.segs:
        if seg.testimonial and seg.visible:
            groups.setdefault(seg.testimonial, []).append(seg)
    if not groups:
        return []
    findings = []
    names = [p.name for p in view.decl.personas if p.name]
    if not names and not view.decl.generated_text and view.decl.raw is None:
        # no synthetic name to find, no generated copy, and no item to flag (_flagged_item needs raw data):
        # no group can give a finding, so the disclosures the groups would look up are not needed
        return []
    for group, segs in groups.items():
        if view.disclosed({"persona"}, segs):  # labelled as fictional examples: not presented as real
            continue
        labelled = view.disclosed({"text", "generic", "media"}, segs)
        severity = Severity.WARNING if labelled else None
        reported: set[str] = set()
        for seg in segs:  # attribution to a persona the metadata declares synthetic
            for name in names:
                start = _find_name(seg.seg.text, name)
                if start is not None and name not in reported:
                    reported.add(name)
                    findings.append(view.document.finding(
                        rules.testimonial, seg.seg, start, start + len(name),
                        f"testimonial attributed to '{name}', a persona the metadata declares synthetic: a review "
                        f"by someone who does not exist is a fake review; remove it or quote a real customer",
                        severity=severity))
        if reported:
            continue
        item = _flagged_item(view, segs)
        if view.decl.generated_text or item is not None:
            target = item or segs[0]
            why = (f"its item is flagged AI-generated ('{target.seg.segment.key}')" if item is not None else
                   f"the metadata declares the copy AI-generated ('{view.decl.text[0].key}')")
            findings.append(view.document.finding(
                rules.testimonial, target.seg, 0, len(target.seg.text),
                f"testimonials or reviews where {why}: generated reviews presented as customers' words are "
                f"fake reviews; replace them with real, attributable reviews",
                severity=severity))
    return findings


def _flagged_item(view: View, segs: list[Seg]) -> Seg | None:
    """In a string file, the first testimonial string whose item (an enclosing mapping) carries an AI flag."""
    if view.decl.raw is None:
        return None
    for seg in segs:
        for depth in range(len(seg.path) - 1, 0, -1):
            if declarations.is_synthetic(declarations.item_at(view.decl.raw, seg.path[:depth])):
                return seg
    return None


def _find_name(text: str, name: str) -> int | None:
    match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)
    return match.start() if match else None


# AID301 / AID302 ------------------------------------------------------------------------------------

def _bots(view: View, rules: Rules) -> list[Finding]:
    decl = view.decl
    if not decl.bot and not decl.sender_persona:
        return []
    messages = [s for s in view.segs if s.visible and not s.user_side]
    findings: list[Finding] = []
    claimed: set[int] = set()
    for seg in messages:
        for span, kind in _human_claims(seg):
            claimed.add(seg.index)
            who = f"the file is a bot script ({decl.bot})" if decl.bot else \
                f"the sender '{decl.sender_persona}' is declared synthetic"
            findings.append(view.document.finding_for_span(
                rules.bot_human, seg.seg, span,
                f"'{span.text}' {'denies being a bot' if kind == 'denial' else 'claims a human is speaking'}, but "
                f"{who}; say it is an automated assistant, and hand over to a person for real"))
    if not decl.bot:
        return findings
    openings = _openings(view, messages)
    if not openings or any(s.index in claimed for s in openings):
        return findings
    if view.keyed:
        chrome = [s for s in messages if s.last_key in CHROME_KEYS or
                  any(p.lower() in ("header", "entete", "en-tête", "chrome") for p in s.path)]
        disclosed = view.disclosed(FOR_BOT, openings + chrome)
    else:
        disclosed = view.disclosed(FOR_BOT)
    if disclosed:
        return findings
    seg = openings[0]
    sentence = next(iter(seg.seg.doc.sents))
    name = _SELF_NAME.search(seg.seg.text)
    fr = seg.lang == "fr"
    example = ("« Bonjour, je suis Julie, l'assistante virtuelle (IA) de … »" if fr else
               "\"Hi, I'm Sarah, …'s AI assistant.\"")
    intro = f"introduces itself as '{name.group(1) or name.group(2)}' and " if name else ""
    findings.append(view.document.finding(
        rules.bot_undisclosed, seg.seg, sentence.start_char, sentence.end_char,
        f"the opening message of this bot script ({decl.bot}) {intro}does not say it is an automated assistant; "
        f"say so at the first message, e.g. {example}"))
    return findings


def _openings(view: View, messages: list[Seg]) -> list[Seg]:
    keys = {k.lower() for k in view.config.get("opening-keys", [])}
    if view.keyed:
        named = [s for s in messages if s.last_key in keys]
        if named:
            return named
        rest = [s for s in messages if s.last_key not in CHROME_KEYS]
        return rest[:1]
    rest = [s for s in messages if s.seg.kind not in ("heading", "title")]
    return rest[:1]


def _human_claims(seg: Seg) -> list[tuple[Span, str]]:
    if not seg.may_match(HUMAN_CLAIM_PREFILTER):  # every claim below is a human-claim or bot-denial span
        return []
    found = []
    handover = {t for s in seg.matches.get("handover-verb", []) for t in range(s.start, s.end)}
    subject_ends = {s.end for s in seg.matches.get("claim-subject", [])}
    # "I'll pass you to Jamie... Jamie is a real person": a message announcing a handover describes the
    # person taking over; what it says about them is not the bot claiming to be human
    announced = min((t for t in handover if seg.seg.doc[t].lemma_.lower() in ALWAYS_HANDOVER), default=None)
    for span in seg.matches.get("human-claim", []):
        if announced is not None and announced < span.start:
            continue
        # negation cues before the claim only: French « personne » (ne ... personne) is itself a cue,
        # so is_negated() would read « une vraie personne » as negated
        if _question(span) or is_negated(span, seg.lang, 4) or _handover_offer(span, handover, subject_ends):
            continue
        found.append((span, "claim"))
    for span in seg.matches.get("bot-denial", []):
        if not _question(span):
            found.append((span, "denial"))
    found.sort(key=lambda item: (item[0].start, -item[0].end))
    kept: list[tuple[Span, str]] = []
    for span, kind in found:  # one finding per sentence: the first claim in it
        if not any(span.sent.start == k.sent.start for k, _ in kept):
            kept.append((span, kind))
    return kept


def _question(span: Span) -> bool:
    return span.sent.text.rstrip().endswith("?")


def _handover_offer(span: Span, handover: set[int], subject_ends: set[int]) -> bool:
    """"Talk to a real person" offers a handover; "you're chatting with a real person" claims one."""
    sent = span.sent
    for i in range(span.start - 1, max(sent.start, span.start - 5) - 1, -1):
        if i in handover:
            if span.doc[i].lemma_.lower() in ALWAYS_HANDOVER:
                return True
            return not any(end in (i, i - 1) for end in subject_ends)  # "you're (now) chatting with"
    return False


# AID201 --------------------------------------------------------------------------------------------

def _personas(view: View, rules: Rules) -> list[Finding]:
    if view.decl.bot:
        return []
    visible = [s for s in view.segs if s.visible and not s.testimonial]
    # the candidates: declared personas, or segments that may name a synthetic person ([persona-term]);
    # without any, nothing below can be reported, so the disclosure scan of the whole file is skipped
    named = [s for s in visible if s.may_match(PERSONA_TERM_PREFILTER)]
    if not view.decl.personas and not named:
        return []
    if view.disclosed(FOR_PERSONA):
        return []
    findings = []
    for persona in view.decl.personas:
        hit = _persona_mention(persona, visible)
        if hit is None:
            continue
        seg, start, end = hit
        what = f"the synthetic voice ('{persona.key}')" if persona.name is None else \
            f"'{persona.name}', declared synthetic in '{persona.key}',"
        fr = seg.lang == "fr"
        wording = ("« Images virtuelles » (« voix de synthèse » for a voice)" if fr else
                   "\"AI-generated\" or \"virtual character created with AI\"")
        findings.append(view.document.finding(
            rules.persona, seg.seg, start, end,
            f"{what} is presented to readers as a real person; say it is AI-generated where they see it, e.g. "
            f"{wording}"))
    if findings:
        return findings
    for seg in named:  # a synthetic person named as such in the copy, with no label
        for span in seg.matches.get("persona-term", []):
            sent = span.sent
            if _question(span) or is_negated(span, seg.lang) or discusses(sent, seg.lang) \
                    or in_quotation(seg.seg, span.start_char, span.end_char) or not _presented(seg, span):
                continue
            fr = seg.lang == "fr"
            suggestion = f"{span.text} (Images virtuelles)" if fr else f"{span.text} (AI-generated)"
            label = "« Images virtuelles »" if fr else "\"AI-generated\""
            return [view.document.finding_for_span(
                rules.persona, seg.seg, span,
                f"'{span.text}' presents a synthetic person with no label; add {label} where the images appear",
                suggestion=suggestion)]
    return findings


def _persona_mention(persona: declarations.Persona, segs: list[Seg]) -> tuple[Seg, int, int] | None:
    for seg in segs:
        if persona.name:
            start = _find_name(seg.seg.text, persona.name)
            if start is not None:
                return seg, start, start + len(persona.name)
        elif seg.may_match(VOICE_ROLE_PREFILTER):
            spans = seg.matches.get("voice-role", [])
            if spans:
                return seg, spans[0].start_char, spans[0].end_char
    return None


def _presented(seg: Seg, span: Span) -> bool:
    sent = span.sent
    return any(s.start >= sent.start and s.end <= sent.end and not (s.start >= span.start and s.end <= span.end)
               for s in seg.matches.get("presenting", []))


# AID401 --------------------------------------------------------------------------------------------

def _human_made(view: View, rules: Rules) -> list[Finding]:
    decl = view.decl
    if not decl.provenance:
        return []
    text_declared = bool(decl.text)
    findings = []
    for seg in view.segs:
        if not seg.visible or seg.user_side or not seg.may_match(HUMAN_MADE_PREFILTER):
            continue  # (the pre-filter proves there is neither a human-made-text nor a human-made-general span)
        text_claims = seg.matches.get("human-made-text", [])
        general = [s for s in seg.matches.get("human-made-general", [])
                   if not any(s.start < t.end and t.start < s.end for t in text_claims)]
        candidates = (text_claims if text_declared else []) + general
        for span in _merge_by_sentence(candidates):
            sent = span.sent
            if in_quotation(seg.seg, span.start_char, span.end_char) or discusses(sent, seg.lang) \
                    or is_negated(span, seg.lang, 3) or _question(span):
                continue
            source = decl.text[0] if text_declared else decl.provenance[0]
            findings.append(view.document.finding_for_span(
                rules.human_made, seg.seg, span,
                f"'{span.text}' claims human-made content, but the metadata declares AI involvement "
                f"('{source.key}: {source.value}'); remove the claim or say how AI was used"))
    return findings


def _merge_by_sentence(spans: list[Span]) -> list[Span]:
    """Overlapping or adjacent matches in one sentence become one span ("100 % écrits par des humains")."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        last = merged[-1] if merged else None
        if last is not None and last.sent.start == span.sent.start and span.start <= last.end:
            merged[-1] = span.doc[last.start:max(last.end, span.end)]
        else:
            merged.append(span)
    return merged

