"""Writing the findings table: JSON Lines or Parquet, one row per finding (and, with ``--summary``,
one row per variant), streamed as the batches come back.

Every row has the same columns (:data:`COLUMNS`), so a Parquet file has one schema and a JSON
Lines consumer one shape: ``type`` says whether a row is a ``finding`` or a ``variant`` summary,
and the columns of the other type are null (left out of JSON Lines rows).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from .extras import import_extra

OUTPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}

# name -> Arrow type name; finding rows fill the first group, variant rows the second
COLUMNS: dict[str, str] = {
    "type": "string", "id": "string", "row": "int64",
    "code": "string", "checker": "string", "severity": "string", "message": "string", "suggestion": "string",
    "line": "int64", "column": "int64", "end_line": "int64", "end_column": "int64",
    "start": "int64", "end": "int64", "text": "string", "corpus": "bool_",
    "errors": "int64", "warnings": "int64", "infos": "int64", "findings": "int64", "passed": "bool_",
}
_PARQUET_ROWS = 8_192  # rows buffered before one Parquet row group is written


class OutputError(Exception):
    """The output cannot be written in the format asked; the message says why."""


class RowWriter(Protocol):
    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


def output_format(path: Path, forced: str | None = None) -> str:
    fmt = forced or OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(f"{path}: unknown output format (use .jsonl or .parquet, or --output-format)")
    return fmt


def open_writer(path: Path, fmt: str) -> RowWriter:
    """A writer of ``fmt`` rows into ``path`` (a new file)."""
    return JsonLinesWriter(path) if fmt == "jsonl" else ParquetRowWriter(path)


class JsonLinesWriter:
    def __init__(self, path: Path) -> None:
        self._handle = path.open("w", encoding="utf-8")

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._handle.writelines(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n"
                                for row in rows)

    def close(self) -> None:
        self._handle.close()


class ParquetRowWriter:
    def __init__(self, path: Path) -> None:
        pa = import_extra("pyarrow", "batch", "Parquet", OutputError)
        pq = import_extra("pyarrow.parquet", "batch", "Parquet", OutputError)

        self._pa = pa
        self._schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in COLUMNS.items()])
        self._writer = pq.ParquetWriter(str(path), self._schema)
        self._buffer: list[dict[str, Any]] = []

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= _PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._pa.Table.from_pylist(self._buffer, schema=self._schema))
            self._buffer = []

    def close(self) -> None:
        self._flush()
        self._writer.close()  # an empty table still has its schema
