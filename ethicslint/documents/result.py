"""What a reader hands back: the document and the host-level problems met while reading.

Kept apart from ``__init__`` so every reader module can import these types without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Rule


@dataclass(frozen=True)
class Problem:
    """A problem with reading the file itself (not with its copy), reported under a host rule."""

    rule: Rule  # one of ethicslint.host_rules: UNREADABLE, FALLBACK_ENCODING, TOO_LARGE, PARSE_ERROR
    message: str  # names the position when it is known ("... at line 3, column 7: ...")
    offset: int = 0  # source offset the problem points at (0 = start of file)


@dataclass
class ReadResult:
    document: Document | None  # None when the file is skipped entirely
    problems: list[Problem] = field(default_factory=list)
