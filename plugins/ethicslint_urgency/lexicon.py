"""The urgency checker's terms, loaded once per language and config, and matched cheaply.

The terms are data (``terms/en.toml``, ``terms/fr.toml``), loaded by the host's one terms loader
(``ethicslint.matching.matcher_for``). Entries named ``URGnnn`` or ``URGnnn/<variant>`` are
triggers of rule URGnnn; ``decline`` and ``first-person`` start a confirmshaming candidate; every
other entry is context, read only around a trigger.

A segment is matched only for the triggers the host's pre-filter (``TermMatcher.prefilter_labels``,
``docs/prefilter.md``) cannot rule out in it, and context entries only when a candidate asks for
their group.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicslint import TermMatch, TermMatcher, matcher_for

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

TERMS_DIR = Path(__file__).parent / "terms"
DEVICE_CODES = ("URG101", "URG102", "URG103", "URG201", "URG202", "URG301", "URG401")
TRIGGER_CONTEXT = ("decline", "first-person")  # context entries that also start a candidate
_DIGIT = re.compile(r"\d")  # date terms are matched only in a text that has one


def code_of(label: str) -> str:
    """``"URG201/count"`` -> ``"URG201"``; context labels come back unchanged."""
    return label.split("/", 1)[0]


def is_trigger(label: str) -> bool:
    return code_of(label) in DEVICE_CODES or label in TRIGGER_CONTEXT


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
    """The terms of one language, plus the user's extra terms, and the label sets matched apart."""

    lang: str
    terms: TermMatcher  # every entry of the terms file and of the user's extra terms
    allow: tuple[str, ...] = ()

    @property
    def data(self) -> dict[str, dict[str, Any]]:
        """Entry label -> its extra keys (conditions, kind...)."""
        return self.terms.table.data

    @functools.cached_property
    def trigger_labels(self) -> frozenset[str]:
        return frozenset(label for label in self.terms.labels if is_trigger(label))

    @functools.cached_property
    def context_labels(self) -> dict[str, frozenset[str]]:
        """Context group (see :func:`context_group`) -> its labels."""
        groups: dict[str, set[str]] = {}
        for label in self.terms.labels - self.trigger_labels:
            groups.setdefault(context_group(label), set()).add(label)
        return {group: frozenset(labels) for group, labels in groups.items()}

    @functools.cached_property
    def _shame_labels(self) -> frozenset[str]:
        return frozenset(label for label in self.context_labels.get("shame", ()) if code_of(label) in ("benefit", "loss"))

    def may_shame(self, doc: Doc) -> bool:
        """Whether a benefit or loss term may match in ``doc``, by the host's pre-filter (False is
        a proof): a decline with neither in its segment cannot be confirmshaming."""
        return self.terms.prefilter(doc, self._shame_labels, near=False)

    def triggers(self, doc: Doc, text: str) -> list[TermMatch]:
        """Trigger matches in ``doc`` (whose text is ``text``), by position, longest first."""
        labels = self.terms.prefilter_labels(doc, self.trigger_labels)
        if not labels:
            return []
        found = self.terms(doc, labels)
        if any(m.label in TRIGGER_CONTEXT for m in found) and not self.may_shame(doc):
            # a decline ("No", "No thanks") with no benefit or loss term in its segment is no candidate
            found = [m for m in found if m.label not in TRIGGER_CONTEXT]
        return found

    def context_matches(self, group: str, doc: Doc, text: str) -> list[TermMatch]:
        if group == "date" and _DIGIT.search(text) is None:
            return []
        labels = self.context_labels.get(group)
        return self.terms(doc, labels) if labels else []


@functools.lru_cache(maxsize=64)
def _compiled(terms: TermMatcher, allow: tuple[str, ...]) -> Compiled:
    return Compiled(terms.lang, terms, allow)


def compiled_for(lang: str, config: dict[str, Any]) -> Compiled:
    """The compiled terms for ``lang`` and this plugin config (cached per distinct config)."""
    terms = matcher_for(TERMS_DIR, lang, config.get("extra-terms"),
                        source="[tool.ethicslint.urgency] extra-terms")
    allow = tuple(sorted({a.strip().lower() for a in config.get("allow") or [] if a.strip()}))
    return _compiled(terms, allow)
