"""From the paths on the command line to the files to lint.

Directories are walked; a file is kept when :func:`ethicslint.documents.format_for` knows its
format (by extension, or through the config's ``formats``). Walking skips:

- hidden directories and :data:`DEFAULT_EXCLUDED_DIRS`, unless an ``include`` glob names
  the directory (``.github/**/*.md``); inside such a directory only files matching ``include``
  are kept;
- paths matching the config's ``exclude`` globs (gitignore-style, relative to the config's
  directory);
- paths ignored by ``.gitignore`` files (when ``respect-gitignore``): those in the walked
  directories and in their parents up to the repository root (the directory holding ``.git``,
  or else the config's directory).

A file named on the command line is kept when its format is known, even in a hidden or
git-ignored place, but ``exclude`` still applies: pre-commit passes file names, and the
config must still win for it. Symbolic links to directories are followed once each, so
loops end.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pathspec

from .config import Config
from .paths import relative_inside

DEFAULT_EXCLUDED_DIRS = frozenset({
    ".git", "node_modules", ".venv", "venv", "__pycache__", ".ethicslint_cache", "build", "dist",
})
_GLOB_CHARS = frozenset("*?[")

_Ignores = list[tuple[Path, pathspec.GitIgnoreSpec]]  # (directory of a .gitignore, its patterns)


class DiscoveryError(Exception):
    """A path on the command line cannot be used; the message is ready for the user."""


def discover(paths: list[Path], config: Config, unreadable: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The files to lint under ``paths``, sorted and without duplicates.

    A path that exists but cannot be looked into (a directory without read permission, a file in
    a directory that cannot be searched) is not an error that stops the run: it is appended to
    ``unreadable`` with a message saying so, for the run to report (EL101). A path that does not
    exist is an error.
    """
    from .documents import format_for  # the readers' registry: imported only when discovering

    walker = _Walker(config, lambda path: format_for(path, config.formats) is not None)
    for path in paths:
        try:
            path.stat()
        except (FileNotFoundError, NotADirectoryError):
            raise DiscoveryError(f"{path}: no such file or directory") from None
        except OSError as exc:
            walker.unreadable.append((path, f"cannot read it: {exc.strerror or exc}; not checked"))
            continue
        if path.is_dir():
            walker.walk(path)
        elif walker.known_format(path) and not walker.excluded(path, is_dir=False):
            walker.add(path)
    if unreadable is not None:
        unreadable.extend(walker.unreadable)
    return sorted(walker.found.values())


class _Walker:
    """One discovery run: the compiled globs, the .gitignore cache and what was found."""

    def __init__(self, config: Config, known_format: Callable[[Path], bool]) -> None:
        self.config = config
        self.known_format = known_format
        self.exclude = pathspec.GitIgnoreSpec.from_lines(config.exclude)
        self.include = pathspec.GitIgnoreSpec.from_lines(config.include)
        # directory names that include globs reach into, e.g. ".github" for ".github/**/*.md"
        self.include_names = {part for glob in config.include for part in glob.split("/")
                              if part and not _GLOB_CHARS & set(part)}
        self.found: dict[str, Path] = {}  # absolute path -> path as discovered
        self.visited: set[tuple[int, int]] = set()  # (device, inode) of walked directories
        self._gitignores: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self.unreadable: list[tuple[Path, str]] = []  # (directory or file, what could not be read)

    def add(self, path: Path) -> None:
        self.found.setdefault(os.path.abspath(path), path)

    def excluded(self, path: Path, *, is_dir: bool) -> bool:
        """Whether the config's ``exclude`` globs match ``path``."""
        relative = relative_inside(path, self.config.root)
        return relative is not None and self.exclude.match_file(relative + ("/" if is_dir else ""))

    def walk(self, top: Path) -> None:
        ignores = self._parent_gitignores(top) if self.config.respect_gitignore else []
        if _gitignored(top, True, ignores):  # named on the command line: the user wants it
            ignores = []
        self._walk(top, ignores, readmitted=False)

    def _walk(self, directory: Path, ignores: _Ignores, *, readmitted: bool) -> None:
        try:
            info = directory.stat()
        except OSError:  # a broken link: nothing to lint in it
            return
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:  # no permission: the run says it could not look inside
            self.unreadable.append((directory, f"cannot read the directory: {exc.strerror or exc}; "
                                               f"nothing in it was checked"))
            return
        if (info.st_dev, info.st_ino) in self.visited:
            return
        self.visited.add((info.st_dev, info.st_ino))
        spec = self._gitignore(directory) if self.config.respect_gitignore else None
        if spec is not None:
            ignores = [*ignores, (directory, spec)]
        for entry in entries:
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # e.g. a symbolic link pointing to itself
                continue
            if self.excluded(path, is_dir=is_dir) or _gitignored(path, is_dir, ignores):
                continue
            if is_dir:
                skipped = entry.name in DEFAULT_EXCLUDED_DIRS or entry.name.startswith(".")
                if not skipped or entry.name in self.include_names:
                    self._walk(path, ignores, readmitted=readmitted or skipped)
            elif is_file and self.known_format(path) and (not readmitted or self._included(path)):
                self.add(path)

    def _included(self, path: Path) -> bool:
        relative = relative_inside(path, self.config.root)
        return relative is not None and self.include.match_file(relative)

    def _gitignore(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        key = Path(os.path.abspath(directory))
        if key not in self._gitignores:
            try:
                lines = (key / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                self._gitignores[key] = pathspec.GitIgnoreSpec.from_lines(lines)
            except (OSError, ValueError):  # none, unreadable, or a pattern git would ignore too
                self._gitignores[key] = None
        return self._gitignores[key]

    def _parent_gitignores(self, top: Path) -> _Ignores:
        """The .gitignore files above ``top`` that apply to it, outermost first."""
        here = Path(os.path.abspath(top))
        boundary = _repository_root(here)
        if boundary is None:
            root = Path(os.path.abspath(self.config.root))
            boundary = root if root == here or root in here.parents else here
        ignores: _Ignores = []
        for directory in here.parents:
            if directory != boundary and boundary not in directory.parents:
                break
            spec = self._gitignore(directory)
            if spec is not None:
                ignores.insert(0, (directory, spec))
        return ignores


def _repository_root(directory: Path) -> Path | None:
    return next((d for d in (directory, *directory.parents) if _exists(d / ".git")), None)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # cannot be looked at (a directory without permission): as if absent
        return False


def _gitignored(path: Path, is_dir: bool, ignores: _Ignores) -> bool:
    """Git's answer for ``path``: the deepest .gitignore with a matching pattern decides."""
    for directory, spec in reversed(ignores):
        relative = relative_inside(path, directory)
        if relative is None:
            continue
        verdict = spec.check_file(relative + ("/" if is_dir else "")).include
        if verdict is not None:
            return verdict
    return False
