"""ethicslint: a linter for the ethics of marketing copy, in English and French.

This module is the public API for checker plugins. A plugin imports only what is here:

    from ethicslint import hookimpl, Rule, Severity, Finding

Everything heavy (spaCy) is imported lazily, so importing ``ethicslint`` stays cheap.
"""

from __future__ import annotations

from .hookspecs import PLUGIN_API_VERSION, hookimpl, hookspec
from .kinds import EDITORIAL, KINDS, LEGAL, PROMOTIONAL, RECRUITMENT, TRANSACTIONAL, UI_STRINGS
from .model import Document, Finding, Rule, Segment, SegmentBuilder, Severity
from .options import Option

__version__ = "0.1.0"

__all__ = [
    "EDITORIAL",
    "KINDS",
    "LEGAL",
    "PLUGIN_API_VERSION",
    "PROMOTIONAL",
    "RECRUITMENT",
    "TRANSACTIONAL",
    "UI_STRINGS",
    "Document",
    "Finding",
    "Option",
    "Rule",
    "Segment",
    "SegmentBuilder",
    "Severity",
    "hookimpl",
    "hookspec",
    "matcher_for",
    "__version__",
]


def __getattr__(name: str):  # lazy public names whose modules import spaCy
    if name in ("AnalyzedDocument", "AnalyzedSegment"):
        from . import analysis

        return getattr(analysis, name)
    if name in ("TermMatcher", "load_terms", "matcher_for"):
        from . import matching

        return getattr(matching, name)
    raise AttributeError(f"module 'ethicslint' has no attribute {name!r}")
