"""ethicslint: a linter for the ethics of marketing copy, in English and French.

This module is the public API for checker plugins. A plugin imports what it uses from here,
``from ethicslint import hookimpl, Rule, Finding``, and nothing from ethicslint's other modules:
they may change in any release, these names only with a new plugin API major version.
Names whose modules import spaCy are imported at first use, so ``import ethicslint`` stays cheap.

Every public name, one line each (``__all__`` holds the same names, and the table of public names
in ``docs/plugins.md`` is these lines; ``tests/test_public_api.py`` checks all three agree):

Declaring a plugin:
    hookimpl: marks a function as the plugin's implementation of an ``ethicslint_*`` hook
    hookspec: the marker of ethicslint's own hook specifications (``ethicslint.hookspecs``)
    PLUGIN_API_VERSION: the plugin API version this ethicslint provides, e.g. ``"1.0"``
    Rule: the metadata of one rule (code, name, checker, severity, documentation)
    Severity: ``INFO``, ``WARNING``, ``ERROR``
    Option: one key of the plugin's ``[tool.ethicslint.<checker>]`` table
    __version__: ethicslint's version
Kinds of copy (``Rule.kinds``, ``document.copy_kind``):
    KINDS: every kind, in order
    PROMOTIONAL: the kind ``"promotional"``
    TRANSACTIONAL: the kind ``"transactional"``
    EDITORIAL: the kind ``"editorial"``
    UI_STRINGS: the kind ``"ui-strings"``
    LEGAL: the kind ``"legal"``
    RECRUITMENT: the kind ``"recruitment"``
Documents and findings:
    Document: a file as its reader saw it: source text, prose segments, metadata
    Segment: one piece of prose of a document, mapped back to its source
    SegmentBuilder: builds a segment's text and its map to the source, piece by piece
    AnalyzedDocument: the ``document`` a hook receives: segments with spaCy Docs, ``parse``, ``finding``
    AnalyzedSegment: one segment of an analyzed document, with its cheap-tier ``doc``
    Finding: one finding: position, code, checker, severity, message, suggestion, safe replacement
Images a document shows (``document.images``):
    ImageRef: one image reference: ``src``, source range, ``origin``; resolved ``file`` and ``provenance``
    Provenance: what an image file's XMP and C2PA metadata say (``claims``), or why it could not be read
    SourceClaim: one IPTC digital source type an image declares, and where it was read
Term lists as data:
    TermTable: a parsed terms file: entries of phrases, lemmas and patterns, and their other keys
    TermsError: a terms file or extra terms that cannot be used, with where and why
    parse_terms: a ``TermTable`` from a TOML table already read
    load_terms: a ``TermTable`` from a terms file (cached by path, size and time)
    terms_for_language: the entries of an ``extra-terms`` option that apply to one language
    TermMatcher: a ``TermTable`` compiled for one language; called on a Doc, gives ``TermMatch``es
    TermMatch: one match: the entry's ``label`` and its ``span``
    matcher_for: the compiled, cached ``TermMatcher`` of ``terms_dir/<lang>.toml``
    matches_by_sentence: a Doc's sentences, each with a matcher's matches inside it, by label
    SentenceMatches: one sentence with its matches by label (``get``, ``has``)
Per-Doc values, computed once and shared by every checker:
    doc_tokens: a Doc's token values of one attribute (``"LOWER"``, ``"LEMMA"``…), as hashes
    doc_values: the set of a Doc's values of one attribute, as hashes
    sentence_starts: the token index where each sentence of a Doc starts
    sentence_of: the sentence holding a token: (its index, its first token, the token after it)
Reading token patterns:
    pattern_length: the most tokens a spaCy token pattern can match, or None when unbounded
    token_op: the ``OP`` of one pattern token, or None
    token_lengths: how many tokens an ``OP`` lets one pattern token cover: (least, most or None)
    token_is_required: whether an ``OP`` makes its token required in every match
Context: negation, quotation, discussion:
    is_negated: whether a span is negated ("no countdown", « sans compte à rebours »)
    in_quotation: whether characters of a segment are inside quotation marks or a quoted block
    discusses: whether a segment or span talks *about* a practice rather than using it
    discussion_cues: the cue words that make a segment or span a discussion
    cue_matches: the spans of a Doc or Span that match one cue entry (``negation``, ``offer``…)
    live_data: whether the sentence of a span holds a template placeholder (``{count}``)
    account_event: whether the sentence of a span is about the reader's account, not an offer
    bare_label: whether a span is all there is of a catalogue string ("Last day")
Testing a plugin:
    testing: helpers that run a plugin through the host as a run does (``check_text``, ``score``…)
Checking copy from a program (``docs/api.md``):
    Linter: config and plugins loaded once, pipelines warm: ``check_text`` and ``check_paths`` as ``ethicslint check``
    Report: what ``Linter.check_paths`` found: findings, files checked, exit status, plugin warnings
    check_text: the findings of one text, from one ``Linter`` built at the first call and kept
    ConfigError: settings that cannot be used (config, plugin options, rule packs); the message is ready to show
    PluginLoadError: a plugin that cannot be used at all (import error, code collision, broken contract)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, PluginLoadError
from .hookspecs import PLUGIN_API_VERSION, hookimpl, hookspec
from .kinds import EDITORIAL, KINDS, LEGAL, PROMOTIONAL, RECRUITMENT, TRANSACTIONAL, UI_STRINGS
from .model import Document, Finding, ImageRef, Provenance, Rule, Segment, SegmentBuilder, Severity, SourceClaim
from .options import Option

__version__ = "0.1.0"

# Public names of modules that import spaCy, or are heavy: module -> names, imported at first use.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "analysis": ("AnalyzedDocument", "AnalyzedSegment"),
    "matching": ("TermTable", "TermsError", "parse_terms", "load_terms", "terms_for_language", "TermMatcher",
                 "TermMatch", "matcher_for", "matches_by_sentence", "SentenceMatches", "doc_tokens", "doc_values", "sentence_starts", "sentence_of",
                 "pattern_length", "token_op", "token_lengths", "token_is_required"),
    "context": ("is_negated", "in_quotation", "discusses", "discussion_cues", "cue_matches", "live_data",
                "account_event", "bare_label"),
    "api": ("Linter", "Report", "check_text"),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}
_LAZY_SUBMODULES = ("testing",)

__all__ = [
    # declaring a plugin
    "hookimpl", "hookspec", "PLUGIN_API_VERSION", "Rule", "Severity", "Option", "__version__",
    # kinds of copy
    "KINDS", "PROMOTIONAL", "TRANSACTIONAL", "EDITORIAL", "UI_STRINGS", "LEGAL", "RECRUITMENT",
    # documents and findings (and, imported at first use, everything below)
    "Document", "Segment", "SegmentBuilder", "Finding",
    # checking copy from a program
    "ConfigError", "PluginLoadError",
    # images a document shows
    "ImageRef", "Provenance", "SourceClaim",
    *_LAZY, *_LAZY_SUBMODULES,
]

if TYPE_CHECKING:  # pragma: no cover - what the lazy names are, for type checkers and editors
    from . import testing
    from .analysis import AnalyzedDocument, AnalyzedSegment
    from .api import Linter, Report, check_text
    from .context import (account_event, bare_label, cue_matches, discusses, discussion_cues, in_quotation,
                          is_negated, live_data)
    from .matching import (SentenceMatches, TermMatch, TermMatcher, TermsError, TermTable, doc_tokens, doc_values,
                           load_terms, matcher_for, matches_by_sentence, parse_terms, pattern_length, sentence_of, sentence_starts,
                           terms_for_language, token_is_required, token_lengths, token_op)


def __getattr__(name: str) -> Any:
    """A public name of a heavy module, imported on first use and kept (PEP 562)."""
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
