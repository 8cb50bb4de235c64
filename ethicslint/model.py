"""The data that flows through a run: documents with prose segments, rules, findings.

Everything here is plain data with no dependency on spaCy, so readers, reporters and
the CLI can use it without paying for the NLP import.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .kinds import KINDS


class Severity(str, enum.Enum):
    """How serious a finding is; ordered so that thresholds (``fail-on``) compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Accept ``"warning"``/``"WARNING"``/``Severity.WARNING``; raise ``ValueError`` otherwise."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {choices})") from None

    def reached_by(self, findings: Iterable[Finding]) -> bool:
        """Whether a finding is this severe or more: this severity as ``fail-on``."""
        return any(f.severity.rank >= self.rank for f in findings)

    def raised(self, steps: int = 1) -> Severity:
        """The severity ``steps`` levels higher, capped at ERROR (used for stacked findings)."""
        order = list(Severity)
        return order[min(len(order) - 1, self.rank + steps)]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule, documented in ruff's sections.

    ``ethicslint explain CODE``, ``ethicslint rules``, SARIF rule help and ``docs/rules/`` are
    all generated from these fields, so each is written once, here.
    """

    code: str  # e.g. "URG101": 3 uppercase letters, then 3 digits
    name: str  # kebab-case, e.g. "vague-deadline"
    checker: str  # the checker (plugin) name, e.g. "urgency"
    severity: Severity  # default severity
    summary: str  # what it does, one sentence
    why: str  # why it is bad, with the policy basis
    example: str = ""  # copy that is flagged
    use_instead: str = ""  # an honest rewrite
    fix: str = ""  # how to fix, in words
    languages: tuple[str, ...] = ("en", "fr")
    references: tuple[str, ...] = ()  # policy provisions, guidance documents
    # the copy kinds it applies to (see ethicslint.kinds); the host drops findings elsewhere
    kinds: tuple[str, ...] = KINDS

    @property
    def prefix(self) -> str:
        return self.code.rstrip("0123456789")


@dataclass(frozen=True)
class Finding:
    """One reported problem. Lines and columns are 1-based; ``end_column`` is exclusive.

    Columns count Unicode code points (SARIF ``columnKind: unicodeCodePoints``).

    ``suggestion`` is advice for a person, in words or as a rewrite. ``replacement``, when set,
    is a promise from the rule: this exact span (``text``) may be replaced by this text without
    changing what the copy promises, so ``ethicslint check --fix`` may apply it unattended. Only
    rules with a word-for-word safe swap set it (a gendered job title and its neutral form);
    never a claim, which needs a person.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    checker: str
    severity: Severity
    message: str
    suggestion: str | None = None
    text: str = ""
    replacement: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "checker": self.checker,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
            "text": self.text,
            "replacement": self.replacement,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Finding:
        """The finding :meth:`to_dict` gave, checked field by field (it may come from a file, such as
        a result cache entry); ``ValueError`` when ``data`` is not exactly such a dict."""
        if type(data) is not dict or set(data) != _FINDING_FIELDS:
            raise ValueError("not a finding")
        for key in ("path", "code", "checker", "message", "text"):
            if type(data[key]) is not str:
                raise ValueError(f"finding {key!r} is not a string")
        for key in ("line", "column", "end_line", "end_column"):
            if type(data[key]) is not int or data[key] < 1:
                raise ValueError(f"finding {key!r} is not a positive integer")
        for key in ("suggestion", "replacement"):
            if data[key] is not None and type(data[key]) is not str:
                raise ValueError(f"finding {key!r} is not a string")
        return cls(**{**data, "severity": Severity(data["severity"])})


_FINDING_FIELDS = frozenset(("path", "line", "column", "end_line", "end_column", "code", "checker", "severity",
                             "message", "suggestion", "text", "replacement"))


@dataclass
class Segment:
    """A run of prose the reader of the copy sees, with an exact map back to the source.

    ``text`` is the prose as a reader sees it (markup removed, entities and escapes decoded).
    ``runs`` maps it to the source: each run ``(text_start, source_start, length)`` says that
    ``text[text_start:text_start+length]`` corresponds to the source starting at ``source_start``,
    one character for one character. Text between runs (a decoded entity, a joined line) maps
    to the source offset of the run before it. Build segments with :class:`SegmentBuilder`.
    """

    text: str
    runs: list[tuple[int, int, int]]
    kind: str = "paragraph"  # paragraph, heading, list_item, table_cell, alt, title, string, msgstr, meta...
    key: str | None = None  # structured files: dotted key path of the value; HTML: attribute name
    quoted: bool = False  # inside a blockquote or <q>/<blockquote>: someone else's words
    lang: str | None = None  # declared language of this segment, if the reader knows one
    origin: str | None = None  # catalogue strings: the source files using it (gettext "#:" references)
    copy_kind: str | None = None  # the kind of copy (ethicslint.kinds), set by the host before checking
    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)  # runs' text starts

    def source_offset(self, index: int) -> int:
        """Source offset of character ``index`` of ``text`` (``len(text)`` maps past the end)."""
        if not self.runs:
            return 0
        starts = self._starts
        if starts is None or len(starts) != len(self.runs):  # built once: checkers call this per token
            starts = self._starts = [r[0] for r in self.runs]
        pos = bisect.bisect_right(starts, index) - 1
        if pos < 0:
            return self.runs[0][1]
        text_start, source_start, length = self.runs[pos]
        delta = index - text_start
        if delta <= length:
            return source_start + delta
        return source_start + length  # inside synthetic text after this run

    def slice(self, start: int, end: int) -> Segment:
        """The segment of ``text[start:end]``, every character still mapped to its source offset
        (what a reader would have built for that part alone)."""
        runs: list[tuple[int, int, int]] = []
        pos = bisect.bisect_right([r[0] for r in self.runs], start) - 1
        if pos >= 0:
            text_start, source_start, length = self.runs[pos]
            delta = start - text_start
            if delta < length:
                runs.append((0, source_start + delta, min(length - delta, end - start)))
            else:  # inside synthetic text: pinned where that text is
                runs.append((0, source_start + length, 0))
        for text_start, source_start, length in self.runs[pos + 1:]:
            if text_start >= end:
                break
            runs.append((text_start - start, source_start, min(length, end - text_start)))
        return Segment(text=self.text[start:end], runs=runs, kind=self.kind, key=self.key, quoted=self.quoted,
                       lang=self.lang, origin=self.origin, copy_kind=self.copy_kind)


class SegmentBuilder:
    """Accumulates prose pieces with their source positions, then makes a :class:`Segment`."""

    def __init__(self, kind: str = "paragraph", key: str | None = None, quoted: bool = False,
                 lang: str | None = None, origin: str | None = None) -> None:
        self.kind, self.key, self.quoted, self.lang, self.origin = kind, key, quoted, lang, origin
        self._parts: list[str] = []
        self._runs: list[tuple[int, int, int]] = []
        self._length = 0

    def add(self, text: str, source_start: int) -> None:
        """Add text that appears verbatim in the source at ``source_start``."""
        if not text:
            return
        self._runs.append((self._length, source_start, len(text)))
        self._parts.append(text)
        self._length += len(text)

    def add_synthetic(self, text: str, source_start: int) -> None:
        """Add text that stands for a source construct of another length (an entity, an escape)."""
        if not text:
            return
        # one zero-length run pins the start; the characters then map to source_start
        self._runs.append((self._length, source_start, 0))
        self._parts.append(text)
        self._length += len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def build(self, strip: bool = True) -> Segment | None:
        """The segment, or None when it holds no visible text."""
        text = self.text
        runs = list(self._runs)
        if strip:
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            if lead:
                runs = _shift_runs(runs, lead)
        if not text:
            return None
        return Segment(text=text, runs=runs, kind=self.kind, key=self.key, quoted=self.quoted,
                       lang=self.lang, origin=self.origin)


def _shift_runs(runs: list[tuple[int, int, int]], lead: int) -> list[tuple[int, int, int]]:
    shifted = []
    for text_start, source_start, length in runs:
        end = text_start + length
        if end <= lead and length:
            continue
        if text_start < lead:
            cut = lead - text_start
            shifted.append((0, source_start + min(cut, length), max(0, length - cut)))
        else:
            shifted.append((text_start - lead, source_start, length))
    return shifted


LINE_BREAK = re.compile("\r\n|\r|\n")  # how every position counts lines: CRLF, lone CR or LF


@functools.lru_cache(maxsize=8)
def line_starts(source: str) -> list[int]:
    """The offset where each line of ``source`` starts (0 first). Lines end at CRLF, a lone CR or
    LF, as editors count them; not at the other breaks ``str.splitlines`` knows (form feed,
    U+2028...). Cached for the few texts in use: validating and placing each finding asks again."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(source))]


def offset_in(source: str, starts: list[int], line: int, column: int) -> int:
    """The offset in ``source`` (whose :func:`line_starts` are ``starts``) of a 1-based (line, column),
    clamped to the text."""
    index = max(0, min(line - 1, len(starts) - 1))
    return min(len(source), starts[index] + max(0, column - 1))


def split_lines(source: str) -> list[str]:
    """The lines of ``source`` as :func:`line_starts` counts them, without their line breaks."""
    return LINE_BREAK.split(source)


@dataclass(frozen=True)
class SourceClaim:
    """What an image's own metadata says about how it was made: an IPTC digital source type
    (``http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia``) and where it was
    read (``XMP Iptc4xmpExt:DigitalSourceType``, ``C2PA action c2pa.created by Firefly``)."""

    source_type: str  # the full IPTC URI, as the asset wrote it
    evidence: str  # where it was read, for the finding's message


@dataclass(frozen=True)
class Provenance:
    """The provenance read from one image file (XMP and C2PA), or why it could not be read."""

    claims: tuple[SourceClaim, ...] = ()
    problem: str | None = None  # set when the image or its manifest could not be read


@dataclass
class ImageRef:
    """An image the document shows, where its reference is in the source.

    Readers record ``src``, ``offset``/``end`` (the reference's source range) and ``origin``
    (``markdown``, ``img``, ``srcset``, ``source``, ``poster``, ``mj-image``,
    ``front-matter:KEY``). Before the checkers run, the host resolves it inside the checked root
    (``file``, a display path; None for remote URLs, missing files and paths leaving the root)
    and reads the file's provenance (``provenance``; None when the ``images`` extra is not
    installed or there is no file).
    """

    src: str
    offset: int
    end: int
    origin: str
    file: str | None = None
    provenance: Provenance | None = None


@dataclass
class Document:
    """One file as the readers understood it: its source text, prose segments and metadata."""

    path: str  # as given on the command line / relative to the run's root; used in findings
    format: str  # markdown, html, text, yaml, json, po
    source: str  # the decoded file content
    segments: list[Segment] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # front matter, <meta>, po header
    metadata_offsets: dict[str, int] = field(default_factory=dict)  # metadata key -> source offset
    lang: str | None = None  # declared language (front matter, <html lang>, po Language header, path)
    encoding: str = "utf-8"
    copy_kind: str | None = None  # the kind of copy (ethicslint.kinds), set by the host before checking
    images: list[ImageRef] = field(default_factory=list)  # the images it shows, in source order
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)
    _segment_index: tuple[int, int, list[int], list[int]] | None = field(default=None, repr=False, compare=False)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset (lines end at CRLF, CR or LF)."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.source)
        offset = max(0, min(offset, len(self.source)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def offset_of(self, line: int, column: int) -> int:
        """The source offset of a 1-based (line, column), the inverse of :meth:`position`."""
        self.position(0)
        assert self._line_starts is not None
        return offset_in(self.source, self._line_starts, line, column)

    def segment_at(self, offset: int) -> Segment | None:
        """The segment whose source range holds ``offset`` (segments are sorted by position): the
        first such one, found by bisection (asked once per finding, on files of thousands)."""
        index = self._segment_index
        if index is None or index[:2] != (id(self.segments), len(self.segments)):
            starts, reach = [], []  # reach[i]: the furthest end of segments 0..i
            for segment in self.segments:
                start = segment.source_offset(0)
                end = max(segment.source_offset(len(segment.text)), start + 1)
                starts.append(start)
                reach.append(max(end, reach[-1]) if reach else end)
            index = self._segment_index = (id(self.segments), len(self.segments), starts, reach)
        starts, reach = index[2], index[3]
        # the first segment ending after ``offset`` is the first that may hold it; none before does
        i = bisect.bisect_right(reach, offset)
        if i < len(starts) and starts[i] <= offset:
            return self.segments[i]
        return None

    def line_text(self, line: int) -> str:
        """The source line ``line`` (1-based) without its line ending."""
        starts = self._line_starts or line_starts(self.source)
        if not 0 < line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.source)
        return self.source[starts[line - 1]:end].rstrip("\r\n")
