"""spaCy's stop lists kept as data in the user cache directory.

Replaces: ``from spacy.lang.<lang>.stop_words import STOP_WORDS``
(:func:`ethicslint.nlp.pipelines.spacy_stop_words`), which language detection needs for every file.

Why: that import imports spaCy and the whole ``spacy.lang.<lang>`` package, tokenizer exceptions
included, before any pipeline is needed: detecting the language of an English file would pay for
the French tokenizer, and a run over files with no prose would pay for spaCy.

How: the first run takes each list through that ordinary import (``derive``) and writes it as a
JSON file under the user cache directory, named after a key made of this format's version, the
spaCy version and the path, size and modification time of spaCy's ``stop_words.py``; later runs
read the JSON. A file that does not parse, holds another key or anything but a list of strings is
derived again. Nothing of spaCy's source is executed outside its own import.

Saves: importing spaCy for language detection (``benchmarks/stages.py``).

Checked: ``tests/test_speedups.py`` compares the stored lists with spaCy's ``STOP_WORDS`` and
checks that detection with stored lists imports no spaCy.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

from ...dirs import cache_home
from ...files import mark_used, origin_prefix, source_key, write_atomically
from . import installed_version

FORMAT = "ethicslint-stop-words-1"


def stored_stop_words(lang: str, derive: Callable[[str], frozenset[str]],
                      directory: Path | None = None) -> frozenset[str]:
    """``derive(lang)``, from its stored copy when one was written for this spaCy."""
    sources = _sources(lang)
    key = source_key(sources, FORMAT, installed_version("spacy"), lang)
    prefix = origin_prefix(f"stop-words-{lang}", sources)
    path = (directory or cache_home()) / f"{prefix}{key}.json"
    words = _read(path, key)
    if words is not None:
        mark_used(path)
        return words
    words = derive(lang)
    data = json.dumps({"format": FORMAT, "key": key, "words": sorted(words)}, ensure_ascii=False)
    try:
        write_atomically(path, data.encode("utf-8"), stale=f"{prefix}*.json")
    except OSError:
        pass  # a read-only cache: derive again next time
    return words


def _read(path: Path, key: str) -> frozenset[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    words = data.get("words")
    if not isinstance(words, list) or not words or not all(isinstance(word, str) for word in words):
        return None
    return frozenset(words)


def _sources(lang: str) -> list[Path]:
    """spaCy's stop list source for ``lang`` (empty when spaCy is not found)."""
    spec = importlib.util.find_spec("spacy")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return [path for path in (Path(location) / "lang" / lang / "stop_words.py" for location in locations[:1])
            if path.is_file()]
