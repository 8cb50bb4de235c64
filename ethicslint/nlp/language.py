"""Which language a text is in: supported languages, tags, and detection by stop words.

Detection counts each language's distinctive stop words (spaCy's lists), so it must not cost a
spaCy import: with the speedups, the lists come from a data file (:mod:`.speedups.stop_words`).
"""

from __future__ import annotations

import functools
import re

from . import speedups

SUPPORTED_LANGUAGES = ("en", "fr")

# One-for-one character substitutions applied before tokenizing: they keep every offset
# identical while letting term lists use a plain apostrophe and a plain space.
_NORMALIZE = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_NEEDS_NORMALIZING = re.compile("[\u2019\u02bc\u00a0\u202f\u2009]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def normalize_for_nlp(text: str) -> str:
    """Text with typographic apostrophes and non-breaking spaces made plain, same length."""
    return text.translate(_NORMALIZE) if _NEEDS_NORMALIZING.search(text) else text


@functools.lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop list for ``lang``."""
    from .pipelines import spacy_stop_words

    if speedups.enabled():
        from .speedups.stop_words import stored_stop_words

        return stored_stop_words(lang, spacy_stop_words)
    return spacy_stop_words(lang)


# Words that are stop words in both lists say nothing; count only the distinctive ones.
@functools.lru_cache(maxsize=None)
def _distinctive(lang: str) -> frozenset[str]:
    other = "fr" if lang == "en" else "en"
    return stop_words(lang) - stop_words(other)


def language_hits(text: str) -> tuple[int, int, int]:
    """``(words, English hits, French hits)``: the counts :func:`detect_language` decides on.

    Counts add up over texts joined by spaces, so a document's counts are the sum of its segments'.
    """
    words = _WORD.findall(text)
    if not words:
        return 0, 0, 0
    en = _distinctive("en")
    fr = _distinctive("fr")
    en_hits = fr_hits = 0
    for word in words:
        w = word.lower().replace("\u2019", "'")
        if w in en:
            en_hits += 1
        if w in fr or w.split("'")[0] + "'" in fr:
            fr_hits += 1
    return len(words), en_hits, fr_hits


def decide_language(hits: tuple[int, int, int], *, min_hits: int = 2) -> str | None:
    """The language :func:`detect_language` gives for these :func:`language_hits` counts."""
    words, en_hits, fr_hits = hits
    if not words or max(en_hits, fr_hits) < min_hits or en_hits == fr_hits:
        return None
    return "en" if en_hits > fr_hits else "fr"


def detect_language(text: str, *, min_hits: int = 2) -> str | None:
    """``"en"`` or ``"fr"`` from the overlap with each language's distinctive stop words.

    None when the text has too few stop words to tell (short labels, names, numbers).
    """
    return decide_language(language_hits(text), min_hits=min_hits)


def normalize_language_tag(tag: object) -> str | None:
    """``"fr-FR"``/``"fr_CA"``/``"French"`` -> ``"fr"``; None for anything unsupported."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    value = tag.strip().lower().replace("_", "-")
    names = {"english": "en", "french": "fr", "français": "fr", "francais": "fr", "anglais": "en"}
    value = names.get(value, value.split("-")[0])
    return value if value in SUPPORTED_LANGUAGES else None
