"""Terms files kept parsed, as JSON, in the user cache directory.

Replaces: ``tomllib.loads`` of each checker's terms files at every start
(:func:`ethicslint.matching.load_terms`).

Why: ``tomllib`` is pure Python, and the built-in checkers' terms files are large: parsing them
at every start costs a pre-commit run more than checking its few files. ``json`` parses in C.

How: the first run parses the file with ``tomllib`` and writes the data as JSON under the user
cache directory, named after the file's path, size and modification time (one copy per terms
file; older copies are removed). Later runs read the JSON. A copy that does not parse or is not a
table is ignored and written again; data JSON cannot hold (a TOML date) is never copied.

Saves: see ``benchmarks/stages.py`` (the start of a run).

Checked: ``tests/test_speedups.py`` compares the copy with ``tomllib``'s reading of every terms
file, and checks that a damaged copy is parsed again.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from ...dirs import cache_home
from ...files import mark_used, origin_prefix, source_key, write_atomically


def cached_toml(path: Path, directory: Path | None = None) -> dict[str, Any]:
    """The data of the TOML file ``path``, from its JSON copy when one was written for this
    version of the file. Raises what reading or parsing the file itself raises."""
    directory = directory or cache_home()
    prefix = origin_prefix("terms", [path])
    copy = directory / f"{prefix}{source_key([path], 'terms-json')}.json"
    try:
        data = json.loads(copy.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            mark_used(copy)
            return data
    except (OSError, ValueError):
        pass
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        blob = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):  # a TOML date or time: no copy
        return data
    if json.loads(blob) == data:  # only data JSON gives back unchanged (no tuples, no NaN surprises)
        try:
            write_atomically(copy, blob.encode("utf-8"), stale=f"{prefix}*")
        except OSError:
            pass  # a read-only cache home: parse every time
    return data
