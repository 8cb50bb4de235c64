"""Write ``examples/batch/variants.jsonl``: 200 generated ad variants (English and French, a few
with a planted problem) for the README's ``ethicslint batch`` command. Same seed, same file.

    python scripts/make_batch_example.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import variants  # noqa: E402  (benchmarks/variants.py)

TARGET = REPO / "examples" / "batch" / "variants.jsonl"
COUNT = 200

if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    words = variants.write_jsonl(TARGET, COUNT)
    print(f"wrote {TARGET.relative_to(REPO)}: {COUNT} variants, {words} words")
