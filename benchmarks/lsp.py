"""How live `ethicslint lsp` feels: time from a didChange to its publishDiagnostics, through a
real LSP client (pygls') driving the server over stdio, on a 2,000-word Markdown page.

    python benchmarks/lsp.py                 # 15 edits, the default 50 ms debounce included
    python benchmarks/lsp.py --edits 30 --debounce-ms 0

The page is English copy from ``benchmarks/corpus.py`` (front matter, headings, lists, 4 % of
its sentences things the checkers flag) cut to 2,000 words. The server starts, the page is opened
(untimed: the first check builds what later ones reuse), then each edit changes one word near the
end (a different word each time, as typing does) and waits for the diagnostics of that version;
edits are one after another, never overlapping. It prints the median, the fastest and the
slowest, and the part of the median that is the debounce delay.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import page  # noqa: E402
from lsp_client import Client  # noqa: E402

WORDS = 2000


def two_thousand_words() -> str:
    """English pages of the benchmark corpus without their front matter, joined and cut at
    2,000 words (whole lines kept)."""
    rng = random.Random(2026)
    lines: list[str] = []
    count = index = 0
    while count < WORDS:
        body = page(index, "en", rng)
        if body.startswith("---"):
            body = body.split("\n---\n", 1)[-1]
        for line in body.splitlines():
            if count >= WORDS:
                break
            lines.append(line)
            count += len(line.split())
        index += 2
    return "# Launch\n\n" + "\n".join(lines) + "\n"


async def measure(edits: int, debounce_ms: float) -> list[float]:
    text = two_thousand_words()
    with tempfile.TemporaryDirectory() as workspace:
        path = Path(workspace) / "launch.md"
        path.write_text(text, encoding="utf-8")
        client = Client()
        await client.start(Path(workspace), {"debounceMs": debounce_ms})
        try:
            uri = client.open(path, text)
            await client.next_diagnostics(uri)
            times = []
            for version in range(2, edits + 2):
                edited = text + f"\nEdit number {version}: hurry, only {version} left!\n"
                started = time.perf_counter()
                client.change(uri, edited, version)
                await client.next_diagnostics(uri)
                times.append(time.perf_counter() - started)
            return times
        finally:
            await client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--debounce-ms", type=float, default=50)
    args = parser.parse_args()
    words = len(two_thousand_words().split())
    times = asyncio.run(measure(args.edits, args.debounce_ms))
    median = statistics.median(times)
    print(f"didChange -> publishDiagnostics, {words}-word Markdown page, {len(times)} edits, "
          f"debounce {args.debounce_ms:g} ms")
    print(f"median {median * 1000:.0f} ms (of which debounce {args.debounce_ms:g} ms), "
          f"fastest {min(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
