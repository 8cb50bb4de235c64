"""The plugin contract: the hooks a checker plugin implements, grouped by phase of a run.

Every hook is a plain function with a docstring, as in pytest and datasette. A plugin may
implement any subset, each implementation taking only the arguments it needs; the host calls
each plugin's implementation on its own, so one plugin that raises cannot take the others down
(see ``host.py``). For the same reason the markers that order or wrap one pluggy call over all
plugins (``wrapper``, ``hookwrapper``, ``tryfirst``, ``trylast``) are refused at load, as are
``optionalhook`` and an implementation of a hook not defined here (``Host._hooks_problem``).

Contract version: :data:`PLUGIN_API_VERSION`. A plugin may declare the major version it was
written for as a module attribute ``ETHICSLINT_API = "1"``; a different major is refused at
load time. Additions (new hooks, new optional arguments) keep the major version; removing or
changing a hook's meaning bumps it, after a release that warns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import AnalyzedDocument
    from .model import Finding, Rule
    from .options import Option

PLUGIN_API_VERSION = "1.0"

hookspec = pluggy.HookspecMarker("ethicslint")
hookimpl = pluggy.HookimplMarker("ethicslint")


# --- Phase 1: loading. Called once per process, before any file is read. ---------------------

@hookspec
def ethicslint_rules() -> list[Rule]:
    """Return the rules this plugin provides.

    Every rule carries its code (three capital letters and three digits, e.g. ``URG101``), name,
    checker name, default severity, languages and documentation (``summary``, ``why``,
    ``example``, ``use_instead``, ``fix``). Codes must be unique across all plugins: a
    collision stops the run at load time with a message naming both plugins.
    """


@hookspec
def ethicslint_options() -> list[Option]:
    """Return the configuration keys of this plugin's table ``[tool.ethicslint.<checker>]``.

    The host validates the user's table against them (unknown keys and wrong types are
    configuration errors) and passes the merged values, defaults filled in, as ``config``.
    """


# --- Phase 2: per document. Called once per file, possibly in a worker process. --------------

@hookspec
def ethicslint_check_document(document: AnalyzedDocument, config: dict[str, Any]) -> list[Finding]:
    """Return the findings for one analyzed document.

    ``document`` gives the prose segments with a cheap spaCy ``Doc`` each (tokens, lowercase
    lookup lemmas, sentences), the file's metadata, and ``document.parse(span)`` to run the
    statistical pipeline (morphology, dependencies, entities) on one candidate sentence only.
    Build findings with ``document.finding(...)`` so positions map back to the source.
    ``config`` is this plugin's option values. Findings of disabled rules are filtered by the
    host; a plugin need not look at ``select``/``ignore``.
    """


@hookspec
def ethicslint_collect(document: AnalyzedDocument, config: dict[str, Any]) -> Any:
    """Return a small, picklable summary of one document for the corpus phase, or None.

    Keep only counts and positions: documents are not kept after they are checked, and with
    ``--jobs`` the summaries travel between processes. A summary of plain data (dicts with
    string keys, lists, strings, finite numbers, booleans, None) lets the file's result be
    served from the result cache, which stores JSON; any other summary keeps the file out of it.
    """


# --- Phase 3: corpus. Called once per run, after every document. -----------------------------

@hookspec
def ethicslint_check_corpus(collected: list[Any], config: dict[str, Any]) -> list[Finding]:
    """Return findings that need the whole set of files (e.g. representation gaps).

    ``collected`` holds this plugin's own non-None ``ethicslint_collect`` results, one per
    document, in path order.
    """
