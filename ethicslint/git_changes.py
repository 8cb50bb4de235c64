"""Which lines changed since a git ref, for ``check --changed-since REF`` on a pull request.

"Changed since REF" means what a pull request shows: the lines added or modified since the commit
where the branch left REF (``git merge-base REF HEAD``), uncommitted changes included, and every
line of a file git does not track yet (and does not ignore). Deleted lines leave nothing to report.

git is asked with ``--unified=0`` (only the changed lines, no context) and the hunk headers
``@@ -a,b +c,d @@`` are read: lines ``c`` to ``c+d-1`` of the new file changed. The repository is
untrusted: external diff drivers and text conversions (``--no-ext-diff --no-textconv``) and the
file-system monitor hook (``core.fsmonitor``) are switched off, so a command in its
``.gitattributes`` or ``.git/config`` is not run for that (see docs/security.md).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=on")
_OCTAL = re.compile(rb"\\([0-7]{3}|.)")
_ESCAPES = {b"a": b"\a", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}


class GitError(Exception):
    """git cannot say what changed: not a repository, an unknown ref, no git; a usage error."""


@dataclass
class ChangedLines:
    """The changed lines of each changed file, by absolute real path (1-based line numbers)."""

    ref: str
    lines: dict[str, set[int]] = field(default_factory=dict)

    def touches(self, path: str, first: int, last: int) -> bool:
        """Whether lines ``first``..``last`` of ``path`` (as a finding shows it) include a changed one."""
        changed = self.lines.get(_real(path))
        return bool(changed) and any(line in changed for line in range(first, max(first, last) + 1))

    def changed_file(self, path: str) -> bool:
        return bool(self.lines.get(_real(path)))


def changed_lines(ref: str, where: Path) -> ChangedLines:
    """The lines changed since ``ref`` in the repository holding ``where`` (a file or directory)."""
    if not ref or ref.startswith("-"):
        raise GitError(f"--changed-since {ref!r}: not a git ref")
    directory = where if where.is_dir() else where.parent
    root = _git(directory, "rev-parse", "--show-toplevel",
                failure=f"--changed-since: {directory} is not inside a git repository").decode().strip()
    _git(directory, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}",
         failure=f"--changed-since: unknown git ref {ref!r} (fetch it first: a shallow clone may lack it)")
    base = _git(directory, "merge-base", ref, "HEAD",
                failure=f"--changed-since: {ref!r} and HEAD have no common commit (a shallow clone? "
                        "fetch the whole history, e.g. fetch-depth: 0)").decode().strip()
    diff = _git(Path(root), "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv",
                "--find-renames", "--src-prefix=a/", "--dst-prefix=b/", base, "--", failure="--changed-since: git diff failed")
    changes = ChangedLines(ref=ref, lines=parse_unified_diff(diff, Path(root)))
    untracked = _git(Path(root), "ls-files", "--others", "--exclude-standard", "-z",
                     failure="--changed-since: git ls-files failed")
    for name in filter(None, untracked.split(b"\0")):
        path = Path(root) / os.fsdecode(name)
        try:
            count = sum(1 for _ in path.open("rb"))
        except OSError:
            continue
        changes.lines[_real(str(path))] = set(range(1, count + 2))
    return changes


def parse_unified_diff(diff: bytes, root: Path) -> dict[str, set[int]]:
    """The new-side line numbers of each file's hunks in ``git diff --unified=0`` output."""
    lines: dict[str, set[int]] = {}
    current: set[int] | None = None
    for raw in diff.split(b"\n"):
        if raw.startswith(b"+++ "):
            name = raw[4:]
            if name == b"/dev/null":  # a deleted file
                current = None
                continue
            current = lines.setdefault(_real(str(root / os.fsdecode(_unquote(name)[2:]))), set())
        elif raw.startswith(b"@@ ") and current is not None:
            match = _HUNK.match(raw)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    return {path: changed for path, changed in lines.items() if changed}


def _unquote(name: bytes) -> bytes:
    """A path as git prints it: ``"b/caf\\303\\251.md"`` (C-quoted when unusual) or bare."""
    name = name.rstrip(b"\t")
    if not (name.startswith(b'"') and name.endswith(b'"')):
        return name
    return _OCTAL.sub(lambda m: bytes([int(m.group(1), 8)]) if len(m.group(1)) == 3
                      else _ESCAPES.get(m.group(1), m.group(1)), name[1:-1])


def _git(directory: Path, *args: str, failure: str) -> bytes:
    try:
        done = subprocess.run(["git", *_SAFE, *args], cwd=directory, capture_output=True, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"})
    except FileNotFoundError:
        raise GitError("--changed-since needs git, and git is not installed") from None
    except OSError as exc:
        raise GitError(f"{failure}: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(failure + (f" ({detail[-1]})" if detail and "--verify" not in args else ""))
    return done.stdout


def _real(path: str) -> str:
    return os.path.realpath(path)
