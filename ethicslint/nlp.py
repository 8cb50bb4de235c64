"""Language choice and the spaCy pipelines, loaded lazily and once per process.

Two tiers per language:

* the **cheap** tier, run on all prose: a blank pipeline (tokenizer), lowercase lookup lemmas
  from spacy-lookups-data and rule-based sentence splitting;
* the **model** tier (``en_core_web_sm``, ``fr_core_news_sm``), run only on the sentences a
  checker marks as candidates (``AnalyzedDocument.parse``). When the model is not installed
  the checkers work on the cheap tier alone, and one notice says so.

spaCy is imported inside functions, never at module import, so ``ethicslint --help`` and runs
over files with no prose never pay for it.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

SUPPORTED_LANGUAGES = ("en", "fr")
MODELS = {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}

# One-for-one character substitutions applied before tokenizing: they keep every offset
# identical while letting term lists use a plain apostrophe and a plain space.
_NORMALIZE = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def normalize_for_nlp(text: str) -> str:
    """Text with typographic apostrophes and non-breaking spaces made plain, same length."""
    return text.translate(_NORMALIZE)


@functools.lru_cache(maxsize=None)
def _lemma_table(lang: str):  # type: ignore[no-untyped-def]
    """spacy-lookups-data's lemma table (a spaCy ``Table``: ``get`` hashes string keys)."""
    from spacy.lookups import load_lookups

    lookups = load_lookups(lang, ["lemma_lookup"], strict=False)
    if not lookups.has_table("lemma_lookup"):
        return {}
    return lookups.get_table("lemma_lookup")


@functools.lru_cache(maxsize=None)
def cheap_pipeline(lang: str) -> Language:
    """The blank tier for ``lang``: tokenizer, lowercase lookup lemmas, sentence boundaries."""
    import spacy
    from spacy.language import Language

    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (supported: {', '.join(SUPPORTED_LANGUAGES)})")
    with _fast_tokenizer(lang):
        nlp = spacy.blank(lang)
    factory = f"ethicslint_lemmas_{lang}"
    if not Language.has_factory(factory):
        table = _lemma_table(lang)
        # spaCy's lookup lemmatizer is case-sensitive ("Hurry" stays "Hurry"); copy lemmas
        # are matched in lowercase, so look the lowercase form up.
        Language.component(factory, func=functools.partial(_set_lowercase_lemmas, table=table))
    nlp.add_pipe(factory)
    nlp.add_pipe("sentencizer")
    return nlp


def _fast_tokenizer(lang: str):  # type: ignore[no-untyped-def]
    """French tokenizers are built with the compact token-match pattern (see fast_french)."""
    import contextlib

    if lang != "fr":
        return contextlib.nullcontext()
    from .fast_french import cheap_token_match

    return cheap_token_match()


def _set_lowercase_lemmas(doc, table):  # type: ignore[no-untyped-def]
    get = table.get
    for token in doc:
        lower = token.lower_
        lemma = get(lower, lower)
        if not isinstance(lemma, str):  # some tables (fr) hold a list of candidate lemmas
            lemma = lemma[0] if lemma else lower
        token.lemma_ = lemma
    return doc


_missing_model_noticed: set[str] = set()


@functools.lru_cache(maxsize=None)
def model_pipeline(lang: str) -> Language | None:
    """The statistical tier for ``lang``, or None (with one notice on stderr) when not installed."""
    import spacy

    name = MODELS.get(lang)
    if name is None:
        return None
    try:
        with _fast_tokenizer(lang):
            return spacy.load(name)
    except (OSError, ImportError):
        if lang not in _missing_model_noticed:
            _missing_model_noticed.add(lang)
            hint = "pip install 'ethicslint[fr]'" if lang == "fr" else f"pip install {name}"
            print(f"ethicslint: note: {name} is not installed; {lang} checks use the blank tier "
                  f"(install it for better results: {hint})", file=sys.stderr)
        return None


@functools.lru_cache(maxsize=None)
def model_available(lang: str) -> bool:
    """Whether the statistical model for ``lang`` can be imported (without loading it)."""
    import importlib.util

    name = MODELS.get(lang)
    return bool(name) and importlib.util.find_spec(name) is not None


# --- language detection ------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@functools.lru_cache(maxsize=None)
def _stop_words(lang: str) -> frozenset[str]:
    # importing spacy.lang.fr.stop_words imports the spacy.lang.fr package, tokenizer included
    with _fast_tokenizer(lang):
        if lang == "en":
            from spacy.lang.en.stop_words import STOP_WORDS
        else:
            from spacy.lang.fr.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


# Words that are stop words in both lists say nothing; count only the distinctive ones.
@functools.lru_cache(maxsize=None)
def _distinctive(lang: str) -> frozenset[str]:
    other = "fr" if lang == "en" else "en"
    return _stop_words(lang) - _stop_words(other)


def detect_language(text: str, *, min_hits: int = 2) -> str | None:
    """``"en"`` or ``"fr"`` from the overlap with each language's distinctive stop words.

    None when the text has too few stop words to tell (short labels, names, numbers).
    """
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    if not words:
        return None
    en = _distinctive("en")
    fr = _distinctive("fr")
    en_hits = sum(1 for w in words if w in en)
    fr_hits = sum(1 for w in words if w in fr or w.split("'")[0] + "'" in fr)
    if max(en_hits, fr_hits) < min_hits or en_hits == fr_hits:
        return None
    return "en" if en_hits > fr_hits else "fr"


def normalize_language_tag(tag: object) -> str | None:
    """``"fr-FR"``/``"fr_CA"``/``"French"`` -> ``"fr"``; None for anything unsupported."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    value = tag.strip().lower().replace("_", "-")
    names = {"english": "en", "french": "fr", "français": "fr", "francais": "fr", "anglais": "en"}
    value = names.get(value, value.split("-")[0])
    return value if value in SUPPORTED_LANGUAGES else None
