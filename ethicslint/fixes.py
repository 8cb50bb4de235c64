"""``ethicslint check --fix`` and ``--diff``: applying the replacements rules declared safe.

A finding's ``replacement`` (see :class:`~ethicslint.model.Finding`) says its span may be
swapped for that text. This module decides, file by file, which of those swaps can be made
without touching anything else, and makes them:

- the file must be exactly what the run checked (read again, decoded the same way), and its
  bytes must come back from its text unchanged when encoded again (same encoding, same BOM):
  a UTF-8 file whose bad bytes were read as U+FFFD cannot be written back byte for byte;
- the span must be one contiguous slice of the source that a reader took literally into one
  run of prose (not an HTML entity, a JSON or .po escape, a line a YAML scalar folded, Markdown
  emphasis around part of a word), equal to the finding's ``text``;
- a gettext ``msgid`` is never rewritten: code looks the string up by it;
- the replacement holds no line break or control character (line endings stay as they were)
  and can be written in the file's encoding;
- once swapped, the file read again must give the same prose with that one swap made (no
  markup or quoting of the format broken, e.g. an apostrophe in a single-quoted YAML string);
- swaps whose spans overlap are all left out (none of them is obviously the right one).

Everything else in the file is left byte for byte, line endings included. A file is written
atomically (:func:`ethicslint.files.write_atomically`, keeping its permissions), and not at all
when its bytes changed after they were read here.
"""

from __future__ import annotations

import codecs
import difflib
import os
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .documents import format_for, read_text
from .documents.loading import decode
from .files import write_atomically
from .model import Document, Finding, Segment

UNFIXABLE_KINDS = frozenset({"msgid"})  # segment kinds whose text is a lookup key, not copy alone


@dataclass(frozen=True)
class Edit:
    """One swap: ``source[start:end]`` becomes ``text``, for ``finding``."""

    start: int
    end: int
    text: str
    finding: Finding

    @property
    def key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.text


@dataclass
class FilePlan:
    """What fixing one file does: the swaps made, the new bytes, or why the file is left alone."""

    path: str  # the display path, as findings show it
    edits: list[Edit] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)  # finding, why it is not fixed
    fixed: list[Finding] = field(default_factory=list)  # every finding one of the edits fixes
    refused: str | None = None  # why the whole file is left alone
    old_text: str = ""
    new_text: str = ""
    old_bytes: bytes = b""
    new_bytes: bytes = b""

    @property
    def changed(self) -> bool:
        return self.refused is None and bool(self.edits)

    def diff(self) -> str:
        """The unified diff of the change (``a/PATH``, ``b/PATH``), empty when nothing changes."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(self.old_text.splitlines(keepends=True), self.new_text.splitlines(keepends=True),
                                     f"a/{self.path}", f"b/{self.path}")
        return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                       for line in lines)


def fixable(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The findings that carry a replacement, by path."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.replacement is not None:
            by_path.setdefault(finding.path, []).append(finding)
    return by_path


def plan_file(path: Path, display: str, findings: list[Finding], checked: str | None,
              formats: Mapping[str, str] | None = None) -> FilePlan:
    """What fixing ``findings`` in ``path`` would do; ``checked`` is the text the run checked
    (None: unknown, the file is refused)."""
    plan = FilePlan(display)
    try:
        data = path.read_bytes()
    except OSError as exc:
        plan.refused = f"cannot read it: {exc.strerror or exc}"
        return plan
    loaded = decode(data)
    fmt = format_for(path, dict(formats or {}) or None)
    if loaded.source is None or checked is None or loaded.source != checked:
        plan.refused = "it changed since it was checked; run again"
        return plan
    prefix, codec = _encoding(loaded.encoding, data)
    if prefix + loaded.source.encode(codec, errors="surrogateescape") != data:
        plan.refused = f"its bytes would not survive being written back as {loaded.encoding} (damaged bytes?)"
        return plan
    if fmt is None:
        plan.refused = "its format is unknown"
        return plan
    read = read_text(loaded.source, display, fmt)
    document, problems = read.document, len(read.problems)
    assert document is not None  # read_text always gives one
    plan.old_text, plan.old_bytes = loaded.source, data
    candidates = []
    for finding in sorted(findings, key=Finding.sort_key):
        edit, problem = _edit(finding, document, codec)
        if edit is None:
            plan.skipped.append((finding, problem))
        else:
            candidates.append(edit)
    kept: list[Edit] = []
    why_not: dict[tuple[int, int, str], str] = {}
    for edit, problem in _without_overlaps(candidates):
        if not problem and not _reads_as_expected(document, [edit], problems):
            problem = f"the {fmt} file would not read back as that text (markup or quoting around the replacement)"
        if problem:
            why_not[edit.key] = problem
        else:
            kept.append(edit)
    if kept and not _reads_as_expected(document, kept, problems):
        why_not.update((edit.key, "the swaps together would not read back as expected") for edit in kept)
        kept = []
    plan.edits = kept
    for edit in candidates:  # two findings asking for one swap are both fixed by it, or both not
        if edit.key in why_not:
            plan.skipped.append((edit.finding, why_not[edit.key]))
        else:
            plan.fixed.append(edit.finding)
    plan.new_text = _apply(loaded.source, kept)
    plan.new_bytes = prefix + plan.new_text.encode(codec, errors="surrogateescape")
    return plan


def write(plan: FilePlan, path: Path) -> str | None:
    """Write the plan's new bytes to ``path`` atomically, keeping its permissions; why not, or
    None when written. Refused when the file's bytes are no longer those the plan was made from."""
    target = Path(os.path.realpath(path))  # a symbolic link keeps pointing at the fixed file
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        if target.read_bytes() != plan.old_bytes:
            return "it changed while being fixed; left alone"
        write_atomically(target, plan.new_bytes, mode=mode)
    except OSError as exc:
        return f"cannot write it: {exc.strerror or exc}"
    return None


def _encoding(encoding: str, data: bytes) -> tuple[bytes, str]:
    """(the byte-order mark the file starts with, the codec of the rest)."""
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8, "utf-8"
    if encoding == "utf-16":
        return data[:2], "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    return b"", encoding


def _edit(finding: Finding, document: Document, codec: str) -> tuple[Edit | None, str]:
    """The swap a finding asks for, or None and why it cannot be made safely."""
    replacement = finding.replacement or ""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in replacement):
        return None, "the replacement holds a line break or a control character"
    start = document.offset_of(finding.line, finding.column)
    end = document.offset_of(finding.end_line, finding.end_column)
    if (document.position(start), document.position(end)) != ((finding.line, finding.column),
                                                               (finding.end_line, finding.end_column)):
        return None, "its position is not in the file"
    if end <= start or document.source[start:end] != finding.text:
        return None, "its span is not the matched text in the source"
    if finding.line != finding.end_line:
        return None, "its span runs over a line break, which the swap would remove"
    kind = _literal_kind(document, start, end)
    if kind is None:
        return None, "its span is not one literal piece of the source (an entity, an escape or markup inside)"
    if kind in UNFIXABLE_KINDS:
        return None, "a msgid is the key the code looks the string up by: change it in the code"
    try:
        replacement.encode(codec)
    except UnicodeEncodeError:
        return None, f"the replacement cannot be written in {codec}"
    return Edit(start, end, replacement, finding), ""


def _literal_kind(document: Document, start: int, end: int) -> str | None:
    """The kind of the segment holding ``source[start:end]`` within one run (taken character for
    character into the prose), or None when no run holds it all."""
    for segment in document.segments:
        for text_start, source_start, length in segment.runs:
            if length and source_start <= start and end <= source_start + length:
                offset = text_start + start - source_start
                if segment.text[offset:offset + end - start] == document.source[start:end]:
                    return segment.kind
    return None


def _without_overlaps(edits: list[Edit]) -> list[tuple[Edit, str]]:
    """Each edit (once: two findings asking for the same swap share it), with why it is left out
    ("" when it is not): swaps whose spans overlap are all left out."""
    unique: dict[tuple[int, int, str], Edit] = {}
    for edit in edits:
        unique.setdefault(edit.key, edit)
    ordered = sorted(unique.values(), key=lambda e: (e.start, e.end))
    clashing: set[tuple[int, int, str]] = set()
    for i, edit in enumerate(ordered):
        for other in ordered[i + 1:]:
            if other.start >= edit.end:
                break
            clashing.update((edit.key, other.key))
    return [(edit, "it overlaps another replacement" if edit.key in clashing else "") for edit in ordered]


def _apply(source: str, edits: list[Edit]) -> str:
    parts, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts += [source[position:edit.start], edit.text]
        position = edit.end
    parts.append(source[position:])
    return "".join(parts)


def _reads_as_expected(document: Document, edits: list[Edit], problems: int) -> bool:
    """Whether the source with ``edits`` made reads back as the same segments, each with the
    swaps made in its text, and with no more problems than the ``problems`` it had."""
    expected = [(segment.kind, segment.key, _expected_text(segment, edits)) for segment in document.segments]
    new = read_text(_apply(document.source, edits), document.path, document.format)
    if new.document is None or len(new.problems) > problems:
        return False
    return [(s.kind, s.key, s.text) for s in new.document.segments] == expected


def _expected_text(segment: Segment, edits: list[Edit]) -> str:
    """The segment's text with the swaps that fall in its literal runs made (right to left, so
    the offsets of those before stay valid)."""
    text = segment.text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        for text_start, source_start, length in segment.runs:
            if length and source_start <= edit.start and edit.end <= source_start + length:
                at = text_start + edit.start - source_start
                text = text[:at] + edit.text + text[at + edit.end - edit.start:]
                break
    return text



@dataclass
class FixOutcome:
    """What ``--fix``/``--diff`` did over a run: the findings fixed, the diff, what went wrong."""

    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # the others, placed in the files as written
    sources: dict[str, str] = field(default_factory=dict)  # the new text of each file written
    files: int = 0  # files changed (or that would change, for --diff)
    diff: str = ""
    messages: list[str] = field(default_factory=list)  # one line per file or finding left alone


def fix_findings(findings: Iterable[Finding], sources: Mapping[str, str], paths: Mapping[str, Path], *,
                 formats: Mapping[str, str] | None = None, write_files: bool) -> FixOutcome:
    """Plan (and with ``write_files``, make) the safe swaps of ``findings``; ``sources``: the text
    the run checked, by display path; ``paths``: the file of each display path."""
    outcome = FixOutcome()
    findings = list(findings)
    written: dict[str, FilePlan] = {}
    for display, wanted in sorted(fixable(findings).items()):
        path = paths.get(display)
        if path is None:  # standard input, or a file outside the run (the config)
            continue
        plan = plan_file(path, display, wanted, sources.get(display), formats)
        if plan.refused:
            outcome.messages.append(f"{display}: not fixed: {plan.refused}")
            continue
        for finding, why in plan.skipped:
            outcome.messages.append(f"{display}:{finding.line}:{finding.column}: {finding.code} not fixed: {why}")
        if not plan.changed:
            continue
        problem = write(plan, path) if write_files else None
        if problem:
            outcome.messages.append(f"{display}: not fixed: {problem}")
            continue
        outcome.files += 1
        outcome.fixed.extend(plan.fixed)
        outcome.diff += plan.diff()
        written[display] = plan
    fixed = set(outcome.fixed)
    outcome.remaining = [relocate(f, written[f.path]) if f.path in written and write_files else f
                         for f in findings if f not in fixed]
    outcome.sources = {display: plan.new_text for display, plan in written.items()} if write_files else {}
    return outcome


def relocate(finding: Finding, plan: FilePlan) -> Finding:
    """``finding`` (not fixed) placed in the file as ``plan`` rewrote it: columns after a swap on
    its line move by the swap's change in length (swaps never add or remove a line); a span that
    holds a swap grows or shrinks with it."""
    old = Document(path=plan.path, format="text", source=plan.old_text)
    new = Document(path=plan.path, format="text", source=plan.new_text)
    start = _moved(old.offset_of(finding.line, finding.column), plan.edits, at_end=False)
    end = _moved(old.offset_of(finding.end_line, finding.end_column), plan.edits, at_end=True)
    (line, column), (end_line, end_column) = new.position(start), new.position(max(start, end))
    return replace(finding, line=line, column=column, end_line=end_line, end_column=end_column,
                   text=plan.new_text[start:max(start, end)] if finding.text else finding.text)


def _moved(offset: int, edits: list[Edit], *, at_end: bool) -> int:
    """Where ``offset`` of the old text is in the new one; inside a swapped span, its start (or,
    ``at_end``, its end)."""
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.end <= offset:
            shift += len(edit.text) - (edit.end - edit.start)
        elif edit.start < offset:
            return edit.start + shift + (len(edit.text) if at_end else 0)
        else:
            break
    return offset + shift
