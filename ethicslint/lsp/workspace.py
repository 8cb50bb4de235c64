"""The server's Linter: found for the workspace as ``ethicslint check`` finds its config, rebuilt
when the config file changes, kept (or the defaults used) when the new settings are wrong.

The server is the only place a Linter lives, and it is called from the event loop's thread only
(the main thread): a Linter is not thread-safe, and ``plugin-time-limit`` stops a plugin only in
the main thread, so checks run there and the limit holds in the editor too.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..api import Linter
from ..config import CONFIG_FILE, PYPROJECT
from ..errors import ConfigError, PluginLoadError
from ..paths import is_within

CONFIG_NAMES = frozenset({CONFIG_FILE, PYPROJECT})
"""File names whose change may change the settings (``find_config``'s candidates)."""


@dataclass
class LoadOutcome:
    """What a (re)load gave: the Linter in use and, when the settings could not be used, why."""

    linter: Linter
    error: str | None = None
    kept: str = ""
    """With an error: what serves meanwhile ("the last good settings" or "the defaults")."""


class LinterHolder:
    """One Linter for the workspace root, and the means to reload it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.linter: Linter | None = None
        self._defaults_home: tempfile.TemporaryDirectory[str] | None = None

    def load(self) -> LoadOutcome:
        """Build the Linter from the workspace's config. A config error keeps the last good Linter
        (or, at the first load, the defaults) and says why; it never raises."""
        try:
            self.linter = Linter(root=self.root)
            return LoadOutcome(self.linter)
        except (ConfigError, PluginLoadError) as exc:
            error = str(exc)
        kept = "the last good settings"
        if self.linter is None:
            self.linter, kept = self._defaults(), "the defaults"
        return LoadOutcome(self.linter, error, kept)

    def _defaults(self) -> Linter:
        """A Linter with the default settings: rooted in an empty directory, where no config is found."""
        if self._defaults_home is None:
            self._defaults_home = tempfile.TemporaryDirectory(prefix="ethicslint-lsp-")
        return Linter(root=self._defaults_home.name)

    def is_config_file(self, path: Path) -> bool:
        """Whether a change to ``path`` may change the settings: the config in use, or a file
        named like one in the workspace (a new ``.ethicslint.toml`` would win over the old one)."""
        linter = self.linter
        if linter is not None and linter.config_path is not None and _same(path, linter.config_path):
            return True
        return path.name in CONFIG_NAMES and _inside(path, self.root)

    def format_of(self, path: Path) -> str | None:
        """The reader format of ``path`` as the command line decides it (config's ``formats`` first)."""
        assert self.linter is not None
        return self.linter.format_of(path)

    def excluded(self, path: Path) -> bool:
        """Whether ``ethicslint check PATH`` would leave the file out (the config's ``exclude``)."""
        assert self.linter is not None
        return self.linter.excludes(path)

    def explain(self, code: str) -> str | None:
        """``ethicslint explain CODE``'s text, for a hover."""
        if self.linter is None:
            return None
        try:
            return self.linter.explain(code)
        except ValueError:  # a code no loaded rule has (a plugin left out since): no hover
            return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` really lies under ``root`` (symbolic links followed)."""
    try:
        return is_within(path.resolve(), root.resolve())
    except OSError:
        return False
