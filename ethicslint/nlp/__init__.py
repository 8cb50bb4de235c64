"""Language choice and the spaCy pipelines (the host's, and the built-in checkers').

:mod:`.language` detects languages; :mod:`.pipelines` builds the cheap and model tiers with the
ordinary spaCy calls; :mod:`.speedups` holds the faster equivalents of some of those calls, the
only code that touches spaCy's internals, all switched off by ``ETHICSLINT_NO_SPEEDUPS=1``.
Importing this package imports no spaCy.
"""

from __future__ import annotations

from .language import (
    SUPPORTED_LANGUAGES,
    decide_language,
    detect_language,
    language_hits,
    normalize_for_nlp,
    normalize_language_tag,
    stop_words,
)
from .pipelines import (
    MODELS,
    LowercaseLemmas,
    cheap_pipeline,
    import_spacy,
    lemma_table,
    load_model,
    lookup_lemma,
    model_available,
    model_pipeline,
)

__all__ = [
    "MODELS",
    "SUPPORTED_LANGUAGES",
    "LowercaseLemmas",
    "cheap_pipeline",
    "decide_language",
    "detect_language",
    "import_spacy",
    "language_hits",
    "lemma_table",
    "load_model",
    "lookup_lemma",
    "model_available",
    "model_pipeline",
    "normalize_for_nlp",
    "normalize_language_tag",
    "stop_words",
]
