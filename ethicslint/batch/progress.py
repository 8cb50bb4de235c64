"""A one-line progress report for a batch job, on a terminal only.

Variants done (of how many, when known), the rate, the findings so far and the time left,
redrawn at most twice a second on stderr. Nothing at all when stderr is not a terminal: a
pipe, a CI log or a file gets no carriage returns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

REDRAW_SECONDS = 0.5


class Progress:
    def __init__(self, total: int | None, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream)
        self.total = total
        self.done = 0
        self.findings = 0
        self._started = time.monotonic()
        self._drawn = 0.0

    def add(self, variants: int, findings: int) -> None:
        self.done += variants
        self.findings += findings
        now = time.monotonic()
        if self.enabled and now - self._drawn >= REDRAW_SECONDS:
            self._drawn = now
            self._draw(now)

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        rate = self.done / elapsed
        of = f" of {self.total:,}" if self.total else ""
        eta = ""
        if self.total and rate > 0 and self.done < self.total:
            eta = f", {_duration((self.total - self.done) / rate)} left"
        return f"{self.done:,}{of} variants, {rate:,.0f}/s, {self.findings:,} findings{eta}"

    def _draw(self, now: float) -> None:
        self.stream.write("\r\033[K" + self.line(now))
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def count_rows(path: Path, fmt: str) -> int | None:
    """How many rows the input holds, for the time left: Parquet says it; JSON Lines and CSV are
    counted by their line breaks (a CSV field holding a line break makes it an estimate)."""
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(str(path)).metadata.num_rows)
        lines = 0
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                lines += block.count(b"\n")
        return max(0, lines - 1) if fmt == "csv" else lines
    except Exception:  # noqa: BLE001 - an estimate for the display only; the job reports real errors
        return None
