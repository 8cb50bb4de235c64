"""Reading a table of variants (JSON Lines, CSV, Parquet) as bounded batches of :class:`Variant`.

Why streaming: a campaign's export may hold millions of rows; only one batch (``batch_size``
rows) is decoded at a time, so the reader's memory does not grow with the file. JSON Lines is read
line by line; CSV through ``pyarrow.csv.open_csv`` (every column as bytes, so one undecodable
cell spoils its row only); Parquet through ``pyarrow.parquet.ParquetFile.iter_batches``.

A row that cannot be checked (no text, text of the wrong type, bytes that are not UTF-8, a line
that is not a JSON object) is still a :class:`Variant`, with ``problem`` saying why: the batch
reports it (EL107) and goes on. A file that cannot be read at all raises :class:`InputError`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .extras import import_extra

INPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
ID_COLUMN, LANGUAGE_COLUMN, KIND_COLUMN = "id", "language", "kind"


class InputError(Exception):
    """The input file cannot be read as a table of variants; the message says why."""


@dataclass(frozen=True)
class Variant:
    """One row of the input: what the checker needs, as read (``text`` may be of any type)."""

    row: int  # from 1: the JSON Lines line number, the CSV or Parquet record number
    id: str  # the row's ``id``, else its row number
    text: Any = None
    language: Any = None
    kind: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why the row cannot be checked, when the reader already knows


@dataclass(frozen=True)
class Columns:
    """Which columns hold what: the text, and those read as front matter keys."""

    text: str = "text"
    metadata: tuple[str, ...] = ()


def input_format(path: Path, forced: str | None = None) -> str:
    """The format of ``path`` from its extension (or ``forced``); InputError when unknown."""
    fmt = forced or INPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown input format (use .jsonl, .csv or .parquet, or --input-format)")
    return fmt


def read_variants(path: Path, columns: Columns, batch_size: int, fmt: str | None = None) -> Iterator[list[Variant]]:
    """The variants of ``path``, ``batch_size`` at a time, in file order."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    readers = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}
    yield from readers[input_format(path, fmt)](path, columns, max(1, batch_size))


def _chunks(variants: Iterator[Variant], size: int) -> Iterator[list[Variant]]:
    batch: list[Variant] = []
    for variant in variants:
        batch.append(variant)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- JSON Lines --------------------------------------------------------------------------------

def _jsonl(path: Path, columns: Columns, size: int) -> Iterator[list[Variant]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        yield from _chunks(_jsonl_rows(handle, columns), size)


def _jsonl_rows(handle: Any, columns: Columns) -> Iterator[Variant]:
    for number, raw in enumerate(handle, 1):
        if not raw.strip():
            continue  # a blank line (the last one, often) holds no record
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Variant(row=number, id=str(number), problem=f"line {number} is not valid UTF-8 ({exc.reason})")
            continue
        except json.JSONDecodeError as exc:
            yield Variant(row=number, id=str(number), problem=f"line {number} is not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield Variant(row=number, id=str(number), problem=f"line {number} is not a JSON object")
            continue
        yield _variant(number, record, columns, typed=True)


# --- CSV ---------------------------------------------------------------------------------------

def _csv(path: Path, columns: Columns, size: int) -> Iterator[list[Variant]]:
    pa = import_extra("pyarrow", "batch", "CSV", InputError)
    pacsv = import_extra("pyarrow.csv", "batch", "CSV", InputError)

    names = _csv_header(path)
    _require(path, names, columns)
    try:
        reader = pacsv.open_csv(str(path), read_options=pacsv.ReadOptions(block_size=1 << 20),
                                convert_options=pacsv.ConvertOptions(
                                    column_types={name: pa.binary() for name in names}))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a CSV file pyarrow can read ({exc})") from None
    yield from _chunks(_csv_rows(path, reader, columns), size)


def _csv_rows(path: Path, reader: Any, columns: Columns) -> Iterator[Variant]:
    import pyarrow as pa

    number = 0
    while True:
        try:
            block = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise InputError(f"{path}: a CSV record after row {number} cannot be read ({exc})") from None
        for record in block.to_pylist():
            number += 1
            yield _variant(number, _decoded(record), columns, typed=False)


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return next(csv.reader([first.decode("utf-8-sig")]))
    except (UnicodeDecodeError, StopIteration):
        raise InputError(f"{path}: the first line is not a UTF-8 header of column names") from None


def _decoded(record: dict[str, Any]) -> dict[str, Any]:
    """CSV cells are bytes: decoded here, so that a bad byte spoils one row, not the file; an
    undecodable cell stays bytes (reported if it is the text)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                pass
        out[key] = value
    return out


# --- Parquet -----------------------------------------------------------------------------------

def _parquet(path: Path, columns: Columns, size: int) -> Iterator[list[Variant]]:
    pa = import_extra("pyarrow", "batch", "Parquet", InputError)
    pq = import_extra("pyarrow.parquet", "batch", "Parquet", InputError)

    try:
        parquet = pq.ParquetFile(str(path))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a Parquet file ({exc})") from None
    names = list(parquet.schema_arrow.names)
    _require(path, names, columns)
    wanted = [name for name in names if name in _wanted(columns)]
    number = 0
    for block in parquet.iter_batches(batch_size=size, columns=wanted):
        records = block.to_pylist()
        yield [_variant(number + offset, _decoded(record), columns, typed=True)
               for offset, record in enumerate(records, 1)]
        number += len(records)


# --- rows --------------------------------------------------------------------------------------

def _wanted(columns: Columns) -> set[str]:
    return {columns.text, ID_COLUMN, LANGUAGE_COLUMN, KIND_COLUMN, *columns.metadata}


def _require(path: Path, names: Sequence[str], columns: Columns) -> None:
    missing = [name for name in (columns.text, *columns.metadata) if name not in names]
    if missing:
        raise InputError(f"{path}: no column {', '.join(repr(m) for m in missing)} "
                         f"(columns: {', '.join(names) or 'none'}; see --text-column, --metadata-columns)")


def _variant(number: int, record: dict[str, Any], columns: Columns, *, typed: bool) -> Variant:
    """One row as a Variant. ``typed``: values keep their types (JSON, Parquet); else they are
    strings (CSV) and metadata values are read as YAML scalars, as front matter is."""
    identifier = record.get(ID_COLUMN)
    ident = str(number) if identifier in (None, "") else identifier if isinstance(identifier, str) \
        else json.dumps(identifier, ensure_ascii=False, default=str)
    metadata = {}
    for name in columns.metadata:
        value = record.get(name)
        if not typed and isinstance(value, str):
            value = _scalar(value)
        if value is not None:
            metadata[name] = value
    problem = None if columns.text in record else f"the row has no {columns.text!r} field"
    return Variant(row=number, id=ident, text=record.get(columns.text), language=_blank(record.get(LANGUAGE_COLUMN)),
                   kind=_blank(record.get(KIND_COLUMN)), metadata=metadata, problem=problem)


def _blank(value: Any) -> Any:
    return None if value == "" else value


def _scalar(value: str) -> Any:
    """A CSV cell read as a front matter value would be: ``true`` -> True, ``3`` -> 3, ``""`` -> None."""
    if not value.strip():
        return None
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return loaded if isinstance(loaded, (str, int, float, bool)) else value
