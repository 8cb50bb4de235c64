"""Turning findings off where the copy says so (inline comments) or the config does (per file).

Directives are comments, so they survive in the published copy without being seen. Two
families, each usable in HTML comments (Markdown, HTML) and ``#`` comments (YAML, .po,
including ``#.`` comments that xgettext extracts from source code):

- ranges and lines, ESLint-style::

      <!-- ethicslint-disable URG101,DIV -->  ...  <!-- ethicslint-enable -->
      <!-- ethicslint-disable-next-line URG101 -->
      Hurry! <!-- ethicslint-disable-line URG101 -->

  ``disable`` turns rules off from its line (or to the end of the file); ``enable`` turns them
  back on after its line (``enable URG101`` only URG101, even inside ``disable URG``);
  ``disable-next-line`` covers the next non-blank line; ``disable-line`` its own line.
- pylint-style, handy in YAML and .po::

      title: Hurry!  # ethicslint: disable=URG101      (trailing: that line)
      # ethicslint: disable=URG101                      (alone: the next entry)

  The next entry is the next line that is not blank or a ``#`` comment, the lines indented
  deeper than it (YAML block scalars, nested keys) and, for a .po ``msgid``/``msgctxt``, the
  rest of the entry up to the next blank line (so the ``msgstr`` is covered).

Selectors are those of :mod:`ethicslint.selection`, separated by commas or spaces; none means
every rule. Text after `` -- `` is a free-form reason, kept with the directive (:class:`Directive`)
for ``require-reason``, unused-suppression reports and the ``ethicslint suppressions`` audit
(:mod:`ethicslint.suppression_audit`). ``ethicslint: skip-file`` anywhere in a
comment within the first 30 lines skips the file. Comments inside Markdown code fences or
inline code are examples, not directives; malformed directives are ignored, never an error.
JSON has no comments: use ``per-file-ignores`` in the config.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config_globs import config_relative, glob_spec
from .model import split_lines
from .selection import selector_matches, validate_selector

if TYPE_CHECKING:
    from .config import Config

SKIP_FILE_LINES = 30

_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_HASH_COMMENT = re.compile(r"(?:^|(?<=\s))#\.?[ \t]*([^#\n]*?\bethicslint\b.*)$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_REASON = re.compile(r"\s--(?:\s|$)")
_ESLINT_STYLE = re.compile(r"ethicslint-(disable-next-line|disable-line|disable|enable)(?:\s+(.*))?", re.S)
_PYLINT_STYLE = re.compile(r"ethicslint:\s*disable(?:\s*=\s*|\s+|$)(.*)", re.S)
_SKIP_FILE = re.compile(r"\bethicslint:\s*skip-file\b")
_PO_ENTRY = re.compile(r"\s*(msgctxt|msgid)\b")

Selectors = tuple[str, ...]  # empty: every rule
# what a pylint-style ``ethicslint: disable=`` does, named for an audit: trailing, its own line;
# alone on its line, the next entry
_AUDIT_KINDS = {("pylint", False): "disable-line", ("pylint", True): "disable-next-entry"}


@dataclass(frozen=True)
class Directive:
    """One suppression comment, as an audit lists it (``ethicslint suppressions``)."""

    line: int  # 1-based line where the comment starts
    column: int  # 1-based column of the comment's start (``<!--`` or ``#``)
    kind: str  # disable (to an enable), disable-line, disable-next-line, disable-next-entry, skip-file
    selectors: Selectors  # empty: every rule
    reason: str | None  # the text after `` -- ``; None when there is none

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "kind": self.kind, "codes": list(self.selectors),
                "reason": self.reason}


@dataclass
class Suppressions:
    """The directives of one file, ready to answer "is this finding turned off?", and to say
    afterwards which directives turned something off (:attr:`used`)."""

    skip_file: bool = False
    # line -> (selectors off on it, index of the directive in ``directives``)
    lines: dict[int, list[tuple[Selectors, int]]] = field(default_factory=dict)
    switches: list[tuple[int, bool, Selectors, int]] = field(default_factory=list)  # (from line, off?, ..., index)
    directives: list[Directive] = field(default_factory=list)  # every suppressing directive, in source order
    used: set[int] = field(default_factory=set)  # indexes of the directives that turned a finding off

    def is_suppressed(self, code: str, checker: str, line: int) -> bool:
        """Whether the rule ``code`` of ``checker`` is turned off on ``line`` (1-based). Every
        directive that turns it off there is marked :attr:`used`."""
        covering = [index for selectors, index in self.lines.get(line, ()) if _matches(selectors, code, checker)]
        in_force: list[int] = []  # the range disables covering the line, until an enable of the rule
        for start, disables, selectors, index in self.switches:  # ordered by start line
            if start > line:
                break
            if _matches(selectors, code, checker):
                in_force = [*in_force, index] if disables else []
        covering += in_force
        self.used.update(covering)
        return bool(covering)

    def unused(self, checkable: Callable[[Directive], bool]) -> list[Directive]:
        """The directives that turned nothing off, among those ``checkable`` says could have (a
        directive for a rule that is not selected, or not loaded, is not unused: it has had no
        chance). ``skip-file`` is never unused."""
        return [directive for index, directive in enumerate(self.directives)
                if index not in self.used and directive.kind != "skip-file" and checkable(directive)]


def _matches(selectors: Selectors, code: str, checker: str) -> bool:
    return not selectors or any(selector_matches(s, code, checker) for s in selectors)


@dataclass
class _Comment:
    start: int  # 1-based line of the comment's start
    column: int  # 1-based column of its start
    end: int  # 1-based line of its end
    text: str  # its content, without the comment markers
    alone: bool  # nothing but whitespace shares its lines
    hash: bool  # a ``#`` comment (not an HTML one)


def parse_suppressions(source: str) -> Suppressions:
    """The directives in ``source`` (any format; see the module docstring for the syntax)."""
    result = Suppressions()
    if "ethicslint" not in source:  # the common case, kept cheap
        return result
    lines = split_lines(source)  # as findings count lines
    switches: list[tuple[int, int, bool, Selectors, int]] = []  # (line, order, off?, selectors, directive)
    for order, comment in enumerate(_comments(lines)):
        if comment.start <= SKIP_FILE_LINES and _SKIP_FILE.search(comment.text):
            result.skip_file = True
            result.directives.append(Directive(comment.start, comment.column, "skip-file", (), _reason(comment.text)))
        directive = _directive(comment.text)
        if directive is None:
            continue
        kind, selectors = directive
        if kind == "enable":
            switches.append((comment.end + 1, order, False, selectors, -1))
            continue
        index = len(result.directives)
        result.directives.append(Directive(comment.start, comment.column, _AUDIT_KINDS.get((kind, comment.alone), kind),
                                           selectors, _reason(comment.text)))
        if kind == "disable":
            switches.append((comment.start, order, True, selectors, index))
        elif kind == "disable-line" or (kind == "pylint" and not comment.alone):
            result.lines.setdefault(comment.start, []).append((selectors, index))
        else:
            targets = (_next_entry(lines, comment.end) if kind == "pylint"
                       else _next_line(lines, comment.end, skip_hash=comment.hash))
            for line in targets:
                result.lines.setdefault(line, []).append((selectors, index))
    result.switches = [(line, off, selectors, index) for line, _, off, selectors, index in sorted(switches)]
    return result


def _reason(text: str) -> str | None:
    """The reason of a directive: what follows `` -- `` (None when nothing does)."""
    parts = _REASON.split(text, maxsplit=1)
    reason = " ".join(parts[1].split()) if len(parts) > 1 else ""
    return reason or None


def _directive(text: str) -> tuple[str, Selectors] | None:
    """``(kind, selectors)`` for a directive comment, None for any other comment."""
    text = _REASON.split(text, maxsplit=1)[0].strip()
    match = _ESLINT_STYLE.fullmatch(text)
    if match:
        kind, raw = match.groups()
    else:
        match = _PYLINT_STYLE.fullmatch(text)
        if not match:
            return None
        kind, raw = "pylint", match.group(1)
    selectors = tuple(s for s in re.split(r"[,\s]+", raw or "") if s)
    if any(validate_selector(s) for s in selectors):
        return None
    return kind, selectors


def _comments(lines: list[str]) -> list[_Comment]:
    """HTML and ``#`` comments that mention ethicslint, in source order, outside code."""
    visible = _without_code_fences(lines)
    text = "\n".join(visible)
    starts = [0]
    for line in visible:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for match in _HTML_COMMENT.finditer(text):
        if "ethicslint" not in match.group(1):
            continue
        start = bisect.bisect_right(starts, match.start())
        end = bisect.bisect_right(starts, match.end() - 1)
        before = text[starts[start - 1]:match.start()]
        after = text[match.end():starts[end] - 1]
        if before.count("`") % 2 == 0:
            found.append(_Comment(start, match.start() - starts[start - 1] + 1, end, match.group(1),
                                  not before.strip() and not after.strip(), False))
    for number, line in enumerate(visible, start=1):
        match = _HASH_COMMENT.search(line) if "ethicslint" in line else None
        if match and line[:match.start()].count("`") % 2 == 0:
            found.append(_Comment(number, match.start() + 1, number, match.group(1), not line[:match.start()].strip(),
                                  True))
    found.sort(key=lambda c: c.start)
    return found


def _without_code_fences(lines: list[str]) -> list[str]:
    """``lines`` with fenced code blocks blanked (same line count), so examples are not directives."""
    visible = []
    fence = ""
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
            visible.append("")
        elif match:
            fence = match.group(1)
            visible.append("")
        else:
            visible.append(line)
    return visible


def _next_line(lines: list[str], after: int, *, skip_hash: bool) -> list[int]:
    """The first non-blank line after line ``after`` (skipping ``#`` comments if asked)."""
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not (skip_hash and stripped.startswith("#")):
            return [number]
    return []


def _next_entry(lines: list[str], after: int) -> list[int]:
    """The lines of the entry after line ``after`` (see the module docstring)."""
    first = _next_line(lines, after, skip_hash=True)
    if not first:
        return []
    head = lines[first[0] - 1]
    indent = len(head) - len(head.lstrip())
    po_entry = bool(_PO_ENTRY.match(head))
    entry = first
    for number in range(first[0] + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            if po_entry:
                break
            continue  # blank lines inside a YAML block scalar
        if not po_entry and len(line) - len(line.lstrip()) <= indent:
            break
        entry.append(number)
    return entry


# --- per-file ignores -----------------------------------------------------------------------

def per_file_ignored(path: str, code: str, checker: str, config: Config) -> bool:
    """Whether ``per-file-ignores`` turns ``code`` off in ``path``.

    ``path`` is the finding's path (relative to the cwd, or absolute); globs are gitignore-style
    and relative to the config's directory (``*.po`` anywhere, ``docs/legal/**`` anchored).
    Paths outside that directory are matched as given.
    """
    if not config.per_file_ignores:
        return False
    target = config_relative(path, config.root)
    return any(
        glob_spec(glob).match_file(target) and any(selector_matches(s, code, checker) for s in selectors)
        for glob, selectors in config.per_file_ignores.items()
    )
