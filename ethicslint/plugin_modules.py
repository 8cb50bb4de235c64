"""Plugin modules named in a config file, checked before anything imports them.

Importing a module runs its top-level code, and a config file belongs to the checked repository,
which a pull request can change (docs/security.md). ``plugins = ["venv.__main__"]`` made a plain
``ethicslint check`` build a virtualenv; ``plugins = ["this"]`` printed into the report. So a
module named in a config must be an ethicslint plugin, and that is decided from its source alone:
the module is located without importing it or its parent packages, its file is parsed (``ast``,
which runs nothing), and it must bind at its top level a hook (a name starting ``ethicslint_``,
defined or imported by name) or declare ``ETHICSLINT_API``, as every plugin does. A module that is
not found is left to the import, which reports it. ``--plugin`` on the command line is the
user's own choice and is not checked.
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import re
from pathlib import Path

MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_MAX_SOURCE_BYTES = 4_000_000  # a plugin module's source; a bigger one is not parsed


def not_a_plugin(name: str) -> str | None:
    """Why the module ``name`` may not be named in a config file, or None when it may (it is a
    plugin module, or it is not found: the import then reports that)."""
    if not MODULE_NAME.fullmatch(name):
        return f"{name!r} is not a module name (e.g. 'house_rules' or 'tools.house_rules')"
    try:
        origin = _locate(name)
    except (ImportError, ValueError, OSError):
        return None
    if origin is None:
        return None
    try:
        why = _source_problem(origin)
    except OSError as exc:
        why = f"its source cannot be read: {exc.strerror or exc}"
    if why is None:
        return None
    return (f"{name!r} is not an ethicslint plugin module ({why}); a config file may only name modules "
            f"that define ethicslint hooks, since importing a module runs its code")


def _locate(name: str) -> str | None:
    """The file of module ``name``, found without importing it or its parents; None if not found."""
    top, *rest = name.split(".")
    spec = importlib.util.find_spec(top)  # a top-level name: found, not imported
    for index in range(len(rest)):
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(".".join([top, *rest[:index + 1]]),
                                                        list(spec.submodule_search_locations))
    if spec is None:
        return None
    return spec.origin if spec.has_location and spec.origin else "built-in"


def _source_problem(origin: str) -> str | None:
    if not origin.endswith(".py"):
        return "it has no Python source to read"
    path = Path(origin)
    if path.stat().st_size > _MAX_SOURCE_BYTES:
        return "its source is too large to read"
    try:
        tree = ast.parse(path.read_bytes(), filename=origin)
    except (SyntaxError, ValueError):
        return "its source does not parse"
    if any(_binds_hook(node) for node in tree.body):
        return None
    return "its source defines no ethicslint_* hook and no ETHICSLINT_API"


def _binds_hook(node: ast.stmt) -> bool:
    """Whether a top-level statement binds a hook name or ``ETHICSLINT_API``."""
    names: list[str] = []
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names = [node.name]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [alias.asname or alias.name for alias in node.names]
    elif isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
    return any(n.startswith("ethicslint_") or n == "ETHICSLINT_API" for n in names)
