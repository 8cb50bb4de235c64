#!/usr/bin/env python
"""Where one ``ethicslint check`` run spends its time, by stage, in wall-clock seconds.

    python benchmarks/stages.py PATH [more ethicslint check options]

Runs ``ethicslint check --jobs 1 PATH --no-cache -q --exit-zero`` in this process with timers around the
host's stages — importing spaCy, building the cheap pipelines, reading files, the cheap pass
(``analyze``), the heavy stage (``parse``: loading a model and parsing candidate sentences) and
each plugin's hooks — and prints them, largest first, on stderr. Stages nest (``analyze``
includes the first ``cheap_pipeline``, which includes ``import_spacy``; a plugin's time includes
the ``parse`` calls it makes), so the lines do not add up to the total. No profiler is involved:
the figures are the run's own, give or take the timers' microseconds.
"""

from __future__ import annotations

import atexit
import functools
import sys
import time
from typing import Any

TIMES: dict[str, float] = {}


def _timed(owner: Any, name: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def _per_plugin(prefix: str, original: Any) -> Any:
    def wrapper(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        outcome = result[1] if isinstance(result, tuple) else result
        for plugin, seconds in outcome.seconds.items():
            TIMES[f"{prefix}:{plugin}"] = TIMES.get(f"{prefix}:{plugin}", 0.0) + seconds
        return result

    return wrapper


def main() -> None:
    started = time.perf_counter()
    from ethicslint import analysis, documents, host, nlp
    from ethicslint.cli import main as cli

    _timed(documents, "read_document")
    _timed(analysis, "analyze")
    _timed(analysis.AnalyzedDocument, "parse")
    _timed(nlp, "cheap_pipeline")
    _timed(nlp.pipelines, "import_spacy")  # where cheap_pipeline and load_model call it
    host.Host.check_document = _per_plugin("plugin", host.Host.check_document)  # type: ignore[method-assign]
    host.Host.collect = _per_plugin("collect", host.Host.collect)  # type: ignore[method-assign]

    @atexit.register
    def report() -> None:
        print(f"total (after Python's start) {time.perf_counter() - started:.3f} s", file=sys.stderr)
        for name, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
            print(f"  {name:28} {seconds:.3f}", file=sys.stderr)

    sys.argv = ["ethicslint", "check", "--jobs", "1", *sys.argv[1:], "--no-cache", "-q", "--exit-zero"]
    cli()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        raise SystemExit(__doc__)
    main()
