"""The time a run spends building what every checker shares, counted apart from the checkers.

A statistical model is loaded, and its lemma tables derived on the very first run after an
install, when the first checker asks for a parse: the time is the run's, not that checker's,
which only happened to ask first. The host subtracts it from the plugin's time before comparing
it with ``plugin-time-budget`` (the time limit still counts everything: a hang is a hang).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_seconds = 0.0


@contextmanager
def shared_setup() -> Iterator[None]:
    """Count the time of the ``with`` block as shared set-up."""
    global _seconds
    started = time.perf_counter()
    try:
        yield
    finally:
        _seconds += time.perf_counter() - started


def shared_setup_seconds() -> float:
    """The shared set-up time of this process so far."""
    return _seconds
