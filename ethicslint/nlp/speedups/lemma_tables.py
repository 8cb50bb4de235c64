"""Lemma tables in SQLite files under the user cache directory, read one entry at a time.

Replaces: spaCy's ``Table`` objects built whole at start-up: the cheap tier's ``lemma_lookup``
from spacy-lookups-data (``spacy.lookups.load_lookups``) and the tables of a model's rule
lemmatizer from its ``lemmatizer/lookups/lookups.bin`` (``spacy.load``).

Why: spaCy reads each table whole and hashes every key (hundreds of thousands of entries for
French) on every run, before the first word is lemmatized; a run over one changed file needs a
few hundred entries.

How: the first run converts each source once into an SQLite database (the standard library's
``sqlite3``; values stored as JSON) and later runs look each word up with one indexed query. The
file's name and its ``meta`` row carry a key made of this format's version, the Python, SQLite
and spaCy versions, the source package's version and the source file's path, size and
modification time. A file that is not such a database, whose schema is not exactly this one
(a view or a trigger, say), or whose key differs, is removed and built again; the file is opened
read-only with ``trusted_schema`` off, and values are only ever parsed with ``json.loads``, so
nothing in it can execute. Where no cache directory is writable, the same database is built in
memory.

Values are kept as the source holds them (the French lookup table maps a word to a one-element
list), so a lookup returns what spaCy's ``Table`` would. A large inner mapping (a model's
``lemma_exc``: part of speech -> word -> lemmas) is a table of its own, and a long word list
(``lemma_index``: part of speech -> words, which the lemmatizer only tests with ``in``) a set of
its own, both read entry by entry.

Saves: building and hashing the whole tables on every run (``benchmarks/run.py``, one French file).

Checked: ``tests/test_speedups.py`` compares every entry of the cheap tables with spaCy's, every
model annotation with the stock model's, and rebuilds a corrupt or foreign file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...dirs import cache_home
from ...files import mark_used, origin_prefix, replace_atomically, source_key
from . import installed_version

FORMAT = "ethicslint-lemma-tables-1"
VALUE, MAPPING, MEMBERS = 0, 1, 2  # what an entry's value is: JSON, or the name of an inner table
NESTED_MIN = 64  # inner mappings and word lists longer than this are tables of their own
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entries (tbl TEXT NOT NULL, key NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (tbl, key)) WITHOUT ROWID;
"""
EXPECTED_SCHEMA = {("table", "meta"), ("table", "entries")}
_MISSING = object()
_INHERITED: list[sqlite3.Connection] = []  # a forked worker's copies of its parent's connections

Tables = dict[str, dict[Any, Any]]


class ForeignTableFile(Exception):
    """The file is not a table file this version wrote for this source."""


def _signed(key: int) -> int:
    """A 64-bit hash as SQLite's signed integer."""
    return key - (1 << 64) if key >= (1 << 63) else key


class TableFile:
    """One source's tables in one SQLite database, opened lazily (once per process)."""

    def __init__(self, path: Path | None, key: str, build: Callable[[], Tables], hashed: bool,
                 stale: str = "") -> None:
        self.path = path  # None: in memory only
        self.key = key
        self.stale = stale  # a glob for older files of the same tables, removed when this one is written
        self._build = build
        self.hashed = hashed
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._inner: dict[str, Any] = {}

    def row(self, table: str, key: Any) -> tuple[int, str] | None:
        """``(kind, value)`` of ``key`` in ``table``, or None."""
        query = "SELECT kind, value FROM entries WHERE tbl = ? AND key = ?"
        try:
            return self.connection().execute(query, (table, key)).fetchone()
        except sqlite3.DatabaseError:  # damaged after it was opened: build it again, once
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self._open(rebuild=True)
            return self.connection().execute(query, (table, key)).fetchone()

    def table_names(self) -> list[str]:
        """The source's tables, in its order."""
        row = self.connection().execute("SELECT value FROM meta WHERE name = 'tables'").fetchone()
        names = json.loads(row[0]) if row else None
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ForeignTableFile(self.path)
        return names

    def count(self, table: str) -> int:
        return self.connection().execute("SELECT count(*) FROM entries WHERE tbl = ?", (table,)).fetchone()[0]

    def inner(self, name: str, kind: int) -> Any:
        if name not in self._inner:
            self._inner[name] = LazyTable(self, name, hashed=False) if kind == MAPPING else LazyMembers(self, name)
        return self._inner[name]

    def connection(self) -> sqlite3.Connection:
        if self._connection is not None and self.path is not None and self._pid != os.getpid():
            # a forked worker: SQLite connections must not be used (nor closed) across fork
            _INHERITED.append(self._connection)
            self._connection = None
        if self._connection is None:
            self._open()
        assert self._connection is not None
        return self._connection

    def _open(self, rebuild: bool = False) -> None:
        self._pid = os.getpid()
        if self.path is not None:
            if not rebuild:
                try:
                    self._connection = _open_checked(self.path, self.key)
                    mark_used(self.path)
                    return
                except (sqlite3.DatabaseError, ForeignTableFile, OSError):
                    pass
            try:
                replace_atomically(self.path, self._write, stale=self.stale)
                self._connection = _open_checked(self.path, self.key)
                return
            except (sqlite3.DatabaseError, ForeignTableFile, OSError):
                self.path = None  # no writable cache: keep the tables in memory
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, self.key, self._build(), self.hashed)
        self._connection = connection

    def _write(self, temporary: Path) -> None:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            _fill(connection, self.key, self._build(), self.hashed)
        finally:
            connection.close()


def _open_checked(path: Path, key: str) -> sqlite3.Connection:
    """A read-only connection to ``path`` once its schema and key are this format's and ``key``."""
    if not path.is_file():
        raise ForeignTableFile(path)
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        schema = set(connection.execute("SELECT type, name FROM sqlite_master").fetchall())
        if schema != EXPECTED_SCHEMA:
            raise ForeignTableFile(path)
        found = connection.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        if found is None or found[0] != key:
            raise ForeignTableFile(path)
    except BaseException:
        connection.close()
        raise
    return connection


def _fill(connection: sqlite3.Connection, key: str, tables: Tables, hashed: bool) -> None:
    connection.executescript(SCHEMA)
    rows: list[tuple[str, Any, int, str]] = []
    pending = [(name, table, hashed) for name, table in tables.items()]
    for name, table, table_hashed in pending:  # (inner tables are appended as they are met)
        for entry_key, value in table.items():
            db_key = _signed(entry_key) if table_hashed and isinstance(entry_key, int) else entry_key
            inner = f"{name}\x1f{entry_key}"
            if isinstance(value, dict) and len(value) > NESTED_MIN and all(isinstance(k, str) for k in value):
                pending.append((inner, value, False))
                rows.append((name, db_key, MAPPING, inner))
            elif isinstance(value, list) and len(value) > NESTED_MIN and all(isinstance(w, str) for w in value):
                rows.extend((inner, word, VALUE, "null") for word in dict.fromkeys(value))
                rows.append((name, db_key, MEMBERS, inner))
            else:
                rows.append((name, db_key, VALUE, json.dumps(value, ensure_ascii=False)))
    with connection:
        connection.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", rows)
        connection.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
        connection.execute("INSERT INTO meta VALUES ('tables', ?)", (json.dumps(list(tables)),))


class LazyTable:
    """A read-only mapping over one table of a :class:`TableFile`: ``get`` is one query.

    ``hashed`` tables are keyed the way spaCy stores them (the 64-bit hash of the string, as in a
    model's ``lookups.bin``): ``get("mangeons")`` hashes the key like ``Table.get`` does.
    """

    def __init__(self, file: TableFile, name: str, hashed: bool) -> None:
        self._file = file
        self.name = name
        self._hashed = hashed

    def get(self, key: Any, default: Any = None) -> Any:
        if self._hashed:
            if isinstance(key, str):
                from spacy.strings import get_string_id

                key = get_string_id(key)
            key = _signed(key)
        row = self._file.row(self.name, key)
        if row is None:
            return default
        kind, value = row
        return json.loads(value) if kind == VALUE else self._file.inner(value, kind)

    def __contains__(self, key: Any) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __len__(self) -> int:
        return self._file.count(self.name)


class LazyMembers:
    """A long word list of a :class:`TableFile`, for ``word in members`` (one query)."""

    def __init__(self, file: TableFile, name: str) -> None:
        self._file = file
        self.name = name

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._file.row(self.name, word) is not None

    def __len__(self) -> int:
        return self._file.count(self.name)


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


def table_file(label: str, sources: list[Path], versions: list[str], build: Callable[[], Tables], *,
               hashed: bool = False, directory: Path | None = None) -> TableFile:
    """The :class:`TableFile` of ``build()``'s tables, at ``<directory>/<label>-<key>.sqlite``.

    The key covers this format, the Python, SQLite and spaCy versions, ``versions`` (the source
    package's) and the sources' paths, sizes and modification times. Written on first use; older
    files of the same ``label`` are removed then.
    """
    key = source_key(sources, FORMAT, sys.version, sqlite3.sqlite_version, installed_version("spacy"), *versions)
    prefix = origin_prefix(label, sources)
    path = (directory or cache_home()) / f"{prefix}{key}.sqlite"
    return TableFile(path, key, build, hashed, stale=f"{prefix}*.sqlite")


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


def cheap_lemma_table(lang: str, directory: Path | None = None) -> LazyTable | None:
    """spacy-lookups-data's ``lemma_lookup`` table for ``lang``, string-keyed, or None."""
    path = lookups_data_file(lang, "lemma_lookup")
    if path is None:
        return None

    def build() -> Tables:
        import srsly

        data = srsly.read_gzip_json(path) if path.suffix == ".gz" else srsly.read_json(path)
        return {"lemma_lookup": dict(data)}

    file = table_file(f"lookups-{lang}-lemma_lookup", [path], [installed_version("spacy-lookups-data")], build,
                      directory=directory)
    return LazyTable(file, "lemma_lookup", hashed=False)


def model_lemma_lookups(lookups_bin: Path, model_version: str, directory: Path | None = None) -> LazyLookups:
    """A model lemmatizer's tables (its ``lookups.bin``), hash-keyed as spaCy stores them."""

    def build() -> Tables:
        import srsly

        raw = srsly.msgpack_loads(lookups_bin.read_bytes())
        return {name: dict(table) for name, table in raw.items()}

    model = lookups_bin.parent.parent.parent.name  # <model>-<version>/lemmatizer/lookups/lookups.bin
    file = table_file(f"model-{model}-lemmatizer", [lookups_bin], [model_version], build, hashed=True,
                      directory=directory)
    return LazyLookups({name: LazyTable(file, name, hashed=True) for name in file.table_names()})
