"""Let spaCy's registries find their entry points by a dict lookup instead of a scan.

Replaces: ``catalogue.AVAILABLE_ENTRY_POINTS`` as catalogue sets it (``importlib.metadata``'s
``entry_points()``).

Why: spaCy, thinc and srsly keep their registries in ``catalogue``, which looks up the entry
points of a registry's group on every ``get``/``get_all`` through
``SelectableGroups.select(group=...)``: a pass over every entry point of every installed package
each time. Importing spaCy, building a blank pipeline and loading a model make a few hundred such
lookups.

How: catalogue also accepts a plain ``{group: [entry points]}`` mapping, read with
``.get(group, [])``. The same entry points, in the same order, are grouped once here. If
``importlib.metadata`` has no ``select()``, or the value is already a plain mapping, nothing
changes.

Saves: a scan of all entry points per registry lookup (``benchmarks/stages.py``, ``import_spacy``
and the first pipelines).

Checked: ``tests/test_speedups.py`` compares every group with ``select(group=...)`` and uses a
registry afterwards; the stock-spaCy test run leaves catalogue as it is.
"""

from __future__ import annotations


def index_registry_entry_points() -> None:
    """Replace catalogue's entry-point collection with the same entries grouped by group."""
    try:
        import catalogue
    except ImportError:  # pragma: no cover - spaCy requires it
        return
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if available is None or isinstance(available, dict) and not hasattr(available, "select"):
        return  # already a plain mapping
    try:
        grouped: dict[str, list[object]] = {}
        for group in available.groups:
            grouped[group] = list(available.select(group=group))
    except Exception:  # an importlib.metadata without select(): leave catalogue as it is
        return
    catalogue.AVAILABLE_ENTRY_POINTS = grouped
