"""The errors that cross module boundaries, in a module of their own so that the modules raising
them and the ones reporting them import it, not each other (no import cycle).

The command line turns each into an exit status: :class:`ConfigError` is the user's settings
(exit 2), :class:`PluginLoadError` a plugin that cannot be used (exit 3).
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A problem in the user's settings (config, plugin options, rule packs, term files); the
    message names the file, the table and the key, and is ready to show to the user."""


class PluginLoadError(Exception):
    """A plugin cannot be used at all (import error, code collision, incompatible contract)."""

    exit_status = 3  # the command's exit status: a plugin error (a broken contract: 2, see host)
