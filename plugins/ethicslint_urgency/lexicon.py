"""The urgency checker's terms, compiled once per language and config, and matched cheaply.

The terms are data (``terms/en.toml``, ``terms/fr.toml``). Entries named ``URGnnn`` or
``URGnnn/<variant>`` are triggers of rule URGnnn; ``decline`` and ``first-person`` start a
confirmshaming candidate; every other entry is context, read only around a trigger.

Speed: the cheap pass runs on every segment of every file, so trigger *phrases* (a PhraseMatcher)
run everywhere, but a token *pattern* entry runs only where one of its gates opens
(:mod:`ethicslint_urgency.gates`: the words it cannot match without, close enough together).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import TermMatch, TermMatcher, TermTable, like_num, load_terms, stop_words, terms_for_language

from .gates import GateIndex

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

TERMS_DIR = Path(__file__).parent / "terms"
DEVICE_CODES = ("URG101", "URG102", "URG103", "URG201", "URG202", "URG301", "URG401")
TRIGGER_CONTEXT = ("decline", "first-person")  # context entries that also start a candidate
_DIGIT = re.compile(r"\d")  # date terms are matched only in a text that has one


def code_of(label: str) -> str:
    """``"URG201/count"`` -> ``"URG201"``; context labels come back unchanged."""
    return label.split("/", 1)[0]


def entry_of(pattern_label: str) -> str:
    """``"URG201/count#2"`` (the third pattern of entry URG201/count) -> ``"URG201/count"``."""
    return pattern_label.split("#", 1)[0]


def is_trigger(label: str) -> bool:
    return code_of(label) in DEVICE_CODES or label in TRIGGER_CONTEXT


# --- compiled terms --------------------------------------------------------------------------

def _table(source: str, entries: dict[str, dict[str, list[Any]]], data: dict[str, dict[str, Any]]) -> TermTable:
    full = {label: {kind: list(kinds.get(kind, [])) for kind in ("phrases", "lemmas", "patterns")}
            for label, kinds in entries.items()}
    return TermTable(source=source, entries=full, data=data)


def context_group(label: str) -> str:
    """Context entries are matched in small groups, each only when asked for: dates (only in a
    text with a digit), shaming terms (only around a decline), and the cues every candidate
    needs (discussion, negation) together."""
    base = code_of(label)
    if base in ("benefit", "loss", "shame-negation"):
        return "shame"
    if base in ("discussion", "weak-discussion", "negation"):
        return "cues"
    return base


@dataclass
class Compiled:
    """The terms of one language, plus the user's extra terms, compiled once.

    The token patterns and the context terms are compiled on first use: a pre-commit run on a
    file with no candidate never needs them, and compiling them costs more than checking it."""

    lang: str
    phrases: TermMatcher  # the phrases and lemmas of every trigger entry
    gates: GateIndex  # which trigger patterns may match in a text
    pattern_table: TermTable  # every trigger pattern, one per label ``entry#index`` (see :attr:`patterns`)
    context_tables: dict[str, TermTable]  # context group -> its entries (see :meth:`context_matches`)
    data: dict[str, dict[str, Any]]  # entry label -> its extra keys (conditions, kind...)
    allow: tuple[str, ...] = field(default=())
    # the user's extra terms are in the tables: spaCy checks each pattern (the shipped terms files
    # are compiled with that check by tests/test_performance.py, and skip it here)
    user_terms: bool = False
    _context: dict[str, TermMatcher] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def patterns(self) -> TermMatcher:
        """Every trigger pattern, each under its own label (``entry#index``): called with the
        patterns whose gates opened, it runs only those, not every pattern of their entries."""
        return TermMatcher(self.pattern_table, self.lang, validate=self.user_terms)

    def pattern_matches(self, doc: Doc, patterns: set[str] | None = None) -> list[TermMatch]:
        """Matches of ``patterns`` (default: every trigger pattern), labelled by their entry."""
        return [TermMatch(entry_of(m.label), m.span) for m in self.patterns(doc, patterns)]

    def may_shame(self, doc: Doc) -> bool:
        """Whether a benefit or loss term may match in ``doc``, by the host's screen (set lookups,
        every word of a term in the segment; False is a proof): a decline with neither in its
        segment cannot be confirmshaming."""
        matcher = self.context_matcher("shame")
        return matcher is not None and matcher.screen(doc, self._shame_labels, near=False)

    @functools.cached_property
    def _shame_labels(self) -> frozenset[str]:
        table = self.context_tables.get("shame")
        return frozenset(label for label in table.entries if code_of(label) in ("benefit", "loss")) if table else frozenset()

    def context_matcher(self, group: str) -> TermMatcher | None:
        matcher = self._context.get(group)
        if matcher is None and group in self.context_tables:
            matcher = self._context[group] = TermMatcher(self.context_tables[group], self.lang,
                                                         validate=self.user_terms)
        return matcher

    def triggers(self, doc: Doc, text: str) -> list[TermMatch]:
        """Trigger matches in ``doc`` (whose text is ``text``), by position, longest first."""
        found = self.phrases(doc)
        labels = self.gates.open_labels(doc)
        if labels:
            found.extend(self.pattern_matches(doc, labels))
        if any(m.label in TRIGGER_CONTEXT for m in found) and not self.may_shame(doc):
            # a decline ("No", "No thanks") with no benefit or loss term in its segment is no candidate
            found = [m for m in found if m.label not in TRIGGER_CONTEXT]
        return sorted(found, key=lambda m: (m.span.start, -m.span.end)) if len(found) > 1 else found

    def context_matches(self, group: str, doc: Doc, text: str) -> list[TermMatch]:
        if group == "date" and _DIGIT.search(text) is None:
            return []
        matcher = self.context_matcher(group)
        return matcher(doc) if matcher is not None else []


@functools.lru_cache(maxsize=16)
def _compiled(lang: str, extra_json: str, allow_json: str) -> Compiled:
    table = load_terms(TERMS_DIR / f"{lang}.toml")
    extra = json.loads(extra_json)
    if extra:
        table = table.extended(extra, source="[tool.ethicslint.urgency] extra-terms")
    allow = tuple(sorted({a.strip().lower() for a in json.loads(allow_json) if a.strip()}))
    phrases = {label: {"phrases": kinds.get("phrases", []), "lemmas": kinds.get("lemmas", [])}
               for label, kinds in table.entries.items() if is_trigger(label)}
    patterns = {f"{label}#{index}": {"patterns": [pattern]} for label, kinds in table.entries.items()
                if is_trigger(label) for index, pattern in enumerate(kinds.get("patterns") or ())}
    groups: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for label, kinds in table.entries.items():
        if not is_trigger(label):
            groups.setdefault(context_group(label), {})[label] = kinds
    pattern_table = _table(table.source, patterns, table.data)
    compiled = Compiled(lang, TermMatcher(_table(table.source, phrases, table.data), lang, validate=bool(extra)),
                        GateIndex(pattern_table, patterns, stop_words(lang), like_num(lang)),
                        pattern_table,
                        {group: _table(table.source, entries, table.data) for group, entries in groups.items()},
                        table.data, allow, user_terms=bool(extra))
    if extra:  # the user's own terms: report a malformed pattern now, not on the first text needing it
        compiled.patterns  # noqa: B018
        for group in groups:
            compiled.context_matcher(group)
    return compiled


def compiled_for(lang: str, config: dict[str, Any]) -> Compiled:
    """The compiled terms for ``lang`` and this plugin config (cached per distinct config; the
    host passes one config object to every document of a run, so it is looked up by identity
    first instead of serialised for each document)."""
    held, by_lang = _LAST_CONFIG.get(id(config), (None, {}))
    if held is not config:
        by_lang = {}
        _LAST_CONFIG.clear()
        _LAST_CONFIG[id(config)] = (config, by_lang)
    compiled = by_lang.get(lang)
    if compiled is None:
        extra = terms_for_language(config.get("extra-terms"), lang)
        compiled = by_lang[lang] = _compiled(lang, json.dumps(extra, sort_keys=True),
                                             json.dumps(sorted(config.get("allow") or [])))
    return compiled


_LAST_CONFIG: dict[int, tuple[dict[str, Any], dict[str, Compiled]]] = {}
