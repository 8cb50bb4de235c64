"""``import spacy`` without importing spaCy's command line on the way.

Replaces: a plain ``import spacy``.

Why: ``spacy/__init__.py`` imports ``spacy.cli.info`` to re-export ``spacy.info``, and with it the
whole ``spacy.cli`` package (typer, weasel, requests, httpx): a large share of spaCy's import time,
for commands a linter never runs.

How: during this one import, ``spacy.cli`` and ``spacy.cli.info`` are placeholder modules that
load the real ones on first use (any attribute, or ``spacy.info(...)``); the placeholders are
removed right after, so ``import spacy.cli`` later gets the real package. If ``spacy/cli/info.py``
is not where spaCy 3.8 has it, this is a plain ``import spacy``.

Saves: the import of ``spacy.cli`` on every run (``benchmarks/stages.py`` times ``import_spacy``).

Checked: ``tests/test_speedups.py`` imports spaCy this way and then uses its command line
(``spacy.info``, ``import spacy.cli``), and the stock-spaCy test run (``ETHICSLINT_NO_SPEEDUPS=1``)
gives the same findings.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

PLACEHOLDER_MARK = "__ethicslint_placeholder__"


def import_spacy_without_cli() -> types.ModuleType:
    """The ``spacy`` module, imported with placeholders standing in for its command line."""
    stubs = _command_line_placeholders()
    try:
        import spacy
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    return spacy


def _spacy_cli_dir() -> Path | None:
    try:
        spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    cli_dir = Path(locations[0]) / "cli" if locations else None
    return cli_dir if cli_dir is not None and (cli_dir / "info.py").is_file() else None


def _real(name: str) -> object:
    placeholder = sys.modules.get(name)
    if placeholder is not None and getattr(placeholder, PLACEHOLDER_MARK, False):
        del sys.modules[name]
    return importlib.import_module(name)


def _placeholder(name: str, cli_dir: Path, package: bool) -> types.ModuleType:
    module = types.ModuleType(name, f"placeholder for {name} (see ethicslint.nlp.speedups.spacy_import)")
    setattr(module, PLACEHOLDER_MARK, True)
    if package:
        module.__path__ = [str(cli_dir)]  # submodules still import from the real package

    def load_on_use(attr: str) -> object:
        if attr.startswith("__"):  # the import system probing (__path__, __file__...)
            raise AttributeError(attr)
        return getattr(_real(name), attr)

    module.__getattr__ = load_on_use  # type: ignore[method-assign]
    return module


def _command_line_placeholders() -> dict[str, types.ModuleType]:
    if any(name in sys.modules for name in ("spacy.cli", "spacy.cli.info")):
        return {}
    cli_dir = _spacy_cli_dir()
    if cli_dir is None:
        return {}

    def info(*args, **kwargs):  # type: ignore[no-untyped-def]
        return _real("spacy.cli.info").info(*args, **kwargs)  # type: ignore[attr-defined]

    stubs = {"spacy.cli": _placeholder("spacy.cli", cli_dir, True),
             "spacy.cli.info": _placeholder("spacy.cli.info", cli_dir, False)}
    stubs["spacy.cli.info"].info = info  # type: ignore[attr-defined]
    sys.modules.update(stubs)
    return stubs
