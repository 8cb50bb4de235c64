"""The document a checker sees: prose segments with a cheap spaCy Doc each, plus lazy heavy parsing.

This is the analyzed-document API of the plugin contract (``docs/plugins.md``). Checkers never
see markup: only :class:`AnalyzedSegment` objects whose ``doc`` covers the segment's text, with
offsets identical to ``segment.text`` (see :func:`ethicslint.nlp.normalize_for_nlp`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from . import nlp
from .kinds import PROMOTIONAL
from .model import Document, Finding, ImageRef, Rule, Segment, Severity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

DEFAULT_LANGUAGE = "en"
PARSE_MAX_TOKENS = 400  # a longer sentence is parsed in a window around the span asked about
PARSE_WINDOW = 100  # tokens on each side of that span


@dataclass
class AnalysisStats:
    """Counts for the benchmark: how much prose reached the heavy (statistical) stage."""

    sentences: int = 0
    parsed_sentences: int = 0

    def merge(self, other: AnalysisStats) -> None:
        self.sentences += other.sentences
        self.parsed_sentences += other.parsed_sentences


@dataclass
class AnalyzedSegment:
    """One prose segment and its cheap-tier spaCy ``Doc``."""

    segment: Segment
    lang: str
    doc: Doc

    @property
    def text(self) -> str:
        return self.segment.text

    @property
    def kind(self) -> str:
        return self.segment.kind

    @property
    def quoted(self) -> bool:
        return self.segment.quoted

    @property
    def copy_kind(self) -> str:
        """What kind of copy this is (``transactional``, ``ui-strings``...: :mod:`ethicslint.kinds`);
        a catalogue string may have its own, else the document's."""
        return self.segment.copy_kind or PROMOTIONAL

    @property
    def sentences(self) -> Iterator[Span]:
        return iter(self.doc.sents)


@dataclass
class AnalyzedDocument:
    """A :class:`~ethicslint.model.Document` with language and NLP annotations."""

    document: Document
    lang: str
    segments: list[AnalyzedSegment]
    stats: AnalysisStats = field(default_factory=AnalysisStats)
    _parsed: dict[tuple[str, str], Doc | None] = field(default_factory=dict, repr=False)

    # --- what the file is --------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self.document.path

    @property
    def format(self) -> str:
        return self.document.format

    @property
    def metadata(self) -> dict[str, Any]:
        return self.document.metadata

    @property
    def source(self) -> str:
        return self.document.source

    @property
    def images(self) -> list[ImageRef]:
        """The images the document shows (``ethicslint.ImageRef``), resolved and with their provenance."""
        return self.document.images

    @property
    def copy_kind(self) -> str:
        """What kind of copy the document is (:mod:`ethicslint.kinds`): config globs, front matter
        ``kind``, then the words of its path."""
        return self.document.copy_kind or PROMOTIONAL

    def prose(self, lang: str | None = None) -> str:
        """All prose of the document (optionally of one language), segments joined by newlines."""
        return "\n".join(s.text for s in self.segments if lang is None or s.lang == lang)

    # --- the heavy stage ---------------------------------------------------------------------
    def has_model(self, lang: str | None = None) -> bool:
        """Whether :meth:`parse` can give morphology/dependencies/entities for ``lang``."""
        return nlp.model_available(lang or self.lang)

    def parse(self, span: Span, lang: str | None = None) -> Span | None:
        """The statistical analysis of the sentence around ``span``: the same words as a Span
        of a parsed Doc (``.morph``, ``.dep_``, ``.head``, ``.ent_type_`` set), or None when no
        model is installed for the language. Call it only for candidate sentences: it is the
        expensive stage. Results are cached per sentence. Of a sentence longer than
        :data:`PARSE_MAX_TOKENS` (a run-on line of data, no full stop in sight) only the
        :data:`PARSE_WINDOW` tokens on each side of ``span`` are parsed: the models' memory and time
        grow with the text, and nothing farther away changes the analysis of a phrase.
        """
        sentence = span.sent
        if len(sentence) > PARSE_MAX_TOKENS:
            sentence = span.doc[max(sentence.start, span.start - PARSE_WINDOW):min(sentence.end, span.end + PARSE_WINDOW)]
        language = lang or _lang_of(span, self)
        key = (language, sentence.text)
        if key not in self._parsed:
            model = nlp.model_pipeline(language) if nlp.model_available(language) else None
            self._parsed[key] = model(sentence.text) if model is not None else None
            if model is not None:
                self.stats.parsed_sentences += 1
        parsed = self._parsed[key]
        if parsed is None:
            return None
        offset = sentence.start_char
        return parsed.char_span(span.start_char - offset, span.end_char - offset, alignment_mode="expand")

    # --- building findings -------------------------------------------------------------------
    def finding(self, rule: Rule, segment: AnalyzedSegment, start: int, end: int, message: str, *,
                severity: Severity | None = None, suggestion: str | None = None,
                replacement: str | None = None) -> Finding:
        """A finding for ``segment.text[start:end]``, positioned in the source file.
        ``replacement``: see :class:`~ethicslint.model.Finding` (``--fix`` checks that the span
        is a literal slice of the source before it uses it)."""
        seg = segment.segment
        source_start = seg.source_offset(start)
        source_end = seg.source_offset(end - 1) + 1 if end > start else source_start
        return self.finding_at(rule, source_start, source_end, message, severity=severity,
                               suggestion=suggestion, replacement=replacement)

    def finding_for_span(self, rule: Rule, segment: AnalyzedSegment, span: Span, message: str, *,
                         severity: Severity | None = None, suggestion: str | None = None,
                         replacement: str | None = None) -> Finding:
        """A finding for a token span of ``segment.doc``."""
        return self.finding(rule, segment, span.start_char, span.end_char, message,
                            severity=severity, suggestion=suggestion, replacement=replacement)

    def finding_at(self, rule: Rule, source_start: int, source_end: int, message: str, *,
                   severity: Severity | None = None, suggestion: str | None = None,
                   replacement: str | None = None) -> Finding:
        """A finding for a range of source offsets (e.g. a metadata key)."""
        doc = self.document
        line, column = doc.position(source_start)
        end_line, end_column = doc.position(max(source_start, source_end))
        return Finding(
            path=doc.path, line=line, column=column, end_line=end_line, end_column=end_column,
            code=rule.code, checker=rule.checker, severity=severity or rule.severity,
            message=message, suggestion=suggestion, text=doc.source[source_start:source_end],
            replacement=replacement,
        )

    def metadata_finding(self, rule: Rule, key: str, message: str, *,
                         severity: Severity | None = None, suggestion: str | None = None) -> Finding:
        """A finding on the line of metadata ``key`` (front matter, ``<meta>``, po header)."""
        start = self.document.metadata_offsets.get(key, 0)
        end = start + len(key) if key in self.document.metadata_offsets else start
        return self.finding_at(rule, start, end, message, severity=severity, suggestion=suggestion)


def _lang_of(span: Span, document: AnalyzedDocument) -> str:
    for seg in document.segments:
        if seg.doc is span.doc:
            return seg.lang
    return document.lang


def choose_language(document: Document, configured: str | None = None) -> tuple[str, list[str]]:
    """The document's language and one language per segment.

    Order: configured language > segment/document declaration (front matter, ``lang``) >
    detection over the whole prose > English. A long undeclared segment that is clearly in the
    other language gets its own language (mixed documents, per paragraph).
    """
    if configured:
        return configured, [configured] * len(document.segments)
    declared = nlp.normalize_language_tag(document.lang)
    # each segment's stop-word counts are computed once: the document's are their sum (the same
    # as detecting over the segments joined by spaces)
    seg_langs = [nlp.normalize_language_tag(seg.lang) for seg in document.segments]
    hits: list[tuple[int, int, int] | None] = [
        nlp.language_hits(seg.text) if declared is None or (tag is None and len(seg.text) >= 40) else None
        for seg, tag in zip(document.segments, seg_langs)]
    if declared is None:
        total = tuple(sum(h[i] for h in hits if h is not None) for i in range(3))
        doc_lang = nlp.decide_language(total) or DEFAULT_LANGUAGE  # type: ignore[arg-type]
    else:
        doc_lang = declared
    langs = []
    for seg, seg_lang, seg_hits in zip(document.segments, seg_langs, hits):
        if seg_lang is None and len(seg.text) >= 40 and seg_hits is not None:
            detected = nlp.decide_language(seg_hits, min_hits=3)
            seg_lang = detected if detected and detected != doc_lang else None
        langs.append(seg_lang or doc_lang)
    return doc_lang, langs


def analyze(document: Document, configured_language: str | None = None) -> AnalyzedDocument:
    """Run the cheap tier over every segment of ``document``."""
    doc_lang, langs = choose_language(document, configured_language)
    stats = AnalysisStats()
    segments: list[AnalyzedSegment] = []
    by_lang: dict[str, list[int]] = {}
    for index, lang in enumerate(langs):
        by_lang.setdefault(lang, []).append(index)
    docs: dict[int, Doc] = {}
    for lang, indexes in by_lang.items():
        pipeline = nlp.cheap_pipeline(lang)
        make_doc = pipeline.make_doc
        components = [proc for _, proc in pipeline.pipeline]
        for i in indexes:  # what pipeline(text) does, without Language.pipe's batching overhead
            doc = make_doc(nlp.normalize_for_nlp(document.segments[i].text))
            for proc in components:
                doc = proc(doc)
            docs[i] = doc
    for index, seg in enumerate(document.segments):
        doc = docs[index]
        stats.sentences += _sentence_count(doc)
        segments.append(AnalyzedSegment(seg, langs[index], doc))
    counts = Counter(langs)
    main_lang = doc_lang if not counts else max(counts, key=lambda k: (counts[k], k == doc_lang))
    return AnalyzedDocument(document, main_lang, segments, stats)


def _sentence_count(doc: Doc) -> int:
    """``len(list(doc.sents))`` without building a Span per sentence: the sentence starts."""
    if not len(doc):
        return 0
    from spacy.attrs import SENT_START

    return int((doc.to_array(SENT_START) == 1).sum())


def analyze_text(text: str, lang: str | None = None, *, path: str = "<text>",
                 metadata: dict[str, Any] | None = None, kind: str = "paragraph") -> AnalyzedDocument:
    """Analyze a plain string as one-segment-per-paragraph text (for tests and quick checks)."""
    from .model import SegmentBuilder

    segments = []
    offset = 0
    for block in text.split("\n\n"):
        builder = SegmentBuilder(kind=kind)
        builder.add(block, offset)
        seg = builder.build()
        if seg is not None:
            segments.append(seg)
        offset += len(block) + 2
    document = Document(path=path, format="text", source=text, segments=segments,
                        metadata=dict(metadata or {}), lang=lang)
    return analyze(document, lang)
