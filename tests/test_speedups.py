"""The speedups of :mod:`ethicslint.nlp.speedups` give exactly what stock spaCy gives.

Stock spaCy runs in a separate process with ``ETHICSLINT_NO_SPEEDUPS=1`` (the switch is read once
per process, and a French tokenizer built one way cannot be rebuilt the other way in the same
process); this process, with the speedups, annotates the same texts and every annotation the
checkers use is compared: tokens, lemmas, sentence starts and the lexical attributes of the cheap
tier, and text, lemma, part of speech, tag, morphology, dependency, head and entity of the model
tier, in English and French. That stock process also reports that the switch really ran stock
spaCy. All tests here carry the ``speedups`` marker (CI runs them against the newest spaCy 3.x);
those that need the speedups in use are skipped when the suite itself runs with the switch.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from ethicslint import nlp
from ethicslint.nlp import speedups
from ethicslint.nlp.speedups import french_tokenizer, lemma_tables
from ethicslint.nlp.speedups.french_tokenizer import GatedPattern, cheap_letter_classes, required_characters

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus as bench_corpus  # noqa: E402

pytestmark = pytest.mark.speedups
needs_speedups = pytest.mark.skipif(not speedups.enabled(), reason="ETHICSLINT_NO_SPEEDUPS is set: "
                                    "this process runs stock spaCy, there is nothing to compare")

MODEL_SENTENCES = {"en": 300, "fr": 600}

# What the checkers read from a token of each tier (see analysis.py, matching.py, context.py).
CHEAP = """lambda t: [t.text, t.idx, t.lemma_, t.lower_, t.norm_, bool(t.is_sent_start), t.like_num,
                      t.is_stop, t.is_punct, t.is_title]"""
MODEL = """lambda t: [t.text, t.lemma_, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.ent_type_,
                      t.ent_iob_]"""

STOCK = f"""
import json, os, sys
from ethicslint import nlp
from ethicslint.nlp import speedups
cheap, model = {CHEAP}, {MODEL}
request = json.load(sys.stdin)
out = {{"cheap": {{}}, "model": {{}}, "stop_words": {{}}}}
for lang, texts in request["cheap"].items():
    pipeline = nlp.cheap_pipeline(lang)
    out["cheap"][lang] = [[cheap(t) for t in pipeline(text)] for text in texts]
    out["stop_words"][lang] = sorted(nlp.stop_words(lang))
for lang, sentences in request["model"].items():
    pipeline = nlp.model_pipeline(lang)
    out["model"][lang] = None if pipeline is None else [[model(t) for t in doc] for doc in pipeline.pipe(sentences)]
import catalogue, spacy, spacy.lookups
fr_match = nlp.cheap_pipeline("fr").tokenizer.token_match.__self__
fr_model = nlp.model_pipeline("fr")
out["stock"] = {{
    "switch": speedups.enabled(),
    "placeholders": [name for name, module in sys.modules.items()
                     if getattr(module, "__ethicslint_placeholder__", False)],
    "cli_imported_by_spacy": "spacy.cli.info" in sys.modules,
    "catalogue_indexed": type(catalogue.AVAILABLE_ENTRY_POINTS) is dict,
    "fr_token_match": [type(fr_match).__name__, len(fr_match.pattern)],
    "cheap_lemma_table": [type(nlp.lemma_table(lang)).__module__ for lang in ("en", "fr")],
    "model_lookups": None if fr_model is None else type(fr_model.get_pipe("lemmatizer").lookups).__module__,
    "cache_files": sorted(os.listdir(os.environ["ETHICSLINT_CACHE_HOME"]))
                   if os.path.isdir(os.environ["ETHICSLINT_CACHE_HOME"]) else [],
}}
json.dump(out, sys.stdout)
"""


@lru_cache(maxsize=None)
def _texts(lang: str) -> tuple[str, ...]:
    """Every labelled text of the corpora, the shared French seeds, generated pages and a few
    words built around hyphens and elisions, made plain as the analysis makes them."""
    texts = [json.loads(line)["text"] for path in sorted((REPO / "tests" / "corpus").glob(f"*/{lang}.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lang == "fr":
        texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds-fr").glob("*.txt"))]
        texts.append("Aujourd'hui, c'est-à-dire maintenant : porte-monnaie anti-âge, arc-en-ciel, "
                     "pet-en-l'air, entr'ouvert, Saint-Étienne, week-end, RENDEZ-VOUS, New-York, peut-être.")
    rng = random.Random(11)
    texts += [bench_corpus.page(i, lang, rng) for i in range(6)]
    return tuple(nlp.normalize_for_nlp(text) for text in texts)


@lru_cache(maxsize=None)
def _sentences(lang: str) -> tuple[str, ...]:
    pipeline = nlp.cheap_pipeline(lang)
    found = [s.text for text in _texts(lang) for s in pipeline(text).sents if len(s) > 3]
    return tuple(dict.fromkeys(found))[:MODEL_SENTENCES[lang]]


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Annotations and facts from a process running stock spaCy (``ETHICSLINT_NO_SPEEDUPS=1``)."""
    assert sum(len(t.split()) for t in _texts("fr")) > 5000  # a large text, not a toy sample
    request = {"cheap": {lang: list(_texts(lang)) for lang in ("en", "fr")},
               "model": {lang: list(_sentences(lang)) for lang in ("en", "fr") if nlp.model_available(lang)}}
    cache = tmp_path_factory.mktemp("stock-cache")
    env = {**os.environ, speedups.SWITCH: "1", "ETHICSLINT_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-c", STOCK], input=json.dumps(request), env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value))


# --- the switch -----------------------------------------------------------------------------

def test_the_switch_runs_stock_spacy(stock: dict[str, Any]):
    facts = stock["stock"]
    assert facts["switch"] is False
    assert facts["placeholders"] == [] and facts["cli_imported_by_spacy"]  # a plain `import spacy`
    assert facts["catalogue_indexed"] is False  # catalogue as spaCy left it
    assert facts["fr_token_match"][0] == "Pattern" and facts["fr_token_match"][1] > 1_000_000  # spaCy's own
    assert facts["cheap_lemma_table"] == ["spacy.lookups", "spacy.lookups"]  # spaCy's Table
    if facts["model_lookups"] is not None:
        assert facts["model_lookups"] == "spacy.lookups"
    assert facts["cache_files"] == []  # no stop words file, no SQLite tables


@pytest.mark.parametrize("value, on", [("", True), ("0", True), ("1", False), ("yes", False)])
def test_the_switch_is_read_from_the_environment(value: str, on: bool):
    code = "from ethicslint.nlp import speedups; print(speedups.enabled())"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, speedups.SWITCH: value},
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(on)]


# --- the cheap tier and the model tier: same annotations as stock spaCy -------------------------

@needs_speedups
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cheap_tier_annotates_like_stock_spacy(stock: dict[str, Any], lang: str):
    cheap = eval(CHEAP)  # the same attribute list the stock process reads  # noqa: S307
    pipeline = nlp.cheap_pipeline(lang)
    if lang == "fr":
        assert isinstance(pipeline.tokenizer.token_match.__self__, GatedPattern)  # the speedup is in use
    assert type(nlp.lemma_table(lang)) is lemma_tables.LazyTable
    ours = [[cheap(t) for t in pipeline(text)] for text in _texts(lang)]
    expected = stock["cheap"][lang]
    assert len(expected) == len(ours) > 100
    mismatches = [(text[:80], a, b) for text, a, b in zip(_texts(lang), expected, _json(ours)) if a != b]
    assert not mismatches, mismatches[:2]


@needs_speedups
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_model_tier_annotates_like_the_stock_model(stock: dict[str, Any], lang: str):
    if not nlp.model_available(lang):
        pytest.skip(f"{nlp.MODELS[lang]} is not installed")
    model = eval(MODEL)  # noqa: S307
    pipeline = nlp.model_pipeline(lang)
    if lang == "fr":
        assert type(pipeline.get_pipe("lemmatizer").lookups) is lemma_tables.LazyLookups
    sentences = _sentences(lang)
    assert len(sentences) >= MODEL_SENTENCES[lang] // 2
    ours = _json([[model(t) for t in doc] for doc in pipeline.pipe(sentences)])
    mismatches = [(s, a, b) for s, a, b in zip(sentences, stock["model"][lang], ours) if a != b]
    assert not mismatches, mismatches[:2]


@needs_speedups
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_stored_stop_words_are_spacys(stock: dict[str, Any], lang: str):
    assert sorted(nlp.stop_words(lang)) == stock["stop_words"][lang]
    assert len(stock["stop_words"][lang]) > 300


@needs_speedups
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sqlite_lemma_table_holds_every_entry_of_spacy_lookups(lang: str):
    from spacy.lookups import load_lookups

    stock_table = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    ours = nlp.lemma_table(lang)
    import srsly

    raw = srsly.read_gzip_json(lemma_tables.lookups_data_file(lang, "lemma_lookup"))
    assert len(raw) == len(stock_table) == len(ours) > 1000
    for key in list(raw)[:: 5 if lang == "fr" else 1]:
        assert ours.get(key) == stock_table.get(key) == raw[key]
    assert ours.get("zzz-not-a-word", "default") == "default"


# --- importing spaCy --------------------------------------------------------------------------

@needs_speedups
def test_spacy_is_imported_without_its_command_line():
    code = ("import sys; from ethicslint import nlp; spacy = nlp.import_spacy(); "
            "cli_loaded = 'spacy.cli' in sys.modules; nlp.cheap_pipeline('en'); "
            "import spacy.cli; from spacy.cli.info import info; "
            "print(cli_loaded, 'typer' in sys.modules, callable(spacy.info), spacy.cli.info is info)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True", "True"]


@needs_speedups
def test_registries_see_the_same_entry_points_once_indexed():
    """catalogue reads the grouped mapping with ``.get(group, [])``: each group must hold exactly
    what ``select(group=...)`` gives, in the same order, and spaCy's registries must still work."""
    code = ("import importlib.metadata as m, json; from ethicslint import nlp; nlp.import_spacy(); "
            "nlp.cheap_pipeline('en'); import catalogue, spacy; eps = m.entry_points(); "
            "grouped = catalogue.AVAILABLE_ENTRY_POINTS; "
            "same = all([(e.name, e.value) for e in grouped.get(g, [])] == "
            "[(e.name, e.value) for e in eps.select(group=g)] for g in eps.groups); "
            "print(json.dumps([type(grouped) is dict, same, len(eps.groups) > 0, "
            "spacy.registry.tokenizers.get('spacy.Tokenizer.v1') is not None]))")
    out = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", code],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [True, True, True, True]


@needs_speedups
def test_language_detection_with_stored_stop_words_imports_no_spacy(tmp_path: Path):
    code = ("import sys; from ethicslint import nlp; "
            "print(nlp.detect_language('Dépêchez-vous, l’offre se termine ce soir et il n’en reste que deux'), "
            "'spacy' in sys.modules, 'spacy.lang.fr' in sys.modules)")
    env = {**os.environ, "ETHICSLINT_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["fr", "True", "True"]  # derived once, through spaCy's own import
    assert sorted(p.name.split("-")[2] for p in tmp_path.glob("stop-words-*.json")) == ["en", "fr"]
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["fr", "False", "False"]


def test_a_damaged_stop_words_file_is_derived_again(tmp_path: Path):
    from ethicslint.nlp.speedups.stop_words import stored_stop_words

    calls: list[str] = []

    def derive(lang: str) -> frozenset[str]:
        calls.append(lang)
        return frozenset({"the", "a"})

    assert stored_stop_words("en", derive, tmp_path) == {"the", "a"}
    assert stored_stop_words("en", derive, tmp_path) == {"the", "a"} and calls == ["en"]  # from the file
    (path,) = tmp_path.glob("stop-words-en-*.json")
    stored = json.loads(path.read_text(encoding="utf-8"))
    for damaged in ("{not json", json.dumps({**stored, "key": "another"}), json.dumps({**stored, "words": [1]})):
        path.write_text(damaged, encoding="utf-8")
        assert stored_stop_words("en", derive, tmp_path) == {"the", "a"}
    assert calls == ["en"] * 4


# --- the SQLite lemma tables -------------------------------------------------------------------

def _tables() -> dict[str, dict[Any, Any]]:
    return {"t": {f"w{i}": [f"l{i}"] for i in range(500)},
            "n": {"verb": {f"v{i}": [f"x{i}"] for i in range(100)}, "adv": ["vite", "bien"]},
            "i": {"noun": [f"m{i}" for i in range(200)]}}


def test_table_file_reads_values_inner_tables_and_word_lists(tmp_path: Path):
    file = lemma_tables.table_file("test", [], ["1"], _tables, directory=tmp_path)
    table = lemma_tables.LazyTable(file, "t", hashed=False)
    assert table.get("w42") == ["l42"] and table.get("nope") is None and len(table) == 500
    nested = lemma_tables.LazyTable(file, "n", hashed=False)
    assert nested.get("verb").get("v7") == ["x7"]  # a large inner mapping, read lazily too
    assert nested.get("adv") == ["vite", "bien"]  # a short list stays a list
    members = lemma_tables.LazyTable(file, "i", hashed=False).get("noun")
    assert "m3" in members and "zz" not in members and len(members) == 200
    assert file.table_names() == ["t", "n", "i"]
    assert len(list(tmp_path.glob("test-*.sqlite"))) == 1


def test_a_new_version_replaces_its_own_file_but_not_another_environments(tmp_path: Path):
    """Two environments (a project's venv and pre-commit's) derive the same tables from sources at
    different paths: neither removes the other's file, or each run would rebuild them."""
    venv, hooks = tmp_path / "venv" / "lookups.json", tmp_path / "hooks" / "lookups.json"
    for source in (venv, hooks):
        source.parent.mkdir()
        source.write_text("{}", encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()

    def open_table(source: Path, version: str) -> Path:
        file = lemma_tables.table_file("lookups", [source], [version], _tables, directory=cache)
        assert lemma_tables.LazyTable(file, "t", hashed=False).get("w1") == ["l1"]
        return file.path

    first, other = open_table(venv, "1"), open_table(hooks, "1")
    assert first.exists() and other.exists() and first != other
    upgraded = open_table(venv, "2")
    assert upgraded.exists() and not first.exists() and other.exists()


def test_derived_files_unused_for_a_month_are_pruned_once_a_day(tmp_path: Path):
    """The cache home does not grow without bound: a derived file no run read for 30 days (an old
    format, a removed environment, a terms file that has gone) is removed; one read recently, the
    secret key and files of other programs stay; a second run the same day walks nothing."""
    import os
    import time

    from ethicslint.nlp.speedups import prune_derived_files_if_due

    month_ago = time.time() - 31 * 86_400
    old = ["terms-0123456789ab-feed.json", "lookups-en-lemma_lookup-old.bin", "model-x-lemmatizer-y.sqlite"]
    kept = ["result-cache-key", "notes.txt"]
    for name in [*old, *kept]:
        (tmp_path / name).write_text("x", encoding="utf-8")
        os.utime(tmp_path / name, (month_ago, month_ago))
    file = lemma_tables.table_file("lookups", [], ["1"], _tables, directory=tmp_path)
    assert lemma_tables.LazyTable(file, "t", hashed=False).get("w1") == ["l1"]  # written today
    os.utime(file.path, (month_ago, month_ago))
    reopened = lemma_tables.table_file("lookups", [], ["1"], _tables, directory=tmp_path)
    assert lemma_tables.LazyTable(reopened, "t", hashed=False).get("w2") == ["l2"]  # a read marks it used
    assert prune_derived_files_if_due(tmp_path) == len(old)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted([*kept, file.path.name])
    (tmp_path / old[0]).write_text("x", encoding="utf-8")
    os.utime(tmp_path / old[0], (month_ago, month_ago))
    assert prune_derived_files_if_due(tmp_path) == 0 and (tmp_path / old[0]).exists()  # once a day


def test_hashed_tables_are_looked_up_by_string_like_spacy_tables(tmp_path: Path):
    from spacy.lookups import Table
    from spacy.strings import get_string_id

    words = {"mangeons": ["manger"], "zèbres": ["zèbre"], **{f"w{i}": f"l{i}" for i in range(20)}}
    hashed = {get_string_id(word): lemma for word, lemma in words.items()}
    assert any(key >= 1 << 63 for key in hashed) and any(key < 1 << 63 for key in hashed)  # both signs in SQLite
    file = lemma_tables.table_file("hashed", [], [], lambda: {"lemma_lookup": hashed}, hashed=True,
                                   directory=tmp_path)
    ours, theirs = lemma_tables.LazyTable(file, "lemma_lookup", hashed=True), Table(data=words)
    for word in [*words, "absent"]:
        assert ours.get(word) == theirs.get(word) and (word in ours) == (word in theirs)


def test_tables_work_without_a_writable_cache(tmp_path: Path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x", encoding="utf-8")
    file = lemma_tables.table_file("test", [], [], _tables, directory=blocked)
    assert lemma_tables.LazyTable(file, "t", hashed=False).get("w42") == ["l42"]
    assert file.path is None  # built in memory


def _garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))


def _foreign(path: Path) -> None:
    """A real SQLite file with this format's table names, another key and a view."""
    path.unlink()
    connection = sqlite3.connect(path)
    connection.executescript("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
                             "INSERT INTO meta VALUES ('key', 'another'), ('tables', '[\"t\"]');"
                             "CREATE VIEW entries AS SELECT 't' AS tbl, 'w42' AS key, 0 AS kind, '\"evil\"' AS value;")
    connection.close()


def _foreign_key(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE entries SET value = '[\"evil\"]' WHERE key = 'w42'")
        connection.execute("UPDATE meta SET value = 'another' WHERE name = 'key'")
    connection.close()


@pytest.mark.parametrize("damage", [_garbage, _foreign, _foreign_key, Path.unlink])
def test_a_corrupt_or_foreign_table_file_is_rebuilt(tmp_path: Path, damage):
    built: list[int] = []

    def build() -> dict[str, dict[Any, Any]]:
        built.append(1)
        return _tables()

    lemma_tables.LazyTable(lemma_tables.table_file("test", [], [], build, directory=tmp_path), "t",
                           hashed=False).get("w1")
    (path,) = tmp_path.glob("test-*.sqlite")
    damage(path)
    again = lemma_tables.table_file("test", [], [], build, directory=tmp_path)
    assert lemma_tables.LazyTable(again, "t", hashed=False).get("w42") == ["l42"]
    assert built == [1, 1] and again.path == path  # rebuilt in place, not kept in memory
    schema = sqlite3.connect(path).execute("SELECT type, name FROM sqlite_master").fetchall()
    assert set(schema) == lemma_tables.EXPECTED_SCHEMA


def test_a_table_file_damaged_while_open_is_rebuilt(tmp_path: Path):
    file = lemma_tables.table_file("test", [], [], _tables, directory=tmp_path)
    table = lemma_tables.LazyTable(file, "t", hashed=False)
    assert table.get("w1") == ["l1"]
    assert file.path is not None
    size = file.path.stat().st_size
    with open(file.path, "r+b") as handle:  # damage the pages in place, under the open connection
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))
    assert table.get("w499") == ["l499"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_worker_opens_its_own_connection(tmp_path: Path):
    file = lemma_tables.table_file("test", [], [], _tables, directory=tmp_path)
    table = lemma_tables.LazyTable(file, "t", hashed=False)
    parent = file.connection()
    assert table.get("w1") == ["l1"]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            ok = table.get("w2") == ["l2"] and file.connection() is not parent
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    os.close(read)
    assert file.connection() is parent and table.get("w3") == ["l3"]


# --- the French tokenizer's compact token-match pattern --------------------------------------

@needs_speedups
def test_french_token_match_is_gated_on_hyphens_and_apostrophes():
    gated = nlp.cheap_pipeline("fr").tokenizer.token_match.__self__
    assert isinstance(gated, GatedPattern)
    assert set(gated.required) == set("-\u2013\u2014\u2010\u2011'\u2019")
    ungated = re.compile(gated.pattern, gated.flags)
    chunks = {c for text in _texts("fr") for c in text.split()}
    chunks |= {c.strip(".,;:!?«»()") for c in chunks} | {"porte-monnaie", "entr'ouvert", "Saint-Étienne",
                                                           "anti-âge", "l’air", "rendez-vous", "week-end"}
    assert sum(1 for c in chunks if ungated.match(c)) > 10
    for chunk in chunks:
        assert bool(gated.match(chunk)) == bool(ungated.match(chunk)), chunk


@needs_speedups
def test_fast_letter_class_rewrite_equals_the_plain_one_on_spacys_pattern():
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    nlp.cheap_pipeline("fr")  # imports spacy.lang.fr the way a run does
    from spacy.lang.fr import tokenizer_exceptions

    stock = "(?iu)" + "|".join("(?:{})".format(m) for m in tokenizer_exceptions._regular_exp)
    assert len(stock) > 1_000_000
    fast = french_tokenizer._cheap_letter_classes_fast(stock, ALPHA, ALPHA_LOWER)
    assert fast is not None and fast == french_tokenizer._cheap_letter_classes_slow(stock, ALPHA, ALPHA_LOWER)
    assert fast == nlp.cheap_pipeline("fr").tokenizer.token_match.__self__.pattern


def test_rewrite_only_touches_the_letter_classes():
    alpha, lower = "A-Za-zÀ-ÿ", "a-zà-ÿ"
    pattern = f"(?iu)^anti[-–][{lower}][-'{lower}]*$|^x[{alpha}]+$|^[0-9]+$"
    assert cheap_letter_classes(pattern, alpha, lower) == \
        r"(?iu)^anti[-–][^\W\d_](?:[-']|[^\W\d_])*$|^x[^\W\d_]+$|^[0-9]+$"


@pytest.mark.parametrize("pattern, expected", [
    ("(?iu)(?:^anti[-–]x+$)|(?:^r['’]y$)", "'-–’"),
    ("(?iu)(?:^anti[-–]?x+$)|(?:^r['’]y$)", None),  # an optional class proves nothing
    ("(?iu)(?:^anti[-–]x+$|^plain$)", None),  # an alternative without the class
    ("(?iu)(?:^x(?:[-–])y$)", None),  # inside a nested group: not shown
    ("(?iu)(?:^x[a-z]y$)", None),  # not made of candidate characters
])
def test_required_characters(pattern: str, expected: str | None):
    found = required_characters(pattern, "-\u2013'\u2019")
    assert (None if found is None else "".join(sorted(found))) == (None if expected is None else "".join(sorted(expected)))


def test_only_the_french_token_match_compiles_differently():
    with french_tokenizer.compact_token_match():
        plain = re.compile("(?iu)a+" + "b" * 200_000)  # long, but without spaCy's letter class
        assert type(plain) is re.Pattern and plain.pattern.startswith("(?iu)a+b")
    assert re.compile is french_tokenizer.re.compile and re.compile.__module__ == "re"


# --- terms files kept parsed (speedups.terms_files) ------------------------------------------

def test_the_json_copy_of_every_terms_file_reads_as_tomllib_reads_the_file(tmp_path: Path):
    import tomllib

    from ethicslint.nlp.speedups.terms_files import cached_toml

    terms_files = sorted((REPO / "plugins").glob("*/terms/*.toml"))
    assert len(terms_files) >= 9
    for path in terms_files:
        expected = tomllib.loads(path.read_text(encoding="utf-8"))
        assert cached_toml(path, tmp_path) == expected  # parsed, and the copy written
        assert cached_toml(path, tmp_path) == expected  # read back from the copy
    assert len(list(tmp_path.glob("terms-*.json"))) == len(terms_files)


def test_a_damaged_terms_copy_is_parsed_again_and_a_changed_file_gets_a_new_copy(tmp_path: Path):
    from ethicslint.nlp.speedups.terms_files import cached_toml

    source = tmp_path / "en.toml"
    source.write_text('[a]\nphrases = ["one"]\n', encoding="utf-8")
    cache = tmp_path / "cache"
    assert cached_toml(source, cache) == {"a": {"phrases": ["one"]}}
    [copy] = cache.glob("terms-*.json")
    copy.write_text('["not", "a", "table"]', encoding="utf-8")
    assert cached_toml(source, cache) == {"a": {"phrases": ["one"]}}
    source.write_text('[a]\nphrases = ["one", "two"]\n', encoding="utf-8")
    os.utime(source, ns=(1, 2))  # another modification time, whatever the clock's resolution
    assert cached_toml(source, cache) == {"a": {"phrases": ["one", "two"]}}
    assert len(list(cache.glob("terms-*.json"))) == 1  # the older copy is gone


@needs_speedups
def test_load_terms_reads_the_copy_once_it_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from ethicslint import matching
    from ethicslint.nlp.speedups import terms_files

    monkeypatch.setenv("ETHICSLINT_CACHE_HOME", str(tmp_path / "cache"))
    terms = tmp_path / "en.toml"
    terms.write_text('[hurry]\nphrases = ["hurry up"]\n', encoding="utf-8")
    matching.load_terms.cache_clear()
    try:
        assert matching.load_terms(terms).strings("hurry") == ["hurry up"]
        assert len(list((tmp_path / "cache").glob("terms-*.json"))) == 1
        monkeypatch.setattr(terms_files.tomllib, "loads", lambda text: pytest.fail("parsed again"))
        matching.load_terms.cache_clear()
        assert matching.load_terms(terms).strings("hurry") == ["hurry up"]  # from the copy
    finally:
        matching.load_terms.cache_clear()
