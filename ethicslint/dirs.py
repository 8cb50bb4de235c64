"""Where ethicslint keeps its own files, outside any checked tree: the user's cache directory
(derived lemma tables, parsed term files, the result cache's secret key) and the runtime
directory (the warm server's sockets). The platform's conventions come from ``platformdirs``;
an environment variable overrides each (for tests, and for users who want them elsewhere).

``platformdirs`` is imported when a directory is first asked for, not at start-up: ``--help``
and other commands that need neither directory do not pay for it.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

APP = "ethicslint"
CACHE_HOME_ENV = "ETHICSLINT_CACHE_HOME"  # the cache directory itself
RUNTIME_DIR_ENV = "ETHICSLINT_RUNTIME_DIR"  # the runtime directory itself


def cache_home() -> Path:
    """``$ETHICSLINT_CACHE_HOME``, else the platform's user cache directory for ethicslint
    (``$XDG_CACHE_HOME/ethicslint``, or ``~/.cache/ethicslint``, on Linux)."""
    explicit = os.environ.get(CACHE_HOME_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs

    return platformdirs.user_cache_path(APP, appauthor=False)


def runtime_dir() -> Path:
    """``$ETHICSLINT_RUNTIME_DIR``, else the platform's user runtime directory for ethicslint
    (``$XDG_RUNTIME_DIR/ethicslint`` on Linux), else ``<tmp>/ethicslint-<uid>``. It is not
    created here: whoever uses it checks that it is private (see :mod:`ethicslint.server`)."""
    explicit = os.environ.get(RUNTIME_DIR_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs

    with warnings.catch_warnings():  # a missing or unsafe XDG_RUNTIME_DIR: the fallback below is fine
        warnings.simplefilter("ignore")
        try:
            return platformdirs.user_runtime_path(APP, appauthor=False)
        except OSError:  # platformdirs refused its own fallback (another user's directory)
            return Path(tempfile.gettempdir()) / f"{APP}-{os.getuid()}"
