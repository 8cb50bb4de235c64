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

``ETHICSLINT_NO_SPEEDUPS=1`` switches all of them off (:func:`enabled`): the run is stock spaCy
everywhere, with the same findings. The tests marked ``speedups`` compare every annotation the
checkers use with stock spaCy; ``docs/speedups.md`` says how, and how to move the spaCy pin. What
each one saves is measured by ``benchmarks/run.py`` and ``benchmarks/stages.py``.
"""

from __future__ import annotations

import functools
import os

SWITCH = "ETHICSLINT_NO_SPEEDUPS"


@functools.lru_cache(maxsize=None)
def enabled() -> bool:
    """False when ``ETHICSLINT_NO_SPEEDUPS`` is set to anything but empty or ``0``.

    Read once per process: a pipeline built with the speedups must not meet one built without.
    """
    return os.environ.get(SWITCH, "").strip() in ("", "0")
