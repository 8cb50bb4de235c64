"""Every place where ethicslint reaches into spaCy to start faster, behind one switch.

The ordinary code path (:mod:`ethicslint.nlp.pipelines`, :mod:`ethicslint.nlp.language`) calls
spaCy the documented way: ``import spacy``, ``spacy.blank``, ``spacy.load``, spaCy's stop word
modules and ``spacy.lookups.load_lookups``. Each module here replaces one of those calls with a
faster one that gives the same annotations, and nothing outside this package touches spaCy's
internals:

* :mod:`.spacy_import` imports spaCy without its command line (placeholder ``spacy.cli`` modules);
* :mod:`.entry_points` hands ``catalogue`` its entry points grouped once;
* :mod:`.french_tokenizer` compiles the French tokenizer's token-match pattern in a compact form;
* :mod:`.stop_words` reads the stop lists from a data file instead of importing spaCy;
* :mod:`.lemma_tables` keeps lemma tables in SQLite files read one entry at a time;
* :mod:`.model_lemmatizer` loads a model's rule lemmatizer over those tables;
* :mod:`.terms_files` keeps the checkers' terms files parsed, as JSON (not spaCy, but the same
  trade: a file derived once for a faster start, behind the same switch).

The files they derive live in the user's cache directory (:func:`ethicslint.dirs.cache_home`),
named by where their sources are installed and by what they were derived from; a read marks a file
used, and :func:`prune_derived_files_if_due` removes, once a day, those no run used for 30 days
(left by an upgrade, a removed environment or a terms file that has gone).

``ETHICSLINT_NO_SPEEDUPS=1`` switches all of them off (:func:`enabled`): the run is stock spaCy
everywhere, with the same findings. The tests marked ``speedups`` compare every annotation the
checkers use with stock spaCy; ``docs/speedups.md`` says how, and how to move the spaCy pin. What
each one saves is measured by ``benchmarks/run.py`` and ``benchmarks/stages.py``.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
from pathlib import Path

SWITCH = "ETHICSLINT_NO_SPEEDUPS"


@functools.lru_cache(maxsize=None)
def enabled() -> bool:
    """False when ``ETHICSLINT_NO_SPEEDUPS`` is set to anything but empty or ``0``.

    Read once per process: a pipeline built with the speedups must not meet one built without.
    """
    return os.environ.get(SWITCH, "").strip() in ("", "0")


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or ``"none"``: part of the key of every derived
    file, so an upgrade makes a new one."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "none"


DERIVED_PREFIXES = ("lookups-", "model-", "stop-words-", "terms-")  # the names of the files derived here
_PRUNE_MARKER = ".pruned-derived"


def prune_derived_files_if_due(directory: Path | None = None) -> int:
    """Remove the derived files unused for 30 days from the cache home (``directory``), once a
    day at most; the number removed. Called once per run, whether the speedups are on or not:
    files an earlier run derived are removed all the same."""
    from ...dirs import cache_home
    from ...files import prune_if_due

    home = directory or cache_home()
    try:
        if not home.is_dir():
            return 0
    except OSError:  # a cache home this user cannot enter: nothing to prune
        return 0
    return prune_if_due(home / _PRUNE_MARKER, lambda: [home], lambda name: name.startswith(DERIVED_PREFIXES))
