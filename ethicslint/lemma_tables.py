"""Lemma tables in a compact on-disk form, read lazily: the cheap tier's and the French model's.

spacy-lookups-data ships the lemma tables as gzipped JSON (the French lookup table: 217,000
entries) and spaCy loads each into a ``Table`` that hashes every key: about 0.5 s for French on
every run, before the first word is lemmatized. ``fr_core_news_sm``'s rule lemmatizer loads four
such tables from its ``lookups.bin`` (0.55 s more). A run over one changed file needs a few hundred
of those entries.

So the first run converts each source once into a file of hash buckets (marshal'd dicts; the
bucket of a key is fixed by its hash) under the user's cache directory, named after the source
file's path, size and modification time and this format's version; every later run maps that file
and unmarshals only the buckets of the words it meets. Values are kept exactly as the source holds
them (the French lookup table maps a word to a one-element list), so a lookup returns what spaCy's
``Table`` would. When no cache directory is writable the same structure is built in memory.
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .dirs import cache_home  # where derived tables live (also imported from here by matching)

FORMAT = b"ELT3"
_HEADER = struct.Struct("<4sQ")
_MISSING = object()
_NESTED = "\x00nested"  # marks a value stored as a table of its own
BUCKET_SIZE = 48  # entries per bucket on average: a bucket unmarshals in a few microseconds


class LazyTable:
    """A read-only mapping over one table of a bucket file; buckets load on first use.

    ``hashed`` tables are keyed the way spaCy stores them (the 64-bit hash of the string, as in
    a model's ``lookups.bin``): ``get("mangeons")`` hashes the key like ``Table.get`` does.
    """

    def __init__(self, name: str, blob: Any, base: int, offsets: list[int], hashed: bool,
                 tables: dict[str, LazyTable] | None = None) -> None:
        self.name = name
        self._tables = tables if tables is not None else {}  # the file's tables, for nested ones
        self._blob = blob
        self._base = base
        self._offsets = offsets  # len = buckets + 1
        self._buckets: list[dict[Any, Any] | None] = [None] * (len(offsets) - 1)
        self._hashed = hashed
        if hashed:
            from spacy.strings import get_string_id

            self._key = get_string_id
        else:
            self._key = None

    def _bucket(self, key: Any) -> dict[Any, Any]:
        n = len(self._buckets)
        index = _bucket_of(key, n)
        bucket = self._buckets[index]
        if bucket is None:
            start, end = self._offsets[index], self._offsets[index + 1]
            bucket = marshal.loads(self._blob[self._base + start:self._base + end]) if end > start else {}
            self._buckets[index] = bucket
        return bucket

    def get(self, key: Any, default: Any = None) -> Any:
        if self._key is not None and isinstance(key, str):
            key = self._key(key)
        value = self._bucket(key).get(key, default)
        if type(value) is tuple and len(value) == 2 and value[0] == _NESTED:
            return self._tables[value[1]]  # a large inner mapping, itself a lazy table
        return value

    def __contains__(self, key: Any) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __len__(self) -> int:
        return sum(len(self._bucket_at(i)) for i in range(len(self._buckets)))

    def _bucket_at(self, index: int) -> dict[Any, Any]:
        if self._buckets[index] is None:
            start, end = self._offsets[index], self._offsets[index + 1]
            self._buckets[index] = marshal.loads(self._blob[self._base + start:self._base + end]) \
                if end > start else {}
        return self._buckets[index]  # type: ignore[return-value]


class LazyLookups:
    """The part of spaCy's ``Lookups`` API a lemmatizer uses, over :class:`LazyTable` objects."""

    def __init__(self, tables: dict[str, LazyTable]) -> None:
        self._tables = tables

    @property
    def tables(self) -> list[str]:
        return list(self._tables)

    def has_table(self, name: str) -> bool:
        return name in self._tables

    def __contains__(self, name: str) -> bool:
        return name in self._tables

    def get_table(self, name: str, default: Any = _MISSING) -> Any:
        if name in self._tables:
            return self._tables[name]
        if default is _MISSING:
            raise KeyError(name)
        return default


def _bucket_of(key: Any, buckets: int) -> int:
    if isinstance(key, int):
        return key % buckets
    return zlib.crc32(str(key).encode("utf-8", "surrogatepass")) % buckets


def _encode(tables: dict[str, dict[Any, Any]], hashed: bool) -> bytes:
    """The bucket file for ``tables``: magic, header length, marshal'd header, buckets.

    A large inner mapping (``lemma_exc``: part of speech -> word -> lemmas) becomes a table of
    its own, string-keyed, so that one lookup does not unmarshal all French verb forms.
    """
    header: dict[str, tuple[bool, list[int]]] = {}
    chunks: list[bytes] = []
    position = 0
    pending = [(name, table, hashed) for name, table in tables.items()]
    while pending:
        name, table, table_hashed = pending.pop(0)
        table = dict(table)
        for key, value in list(table.items()):
            if isinstance(value, dict) and len(value) > 64 and all(isinstance(k, str) for k in value):
                inner = f"{name}\x1f{key}"
                table[key] = (_NESTED, inner)
                pending.append((inner, value, False))
        count = max(1, len(table) // BUCKET_SIZE) if len(table) > 64 else max(1, len(table))
        buckets: list[dict[Any, Any]] = [{} for _ in range(count)]
        for key, value in table.items():
            buckets[_bucket_of(key, count)][key] = value
        offsets = [position]
        for bucket in buckets:
            data = marshal.dumps(bucket) if bucket else b""
            chunks.append(data)
            position += len(data)
            offsets.append(position)
        header[name] = (table_hashed, offsets)
    head = marshal.dumps(header)
    return _HEADER.pack(FORMAT, len(head)) + head + b"".join(chunks)


def _decode(blob: Any) -> dict[str, LazyTable]:
    magic, head_len = _HEADER.unpack_from(blob, 0)
    if magic != FORMAT:
        raise ValueError("not a lemma table file")
    head_start = _HEADER.size
    header = marshal.loads(blob[head_start:head_start + head_len])
    base = head_start + head_len
    tables: dict[str, LazyTable] = {}
    for name, (hashed, offsets) in header.items():
        tables[name] = LazyTable(name, blob, base, offsets, hashed, tables)
    return {name: table for name, table in tables.items() if "\x1f" not in name}


def source_key(paths: Iterable[Path], *extra: str) -> str:
    """A name for the derived file: the sources' paths, sizes and modification times."""
    digest = hashlib.sha256(FORMAT)
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for part in extra:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]


def compact_tables(key: str, build: Callable[[], dict[str, dict[Any, Any]]], *, label: str = "tables",
                   hashed: bool = False, directory: Path | None = None) -> dict[str, LazyTable]:
    """The tables ``build()`` returns, from their bucket file named ``label`` and ``key`` (written
    on first use; older files of the same ``label`` are removed then).

    Safe under concurrent runs: the file is written to a temporary name and renamed into place.
    """
    directory = directory or cache_home()
    path = directory / f"{label}-{key}.bin"
    try:
        with open(path, "rb") as handle:
            blob: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _decode(blob)
    except (OSError, ValueError, EOFError, struct.error):
        pass
    data = _encode(build(), hashed)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tables-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        for old in directory.glob(f"{label}-*.bin"):  # from an older source or format
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only home: the tables still work, from memory
    return _decode(data)


# --- the two sources ------------------------------------------------------------------------

def lookups_data_file(lang: str, table: str) -> Path | None:
    """The spacy-lookups-data file of ``table`` for ``lang`` (what ``spacy.lookups.load_lookups``
    reads), or None when the package or the table is missing."""
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    files = getattr(spacy_lookups_data, lang, None)
    if not isinstance(files, dict) or table not in files:
        return None
    path = Path(str(files[table]))
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    return path if path.exists() else None


def cheap_lemma_table(lang: str) -> LazyTable | None:
    """spacy-lookups-data's ``lemma_lookup`` table for ``lang``, string-keyed, or None."""
    path = lookups_data_file(lang, "lemma_lookup")
    if path is None:
        return None

    def build() -> dict[str, dict[Any, Any]]:
        import srsly

        data = srsly.read_gzip_json(path) if path.suffix == ".gz" else srsly.read_json(path)
        return {"lemma_lookup": dict(data)}

    return compact_tables(source_key([path], lang, "lemma_lookup"), build,
                          label=f"lookups-{lang}-lemma_lookup")["lemma_lookup"]


def model_lemma_lookups(lookups_bin: Path) -> LazyLookups:
    """A model lemmatizer's tables (its ``lookups.bin``), hash-keyed as spaCy stores them.

    ``lemma_index`` values (lists of words, only ever tested with ``in``) become frozensets.
    """

    def build() -> dict[str, dict[Any, Any]]:
        import srsly

        raw = srsly.msgpack_loads(lookups_bin.read_bytes())
        tables: dict[str, dict[Any, Any]] = {}
        for name, table in raw.items():
            if name == "lemma_index":
                table = {k: frozenset(v) if isinstance(v, list) else v for k, v in table.items()}
            tables[name] = dict(table)
        return tables

    model = lookups_bin.parent.parent.parent.name  # <model>-<version>/lemmatizer/lookups/lookups.bin
    return LazyLookups(compact_tables(source_key([lookups_bin], "model"), build, hashed=True,
                                      label=f"model-{model}-lemmatizer"))
