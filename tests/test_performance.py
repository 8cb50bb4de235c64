"""What makes ethicslint fast, checked structurally (no timing assertion): the heavy stage runs
only on candidate sentences, every shortcut gives exactly the result of the slow path it
replaces, and nothing keeps a document once it is reported. The speedups that reach into spaCy
are compared with stock spaCy in ``tests/test_speedups.py``. The timings are in
``benchmarks/run.py`` and ``docs/performance.md``."""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ethicslint import analysis, matching, nlp
from ethicslint.analysis import analyze_text
from ethicslint.cli import main
from ethicslint.matching import TermMatcher, load_terms, pattern_key_token, pattern_length

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus as bench_corpus  # noqa: E402

CLEAN = {
    "en": "# Spring collection\n\nOur new linen shirts are cut from European flax and washed for softness. "
          "Each shirt comes in five colours and sizes from XS to XXL.\n\nFree returns within 30 days. "
          "Care: machine wash at 30 degrees, hang to dry.\n\n## Who makes them\n\nA family mill in Flanders "
          "spins the yarn; our Bristol workshop cuts and sews every shirt.\n",
    "fr": "---\nlang: fr\n---\n# Collection de printemps\n\nNos nouvelles chemises en lin sont taillées dans du "
          "lin européen et lavées pour plus de douceur. Chaque chemise existe en cinq couleurs.\n\nRetours "
          "gratuits sous 30 jours. Entretien : lavage en machine à 30 °C, séchage à l'air libre.\n\n"
          "## Qui les fabrique\n\nUne filature familiale des Vosges file le lin ; notre atelier de Besançon "
          "coupe et coud chaque chemise.\n",
}


def _run_cli(tmp_path: Path, name: str, text: str) -> str:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(page), "--no-cache", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture
def heavy_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every request for the statistical tier, and every sentence sent to it."""
    calls: dict[str, list[str]] = {"model": [], "parse": [], "sentences": []}
    real_model, real_parse, real_analyze = nlp.model_pipeline, analysis.AnalyzedDocument.parse, analysis.analyze

    def model_pipeline(lang: str):  # type: ignore[no-untyped-def]
        calls["model"].append(lang)
        return real_model(lang)

    def parse(self, span, lang=None):  # type: ignore[no-untyped-def]
        calls["parse"].append(span.sent.text)
        return real_parse(self, span, lang)

    def analyze(document, configured_language=None):  # type: ignore[no-untyped-def]
        analyzed = real_analyze(document, configured_language)
        calls["sentences"] += [s.text for seg in analyzed.segments for s in seg.doc.sents]
        return analyzed

    monkeypatch.setattr(nlp, "model_pipeline", model_pipeline)
    monkeypatch.setattr(analysis.AnalyzedDocument, "parse", parse)
    monkeypatch.setattr(analysis, "analyze", analyze)
    return calls


# --- the two stages ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_clean_copy_never_reaches_the_heavy_stage(tmp_path: Path, lang: str, heavy_calls):
    out = _run_cli(tmp_path, f"page-{lang}.md", CLEAN[lang])
    assert json.loads(out) == []
    assert len(heavy_calls["sentences"]) >= 6  # every sentence went through the cheap pass...
    assert heavy_calls["parse"] == [] and heavy_calls["model"] == []  # ...and none further


def test_the_heavy_stage_sees_only_candidate_sentences(tmp_path: Path, heavy_calls):
    candidates = {"Vos données sont 100 % sécurisées et ne seront jamais partagées.",
                  "Dépêchez-vous, les stocks sont limités !"}
    text = CLEAN["fr"] + "\n" + "\n\n".join(sorted(candidates)) + "\n"
    _run_cli(tmp_path, "soldes.md", text)
    assert heavy_calls["parse"], "a French data claim is checked on the parse"
    assert set(heavy_calls["parse"]) <= candidates
    assert len(heavy_calls["sentences"]) > 3 * len(set(heavy_calls["parse"]))


def test_detection_by_segment_sums_equals_detection_over_the_joined_text():
    texts = [json.loads(line)["text"] for path in sorted((REPO / "tests" / "corpus").glob("*/*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(7)
    for _ in range(200):
        group = rng.sample(texts, 4)
        hits = [nlp.language_hits(t) for t in group]
        total = tuple(sum(h[i] for h in hits) for i in range(3))
        assert nlp.decide_language(total) == nlp.detect_language(" ".join(group))  # type: ignore[arg-type]


# --- term matching: the gated, windowed matcher equals one spaCy Matcher ----------------------

@lru_cache(maxsize=None)
def _texts(lang: str) -> tuple[str, ...]:
    texts = [json.loads(line)["text"] for path in sorted((REPO / "tests" / "corpus").glob(f"*/{lang}.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lang == "fr" and SHARED.is_dir():
        texts += [p for path in sorted((SHARED / "seeds-fr").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(11)
    long = [" ".join(rng.sample(texts, 12)) for _ in range(60)]  # long paragraphs: windows are used
    generated = [bench_corpus.page(i, lang, rng) for i in range(6)]
    return tuple(texts + long + generated)


@lru_cache(maxsize=None)
def _docs(lang: str) -> tuple:
    return tuple(seg.doc for text in _texts(lang) for seg in analyze_text(text, lang).segments)


class ReferenceMatcher:
    """The straightforward implementation: every pattern of the table in one spaCy Matcher."""

    def __init__(self, table, lang: str) -> None:  # type: ignore[no-untyped-def]
        from spacy.matcher import Matcher, PhraseMatcher

        pipeline = nlp.cheap_pipeline(lang)
        self.lower = PhraseMatcher(pipeline.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(pipeline.vocab, attr="LEMMA")
        self.matcher = Matcher(pipeline.vocab)
        for label, kinds in table.entries.items():
            if kinds.get("phrases"):
                self.lower.add(label, [pipeline.make_doc(nlp.normalize_for_nlp(p)) for p in kinds["phrases"]])
            if kinds.get("lemmas"):
                self.lemma.add(label, list(pipeline.pipe(nlp.normalize_for_nlp(p) for p in kinds["lemmas"])))
            if kinds.get("patterns"):
                self.matcher.add(label, kinds["patterns"])

    def __call__(self, doc) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
        found = set()
        for matcher in (self.lower, self.lemma, self.matcher):
            if len(matcher):
                found.update(matcher(doc))
        ordered = sorted(found, key=lambda m: (m[1], -m[2], m[0]))
        return [(doc.vocab.strings[k], s, e) for k, s, e in ordered]


TERM_FILES = sorted(p for p in (REPO / "plugins").glob("*/terms/*.toml")) + \
    sorted((REPO / "ethicslint" / "data").glob("context_*.toml"))


@pytest.mark.parametrize("path", TERM_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_term_matcher_finds_exactly_what_one_spacy_matcher_finds(path: Path):
    table = load_terms(path)
    langs = [path.stem[-2:]] if path.stem[-2:] in ("en", "fr") else ["en", "fr"]
    for lang in langs:
        ours, reference = TermMatcher(table, lang), ReferenceMatcher(table, lang)
        found = 0
        for doc in _docs(lang):
            expected = reference(doc)
            assert [(m.label, m.span.start, m.span.end) for m in ours(doc)] == expected, doc.text[:200]
            found += len(expected)
        assert found > 0  # the comparison is not vacuous
        labels = set(list(table.entries)[:3])
        for doc in _docs(lang)[:300]:  # the label filter gives the same subset
            assert [(m.label, m.span.start, m.span.end) for m in ours(doc, labels)] == \
                [m for m in reference(doc) if m[0] in labels]


@pytest.mark.parametrize("path", TERM_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_a_closed_prefilter_proves_there_is_no_match(path: Path):
    """``prefilter`` may say "maybe" wrongly, never "no" wrongly: for the whole table and for each
    label, a Doc the pre-filter turns away has no match (with ``near=False`` too: it turns away only
    Docs the full pre-filter turns away). And it turns most Docs away for one label."""
    table = load_terms(path)
    langs = [path.stem[-2:]] if path.stem[-2:] in ("en", "fr") else ["en", "fr"]
    for lang in langs:
        matcher = TermMatcher(table, lang)
        selective = False
        for labels in [None, *({label} for label in table.entries)]:
            passed = 0
            for doc in _docs(lang):
                if matcher.prefilter(doc, labels):
                    passed += 1
                else:
                    assert matcher(doc, labels) == [], (labels, doc.text[:200])
                if not matcher.prefilter(doc, labels, near=False):  # weaker: closed only where prefilter() is
                    assert not matcher.prefilter(doc, labels), (labels, doc.text[:200])
                if labels is None:  # the labels it cannot rule out hold every match
                    possible = matcher.prefilter_labels(doc)
                    assert {m.label for m in matcher(doc)} <= possible, doc.text[:200]
                    assert possible == set() or matcher.prefilter(doc)
            selective = selective or passed < len(_docs(lang)) // 2
        assert selective, "the pre-filter never turns a Doc away: it is not tested"


@pytest.mark.parametrize("pattern, key_token", [
    ([{"LOWER": "only"}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["left", "remaining"]}}], ("LOWER", {"only"})),
    ([{"LOWER": "the", "OP": "?"}, {"LEMMA": {"IN": ["end", "expire"]}}], ("LEMMA", {"end", "expire"})),
    ([{"lower": "a", "op": "!"}, {"ORTH": "Miss"}], ("ORTH", {"Miss"})),  # keys in any case; "!" is no key token
    ([{"TEXT": {"REGEX": "^\\d+$"}}, {"IS_PUNCT": True}], ("REGEX:ORTH", "^\\d+$")),
    ([{"LOWER": "in"}, {"LOWER": "stock"}], ("LOWER", {"stock"})),  # "in" is a stop word: less selective
    ([{"IS_TITLE": True}, {"LIKE_NUM": True, "OP": "+"}], None),
    ([{"LOWER": "x", "OP": "*"}], None),
])
def test_pattern_key_token(pattern, key_token):
    stop_words = frozenset({"in", "the", "a"})
    found = pattern_key_token(pattern, stop_words)
    if key_token is None:
        assert found is None
    else:
        assert found is not None and found[0] == key_token[0]
        assert (set(found[1]) if isinstance(key_token[1], set) else found[1]) == key_token[1]


@pytest.mark.parametrize("pattern, length", [
    ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c", "OP": "!"}], 3),
    ([{"LOWER": "a"}, {"IS_DIGIT": True, "OP": "{2,4}"}, {"ORTH": ":", "OP": "{,3}"}], 8),
    ([{"LOWER": "a"}, {"LOWER": "b", "OP": "+"}], None),
    ([{"LOWER": "a"}, {"LOWER": "b", "OP": "{2,}"}], None),
])
def test_pattern_length(pattern, length):
    assert pattern_length(pattern) == length


@pytest.mark.parametrize("op, lengths", [
    (None, (1, 1)), ("?", (0, 1)), ("!", (0, 1)), ("+", (1, None)), ("*", (0, None)),
    ("{2}", (2, 2)), ("{0,3}", (0, 3)), ("{1,}", (1, None)), ("{,4}", (0, 4)),
])
def test_token_lengths_follow_spacy_quantifiers(op, lengths):
    assert matching.token_lengths(op) == lengths


def test_doc_values_do_not_keep_the_doc():
    doc = analyze_text("Only 2 left in stock.").segments[0].doc
    matching.doc_values(doc, "LOWER")
    ref = weakref.ref(doc)
    before = len(matching._DOC_VALUES)
    del doc
    gc.collect()
    assert ref() is None and len(matching._DOC_VALUES) < before


# --- memory: no document outlives its report ---------------------------------------------------

def test_no_document_is_kept_after_it_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    rng = random.Random(3)
    for index in range(6):
        lang = "en" if index % 2 else "fr"
        (pages / f"p{index}.md").write_text(bench_corpus.page(index, lang, rng), encoding="utf-8")
    refs: list[weakref.ref] = []
    real_analyze = analysis.analyze

    def analyze(document, configured_language=None):  # type: ignore[no-untyped-def]
        analyzed = real_analyze(document, configured_language)
        refs.append(weakref.ref(analyzed))
        refs.extend(weakref.ref(seg.doc) for seg in analyzed.segments)
        return analyzed

    monkeypatch.setattr(analysis, "analyze", analyze)
    result = CliRunner().invoke(main, ["check", str(pages), "--no-cache", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1)
    assert len(refs) > 6
    gc.collect()
    alive = [r() for r in refs if r() is not None]
    assert not alive, f"{len(alive)} documents or Docs are still referenced after the run"


def test_benchmark_corpus_is_deterministic(tmp_path: Path):
    files_a, words_a = bench_corpus.generate(tmp_path / "a", 1, pages_per_scale=8)
    files_b, words_b = bench_corpus.generate(tmp_path / "b", 1, pages_per_scale=8)
    assert words_a == words_b > 8 * 200
    assert [f.read_bytes() for f in files_a] == [f.read_bytes() for f in files_b]
    assert {f.parent.parent.name for f in files_a} == {"en", "fr"}


def test_parallel_run_with_prewarmed_workers_reports_the_same(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    rng = random.Random(5)
    for index in range(10):  # enough files for the parent to warm up before forking
        lang = "en" if index % 2 else "fr"
        (pages / f"p{index}.md").write_text(bench_corpus.page(index, lang, rng), encoding="utf-8")
    command = [sys.executable, "-m", "ethicslint", "check", str(pages), "--no-cache", "--format", "json",
               "--exit-zero"]
    serial = subprocess.run([*command, "--jobs", "1"], capture_output=True, text=True, timeout=300)
    parallel = subprocess.run([*command, "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert serial.returncode == parallel.returncode == 0, parallel.stderr
    assert json.loads(serial.stdout) and serial.stdout == parallel.stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sentence_count_equals_the_sentences_spacy_yields(lang: str):
    docs = _docs(lang)
    assert sum(analysis._sentence_count(doc) for doc in docs) > len(docs)  # several sentences per Doc
    assert all(analysis._sentence_count(doc) == len(list(doc.sents)) for doc in docs)


# --- the default number of workers ------------------------------------------------------------

def _files(root: Path, count: int) -> list[tuple[Path, str]]:
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(count):
        path = root / f"p{index}.md"
        path.write_text(f"# Page {index}\n\nPlain copy number {index}.\n", encoding="utf-8")
        files.append((path, f"pages/p{index}.md"))
    return files


def _context(cache: Any = None) -> Any:
    from ethicslint.config import Config
    from ethicslint.host import Host
    from ethicslint.runner import RunContext

    return RunContext(config=Config(path=None, root=Path("/repo")), plugin_configs={}, host=Host(), cache=cache)


@pytest.fixture
def two_forking_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from ethicslint import runner

    monkeypatch.setattr(runner, "default_jobs", lambda: 2)
    monkeypatch.setattr(runner, "_workers_fork", lambda: True)


def test_default_jobs_stay_one_for_a_few_files(two_forking_cores: None):
    from ethicslint.runner import AUTO_PARALLEL_MIN_FILES, auto_jobs

    assert auto_jobs(AUTO_PARALLEL_MIN_FILES - 1) == 1
    assert auto_jobs(AUTO_PARALLEL_MIN_FILES) == 2


def test_default_jobs_stay_one_where_workers_would_be_spawned(monkeypatch: pytest.MonkeyPatch):
    from ethicslint import runner

    monkeypatch.setattr(runner, "default_jobs", lambda: 4)
    monkeypatch.setattr(runner, "_workers_fork", lambda: False)
    assert runner.auto_jobs(100) == 1
    monkeypatch.setattr(runner, "_workers_fork", lambda: True)
    monkeypatch.setattr(runner, "default_jobs", lambda: 1)  # one core
    assert runner.auto_jobs(100) == 1


def test_default_run_sends_only_the_files_the_cache_lacks_to_workers(tmp_path: Path, two_forking_cores: None,
                                                                    monkeypatch: pytest.MonkeyPatch):
    from ethicslint import runner
    from ethicslint.cache import ResultCache

    files = _files(tmp_path / "pages", runner.AUTO_PARALLEL_MIN_FILES + 8)
    ctx = _context(ResultCache(tmp_path / "cache", "key"))
    sent: list[tuple[int, int]] = []

    def in_process(to_check: list[tuple[Path, str]], ctx: Any, jobs: int, work: Any = None) -> Any:
        sent.append((len(to_check), jobs))
        return (runner.check_and_store(path, display, ctx) for path, display in to_check)

    monkeypatch.setattr(runner, "_parallel", in_process)
    first = list(runner._auto(files, ctx))
    assert sent == [(len(files), 2)] and not any(r.from_cache for r in first)
    files[3][0].write_text("# Changed\n\nNew copy.\n", encoding="utf-8")
    second = list(runner._auto(files, ctx))
    assert sent == [(len(files), 2)]  # one file to check: no workers
    assert [r.path for r in second] == [display for _, display in files]  # in the order given
    assert [r.from_cache for r in second] == [index != 3 for index in range(len(files))]


def test_default_run_over_many_files_reports_what_one_job_reports(tmp_path: Path):
    """With enough files the default run uses workers (where it can fork): same report."""
    from ethicslint.runner import AUTO_PARALLEL_MIN_FILES

    pages = tmp_path / "pages"
    pages.mkdir()
    rng = random.Random(11)
    for index in range(AUTO_PARALLEL_MIN_FILES):
        lang = "en" if index % 2 else "fr"
        (pages / f"p{index}.md").write_text(bench_corpus.page(index, lang, rng), encoding="utf-8")
    command = [sys.executable, "-m", "ethicslint", "check", str(pages), "--no-cache", "--format", "json",
               "--exit-zero"]
    default = subprocess.run(command, capture_output=True, text=True, timeout=300)
    serial = subprocess.run([*command, "--jobs", "1"], capture_output=True, text=True, timeout=300)
    assert default.returncode == serial.returncode == 0, default.stderr
    assert json.loads(serial.stdout) and default.stdout == serial.stdout
