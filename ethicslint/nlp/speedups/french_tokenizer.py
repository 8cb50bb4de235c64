"""Build spaCy's French tokenizer with a compact form of its token-match pattern.

Replaces: ``re.compile`` of the French ``TOKEN_MATCH`` pattern, when ``spacy.lang.fr`` is first
imported (``spacy.blank("fr")``, the French stop words) and when ``fr_core_news_sm`` deserializes
its tokenizer.

Why: ``spacy/lang/fr/tokenizer_exceptions.py`` builds ``TOKEN_MATCH`` from a few hundred
alternatives that each spell out spaCy's whole lowercase-letter class (3,000 characters): a
pattern of more than a megabyte whose compile dominates the start of any French run. With the
``(?iu)`` flags the pattern already carries, each of those classes means "a letter", which
``[^\\W\\d_]`` says in six characters (:func:`cheap_letter_classes`). Only patterns longer than
100,000 characters that start with ``(?iu)`` and contain spaCy's letter class are rewritten;
anything else compiles untouched, and if spaCy changes the pattern the rewrite finds nothing to do.

The tokenizer also calls ``TOKEN_MATCH`` on every piece of every word it has not cached, and each
call tries every alternative. Every alternative requires a hyphen or an elision apostrophe
(``porte-monnaie``, ``entr'ouvert``), so the compiled pattern is wrapped in a gate
(:class:`GatedPattern`) that tries it only on strings holding one of those characters:
:func:`required_characters` proves that from the pattern itself, and without such proof there is
no gate.

How: :func:`compact_token_match` swaps ``re.compile`` process-wide, under a lock, for the duration
of the block that builds the tokenizer; every other pattern compiles untouched.

Saves: the compile of the stock pattern on every French run, and most token-match calls
(``benchmarks/run.py`` measures one French file and the tokenizer floor).

Checked: ``tests/test_speedups.py`` tokenizes real French text with this tokenizer and with stock
spaCy (in a process with ``ETHICSLINT_NO_SPEEDUPS=1``) and compares every token; the rewrite
differs in theory only on hyphenated words mixing letters outside spaCy's alphabet or numeric
symbols such as "²", and the test corpus holds none that tokenize differently.
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
    fast = _cheap_letter_classes_fast(pattern, alpha, alpha_lower)
    return fast if fast is not None else _cheap_letter_classes_slow(pattern, alpha, alpha_lower)


def _cheap_letter_classes_slow(pattern: str, alpha: str, alpha_lower: str) -> str:
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


_LOWER_MARK, _ALPHA_MARK = "\ue000", "\ue001"  # private-use characters standing for the classes


def _cheap_letter_classes_fast(pattern: str, alpha: str, alpha_lower: str) -> str | None:
    """The same rewrite, faster: the 3,000-character letter runs are first replaced by one
    private-use character each (``str.replace`` runs in C over the 1.4 MB pattern), so the class
    scan runs over 13 KB. None when that shortcut cannot be shown to give the same result."""
    for letters in (alpha, alpha_lower):
        # each run must stay one unit for the class scan: no brackets, no dangling escape, and
        # never the escaped character of a backslash before it
        trailing = len(letters) - len(letters.rstrip("\\"))
        if not letters or "[" in letters or "]" in letters or trailing % 2 or "\\" + letters in pattern:
            return None
    if alpha in alpha_lower or alpha_lower in alpha or _LOWER_MARK in pattern or _ALPHA_MARK in pattern:
        return None
    marked = pattern.replace(alpha_lower, _LOWER_MARK).replace(alpha, _ALPHA_MARK)

    def rewrite(match: re.Match[str]) -> str:
        body = match.group(0)[1:-1]
        for mark, other, letters in ((_LOWER_MARK, _ALPHA_MARK, alpha), (_ALPHA_MARK, _LOWER_MARK, alpha_lower)):
            if body == mark:
                return LETTER
            if mark in body:
                rest = body.replace(mark, "").replace(other, letters)
                return f"(?:[{rest}]|{LETTER})" if rest else LETTER
        return match.group(0)

    rewritten = _CLASS.sub(rewrite, marked)
    return rewritten.replace(_LOWER_MARK, alpha_lower).replace(_ALPHA_MARK, alpha)


def _split_top(text: str, separator: str) -> list[str] | None:
    """``text`` split at ``separator`` outside groups and classes; None if unbalanced."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = _class_end(text, i)
            if end < 0:
                return None
            i = end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return None
    parts.append(text[start:])
    return parts


def _class_end(text: str, start: int) -> int:
    i = start + 1
    if i < len(text) and text[i] == "^":
        i += 1
    if i < len(text) and text[i] == "]":
        i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "]":
            return i
        i += 1
    return -1


def required_characters(pattern: str, candidates: str) -> str | None:
    """Characters of ``candidates`` of which every match of ``pattern`` contains at least one.

    The proof is structural: after an inline-flags prefix, ``pattern`` is an alternation of
    ``(?:...)`` groups, and each group, at its own top level, has no alternation and has a
    character class made only of ``candidates`` characters that is not optional (not followed by
    ``?``, ``*`` or ``{0``). None when that cannot be shown.
    """
    body = re.sub(r"^\(\?[a-zA-Z]+\)", "", pattern)
    alternatives = _split_top(body, "|")
    if not alternatives:
        return None
    found: set[str] = set()
    for alternative in alternatives:
        if not (alternative.startswith("(?:") and alternative.endswith(")")):
            return None
        inner = alternative[3:-1]
        if _split_top(inner, "|") != [inner]:
            return None
        chars = _required_class(inner, candidates)
        if chars is None:
            return None
        found.update(chars)
    return "".join(sorted(found))


def _required_class(inner: str, candidates: str) -> str | None:
    depth, i = 0, 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "[":
            end = _class_end(inner, i)
            if end < 0:
                return None
            members = inner[i + 1:end]
            following = inner[end + 1:end + 3]
            optional = following[:1] in ("?", "*") or following.startswith("{0")
            dash_inside = "-" in members[1:-1]  # a range, not a literal dash
            if depth == 0 and members and not optional and not dash_inside \
                    and not members.startswith("^") and "\\" not in members \
                    and all(c in candidates for c in members):
                return members
            i = end + 1
            continue
        i += 1
    return None


class GatedPattern:
    """A compiled pattern whose ``match`` first checks for one of ``required`` characters.

    Used as ``GatedPattern(...).match``: spaCy reads the source back from ``match.__self__.pattern``.
    """

    def __init__(self, compiled: re.Pattern[str], required: str) -> None:
        self._compiled = compiled
        self.required = required
        self._has_required = re.compile("[" + re.escape(required) + "]").search
        self.pattern = compiled.pattern
        self.flags = compiled.flags

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        if self._has_required(string) is None:
            return None
        return self._compiled.match(string, *args)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._compiled, name)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (GatedPattern, (self._compiled, self.required))


# Hyphens and elision apostrophes as spaCy's French tokenizer exceptions spell them.
GATE_CANDIDATES = "-\u2013\u2014\u2010\u2011'\u2019"


def _is_french_token_match(pattern: object, alpha_lower: str) -> bool:
    return isinstance(pattern, str) and len(pattern) > 100_000 and pattern.startswith("(?iu)") \
        and alpha_lower in pattern


@contextlib.contextmanager
def compact_token_match() -> Iterator[None]:
    """Within this block, the French token-match pattern compiles in its compact form."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    real_compile = re.compile

    def compile_(pattern, flags=0):  # type: ignore[no-untyped-def]
        if _is_french_token_match(pattern, ALPHA_LOWER):
            pattern = cheap_letter_classes(pattern, ALPHA, ALPHA_LOWER)
            compiled = real_compile(pattern, flags)
            required = required_characters(pattern, GATE_CANDIDATES)
            return GatedPattern(compiled, required) if required else compiled
        return real_compile(pattern, flags)

    with _LOCK:
        re.compile = compile_  # type: ignore[assignment]
        try:
            yield
        finally:
            re.compile = real_compile  # type: ignore[assignment]
