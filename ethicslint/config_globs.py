"""The config's globs (``exclude``, ``include``, ``per-file-ignores``, ``kinds``): gitignore-style
patterns relative to the directory of the config file, matched against a finding's or a
document's path. One place, so every key that takes globs reads them the same way."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pathspec

from .paths import display_path


@functools.lru_cache(maxsize=256)
def glob_spec(pattern: str) -> pathspec.GitIgnoreSpec:
    """One gitignore-style glob of the config, compiled once (``ValueError`` when malformed)."""
    return pathspec.GitIgnoreSpec.from_lines([pattern])


def config_relative(path: str, root: Path) -> str:
    """``path`` (a finding's path: relative to the cwd, or absolute) as the config's globs see it:
    relative to the config's directory ``root``; a path outside it is matched as given."""
    return display_path(path, os.fspath(root))
