"""Load spaCy's French tokenizer without its 2-second regular-expression compile.

``spacy/lang/fr/tokenizer_exceptions.py`` builds ``TOKEN_MATCH`` from ~260 alternatives that
each spell out spaCy's whole lowercase-letter class (3,000 characters) — a 1.4 MB pattern that
takes about 2 s to compile at import, on every ``spacy.blank("fr")`` and again when
``fr_core_news_sm`` deserializes its tokenizer. That alone would make a pre-commit run on one
French file several times slower than on an English one.

With the ``(?iu)`` flags the pattern already carries, each of those classes means "a letter", which
``[^\\W\\d_]`` says in six characters. The rewritten pattern compiles in ~50 ms and matches the same
tokens, except in hyphenated words that mix in letters outside spaCy's alphabet or numeric symbols
such as "²" (a test compares both tokenizers over real French text). Only patterns longer than
100,000 characters that start with ``(?iu)`` and contain spaCy's letter class are rewritten; anything
else compiles untouched, and if spaCy changes the pattern the rewrite simply finds nothing to do.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

LETTER = r"[^\W\d_]"
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_LOCK = threading.Lock()


def cheap_letter_classes(pattern: str, alpha: str, alpha_lower: str) -> str:
    """``pattern`` with every character class built on spaCy's letter classes made compact."""

    def rewrite(match: re.Match[str]) -> str:
        body = match.group(0)[1:-1]
        for letters in (alpha_lower, alpha):
            if body == letters:
                return LETTER
            if letters in body:
                rest = body.replace(letters, "")
                return f"(?:[{rest}]|{LETTER})" if rest else LETTER
        return match.group(0)

    return _CLASS.sub(rewrite, pattern)


def _is_french_token_match(pattern: object, alpha_lower: str) -> bool:
    return isinstance(pattern, str) and len(pattern) > 100_000 and pattern.startswith("(?iu)") \
        and alpha_lower in pattern


@contextlib.contextmanager
def cheap_token_match() -> Iterator[None]:
    """Within this block, the French token-match pattern compiles in its compact form."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    real_compile = re.compile

    def compile_(pattern, flags=0):  # type: ignore[no-untyped-def]
        if _is_french_token_match(pattern, ALPHA_LOWER):
            pattern = cheap_letter_classes(pattern, ALPHA, ALPHA_LOWER)
        return real_compile(pattern, flags)

    with _LOCK:
        re.compile = compile_  # type: ignore[assignment]
        try:
            yield
        finally:
            re.compile = real_compile  # type: ignore[assignment]
