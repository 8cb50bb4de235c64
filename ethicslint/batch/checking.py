"""Checking variants with one warm :class:`ethicslint.Linter`: what every engine runs in its workers.

Each variant is checked by :meth:`Linter.check_text_result` — so its findings are exactly those
of ``Linter.check_text`` for that text, language, kind and metadata — under a path of its own,
``row-000000042.txt``: a plain-text name with no kind or language in its words, which lets the
corpus-level findings (which point at a file) be traced back to their variant. A row that cannot
be checked becomes one ``EL107`` finding. What comes back is plain, picklable data, so it travels
between processes, Ray actors and Dask workers alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..host_rules import UNCHECKABLE_VARIANT
from ..model import Finding
from .readers import Variant
from .rows import spans

_ROW_PATH = re.compile(r"row-(\d+)\.txt")


def row_path(row: int) -> str:
    """The path a variant is checked under (zero-padded: path order is row order)."""
    return f"row-{row:09d}.txt"


def row_of(path: str) -> int | None:
    """The row a :func:`row_path` names, or None."""
    match = _ROW_PATH.fullmatch(path)
    return int(match.group(1)) if match else None


@dataclass
class Checked:
    """One variant's outcome (picklable)."""

    row: int
    id: str
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, Any] = field(default_factory=dict)  # plugin -> its corpus summary
    source: str | None = None  # the text, kept only when a plugin collected a summary from it
    copy_kind: str | None = None
    plugin_errors: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # each finding's offsets in the text


@dataclass(frozen=True)
class LinterSpec:
    """How each worker builds its Linter: what ``ethicslint batch`` was given (picklable)."""

    config: str | None = None
    root: str | None = None
    language: str | None = None  # for rows without a language of their own

    def build(self) -> Any:
        from ..api import Linter

        return Linter(self.config, self.root or str(Path.cwd()))


class VariantChecker:
    """A warm Linter and what checking a variant with it takes."""

    def __init__(self, spec: LinterSpec, linter: Any = None) -> None:
        self.spec = spec
        self.linter = linter if linter is not None else spec.build()

    @property
    def host(self) -> Any:
        """The Linter's plugin host, for a supervising worker pool (time limits, faults)."""
        return self.linter._session.host  # noqa: SLF001 - the batch is part of ethicslint

    def check_all(self, variants: Sequence[Variant]) -> list[Checked]:
        """Each variant checked, its position in ``variants`` told to the host as the item its
        plugin calls are for: a plugin call that ends a worker process is then left out for that
        variant only when the batch is checked again (:class:`ethicslint.host.Fault`)."""
        host = self.host
        try:
            checked = []
            for item, variant in enumerate(variants):
                host.item = item
                checked.append(self.check(variant))
            return checked
        finally:
            host.item = None

    def check(self, variant: Variant) -> Checked:
        path = row_path(variant.row)
        problem = variant.problem or _text_problem(variant.text)
        if problem is None:
            try:
                result = self.linter.check_text_result(
                    variant.text, path=path, language=variant.language or self.spec.language,
                    kind=variant.kind, metadata=variant.metadata)
            except (TypeError, ValueError) as exc:  # an unknown language or kind, text not UTF-8
                problem = str(exc)
            else:
                findings = sorted(result.findings, key=Finding.sort_key)
                return Checked(row=variant.row, id=variant.id, findings=findings, summaries=result.summaries,
                               copy_kind=result.copy_kind, source=variant.text if result.summaries else None,
                               plugin_errors=result.plugin_errors, spans=spans(variant.text, findings))
        return Checked(row=variant.row, id=variant.id, findings=[uncheckable(path, problem)])


def _text_problem(text: Any) -> str | None:
    if text is None:
        return "the text is missing (null)"
    if isinstance(text, bytes):
        return "the text is not valid UTF-8"
    if not isinstance(text, str):
        return f"the text is not a string (got {type(text).__name__})"
    if not text.strip():
        return "the text is empty"
    return None


def uncheckable(path: str, problem: str) -> Finding:
    rule = UNCHECKABLE_VARIANT
    return Finding(path=path, line=1, column=1, end_line=1, end_column=1, code=rule.code, checker=rule.checker,
                   severity=rule.severity, message=f"variant not checked: {problem}")
