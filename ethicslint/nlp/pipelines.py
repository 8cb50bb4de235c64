"""The spaCy pipelines, loaded lazily and once per process.

Two tiers per language:

* the **cheap** tier, run on all prose: a blank pipeline (tokenizer), lowercase lookup lemmas
  from spacy-lookups-data and rule-based sentence splitting;
* the **model** tier (``en_core_web_sm``, ``fr_core_news_sm``), run only on the sentences a
  checker marks as candidates (``AnalyzedDocument.parse``). When the model is not installed
  the checkers work on the cheap tier alone, and one notice says so.

spaCy is imported inside functions, never at module import, so ``ethicslint --help`` and runs
over files with no prose never pay for it. Each step below is the ordinary spaCy call; where
:mod:`ethicslint.nlp.speedups` has a faster equivalent, it is used unless
``ETHICSLINT_NO_SPEEDUPS`` is set.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..setup_clock import shared_setup
from . import speedups

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

MODELS = {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}


def import_spacy() -> ModuleType:
    """``import spacy`` (with the speedups: without spaCy's command line, registries indexed)."""
    module = sys.modules.get("spacy")
    if module is not None:
        return module
    if not speedups.enabled():
        import spacy

        return spacy
    from .speedups.entry_points import index_registry_entry_points
    from .speedups.spacy_import import import_spacy_without_cli

    index_registry_entry_points()
    return import_spacy_without_cli()


@contextlib.contextmanager
def building_tokenizer(lang: str) -> Iterator[None]:
    """Wraps whatever builds a tokenizer for ``lang`` (a blank pipeline, a model, the language's
    package): with the speedups, French compiles its compact token-match pattern."""
    if lang != "fr" or not speedups.enabled():
        yield
        return
    from .speedups.french_tokenizer import compact_token_match

    with compact_token_match():
        yield


def spacy_stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop list for ``lang``, through the ordinary import of its module."""
    import_spacy()
    with building_tokenizer(lang):  # the import imports the language's tokenizer exceptions
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    return frozenset(module.STOP_WORDS)


@functools.lru_cache(maxsize=None)
def lemma_table(lang: str) -> Any:
    """spacy-lookups-data's lemma table for ``lang``: anything with ``get(word, default)``."""
    if speedups.enabled():
        from .speedups.lemma_tables import cheap_lemma_table

        try:
            table = cheap_lemma_table(lang)
        except Exception:  # an unexpected package layout: spaCy's own loader still works
            table = None
        if table is not None:
            return table
    from spacy.lookups import load_lookups

    lookups = load_lookups(lang, ["lemma_lookup"], strict=False)
    if not lookups.has_table("lemma_lookup"):
        return {}
    return lookups.get_table("lemma_lookup")


@functools.lru_cache(maxsize=None)
def cheap_pipeline(lang: str) -> Language:
    """The blank tier for ``lang``: tokenizer, lowercase lookup lemmas, sentence boundaries."""
    spacy = import_spacy()
    from spacy.language import Language

    if lang not in MODELS:  # the supported languages (ethicslint.nlp.SUPPORTED_LANGUAGES)
        raise ValueError(f"unsupported language {lang!r} (supported: {', '.join(MODELS)})")
    with building_tokenizer(lang):
        nlp = spacy.blank(lang)
    factory = f"ethicslint_lemmas_{lang}"
    if not Language.has_factory(factory):
        # spaCy's lookup lemmatizer is case-sensitive ("Hurry" stays "Hurry"); copy lemmas
        # are matched in lowercase, so look the lowercase form up.
        Language.component(factory, func=LowercaseLemmas(lang))
    nlp.add_pipe(factory)
    nlp.add_pipe("sentencizer")
    return nlp


class LowercaseLemmas:
    """The cheap tier's lemmatizer: the lookup lemma of each token's lowercase form.

    Works on hashes: one ``to_array`` for the lowercase forms, one ``from_array`` for the lemmas,
    and each distinct form is looked up once per process (a run meets a few thousand).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._vocab = None
        self._lemma_of: dict[int, int] = {}  # lowercase hash -> lemma hash (in self._vocab)

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        if not len(doc):
            return doc
        import numpy
        from spacy.attrs import LEMMA, LOWER

        if doc.vocab is not self._vocab:  # the lemma strings must be in this Doc's string store
            self._vocab, self._lemma_of = doc.vocab, {}
        lemma_of = self._lemma_of
        lowers = doc.to_array(LOWER).tolist()
        missing = set(lowers).difference(lemma_of)
        if missing:
            strings = doc.vocab.strings
            table = lemma_table(self.lang)
            for h in missing:
                lemma_of[h] = strings.add(lookup_lemma(table, strings[h]))
        lemmas = numpy.array(list(map(lemma_of.__getitem__, lowers)), dtype=numpy.uint64)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def lookup_lemma(table: Any, lower: str) -> str:
    """The lemma ``table`` gives ``lower``, or ``lower`` itself."""
    lemma = table.get(lower, lower)
    if not isinstance(lemma, str):  # some tables (fr) hold a list of candidate lemmas
        lemma = lemma[0] if lemma else lower
    return lemma


_missing_model_noticed: set[str] = set()


@functools.lru_cache(maxsize=None)
def model_pipeline(lang: str) -> Language | None:
    """The statistical tier for ``lang``, or None (with one notice on stderr) when not installed."""
    name = MODELS.get(lang)
    if name is None:
        return None
    try:
        with shared_setup(), building_tokenizer(lang):
            return load_model(name)
    except (OSError, ImportError):
        if lang not in _missing_model_noticed:
            _missing_model_noticed.add(lang)
            hint = "pip install 'ethicslint[fr]'" if lang == "fr" else f"pip install {name}"
            print(f"ethicslint: note: {name} is not installed; {lang} checks use the blank tier "
                  f"(install it for better results: {hint})", file=sys.stderr)
        return None


def load_model(name: str) -> Language:
    """``spacy.load(name)`` (with the speedups: its rule lemmatizer's tables read lazily)."""
    spacy = import_spacy()
    if speedups.enabled():
        from .speedups.model_lemmatizer import load_with_lazy_lemmatizer

        nlp = load_with_lazy_lemmatizer(spacy, name)
        if nlp is not None:
            return nlp
    return spacy.load(name)


@functools.lru_cache(maxsize=None)
def model_available(lang: str) -> bool:
    """Whether the statistical model for ``lang`` can be imported (without loading it)."""
    import importlib.util

    name = MODELS.get(lang)
    return bool(name) and importlib.util.find_spec(name) is not None
