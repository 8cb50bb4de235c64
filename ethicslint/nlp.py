"""Language choice and the spaCy pipelines, loaded lazily and once per process.

Two tiers per language:

* the **cheap** tier, run on all prose: a blank pipeline (tokenizer), lowercase lookup lemmas
  from spacy-lookups-data and rule-based sentence splitting;
* the **model** tier (``en_core_web_sm``, ``fr_core_news_sm``), run only on the sentences a
  checker marks as candidates (``AnalyzedDocument.parse``). When the model is not installed
  the checkers work on the cheap tier alone, and one notice says so.

spaCy is imported inside functions, never at module import, so ``ethicslint --help`` and runs
over files with no prose never pay for it.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

SUPPORTED_LANGUAGES = ("en", "fr")
MODELS = {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}

# One-for-one character substitutions applied before tokenizing: they keep every offset
# identical while letting term lists use a plain apostrophe and a plain space.
_NORMALIZE = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


_NEEDS_NORMALIZING = re.compile("[\u2019\u02bc\u00a0\u202f\u2009]")


def normalize_for_nlp(text: str) -> str:
    """Text with typographic apostrophes and non-breaking spaces made plain, same length."""
    return text.translate(_NORMALIZE) if _NEEDS_NORMALIZING.search(text) else text


def import_spacy():  # type: ignore[no-untyped-def]
    """``import spacy``, without importing spaCy's command line on the way.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` to re-export ``spacy.info``, and with it the
    whole ``spacy.cli`` package: typer, weasel, requests, httpx — 170 ms of the 550 ms spaCy takes
    to import here, for commands a linter never runs. During this one import, ``spacy.cli`` and
    ``spacy.cli.info`` are placeholder modules that load the real ones on first use (any attribute,
    or ``spacy.info(...)``); the placeholders are removed right after, so ``import spacy.cli`` later
    gets the real package. If spaCy is already imported, or ``spacy/cli/info.py`` is not where
    spaCy 3.8 has it, this is a plain ``import spacy``; ``tests/test_performance.py`` checks that
    the command line still imports and works afterwards.
    """
    module = sys.modules.get("spacy")
    if module is not None:
        return module
    _index_registry_entry_points()
    stubs = _command_line_placeholders()
    try:
        import spacy
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    return spacy


def _index_registry_entry_points() -> None:
    """Let spaCy's registries find their entry points by a dict lookup instead of a scan.

    spaCy, thinc and srsly keep their registries in ``catalogue``, which looks up the entry
    points of a registry's group on every ``get``/``get_all``, through
    ``importlib.metadata``'s ``SelectableGroups.select(group=...)``: a pass over every entry point
    of every installed package each time. Importing spaCy, building a blank pipeline and loading
    ``fr_core_news_sm`` make a few hundred such lookups (about a fifth of the model's load time).
    catalogue also accepts a plain ``{group: [entry points]}`` mapping, and reads it with
    ``.get(group, [])``: the same entry points in the same order, grouped once here.
    """
    try:
        import catalogue
    except ImportError:  # pragma: no cover - spaCy requires it
        return
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if available is None or isinstance(available, dict) and not hasattr(available, "select"):
        return  # already a plain mapping
    try:
        grouped: dict[str, list[object]] = {}
        for group in available.groups:
            grouped[group] = list(available.select(group=group))
    except Exception:  # an importlib.metadata without select(): leave catalogue as it is
        return
    catalogue.AVAILABLE_ENTRY_POINTS = grouped


def _command_line_placeholders() -> dict[str, object]:
    import importlib
    import importlib.util
    import types

    if any(name in sys.modules for name in ("spacy.cli", "spacy.cli.info")):
        return {}
    try:
        spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        return {}
    locations = list(spec.submodule_search_locations or []) if spec else []
    cli_dir = Path(locations[0]) / "cli" if locations else None
    if cli_dir is None or not (cli_dir / "info.py").is_file():
        return {}

    def real(name: str) -> object:
        placeholder = sys.modules.get(name)
        if placeholder is not None and getattr(placeholder, "__ethicslint_placeholder__", False):
            del sys.modules[name]
        return importlib.import_module(name)

    def placeholder(name: str, package: bool) -> types.ModuleType:
        module = types.ModuleType(name, f"placeholder for {name} (see ethicslint.nlp.import_spacy)")
        module.__ethicslint_placeholder__ = True  # type: ignore[attr-defined]
        if package:
            module.__path__ = [str(cli_dir)]  # submodules still import from the real package

        def load_on_use(attr: str) -> object:
            if attr.startswith("__"):  # the import system probing (__path__, __file__...)
                raise AttributeError(attr)
            return getattr(real(name), attr)

        module.__getattr__ = load_on_use  # type: ignore[method-assign]
        return module

    def info(*args, **kwargs):  # type: ignore[no-untyped-def]
        return real("spacy.cli.info").info(*args, **kwargs)  # type: ignore[attr-defined]

    stubs = {"spacy.cli": placeholder("spacy.cli", True), "spacy.cli.info": placeholder("spacy.cli.info", False)}
    stubs["spacy.cli.info"].info = info  # type: ignore[attr-defined]
    sys.modules.update(stubs)  # type: ignore[arg-type]
    return stubs


@functools.lru_cache(maxsize=None)
def _lemma_table(lang: str):  # type: ignore[no-untyped-def]
    """spacy-lookups-data's lemma table for ``lang``: anything with ``get(word, default)``.

    Read from a compact bucket file derived once from the package's JSON (see
    :mod:`ethicslint.lemma_tables`); only the buckets of the words met are ever loaded.
    """
    from .lemma_tables import cheap_lemma_table

    try:
        table = cheap_lemma_table(lang)
    except Exception:  # an unexpected package layout: spaCy's own loader still works
        table = None
    if table is not None:
        return table
    from spacy.lookups import load_lookups

    lookups = load_lookups(lang, ["lemma_lookup"], strict=False)
    if not lookups.has_table("lemma_lookup"):
        return {}
    return lookups.get_table("lemma_lookup")


@functools.lru_cache(maxsize=None)
def cheap_pipeline(lang: str) -> Language:
    """The blank tier for ``lang``: tokenizer, lowercase lookup lemmas, sentence boundaries."""
    spacy = import_spacy()
    from spacy.language import Language

    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (supported: {', '.join(SUPPORTED_LANGUAGES)})")
    with _fast_tokenizer(lang):
        nlp = spacy.blank(lang)
    factory = f"ethicslint_lemmas_{lang}"
    if not Language.has_factory(factory):
        # spaCy's lookup lemmatizer is case-sensitive ("Hurry" stays "Hurry"); copy lemmas
        # are matched in lowercase, so look the lowercase form up.
        Language.component(factory, func=LowercaseLemmas(lang))
    nlp.add_pipe(factory)
    nlp.add_pipe("sentencizer")
    return nlp


def _fast_tokenizer(lang: str):  # type: ignore[no-untyped-def]
    """French tokenizers are built with the compact token-match pattern (see fast_french)."""
    import contextlib

    if lang != "fr":
        return contextlib.nullcontext()
    from .fast_french import cheap_token_match

    return cheap_token_match()


class LowercaseLemmas:
    """The cheap tier's lemmatizer: the lookup lemma of each token's lowercase form.

    Works on hashes: one ``to_array`` for the lowercase forms, one ``from_array`` for the lemmas,
    and each distinct form is looked up once per process (a run meets a few thousand).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._vocab = None
        self._lemma_of: dict[int, int] = {}  # lowercase hash -> lemma hash (in self._vocab)

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        if not len(doc):
            return doc
        import numpy
        from spacy.attrs import LEMMA, LOWER

        if doc.vocab is not self._vocab:  # the lemma strings must be in this Doc's string store
            self._vocab, self._lemma_of = doc.vocab, {}
        lemma_of = self._lemma_of
        lowers = doc.to_array(LOWER).tolist()
        missing = set(lowers).difference(lemma_of)
        if missing:
            strings = doc.vocab.strings
            table = _lemma_table(self.lang)
            for h in missing:
                lemma_of[h] = strings.add(_lookup_lemma(table, strings[h]))
        lemmas = numpy.array(list(map(lemma_of.__getitem__, lowers)), dtype=numpy.uint64)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def _lookup_lemma(table, lower: str) -> str:  # type: ignore[no-untyped-def]
    lemma = table.get(lower, lower)
    if not isinstance(lemma, str):  # some tables (fr) hold a list of candidate lemmas
        lemma = lemma[0] if lemma else lower
    return lemma


def _set_lowercase_lemmas(doc, table):  # type: ignore[no-untyped-def]
    """Token by token (kept for callers of the old helper; the pipeline uses LowercaseLemmas)."""
    for token in doc:
        token.lemma_ = _lookup_lemma(table, token.lower_)
    return doc


_missing_model_noticed: set[str] = set()


@functools.lru_cache(maxsize=None)
def model_pipeline(lang: str) -> Language | None:
    """The statistical tier for ``lang``, or None (with one notice on stderr) when not installed."""
    name = MODELS.get(lang)
    if name is None:
        return None
    try:
        with _fast_tokenizer(lang):
            return load_model(name)
    except (OSError, ImportError):
        if lang not in _missing_model_noticed:
            _missing_model_noticed.add(lang)
            hint = "pip install 'ethicslint[fr]'" if lang == "fr" else f"pip install {name}"
            print(f"ethicslint: note: {name} is not installed; {lang} checks use the blank tier "
                  f"(install it for better results: {hint})", file=sys.stderr)
        return None


def load_model(name: str) -> Language:
    """``spacy.load(name)``, with a rule lemmatizer's tables read lazily from a compact copy.

    Loading ``fr_core_news_sm`` spends most of its time (0.55 s of 0.9 s) building the hashed
    tables of its rule lemmatizer, of which a run uses a few hundred entries. The model is loaded
    without that component, which is then added back at the same place with the same settings and
    its tables from :func:`ethicslint.lemma_tables.model_lemma_lookups`: same lemmas, table by table
    (``tests/test_performance.py`` compares every annotation with the stock pipeline). Anything
    unexpected (no such component, another mode, no ``lookups.bin``) falls back to ``spacy.load``.
    """
    spacy = import_spacy()

    nlp = spacy.load(name, exclude=["lemmatizer"])
    try:
        if _restore_lemmatizer(nlp):
            return nlp
    except Exception:  # a model laid out differently: take the slow, ordinary way
        pass
    return spacy.load(name)


def _restore_lemmatizer(nlp: Language) -> bool:
    """Add the excluded rule lemmatizer back to ``nlp`` with lazily read tables; False if not possible."""
    from spacy.util import load_config

    from .lemma_tables import model_lemma_lookups

    path = nlp.path
    if path is None:
        return False
    lookups_bin = Path(path) / "lemmatizer" / "lookups" / "lookups.bin"
    config = load_config(Path(path) / "config.cfg", interpolate=False)
    order = list(config["nlp"]["pipeline"])
    if "lemmatizer" not in order:
        return True  # nothing was excluded
    block = dict(config["components"]["lemmatizer"])
    factory = block.pop("factory", None)
    if factory != "lemmatizer" or block.get("mode") != "rule" or not lookups_bin.is_file():
        return False
    later = order[order.index("lemmatizer") + 1:]
    before = next((p for p in later if p in nlp.component_names), None)
    kwargs = {"before": before} if before else {}
    lemmatizer = nlp.add_pipe(factory, name="lemmatizer", config=block, **kwargs)
    lemmatizer.lookups = model_lemma_lookups(lookups_bin)
    lemmatizer._validate_tables()
    return True


@functools.lru_cache(maxsize=None)
def model_available(lang: str) -> bool:
    """Whether the statistical model for ``lang`` can be imported (without loading it)."""
    import importlib.util

    name = MODELS.get(lang)
    return bool(name) and importlib.util.find_spec(name) is not None


# --- language detection ------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@functools.lru_cache(maxsize=None)
def _stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop list for ``lang``, read from ``spacy/lang/<lang>/stop_words.py`` alone.

    Importing ``spacy.lang.fr.stop_words`` the usual way imports the ``spacy.lang.fr`` package,
    tokenizer exceptions included, and spaCy itself: detecting the language of an English file
    would pay for the French tokenizer. The module is plain data, so it is executed on its own.
    """
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "lang" / lang / "stop_words.py"
        if path.is_file():
            namespace: dict[str, object] = {"__name__": f"ethicslint._stop_words_{lang}"}
            try:
                exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
                return frozenset(namespace["STOP_WORDS"])  # type: ignore[arg-type]
            except Exception:
                break  # not plain data any more: import it the ordinary way
    with _fast_tokenizer(lang):
        if lang == "en":
            from spacy.lang.en.stop_words import STOP_WORDS
        else:
            from spacy.lang.fr.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


# Words that are stop words in both lists say nothing; count only the distinctive ones.
@functools.lru_cache(maxsize=None)
def _distinctive(lang: str) -> frozenset[str]:
    other = "fr" if lang == "en" else "en"
    return _stop_words(lang) - _stop_words(other)


def language_hits(text: str) -> tuple[int, int, int]:
    """``(words, English hits, French hits)``: the counts :func:`detect_language` decides on.

    Counts add up over texts joined by spaces, so a document's counts are the sum of its segments'.
    """
    words = _WORD.findall(text)
    if not words:
        return 0, 0, 0
    en = _distinctive("en")
    fr = _distinctive("fr")
    en_hits = fr_hits = 0
    for word in words:
        w = word.lower().replace("\u2019", "'")
        if w in en:
            en_hits += 1
        if w in fr or w.split("'")[0] + "'" in fr:
            fr_hits += 1
    return len(words), en_hits, fr_hits


def decide_language(hits: tuple[int, int, int], *, min_hits: int = 2) -> str | None:
    """The language :func:`detect_language` gives for these :func:`language_hits` counts."""
    words, en_hits, fr_hits = hits
    if not words or max(en_hits, fr_hits) < min_hits or en_hits == fr_hits:
        return None
    return "en" if en_hits > fr_hits else "fr"


def detect_language(text: str, *, min_hits: int = 2) -> str | None:
    """``"en"`` or ``"fr"`` from the overlap with each language's distinctive stop words.

    None when the text has too few stop words to tell (short labels, names, numbers).
    """
    return decide_language(language_hits(text), min_hits=min_hits)


def normalize_language_tag(tag: object) -> str | None:
    """``"fr-FR"``/``"fr_CA"``/``"French"`` -> ``"fr"``; None for anything unsupported."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    value = tag.strip().lower().replace("_", "-")
    names = {"english": "en", "french": "fr", "français": "fr", "francais": "fr", "anglais": "en"}
    value = names.get(value, value.split("-")[0])
    return value if value in SUPPORTED_LANGUAGES else None
