"""Copy kinds: what a document (or one string of a catalogue) is, so a rule runs only where it means something.

A password-reset e-mail that says the link "expires in 24 hours" states an account event, not
sales pressure; an age bracket in a statistic is not an age limit in a job ad; a field label in a
translation catalogue is not a lead form. Every rule declares the kinds it applies to
(:attr:`ethicslint.Rule.kinds`) and the host drops findings outside them, so third-party rules get
this without writing a line.

The kind is decided, in this order: the config's ``[tool.ethicslint.kinds]`` globs, the
document's front matter (``kind:``), then the words of the path (data: ``data/kinds.toml``). In
string catalogues each string can refine it from its key and, in gettext files, the source files
that use it (``mailer.confirm_order.subject`` is transactional in a ``ui-strings`` file).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

PROMOTIONAL = "promotional"
TRANSACTIONAL = "transactional"
EDITORIAL = "editorial"
UI_STRINGS = "ui-strings"
LEGAL = "legal"
RECRUITMENT = "recruitment"

KINDS: tuple[str, ...] = (PROMOTIONAL, TRANSACTIONAL, EDITORIAL, UI_STRINGS, LEGAL, RECRUITMENT)
"""Every copy kind, in the order docs list them."""

# When one path part holds words of several kinds ("jobs-post-01"), the first kind here wins: the
# narrower purpose decides.
_PRECEDENCE = (RECRUITMENT, LEGAL, TRANSACTIONAL, EDITORIAL, PROMOTIONAL, UI_STRINGS)
# A catalogue string's own key or references may move it out of ``ui-strings`` only to these:
# kinds that change what a rule means (an account e-mail, a policy text, a job ad).
_STRING_KINDS = frozenset({TRANSACTIONAL, LEGAL, RECRUITMENT})
CATALOGUE_FORMATS = frozenset({"yaml", "json", "po"})

_WORD = re.compile(r"[^\W_]+")
_DATA = Path(__file__).parent / "data" / "kinds.toml"


def parse_kind(value: object) -> str | None:
    """``"Transactional"``/``"ui_strings"`` -> the canonical kind; None when it names none."""
    if not isinstance(value, str):
        return None
    name = value.strip().lower().replace("_", "-").replace(" ", "-")
    return name if name in KINDS else None


def words(text: str) -> list[str]:
    """Lowercase words without accents: ``"Mentions-légales_fr"`` -> mentions, legales, fr."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


class _Phrases:
    """Phrases (tuples of words) indexed by their first word: a path part is looked up word by
    word instead of trying every phrase at every position (kinds are decided for every document,
    so this runs once per file, and once per variant in ``ethicslint batch``)."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:  # an empty phrase matches nothing
                self.by_first.setdefault(phrase[0], []).append(phrase)

    def longest_in(self, part: list[str]) -> int:
        """The number of words of the longest phrase that ``part`` holds in a row (0: none)."""
        longest = 0
        for i, word in enumerate(part):
            for phrase in self.by_first.get(word, ()):
                if len(phrase) > longest and tuple(part[i:i + len(phrase)]) == phrase:
                    longest = len(phrase)
        return longest


_NO_PHRASES = _Phrases(())


class _Vocabulary:
    """The path words of each kind, as tuples of words, strong and weak."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.strong: dict[str, _Phrases] = {}
        self.weak: dict[str, _Phrases] = {}
        for kind, table in data.items():
            canonical = parse_kind(kind)
            if canonical is None:
                raise ValueError(f"kinds.toml: unknown kind {kind!r}")
            self.strong[canonical] = _Phrases(tuple(words(w)) for w in table.get("words", []))
            self.weak[canonical] = _Phrases(tuple(words(w)) for w in table.get("weak", []))

    def kind_of_parts(self, parts: list[list[str]], allowed: Iterable[str] = KINDS) -> str | None:
        """The kind the deepest matching part names (strong words first, then weak ones). In one
        part, the longest phrase wins ("press release" is the company's own announcement, "press"
        alone its coverage), then the narrower purpose (:data:`_PRECEDENCE`)."""
        allowed = tuple(k for k in _PRECEDENCE if k in set(allowed))
        for table in (self.strong, self.weak):
            for part in reversed(parts):
                lengths = [(table.get(kind, _NO_PHRASES).longest_in(part), kind) for kind in allowed]
                longest = max((n for n, _ in lengths), default=0)
                if longest:
                    return next(kind for n, kind in lengths if n == longest)
        return None


@functools.lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    with _DATA.open("rb") as handle:
        return _Vocabulary(tomllib.load(handle))


def _path_parts(path: str) -> list[list[str]]:
    pure = PurePosixPath(path.replace(os.sep, "/"))
    names = [*pure.parent.parts, pure.stem]
    return [w for w in (words(name) for name in names) if w]


def kind_from_path(path: str, fmt: str) -> str:
    """The kind a path's words say, else the format's default: catalogues are ``ui-strings``,
    every other document ``promotional`` (the kind every rule applies to)."""
    vocabulary = _vocabulary()
    parts = _path_parts(path)
    if fmt in CATALOGUE_FORMATS and vocabulary.strong[UI_STRINGS].longest_in([w for p in parts for w in p]):
        return UI_STRINGS  # a translation catalogue, whatever screen its file is named after
    found = vocabulary.kind_of_parts(parts)
    if found is not None:
        return found
    from .language_hints import language_from_path

    if fmt in CATALOGUE_FORMATS and language_from_path(path) is not None:
        return UI_STRINGS
    return PROMOTIONAL


def kind_of_string(key: str | None, origin: str | None) -> str | None:
    """A catalogue string's own kind from its key (``mailer.reset.body``) and the files that use it
    (gettext ``#:`` references), when they name an account message, a policy or a job ad."""
    parts = [words(piece) for piece in (key or "").split(".")] if key else []
    for reference in (origin or "").split():
        parts.extend(_path_parts(reference.split(":")[0]))
    parts = [p for p in parts if p]
    return _vocabulary().kind_of_parts(parts, _STRING_KINDS) if parts else None


def configured_kind(path: str, globs: Mapping[str, str], root: Path) -> str | None:
    """The kind the config's ``kinds`` table gives ``path`` (the last matching glob wins, as in
    gitignore), or None."""
    if not globs:
        return None
    from .config_globs import config_relative, glob_spec

    target = config_relative(path, root)
    found = None
    for glob, kind in globs.items():
        if glob_spec(glob).match_file(target):
            found = kind
    return found


def document_kind(path: str, fmt: str, metadata: Mapping[str, Any], globs: Mapping[str, str],
                  root: Path) -> str:
    """The kind of one document: config globs, then front matter ``kind``, then the path."""
    return (configured_kind(path, globs, root) or parse_kind(metadata.get("kind"))
            or kind_from_path(path, fmt))


def assign_kinds(document: Any, globs: Mapping[str, str], root: Path) -> None:
    """Set ``copy_kind`` on a :class:`~ethicslint.model.Document` and on each of its segments."""
    document.copy_kind = document_kind(document.path, document.format, document.metadata, globs, root)
    catalogue = document.format in CATALOGUE_FORMATS and document.copy_kind == UI_STRINGS
    for segment in document.segments:
        own = None
        if catalogue:
            own = kind_of_string(segment.key if document.format != "po" else None, segment.origin)
        segment.copy_kind = own or document.copy_kind


def applies(rule: Any, kind: str | None) -> bool:
    """Whether ``rule`` runs on copy of ``kind`` (None: unknown, every rule runs)."""
    return kind is None or kind in rule.kinds


def kind_at(document: Any, line: int, column: int) -> str | None:
    """The kind of the copy at a finding's position: its segment's, else the document's."""
    segment = document.segment_at(document.offset_of(line, column))
    return segment.copy_kind if segment is not None and segment.copy_kind else document.copy_kind
