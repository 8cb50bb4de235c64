"""One batch job: read the variants, check them on an engine, write the findings table, run the
corpus-level checks over the whole batch, and decide the exit status.

The corpus-level checks (the diversity checker's representation gaps) need every variant at
once. Each worker returns, with a variant's findings, what plugins collected from it
(``ethicslint_collect``); this process gathers those summaries in row order, with the text of the
variants that gave one (a corpus finding points into one of them), and runs
``ethicslint_check_corpus`` once, as ``ethicslint check`` does after its last file — so the result
is the same whatever the engine and however the input was split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import replace_atomically
from ..model import Finding, Severity
from ..output_file import make_shareable
from .checking import Checked, LinterSpec, VariantChecker, row_of, row_path
from .engines import run_engine
from .progress import Progress, count_rows
from .readers import Columns, input_format, read_variants
from .rows import finding_row, spans, summary_row
from .writers import OutputError, open_writer, output_format

EXIT_OK, EXIT_FINDINGS, EXIT_INTERNAL = 0, 1, 3
DEFAULT_BATCH_SIZE = 256


@dataclass(frozen=True)
class BatchOptions:
    input: Path
    output: Path
    columns: Columns = Columns()
    input_format: str | None = None
    output_format: str | None = None
    summary: bool = False
    engine: str = "local"
    jobs: int = 1
    address: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    spec: LinterSpec = LinterSpec()
    fail_on: str | None = None  # None: the config's
    progress: bool = True  # on a terminal only
    cancelled: Callable[[], bool] | None = None  # asked after each batch: True stops the job (Cancelled)


class Cancelled(KeyboardInterrupt):
    """``BatchOptions.cancelled`` said stop: the job ends as on Ctrl-C, its output not written."""


@dataclass
class BatchOutcome:
    variants: int = 0
    findings: int = 0
    failed: int = 0  # variants with a finding at or above fail-on
    corpus_findings: list[Finding] = field(default_factory=list)
    plugin_errors: set[str] = field(default_factory=set)
    load_errors: bool = False
    threshold: Severity = Severity.WARNING

    @property
    def exit_status(self) -> int:
        """As ``ethicslint check``: 3 a plugin failed to load or run, 1 a variant (or a corpus
        finding) reaches ``fail-on``, else 0."""
        if self.load_errors or self.plugin_errors:
            return EXIT_INTERNAL
        return EXIT_FINDINGS if self.failed or self.threshold.reached_by(self.corpus_findings) else EXIT_OK


@dataclass
class _Corpus:
    """What the corpus checks need, gathered in row order from the variants that gave a summary."""

    collected: dict[str, list[Any]] = field(default_factory=dict)
    sources: dict[str, str | None] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)

    def add(self, path: str, checked: Checked) -> None:
        for plugin, summary in checked.summaries.items():
            self.collected.setdefault(plugin, []).append(summary)
        self.sources[path] = checked.source
        if checked.copy_kind is not None:
            self.kinds[path] = checked.copy_kind
        self.ids[checked.row] = checked.id


def run_batch(options: BatchOptions) -> BatchOutcome:
    """Run the job; raises InputError, OutputError, EngineError (the command line's exit 2), and
    ConfigError/PluginLoadError from loading the settings."""
    fmt_in = input_format(options.input, options.input_format)
    fmt_out = output_format(options.output, options.output_format)
    if options.output.resolve() == options.input.resolve():
        raise OutputError(f"{options.output} is the input: write the findings to another file")
    checker = VariantChecker(options.spec)
    linter = checker.linter
    outcome = BatchOutcome(threshold=Severity.parse(options.fail_on or linter.fail_on),
                           load_errors=bool(checker.host.load_errors))
    progress = Progress(None)
    progress.enabled = progress.enabled and options.progress
    if progress.enabled:  # the input is read once more to count its rows: only for a line someone sees
        progress.total = count_rows(options.input, fmt_in)
    corpus = _Corpus()

    def cancelled() -> bool:
        return options.cancelled is not None and options.cancelled()

    def write(temporary: Path) -> None:
        writer = open_writer(temporary, fmt_out)
        try:
            batches = read_variants(options.input, options.columns, options.batch_size, fmt_in)
            try:
                for checked in run_engine(options.engine, batches, options.spec, checker, options.jobs,
                                          options.address):
                    if cancelled():
                        raise Cancelled()
                    writer.write(list(_rows(checked, options, outcome, corpus)))
                    progress.add(len(checked), sum(len(c.findings) for c in checked))
            except Exception:
                if cancelled():  # e.g. Ray's or Dask's workers, signalled with the job's process group
                    raise Cancelled() from None
                raise
            writer.write(list(_corpus_rows(linter, corpus, outcome)))
        finally:
            writer.close()
            progress.close()

    replace_atomically(options.output, write)
    make_shareable(options.output)  # a table to share, as a shell redirection makes it
    return outcome


def _rows(batch: list[Checked], options: BatchOptions, outcome: BatchOutcome, corpus: _Corpus) -> Iterator[dict[str, Any]]:
    for checked in batch:
        outcome.variants += 1
        outcome.findings += len(checked.findings)
        outcome.failed += outcome.threshold.reached_by(checked.findings)
        outcome.plugin_errors.update(checked.plugin_errors)
        if checked.summaries:
            corpus.add(row_path(checked.row), checked)
        for index, finding in enumerate(checked.findings):
            span = checked.spans[index] if index < len(checked.spans) else None
            yield finding_row(checked.id, checked.row, finding, span)
        if options.summary:
            yield summary_row(checked.id, checked.row, checked.findings, outcome.threshold)


def _corpus_rows(linter: Any, corpus: _Corpus, outcome: BatchOutcome) -> Iterator[dict[str, Any]]:
    if not corpus.collected:
        return
    findings, errors = linter.check_corpus(corpus.collected, corpus.sources, corpus.kinds)
    outcome.corpus_findings = findings
    outcome.plugin_errors.update(errors)
    outcome.findings += len(findings)
    for finding in findings:
        row = row_of(finding.path)
        source = corpus.sources.get(finding.path)
        span = spans(source, [finding])[0] if source is not None else None
        identifier = corpus.ids.get(row, str(row)) if row is not None else finding.path
        yield finding_row(identifier, row or 0, finding, span, corpus=True)
