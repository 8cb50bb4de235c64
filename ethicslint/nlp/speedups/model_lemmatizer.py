"""Load a model whose rule lemmatizer reads its tables lazily from SQLite.

Replaces: ``spacy.load(name)`` for a model with a rule lemmatizer (``fr_core_news_sm``).

Why: loading ``fr_core_news_sm`` spends most of its time building the hashed tables of its rule
lemmatizer (:mod:`.lemma_tables` says why), of which a run uses a few hundred entries.

How: the model is loaded with ``spacy.load(name, exclude=["lemmatizer"])``; the lemmatizer is then
added back with ``nlp.add_pipe`` at the same place with the settings of the model's
``config.cfg``, and given its tables through its public ``initialize(lookups=...)``, from
:func:`.lemma_tables.model_lemma_lookups`. Anything unexpected (no such component, another mode,
no ``lookups.bin``, an error) gives None, and the caller loads the model the ordinary way.

Saves: building the lemmatizer's tables on every run that needs the French model
(``benchmarks/run.py``, one French file with findings).

Checked: ``tests/test_speedups.py`` compares every annotation (text, lemma, part of speech,
morphology, dependency, head, entity) over hundreds of French sentences with the stock model's,
loaded in a process with ``ETHICSLINT_NO_SPEEDUPS=1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .lemma_tables import model_lemma_lookups

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


def load_with_lazy_lemmatizer(spacy: Any, name: str) -> Language | None:
    """``spacy.load(name)`` with lazily read lemmatizer tables, or None if the model does not
    have the layout this relies on."""
    nlp = spacy.load(name, exclude=["lemmatizer"])
    try:
        return nlp if _restore_lemmatizer(nlp) else None
    except Exception:  # a model laid out differently: the caller takes the ordinary way
        return None


def _restore_lemmatizer(nlp: Language) -> bool:
    """Add the excluded rule lemmatizer back to ``nlp`` with lazily read tables; False if not possible."""
    from spacy.util import load_config

    if nlp.path is None:
        return False
    path = Path(nlp.path)
    lookups_bin = path / "lemmatizer" / "lookups" / "lookups.bin"
    config = load_config(path / "config.cfg", interpolate=False)
    order = list(config["nlp"]["pipeline"])
    if "lemmatizer" not in order:
        return True  # nothing was excluded
    block = dict(config["components"]["lemmatizer"])
    factory = block.pop("factory", None)
    if factory != "lemmatizer" or block.get("mode") != "rule" or not lookups_bin.is_file():
        return False
    later = order[order.index("lemmatizer") + 1:]
    before = next((name for name in later if name in nlp.component_names), None)
    kwargs = {"before": before} if before else {}
    lemmatizer = nlp.add_pipe(factory, name="lemmatizer", config=block, **kwargs)
    lemmatizer.initialize(lookups=model_lemma_lookups(lookups_bin, str(nlp.meta.get("version", ""))))
    return True
