"""What the cheap tier knows of a word without a ``Doc``: the stop words and the number test.

A checker that indexes its terms before any text is read (which words are too common to index
by, which strings can stand for a number) needs the very lists that set ``token.is_stop`` and
``token.like_num`` on the Docs it will be given. These functions give them, for the languages of
the cheap tier, without the plugin reaching into the host's pipeline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from .nlp import cheap_pipeline


@functools.lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """The lowercase stop words of ``lang`` (``"en"``, ``"fr"``): those ``token.is_stop`` is True for."""
    return frozenset(cheap_pipeline(lang).Defaults.stop_words)


def like_num(lang: str) -> Callable[[str], bool]:
    """The test behind ``token.like_num`` for ``lang``: ``like_num("en")("twelve")`` is True."""
    from spacy.attrs import LIKE_NUM

    return cheap_pipeline(lang).vocab.lex_attr_getters[LIKE_NUM]  # type: ignore[no-any-return]
