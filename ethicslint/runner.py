"""One run, wired: files -> documents -> analysis -> plugin hooks -> filtering -> findings.

Each stage lives in its own module; this one only connects them, decides what runs in
worker processes (``--jobs``, and every plugin call of a command-line run: see
:mod:`ethicslint.workers`), and passes every finding, the host's and the plugins', per file and
of the corpus phase, through :func:`ethicslint.finding_filter.filter_findings`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from .assets import attach as attach_images
from .assets import stamp
from .assets import stamps as image_stamps
from .cache import ResultCache
from .config import Config
from .custom_rules import PLUGIN_NAME as CUSTOM_RULES
from .custom_rules import register_custom_rules
from .documents import ReadResult, read_document
from .documents.loading import load
from .finding_filter import filter_findings
from .host import Host
from .host_rules import UNREADABLE, UNREADABLE_IMAGE
from .kinds import KINDS, assign_kinds, kind_at
from .model import Document, Finding, Rule
from .nlp.speedups import prune_derived_files_if_due
from .suppression import Suppressions, parse_suppressions
from .suppression_audit import drop_used_later, reason_findings, unused_findings
from .workers import Pool



@dataclass
class FileResult:
    """What checking one file produced (picklable: it may come back from a worker)."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, Any] = field(default_factory=dict)  # plugin name -> corpus summary
    plugin_errors: list[str] = field(default_factory=list)
    sentences: int = 0
    parsed_sentences: int = 0
    checked: bool = False  # False when skipped (unreadable, too large, skip-file)
    source: str | None = None  # kept only when there are findings (for the `full` excerpt)
    from_cache: bool = False
    slow_plugins: dict[str, float] = field(default_factory=dict)  # plugin -> seconds, over the budget
    copy_kind: str | None = None  # the document's kind, for corpus findings anchored on it
    assets: dict[str, str] = field(default_factory=dict)  # images shown -> "size:mtime" (assets.stamps)

    def to_data(self) -> dict[str, Any]:
        """The result as plain data, for the result cache (without what belongs to this run only:
        ``from_cache``, ``slow_plugins``)."""
        return {"path": self.path, "findings": [f.to_dict() for f in self.findings],
                "summaries": self.summaries, "plugin_errors": self.plugin_errors, "sentences": self.sentences,
                "parsed_sentences": self.parsed_sentences, "checked": self.checked, "source": self.source,
                "copy_kind": self.copy_kind, "assets": self.assets}

    @classmethod
    def from_data(cls, data: Any, path: str) -> FileResult:
        """The result :meth:`to_data` gave for the file shown as ``path``, checked field by field
        (a cache entry is input like any other); ``ValueError`` when ``data`` is not one."""
        if type(data) is not dict or set(data) != _RESULT_FIELDS or data["path"] != path:
            raise ValueError("not a result of this file")
        findings = [Finding.from_dict(item) for item in _typed(data, "findings", list)]
        if any(f.path != path for f in findings):
            raise ValueError("a finding of another file")
        summaries = _typed(data, "summaries", dict)
        errors = _typed(data, "plugin_errors", list)
        if not all(type(e) is str for e in errors):
            raise ValueError("'plugin_errors' is not a list of strings")
        counts = [_typed(data, key, int) for key in ("sentences", "parsed_sentences")]
        if min(counts) < 0:
            raise ValueError("a negative count")
        if data["source"] is not None and type(data["source"]) is not str:
            raise ValueError("'source' is not a string")
        if data["copy_kind"] is not None and data["copy_kind"] not in KINDS:
            raise ValueError("'copy_kind' is not a kind")
        assets = _typed(data, "assets", dict)
        if not all(type(v) is str for v in assets.values()):
            raise ValueError("'assets' is not a mapping of strings")
        return cls(path=path, findings=findings, summaries=summaries, plugin_errors=errors, sentences=counts[0],
                   parsed_sentences=counts[1], checked=_typed(data, "checked", bool), source=data["source"],
                   copy_kind=data["copy_kind"], assets=assets)


_RESULT_FIELDS = frozenset(("path", "findings", "summaries", "plugin_errors", "sentences", "parsed_sentences",
                            "checked", "source", "copy_kind", "assets"))


def _typed(data: dict[str, Any], key: str, kind: type) -> Any:
    """``data[key]``, which must be exactly of type ``kind`` (a bool is not an int here)."""
    if type(data[key]) is not kind:
        raise ValueError(f"{key!r} is not a {kind.__name__}")
    return data[key]


@dataclass
class RunResult:
    """The outcome of a whole run."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    cache_hits: int = 0
    plugin_errors: set[str] = field(default_factory=set)
    sentences: int = 0
    parsed_sentences: int = 0
    sources: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # display path -> the document's copy kind
    slow_plugins: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # plugin -> (path, s)
    corpus_findings: list[Finding] = field(default_factory=list)  # those of ``findings`` from the corpus hooks
    contributors: dict[str, set[str]] = field(default_factory=dict)  # plugin -> display paths it collected from


@dataclass
class RunContext:
    """Everything a (possibly remote) worker needs to check a file."""

    config: Config
    plugin_configs: dict[str, dict[str, Any]]
    host: Host
    cache: ResultCache | None = None
    workers: Workers | None = None  # where plugins run, when not in this process (set by :func:`run`)


def check_document(document: Document, ctx: RunContext, problems: list[Finding] | None = None,
                   file: Path | None = None, *, kind: str | None = None) -> FileResult:
    """Analyze one document and run every plugin on it; filter the findings (``problems``, the
    reader's, with them). ``file`` is where it was read (the images it shows are found from there;
    by default, its display path from the current directory). ``kind``: the copy kind of the whole
    document, whatever its config, front matter, path or catalogue keys say (the Python API's
    ``kind=``)."""
    result = FileResult(path=document.path)
    suppressions = parse_suppressions(document.source)
    if suppressions.skip_file:  # not checked; but a skip-file may have to give its reason
        result.findings = filter_findings(reason_findings(document.path, suppressions, ctx.config), ctx.config,
                                          ctx.host.rules)
        result.source = document.source if result.findings else None
        return result
    result.checked = True
    assign_kinds(document, ctx.config.kinds, ctx.config.root)
    if kind is not None:
        document.copy_kind = kind
        for segment in document.segments:
            segment.copy_kind = kind
    result.copy_kind = document.copy_kind
    findings = list(problems or [])
    for image, message in attach_images(document, ctx.config.root, file):  # before the checkers, who read them
        line, column = document.position(image.offset)
        end_line, end_column = document.position(image.end)
        findings.append(Finding(path=document.path, line=line, column=column, end_line=end_line,
                                end_column=end_column, code=UNREADABLE_IMAGE.code, checker=UNREADABLE_IMAGE.checker,
                                severity=UNREADABLE_IMAGE.severity, message=f"image '{image.file}' {message}",
                                text=document.source[image.offset:image.end]))
    result.assets = image_stamps(document)
    if document.segments:
        from .analysis import analyze  # imports spaCy: only when there is prose

        analyzed = analyze(document, ctx.config.language)
        limit = ctx.config.plugin_time_limit
        outcome = ctx.host.check_document(analyzed, ctx.plugin_configs, limit)
        summaries, collect_outcome = ctx.host.collect(analyzed, ctx.plugin_configs, limit)
        result.summaries = summaries
        findings.extend(outcome.findings)
        findings.extend(collect_outcome.findings)
        result.plugin_errors = outcome.errors + collect_outcome.errors
        for name in {*outcome.seconds, *collect_outcome.seconds}:
            seconds = outcome.seconds.get(name, 0.0) + collect_outcome.seconds.get(name, 0.0)
            if seconds > ctx.config.plugin_time_budget:
                result.slow_plugins[name] = seconds
        result.sentences = analyzed.stats.sentences
        result.parsed_sentences = analyzed.stats.parsed_sentences

    def kept(found: list[Finding]) -> list[Finding]:
        return filter_findings(found, ctx.config, ctx.host.rules, suppressions_in=lambda _: suppressions,
                               kind_of=lambda f: kind_at(document, f.line, f.column))

    result.findings = kept(findings)
    result.findings += kept(reason_findings(document.path, suppressions, ctx.config))
    # last: whether a suppression was used is known once every other finding went through the filter
    result.findings += kept(unused_findings(document.path, suppressions, ctx.config, ctx.host.rules))
    if result.findings:
        result.source = document.source
    return result


def check_path(path: Path, display: str, ctx: RunContext) -> FileResult:
    """Check one file, from the cache when its content and the settings are unchanged."""
    return cached_result(path, display, ctx) or check_and_store(path, display, ctx)


def cached_result(path: Path, display: str, ctx: RunContext) -> FileResult | None:
    """The cached result of one file, or None (no cache, changed content or settings)."""
    content = _cacheable_content(path, ctx)
    if content is None:
        return None
    data = ctx.cache.get(display, content)  # type: ignore[union-attr]
    if data is None:
        return None
    try:
        cached = FileResult.from_data(data, display)
    except (ValueError, TypeError):  # an entry of another shape: checked again, as on any miss
        return None
    if any(stamp(Path(file)) != value for file, value in cached.assets.items()):
        return None  # an image it shows changed since: its provenance may have too
    cached.from_cache = True
    cached.slow_plugins = {}  # no plugin ran: nothing was slow this time
    return cached


def check_and_store(path: Path, display: str, ctx: RunContext) -> FileResult:
    """Check one file and keep its result in the cache (unless a plugin failed on it)."""
    content = _cacheable_content(path, ctx)  # read first: a file edited meanwhile is not cached as new
    result = _check_path_uncached(path, display, ctx)
    if content is not None and not result.plugin_errors:
        ctx.cache.put(display, content, result.to_data())  # type: ignore[union-attr]
    return result


def _cacheable_content(path: Path, ctx: RunContext) -> bytes | None:
    if ctx.cache is None:
        return None
    try:
        if path.stat().st_size > ctx.config.max_file_size:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _check_path_uncached(path: Path, display: str, ctx: RunContext) -> FileResult:
    """Read a file and check it; reading problems become host findings."""
    read = read_document(path, display, max_bytes=ctx.config.max_file_size,
                         extra_formats=ctx.config.formats or None)
    return check_read(read, display, ctx, path)


def check_read(read: ReadResult, display: str, ctx: RunContext, file: Path | None = None, *,
               kind: str | None = None) -> FileResult:
    """Check what a reader made of a file (or of standard input); its problems become host findings.
    ``file`` and ``kind``: see :func:`check_document`."""
    problems = [_problem_finding(display, read.document, p) for p in read.problems]
    if read.document is None:
        return FileResult(path=display, findings=filter_findings(problems, ctx.config, ctx.host.rules), checked=False)
    return check_document(read.document, ctx, problems, file, kind=kind)


def _problem_finding(path: str, document: Document | None, problem: Any) -> Finding:
    line, column = document.position(problem.offset) if document is not None else (1, 1)
    rule = problem.rule
    return Finding(path=path, line=line, column=column, end_line=line, end_column=column,
                   code=rule.code, checker=rule.checker, severity=rule.severity, message=problem.message)


def _host_finding(rule: Rule, path: str, message: str) -> Finding:
    return Finding(path=path, line=1, column=1, end_line=1, end_column=1, code=rule.code, checker=rule.checker,
                   severity=rule.severity, message=message)


# --- the whole run -------------------------------------------------------------------------

PREWARM_MIN_FILES = 8
WARM_UP_TEXTS = {  # one short text per language: every checker compiles its terms on it
    "en": "Hurry, only 2 left! Our assistant Emma answers every question. Your data is safe with us.",
    "fr": "Vite, plus que 2 en stock ! Notre assistante Léa répond à vos questions. Vos données sont protégées.",
}
SHIPPED = "ethicslint"  # the distribution whose checkers the parent may warm up


def _prewarm(ctx: RunContext) -> None:
    """Before forking workers, build what every worker would otherwise build again: spaCy, the
    cheap pipelines of both languages and each checker's compiled terms (workers forked from
    this process share them). A throw-away host runs the checkers shipped with ethicslint (and
    the config's custom rules) on one short text per language, under ``plugin-time-limit``; its
    results are discarded. Other plugins run only in the workers, where a hang or a crash is
    contained. Nothing to gain where workers are spawned, not forked.
    """
    if not _workers_fork():  # the executor's workers will not inherit this process's memory
        return
    others = [name for name, plugin in ctx.host.plugins.items()
              if name != CUSTOM_RULES and plugin.distribution != SHIPPED]
    try:
        host = Host()
        host.load(disabled=[*ctx.config.disable_plugins, *others], time_limit=ctx.config.plugin_time_limit)
        register_custom_rules(host, ctx.config.custom_rules, disabled=ctx.config.disable_plugins)
        compile_checkers(host, ctx.plugin_configs, ctx.config.plugin_time_limit)
    except Exception:  # warming up is an optimisation: the workers still build what they need
        pass


def compile_checkers(host: Host, plugin_configs: dict[str, dict[str, Any]],
                     time_limit: float | None = None) -> None:
    """Build spaCy, both cheap pipelines and every checker's terms for these settings, by checking
    one short text per language (the findings are discarded; each call stopped after
    ``time_limit`` seconds)."""
    from .analysis import analyze_text

    for lang, text in WARM_UP_TEXTS.items():
        host.check_document(analyze_text(text, lang, path="<warm-up>"), plugin_configs, time_limit)


def _workers_fork() -> bool:
    """Whether worker processes start as forks of this one (Linux up to Python 3.13), and so
    share what it has built, or are spawned and build everything again (macOS, Windows)."""
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_context().get_start_method()
    return method == "fork"


class Workers:
    """The worker processes of one run (:mod:`ethicslint.workers`), started at the first task.

    ``isolate``: every plugin call runs in a worker, even with one job (what the command line
    asks for, where workers are forks: a fork costs milliseconds, a spawned worker a cold start).
    Otherwise plugins run in this process unless ``--jobs`` asks for more than one."""

    def __init__(self, ctx: RunContext, isolate: bool) -> None:
        self.isolate = isolate and _workers_fork()
        self._ctx = ctx
        self._pool: Pool | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def pool(self, size: int) -> Pool:
        if self._pool is None:
            ctx, fork = self._ctx, _workers_fork()
            modules = [p.name for p in ctx.host.plugins.values() if p.origin == "local module"]
            setup_args = (ctx,) if fork else (ctx.config, ctx.plugin_configs, modules,
                                               list(ctx.config.disable_plugins), ctx.cache)
            self._pool = Pool(size, _forked_worker if fork else _spawned_worker, setup_args, fork=fork)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


class _InWorker:
    """What a worker process checks with: the run's context, its host watched by the supervisor."""

    def __init__(self, ctx: RunContext, slot: Any) -> None:
        ctx.host.monitor = slot
        ctx.workers = None  # a forked copy of the parent's: this process checks itself
        self.ctx = ctx

    def run(self, task: Any, faults: dict[tuple[str, str], Any]) -> Any:
        self.ctx.host.faults = faults
        try:
            return task.run(self.ctx)
        finally:
            self.ctx.host.faults = {}

    def close(self) -> None:
        if self.ctx.cache is not None:  # the entries this worker put reach the disk before it exits
            self.ctx.cache.flush()


def _forked_worker(slot: Any, ctx: RunContext) -> _InWorker:
    """A forked worker: the parent's context, plugins loaded."""
    return _InWorker(ctx, slot)


def _spawned_worker(slot: Any, config: Config, plugin_configs: dict[str, dict[str, Any]], modules: list[str],
                    disabled: list[str], cache: ResultCache | None) -> _InWorker:
    """A spawned worker loads the plugins itself (watched: a hang while loading is stopped too)."""
    host = Host()
    host.monitor = slot
    host.load(modules=modules, disabled=disabled, time_limit=config.plugin_time_limit)
    register_custom_rules(host, config.custom_rules, disabled=disabled)
    return _InWorker(RunContext(config=config, plugin_configs=plugin_configs, host=host, cache=cache), slot)


@dataclass(frozen=True)
class _CheckFile:
    """A worker's task: one file, by ``work`` (:func:`check_path`, or :func:`check_and_store` for a
    file the parent already looked up in the cache)."""

    path: Path
    display: str
    work: Callable[[Path, str, RunContext], FileResult] = check_path

    def run(self, ctx: RunContext) -> FileResult:
        return self.work(self.path, self.display, ctx)


@dataclass(frozen=True)
class _CheckStdin:
    read: ReadResult
    display: str

    def run(self, ctx: RunContext) -> FileResult:
        return check_read(self.read, self.display, ctx)


@dataclass(frozen=True)
class _CheckCorpus:
    collected: dict[str, list[Any]]
    sources: Mapping[str, str | None]
    fallback: str

    def run(self, ctx: RunContext) -> Any:
        return ctx.host.check_corpus(self.collected, ctx.plugin_configs, self.sources, self.fallback,
                                     ctx.config.plugin_time_limit)


AUTO_PARALLEL_MIN_FILES = 32


def auto_jobs(to_check: int) -> int:
    """The worker count when ``--jobs`` is not given, for ``to_check`` files to check (the result
    cache holds none of them): one per core (at most 4) from :data:`AUTO_PARALLEL_MIN_FILES`
    files on, where workers are forked from this process; otherwise 1.

    Why not always: the parent first builds spaCy, both languages' pipelines and every checker's
    terms for the workers to share (about a second here), which a handful of files (a pre-commit
    run) never repays; spawned workers would each build everything again.
    """
    cores = default_jobs()
    if cores < 2 or to_check < AUTO_PARALLEL_MIN_FILES or not _workers_fork():
        return 1
    return cores


def run(files: list[tuple[Path, str]], ctx: RunContext, *, jobs: int | None = 1,
        stdin: ReadResult | None = None, stdin_path: str = "-", progress: bool = False,
        unreadable: Sequence[tuple[str, str]] = (), isolate: bool = False) -> RunResult:
    """Check ``files`` (path, display path) and what was read from stdin (shown as ``stdin_path``),
    then the corpus hooks. ``unreadable``: (display path, message) of the paths discovery could
    not look into, each an EL101 finding.
    ``jobs``: worker processes (1: none; None: :func:`auto_jobs` decides, after the cache).
    ``isolate``: run every plugin call in a supervised worker process, even with one job (see
    :class:`Workers`)."""
    ctx = replace(ctx, workers=Workers(ctx, isolate))
    try:
        return _run(files, ctx, jobs, stdin, stdin_path, progress, unreadable)
    finally:
        ctx.workers.close()  # type: ignore[union-attr]


def _run(files: list[tuple[Path, str]], ctx: RunContext, jobs: int | None, stdin: ReadResult | None,
         stdin_path: str, progress: bool, unreadable: Sequence[tuple[str, str]]) -> RunResult:
    result = RunResult()
    collected: dict[str, list[Any]] = {}
    result.findings.extend(filter_findings([_host_finding(UNREADABLE, display, message) for display, message
                                            in unreadable], ctx.config, ctx.host.rules))
    try:
        for file_result in _results(files, ctx, jobs, progress):
            _absorb(result, file_result, collected)
    finally:
        if ctx.cache is not None:
            ctx.cache.flush()
    if ctx.cache is not None:  # not on the way out of an interrupted run
        ctx.cache.prune_if_due()
    prune_derived_files_if_due()
    stdin_document = None
    if stdin is not None:
        stdin_document = stdin.document
        pool = _elsewhere(ctx)
        _absorb(result, pool.call(_CheckStdin(stdin, stdin_path)) if pool else check_read(stdin, stdin_path, ctx),
                collected)
    if collected or result.files_checked:
        fallback = str(ctx.config.path) if ctx.config.path else (files[0][1] if files else "-")
        sources = RunSources(result.sources, files, ctx.config, stdin_document)
        pool = _elsewhere(ctx)
        corpus = pool.call(_CheckCorpus(collected, sources, fallback)) if pool else ctx.host.check_corpus(
            collected, ctx.plugin_configs, sources, fallback, ctx.config.plugin_time_limit)
        result.plugin_errors.update(corpus.errors)
        parsed: dict[str, Suppressions | None] = {}
        result.corpus_findings = filter_findings(corpus.findings, ctx.config, ctx.host.rules,
                                                 suppressions_in=suppressions_of(sources, parsed),
                                                 kind_of=lambda f: result.kinds.get(f.path))
        result.findings.extend(result.corpus_findings)
        result.findings = drop_used_later(result.findings, parsed)
    result.findings.sort(key=Finding.sort_key)
    return result


def suppressions_of(sources: Mapping[str, str | None],
                     parsed: dict[str, Suppressions | None]) -> Callable[[str], Suppressions | None]:
    """The inline suppressions of each file of the run, parsed once per file into ``parsed`` (for
    corpus findings, which may point at any file)."""

    def suppressions_in(path: str) -> Suppressions | None:
        if path not in parsed:
            source = sources.get(path)
            parsed[path] = parse_suppressions(source) if source is not None else None
        return parsed[path]

    return suppressions_in


class RunSources(Mapping[str, "str | None"]):
    """The text of every file of a run, by display path, for checking corpus-phase findings.

    A run keeps the text only of files with findings (for the excerpts); a corpus finding may
    point at any file of the run, or at the config file, so the others are read again on demand
    (as the readers read them: same decoding, so positions mean the same). A file that cannot be
    read maps to None: the finding's path is accepted, its position not checked."""

    def __init__(self, kept: dict[str, str], files: list[tuple[Path, str]], config: Any,
                 stdin: Document | None = None) -> None:
        self._kept = dict(kept)
        self._paths = {display: path for path, display in files}
        if config.path:
            self._paths.setdefault(str(config.path), Path(config.path))
        if stdin is not None:
            self._kept.setdefault(stdin.path, stdin.source)
        self._max_bytes = config.max_file_size
        self._read: dict[str, str | None] = {}

    def __getitem__(self, display: str) -> str | None:
        if display in self._kept:
            return self._kept[display]
        if display not in self._paths:
            raise KeyError(display)
        if display not in self._read:
            self._read[display] = load(self._paths[display], self._max_bytes).source
        return self._read[display]

    def __contains__(self, display: object) -> bool:
        return display in self._kept or display in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter({**self._paths, **self._kept})

    def __len__(self) -> int:
        return len({**self._paths, **self._kept})


def _absorb(result: RunResult, file_result: FileResult, collected: dict[str, list[Any]]) -> None:
    result.findings.extend(file_result.findings)
    result.files_checked += 1 if file_result.checked else 0
    result.cache_hits += 1 if file_result.from_cache else 0
    result.plugin_errors.update(file_result.plugin_errors)
    result.sentences += file_result.sentences
    result.parsed_sentences += file_result.parsed_sentences
    if file_result.source is not None:
        result.sources[file_result.path] = file_result.source
    if file_result.copy_kind is not None:
        result.kinds[file_result.path] = file_result.copy_kind
    for name, summary in file_result.summaries.items():
        collected.setdefault(name, []).append(summary)
        result.contributors.setdefault(name, set()).add(file_result.path)
    for name, seconds in file_result.slow_plugins.items():
        result.slow_plugins.setdefault(name, []).append((file_result.path, seconds))


def slow_plugin_warnings(result: RunResult, budget: float) -> list[str]:
    """One line per plugin that spent more than ``budget`` seconds on a file, naming it."""
    lines = []
    for name in sorted(result.slow_plugins):
        files = result.slow_plugins[name]
        path, seconds = max(files, key=lambda item: item[1])
        count = f"{len(files)} files" if len(files) > 1 else "1 file"
        lines.append(f"plugin {name!r} is slow: it took more than {budget:g} s on {count} "
                     f"(slowest: {path}, {seconds:.2f} s). Its findings are included; turn it off with "
                     f"--disable-plugin {name}, or raise plugin-time-budget in the config")
    return lines


def _elsewhere(ctx: RunContext) -> Pool | None:
    """The workers for one more task after the files (stdin, the corpus hooks): those of the run
    if it has any, one when plugins run isolated; None: in this process."""
    workers = ctx.workers
    if workers is None or not (workers.started or workers.isolate):
        return None
    return workers.pool(1)


def _isolated(ctx: RunContext) -> bool:
    return ctx.workers is not None and ctx.workers.isolate


def _results(files: list[tuple[Path, str]], ctx: RunContext, jobs: int | None,
             progress: bool) -> Iterator[FileResult]:
    if jobs is None:
        iterator: Iterator[FileResult] = _auto(files, ctx)
    elif (jobs <= 1 or len(files) < 2) and not (_isolated(ctx) and files):
        iterator = (check_path(p, d, ctx) for p, d in files)
    else:
        iterator = _parallel(files, ctx, max(1, min(jobs, len(files))))
    if progress and sys.stderr.isatty() and len(files) > 50:
        with click.progressbar(iterator, length=len(files), label="Checking", file=sys.stderr) as bar:
            yield from bar
    else:
        yield from iterator


def _auto(files: list[tuple[Path, str]], ctx: RunContext) -> Iterator[FileResult]:
    """The default run: cached results first, then the files left to check, in workers when
    :func:`auto_jobs` says so; results come out in the order of ``files``."""
    cached: dict[int, FileResult] = {}
    for index, (path, display) in enumerate(files):
        hit = cached_result(path, display, ctx)
        if hit is not None:
            cached[index] = hit
    to_check = [item for index, item in enumerate(files) if index not in cached]
    jobs = auto_jobs(len(to_check))
    checked = (_parallel(to_check, ctx, jobs, work=check_and_store) if jobs > 1 or (_isolated(ctx) and to_check)
               else (check_and_store(p, d, ctx) for p, d in to_check))
    try:
        for index in range(len(files)):
            yield cached[index] if index in cached else next(checked)
    finally:
        checked.close()  # shuts the workers down, also when the run stops early


def _parallel(files: list[tuple[Path, str]], ctx: RunContext, jobs: int,
              work: Callable[[Path, str, RunContext], FileResult] = check_path) -> Iterator[FileResult]:
    """``work`` (by default ``check_path``) over ``files`` in ``jobs`` supervised worker processes,
    results in order."""
    if jobs > 1 and len(files) >= PREWARM_MIN_FILES:
        _prewarm(ctx)
    workers = ctx.workers if ctx.workers is not None else Workers(ctx, isolate=False)
    return _closing(workers, ctx.workers is None,
                    workers.pool(jobs).map(_CheckFile(path, display, work) for path, display in files))


def _closing(workers: Workers, own: bool, iterator: Iterator[FileResult]) -> Iterator[FileResult]:
    try:
        yield from iterator
    finally:
        if own:  # not the run's: nobody else stops them
            workers.close()


def default_jobs() -> int:
    """One worker per core this process may run on (its CPU affinity), at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))
