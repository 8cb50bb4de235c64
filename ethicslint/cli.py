"""The command line (click): ``check``, ``batch``, ``rules``, ``explain``, ``plugins``, ``suppressions``, ``lsp``.

Exit status: 0 no failing finding, 1 failing findings, 2 usage or configuration error,
3 a plugin or internal error (the run still reports everything it could).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _fail(message: str, status: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"ethicslint: error: {message}", err=True)
    sys.exit(status)


def _split(values: tuple[str, ...]) -> list[str] | None:
    """``--select URG,DAT --select AID`` -> ["URG", "DAT", "AID"]; None when not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ethicslint")
def main() -> None:
    """ethicslint: catch unethical marketing copy (fake urgency, undisclosed AI, exclusionary
    wording, unbacked data claims) in English and French."""


# The collector's thresholds for a run. A run allocates millions of small objects (tokens, spans,
# lexemes) that reference counting frees; with the default threshold (700) the cyclic collector
# still walks every live object hundreds of times. 10,000 saves ~3 % of a repo run and keeps peak
# memory within 2 % of the default at 16x the benchmark repo (50,000 saved ~5 % but grew it by 11 %).
GC_THRESHOLDS = (10_000, 20, 100)


def run() -> NoReturn:
    """The console entry point (``ethicslint``, ``python -m ethicslint``): a warm server runs the
    command when one serves this installation (:mod:`ethicslint.server`), else :func:`main` here,
    in a child this process watches (:func:`ethicslint.workers.watch_this_process`: a plugin that
    hangs in compiled code or ends the process while loading is named, exit 3); then a fast exit.

    A run leaves spaCy's vocabularies, pipelines and compiled term lists in memory, and the
    interpreter's teardown of them at exit took 0.2 s of a 2.5 s run over a 400-page repo — for a
    process that ends anyway. So once click has finished (files written, executors shut down,
    the exit status decided), the output streams are flushed and the process ends at once with
    that status. ``main`` itself (what tests and embedders call) is unchanged, and so is the exit
    under a profiler or tracer (cProfile, coverage), which write their results at teardown.
    """
    gc.set_threshold(*GC_THRESHOLDS)
    from . import server

    argv = sys.argv[1:]
    served = server.forward(argv)  # a warm server runs it, if one serves this installation
    if served is None and server.wants_auto_start(argv):
        try:  # ETHICSLINT_SERVER=auto: this run is cold, the next ones are not
            server.start_in_background(server.socket_path())
        except Exception:  # noqa: BLE001 - an optimisation must never fail the run
            pass
    profiled = sys.getprofile() is not None or sys.gettrace() is not None
    if served is None and not profiled:
        from .workers import watch_this_process

        watch_this_process()  # from here on a child, watched by this process (which ends as it does)
    status = served if served is not None else run_command(None)
    if profiled:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`ethicslint check | head`) or stream
            pass
    os._exit(status)


DEBUG_ENV = "ETHICSLINT_DEBUG"  # set (to anything but "" or "0"): an internal error shows its traceback


def run_command(argv: list[str] | None, *, isolate: bool = True) -> int:
    """:func:`main` on ``argv`` (None: ``sys.argv``) as the command line runs it: its exit status.
    ``isolate``: plugins run in supervised worker processes (:mod:`ethicslint.workers`), as a
    command's do; False keeps them in this process (to measure them here).

    An exception that escapes (a bug in ethicslint, not a plugin's: those are findings) is one
    line on stderr and exit status 3, never a traceback ending in status 1, which means
    "findings"; ``ETHICSLINT_DEBUG=1`` shows the traceback."""
    try:
        main(argv, prog_name="ethicslint", obj={"isolate": isolate})
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    except Exception as exc:  # noqa: BLE001 - the exit status must say "internal error"
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            import traceback

            traceback.print_exc()
        detail = str(exc).strip()
        print(f"ethicslint: internal error: {type(exc).__name__}{': ' + detail if detail else ''} (set "
              f"{DEBUG_ENV}=1 for the traceback, and please report it)", file=sys.stderr)
        return EXIT_INTERNAL
    if isinstance(status, str):  # sys.exit("message") prints it and exits 1
        print(status, file=sys.stderr)
        return 1
    return status if isinstance(status, int) else 0 if status is None else 1


def _load(config_path: str | None, start: Path, plugins: list[str] | None,
          disabled: list[str] | None, overrides: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Config + host with plugins loaded and plugin tables validated (:func:`ethicslint.session.load_session`,
    as the Python API loads them); exits 2/3 on errors."""
    from .errors import ConfigError, PluginLoadError
    from .host import print_load_errors
    from .session import load_session

    try:
        session = load_session(config_path, start, plugins=plugins, disabled=disabled, overrides=overrides,
                               on_loaded=print_load_errors)
    except ConfigError as exc:
        _fail(str(exc))
    except PluginLoadError as exc:
        _fail(str(exc), exc.exit_status)  # 2: a plugin's hooks break the contract; 3: it cannot be used
    return session


def _exists(path: Path) -> bool:
    """Whether ``path`` exists, False when it cannot even be looked at (no permission)."""
    try:
        return path.exists()
    except OSError:
        return False


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["concise", "full", "json", "sarif", "github", "html"]),
              default="concise", show_default=True, help="Output format.")
@click.option("--output", "-o", "output_path", type=click.Path(path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--changed-since", metavar="REF", help="Only findings on lines changed since this git ref.")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path),
              help="Only findings this baseline file does not record.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(path_type=Path),
              help="Record every finding of this run in this file, then exit 0.")
@click.option("--select", multiple=True, help="Rule codes, prefixes (URG) or checker names to enable.")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or checker names to disable.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]),
              help="Lowest severity that makes the exit status 1 [default: warning].")
@click.option("--language", type=click.Choice(["en", "fr"]), help="Force the language of every file.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: .ethicslint.toml or pyproject.toml found upwards).")
@click.option("--plugin", "plugins", multiple=True, help="Load one more plugin module (repeatable).")
@click.option("--disable-plugin", "disabled", multiple=True, help="Do not load this plugin (repeatable).")
@click.option("--stdin-filename", help="Name (and so format) of the text read from '-'.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes: 1 = none, 0 = one per core (at most 4). Default: one per core "
                   "when 32 or more files need checking, else 1.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run.")
@click.option("--no-server", is_flag=True, help="Run here even when a warm server (`ethicslint server start`) runs.")
@click.option("--fix", is_flag=True, help="Apply the replacements rules declare safe, then report what is left.")
@click.option("--diff", is_flag=True, help="Print the unified diff --fix would make, write nothing; exit 1 if "
                                           "there is one.")
def check(paths: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str | None, language: str | None, config_path: str | None, plugins: tuple[str, ...],
          disabled: tuple[str, ...], stdin_filename: str | None, jobs: int | None, no_cache: bool, quiet: bool,
          exit_zero: bool, no_server: bool, fix: bool, diff: bool, output_path: Path | None,
          changed_since: str | None, baseline_path: Path | None, write_baseline_path: Path | None) -> None:
    """Check PATHS (files or directories; '-' reads standard input). Default: the current directory."""
    from dataclasses import replace

    from .discovery import DiscoveryError
    from .reporters import Report, render, summary_line
    from .runner import default_jobs, slow_plugin_warnings
    from .paths import display_path
    from .session import discover_files, exit_status, run_files

    targets = list(paths) or ["."]
    use_stdin = "-" in targets
    if fix and diff:
        _fail("--fix and --diff: choose one (--diff shows what --fix would write)")
    if (fix or diff) and use_stdin:
        _fail("--fix and --diff work on files, not on standard input ('-')")
    targets = [t for t in targets if t != "-"]
    start = Path(targets[0]) if targets else Path(stdin_filename or ".")
    if write_baseline_path and (changed_since or baseline_path):
        _fail("--write-baseline records every finding: it cannot be combined with --changed-since or --baseline")
    changes = _changed_lines(changed_since, start if _exists(start) else Path(".")) if changed_since else None
    recorded = _read_baseline(baseline_path) if baseline_path else None
    overrides = {"select": _split(select), "ignore": _split(ignore), "fail_on": fail_on,
                 "language": language}
    session = _load(config_path, start if _exists(start) else Path("."),
                    list(plugins) or None, list(disabled) or None, overrides)
    config, host = session.config, session.host
    try:
        files, unreadable = discover_files(targets, config)
    except DiscoveryError as exc:
        _fail(str(exc))
    files = _without(files, output_path, baseline_path, write_baseline_path)
    stdin_name, stdin_read = _read_stdin(stdin_filename, config.max_file_size) if use_stdin else ("-", None)
    try:
        result = run_files(session, files, unreadable, jobs=None if jobs is None else jobs or default_jobs(),
                           use_cache=not no_cache, progress=not quiet, stdin=stdin_read, stdin_path=stdin_name,
                           isolate=bool((click.get_current_context().obj or {}).get("isolate")))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    if fix or diff:
        result.findings = _fix(result, {display_path(f): f for f in files}, config.formats, write_files=fix,
                               quiet=quiet, exit_zero=exit_zero)
    findings, notes = _narrow(result, host, config, changes, recorded, baseline_path, write_baseline_path)
    report = Report(findings=findings, rules=host.rules, files_checked=result.files_checked,
                    sources=lambda p: result.sources.get(p), tool_version=__version__,
                    languages=_languages(findings, result, config) if fmt == "html" else {},
                    rule_owners=host.rule_owner)
    if write_baseline_path is None:
        _emit(render(fmt, report), output_path)
    if not quiet and (fmt in ("concise", "full") or output_path or write_baseline_path):
        click.echo(summary_line(report), err=True)
    for note in notes if not quiet else ():
        click.echo(f"ethicslint: {note}", err=True)
    for warning in slow_plugin_warnings(result, config.plugin_time_budget):
        click.echo(f"ethicslint: warning: {warning}", err=True)
    sys.exit(exit_status(session, replace(result, findings=findings),
                         exit_zero=exit_zero or write_baseline_path is not None))


def _without(files: list[Path], *written: Path | None) -> list[Path]:
    """``files`` less the report and baseline files this run reads or writes: a report written into
    a checked directory (``-o report.html``) is not copy, and must not be checked by the next run."""
    own = {os.path.realpath(path) for path in written if path is not None}
    return [f for f in files if os.path.realpath(f) not in own] if own else files


def _emit(output: str, path: Path | None) -> None:
    """The report on standard output, or into ``path`` (atomically; exit 2 when it cannot be)."""
    if path is None:
        if output:
            click.echo(output)
        return
    from .output_file import OutputError, write_output

    try:
        write_output(path, output + "\n" if output else "")
    except OutputError as exc:
        _fail(f"--output {exc}")


def _changed_lines(ref: str, where: Path):  # type: ignore[no-untyped-def]
    from .git_changes import GitError, changed_lines

    try:
        return changed_lines(ref, where)
    except GitError as exc:
        _fail(str(exc))


def _read_baseline(path: Path):  # type: ignore[no-untyped-def]
    from .baseline import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as exc:
        _fail(str(exc))


def _narrow(result, host, config, changes, recorded, baseline_path: Path | None,  # type: ignore[no-untyped-def]
            write_baseline_path: Path | None):
    """The run's findings narrowed to changed lines and to those the baseline lacks (or recorded
    in a new baseline), and the lines for stderr that say what was left out or written."""
    findings, notes = result.findings, []
    if changes is not None:
        from .review import on_changed_lines

        kept = on_changed_lines(findings, result.corpus_findings, result.contributors, host.rule_owner, changes)
        notes.append(f"{_count(len(findings) - len(kept))} on lines not changed since {changes.ref} left out")
        findings = kept
    if recorded is None and write_baseline_path is None:
        return findings, notes
    from .baseline import new_findings, write_baseline
    from .passages import passages

    found = passages(findings, result.sources.get, config.formats, config.language)
    if write_baseline_path is not None:
        from .output_file import OutputError

        try:
            write_baseline(write_baseline_path, findings, found)
        except OutputError as exc:
            _fail(f"--write-baseline {exc}")
        notes.append(f"recorded {_count(len(findings))} in {write_baseline_path}")
        return findings, notes
    assert baseline_path is not None
    kept = new_findings(findings, found, recorded, baseline_path.parent)
    notes.append(f"{_count(len(findings) - len(kept))} recorded in the baseline {baseline_path} left out")
    return kept, notes


def _count(findings: int) -> str:
    return f"{findings} finding" if findings == 1 else f"{findings} findings"


def _languages(findings, result, config):  # type: ignore[no-untyped-def]
    """The language of each finding's passage, for the ``html`` report's filter."""
    from .passages import passages

    return {finding: passage.language for finding, passage
            in passages(findings, result.sources.get, config.formats, config.language).items()}



def _fix(result, paths: dict[str, Path], formats: dict[str, str], *, write_files: bool, quiet: bool,
         exit_zero: bool) -> list:  # type: ignore[no-untyped-def,type-arg]
    """``--fix``: make the safe swaps, say what was left alone, and give the findings left to report,
    placed in the files as written.
    ``--diff``: print the diff of those swaps and exit (1 when there is one)."""
    from .fixes import fix_findings

    outcome = fix_findings(result.findings, result.sources, paths, formats=formats, write_files=write_files)
    for message in outcome.messages:
        click.echo(f"ethicslint: {message}", err=True)
    if not write_files:
        if outcome.diff:
            click.echo(outcome.diff, nl=False)
        if not quiet:
            click.echo(f"{len(outcome.fixed)} fixable finding(s) in {outcome.files} file(s)", err=True)
        sys.exit(EXIT_FINDINGS if outcome.diff and not exit_zero else EXIT_OK)
    if not quiet:
        click.echo(f"fixed {len(outcome.fixed)} finding(s) in {outcome.files} file(s)", err=True)
    result.sources.update(outcome.sources)  # the excerpts of `--format full` show the fixed files
    return outcome.remaining


def _read_stdin(stdin_filename: str | None, max_bytes: int):  # type: ignore[no-untyped-def]
    """What the reader of its format makes of standard input: bytes as a file's (at most
    ``max-file-size`` of them, decoded the same way), problems as findings."""
    from .documents import format_for, read_stream

    name = stdin_filename or "-"
    fmt = format_for(Path(name)) if stdin_filename else "text"
    if fmt is None:
        _fail(f"--stdin-filename {name!r}: unknown file type (use .md, .html, .txt, .yml, .json or .po)")
    return name, read_stream(sys.stdin.buffer, name, fmt, max_bytes=max_bytes)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--output", "-o", "output_path", required=True, type=click.Path(path_type=Path),
              help="Findings table to write: .jsonl or .parquet.")
@click.option("--text-column", default="text", show_default=True, help="The column holding each variant's text.")
@click.option("--metadata-columns", multiple=True,
              help="Columns read as front matter keys (ai_generated, lang…), comma-separated or repeated.")
@click.option("--summary", is_flag=True, help="Also one row per variant: counts by severity, passed or not.")
@click.option("--engine", type=click.Choice(["local", "ray", "dask"]), default="local", show_default=True,
              help="Where to check: worker processes here, or a Ray or Dask cluster (docs/scale.md).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Workers: 0 = one per core (at most 4), the default.")
@click.option("--address", help="An existing Ray or Dask cluster (default: start one on this machine).")
@click.option("--batch-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="Variants sent to a worker at once.")
@click.option("--input-format", type=click.Choice(["jsonl", "csv", "parquet"]), help="Default: from the extension.")
@click.option("--output-format", type=click.Choice(["jsonl", "parquet"]), help="Default: from the extension.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]),
              help="Lowest severity that fails a variant (and makes the exit status 1) [default: config's].")
@click.option("--language", type=click.Choice(["en", "fr"]), help="Language of the rows that do not give one.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: .ethicslint.toml or pyproject.toml found upwards from here).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
def batch(input_path: Path, output_path: Path, text_column: str, metadata_columns: tuple[str, ...], summary: bool,
          engine: str, jobs: int | None, address: str | None, batch_size: int, input_format: str | None,
          output_format: str | None, fail_on: str | None, language: str | None, config_path: str | None,
          quiet: bool) -> None:
    """Check a table of variants (JSON Lines, CSV or Parquet, one text per row) and write one row
    per finding. Exit 1 when a variant fails --fail-on."""
    from .batch import BatchOptions, Columns, EngineError, InputError, LinterSpec, OutputError, run_batch
    from .errors import ConfigError, PluginLoadError
    from .runner import default_jobs
    from .workers import StopRequest, sigterm_requests_stop

    sigterm = StopRequest()  # asked after each batch: a cancelled job removes its temporary output
    options = BatchOptions(
        input=input_path, output=output_path, summary=summary, engine=engine, address=address,
        columns=Columns(text=text_column, metadata=tuple(_split(metadata_columns) or ())),
        jobs=jobs or default_jobs(), batch_size=batch_size, input_format=input_format, output_format=output_format,
        spec=LinterSpec(config=config_path, root=str(Path.cwd()), language=language), fail_on=fail_on,
        progress=not quiet, cancelled=sigterm)
    try:
        with sigterm_requests_stop(sigterm):
            outcome = run_batch(options)
    except (InputError, OutputError, EngineError, ConfigError) as exc:
        _fail(str(exc))
    except PluginLoadError as exc:
        _fail(str(exc), exc.exit_status)
    except OSError as exc:
        _fail(f"--output {output_path}: cannot be written ({exc.strerror or exc})")
    except KeyboardInterrupt:
        _fail(*(("terminated", 128 + signal.SIGTERM) if sigterm.requested else ("interrupted", 130)))
    if not quiet:
        click.echo(f"{outcome.variants} variants checked, {outcome.failed} failed, {outcome.findings} findings "
                   f"written to {output_path}", err=True)
    sys.exit(outcome.exit_status)


@main.command(name="suppressions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: .ethicslint.toml or pyproject.toml found upwards).")
def suppressions_command(paths: tuple[str, ...], fmt: str, config_path: str | None) -> None:
    """List every inline suppression in PATHS (default: the current directory) with its file, line,
    codes and reason, for an audit."""
    import json

    from .config import load_config
    from .discovery import DiscoveryError, discover
    from .documents.loading import load
    from .errors import ConfigError
    from .paths import display_path
    from .session import find_config_from
    from .suppression_audit import audit, audit_text

    targets = [Path(t) for t in paths] or [Path(".")]
    try:
        path = Path(config_path) if config_path else find_config_from(targets[0] if _exists(targets[0]) else Path("."))
        config = load_config(path, cwd=Path.cwd())
        files = discover(targets, config, [])
    except (ConfigError, DiscoveryError) as exc:
        _fail(str(exc))
    entries = audit((display_path(f), load(f, config.max_file_size).source) for f in files)
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    if entries:
        click.echo(audit_text(entries))
    missing = sum(1 for entry in entries if entry["reason"] is None)
    click.echo(f"{len(entries)} suppression(s) in {len({e['path'] for e in entries})} file(s), {missing} without "
               f"a reason", err=True)


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--plugin", "plugins", multiple=True, help="Load one more plugin module.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--docs", "docs_dir", type=click.Path(file_okay=False), help="Write one Markdown page per rule here.")
def rules(config_path: str | None, plugins: tuple[str, ...], fmt: str, docs_dir: str | None) -> None:
    """List every rule of every loaded plugin."""
    import json

    from .ruledocs import explain as explain_rule

    host = _load(config_path, Path("."), list(plugins) or None, None, {}).host
    ordered = sorted(host.rules.values(), key=lambda r: r.code)
    if docs_dir:
        target = Path(docs_dir)
        target.mkdir(parents=True, exist_ok=True)
        index = ["# Rules", "", "| Code | Name | Checker | Severity | Summary |", "|---|---|---|---|---|"]
        for rule in ordered:
            (target / f"{rule.code}.md").write_text(explain_rule(rule, host.rule_owner.get(rule.code)),
                                                    encoding="utf-8")
            index.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.checker} | "
                         f"{rule.severity.value} | {rule.summary} |")
        (target / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
        click.echo(f"wrote {len(ordered)} rule pages to {target}", err=True)
        return
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "checker": r.checker,
                                "severity": r.severity.value, "languages": list(r.languages),
                                "summary": r.summary} for r in ordered], indent=2, ensure_ascii=False))
        return
    widths = (7, max(len(r.name) for r in ordered), max(len(r.checker) for r in ordered), 8)
    for rule in ordered:
        click.echo(f"{rule.code:<{widths[0]}} {rule.name:<{widths[1]}} {rule.checker:<{widths[2]}} "
                   f"{rule.severity.value:<{widths[3]}} {rule.summary}")


@main.command()
@click.argument("code")
@click.option("--plugin", "plugins", multiple=True, help="Load one more plugin module.")
def explain(code: str, plugins: tuple[str, ...]) -> None:
    """Explain a rule: what it flags, why (policy basis), an example and how to fix it."""
    from .ruledocs import explain as explain_rule
    from .ruledocs import find_rule

    host = _load(None, Path("."), list(plugins) or None, None, {}).host
    try:
        rule = find_rule(host.rules, code)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(explain_rule(rule, host.rule_owner.get(rule.code)))


@main.command(name="plugins")
@click.option("--plugin", "plugins_", multiple=True, help="Load one more plugin module.")
def plugins_command(plugins_: tuple[str, ...]) -> None:
    """List the loaded checker plugins with their version and number of rules."""
    host = _load(None, Path("."), list(plugins_) or None, None, {}).host
    for plugin in sorted(host.plugins.values(), key=lambda p: p.name):
        click.echo(f"{plugin.name:<16} {plugin.version:<10} {len(plugin.rules):>3} rules  "
                   f"checker={plugin.checker}  {plugin.origin}")
    click.echo(_image_provenance_status())


def _image_provenance_status() -> str:
    """Whether the provenance of the images pages show is read (the ``images`` extra)."""
    from .provenance import EXTRA, missing_packages

    missing = missing_packages()
    if not missing:
        return "image provenance: read (XMP DigitalSourceType and C2PA manifests of the images pages show)"
    return (f"image provenance: not read, so rules that need it (ai-disclosure's AID103) find nothing; "
            f"install \"ethicslint[{EXTRA}]\" (missing: {', '.join(missing)})")


@main.command()
def lsp() -> None:
    """Run the language server over stdio, for editors (docs/editors.md; needs ethicslint[lsp])."""
    try:
        from .lsp.server import serve
    except ImportError as exc:
        _fail(f"the language server needs pygls: pip install 'ethicslint[lsp]' ({exc})")
    serve()


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: .ethicslint.toml or pyproject.toml found upwards from here).")
@click.option("--plugin", "plugins", multiple=True, help="Load one more plugin module (repeatable).")
def mcp(config_path: str | None, plugins: tuple[str, ...]) -> None:
    """Serve AI assistants over stdio: a Model Context Protocol server with the tools check_copy,
    explain_rule and list_rules (docs/mcp.md). Needs `pip install 'ethicslint[mcp]'`."""
    from .errors import ConfigError, PluginLoadError

    try:
        from .mcp_server import serve
    except ImportError as exc:
        _fail(f"`ethicslint mcp` needs the MCP SDK ({exc}): pip install 'ethicslint[mcp]'")
    try:
        serve(config_path, plugins)
    except ConfigError as exc:
        _fail(str(exc))
    except PluginLoadError as exc:
        _fail(str(exc), exc.exit_status)


# --- the warm server ------------------------------------------------------------------------

@main.group()
def server() -> None:
    """A warm ethicslint: spaCy, the models and the checkers' terms stay loaded, and later
    `ethicslint check` commands (same user, same installation) run in it, about a second faster
    each. It exits after --idle-timeout seconds without a run."""


@server.command("start")
@click.option("--idle-timeout", type=click.FloatRange(min=1), default=30 * 60, show_default=True,
              help="Seconds without a run before the server exits.")
def server_start(idle_timeout: float) -> None:
    """Start the server in the background (nothing happens if one already runs)."""
    import time

    from . import server as warm

    if not warm.supported():
        _fail("the server needs Unix sockets and fork, which this platform lacks")
    path = warm.socket_path()
    answer = warm.request({"status": True}, path)
    if answer is not None:
        click.echo(f"ethicslint server already running (pid {answer['pid']}, {path})")
        return
    process = warm.start_in_background(path, idle_timeout)
    if process is None:
        _fail(f"{path.parent} must be a directory only you can use (mode 0700); "
              f"set {warm.RUNTIME_DIR_ENV} to another one")
    log = path.with_suffix(".log")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _fail(f"the server stopped while starting (status {process.returncode}); see {log}", EXIT_INTERNAL)
        answer = warm.request({"status": True}, path)
        if answer is not None:
            click.echo(f"ethicslint server started (pid {answer['pid']}, {path}); it exits after "
                       f"{idle_timeout:g} s without a run")
            return
        time.sleep(0.05)
    process.kill()
    _fail(f"the server did not start within 2 minutes; see {log}", EXIT_INTERNAL)


@server.command("stop")
@click.option("--all", "everything", is_flag=True,
              help="Also stop servers left by other installations or older versions.")
def server_stop(everything: bool) -> None:
    """Stop the server of this installation."""
    from . import server as warm

    path = warm.socket_path()
    answer = warm.request({"stop": True}, path)
    click.echo("ethicslint server stopped" if answer is not None else "no ethicslint server is running")
    if everything:
        others = [other for other in warm.other_servers(path) if warm.request({"stop": True}, other) is not None]
        if others:
            click.echo(f"stopped {len(others)} server(s) of other installations or versions")


@server.command("status")
def server_status() -> None:
    """Whether a server runs for this installation, and how many runs it has served. Exit 1 if none."""
    import time

    from . import server as warm

    path = warm.socket_path()
    answer = warm.request({"status": True}, path)
    others = warm.other_servers(path)
    if others:  # after an upgrade or an edited term list: the old server no longer serves this one
        click.echo(f"{len(others)} server(s) of other installations or versions are running; they exit when "
                   f"idle, or now with `ethicslint server stop --all`")
    if answer is None:
        click.echo("no ethicslint server is running")
        sys.exit(1)
    uptime = time.time() - float(answer.get("since", time.time()))
    click.echo(f"ethicslint server running (pid {answer['pid']}), {answer.get('served', 0)} runs served, "
               f"up {uptime:.0f} s")


@server.command("run", hidden=True)
@click.option("--socket", "socket_path", required=True, type=click.Path(path_type=Path))
@click.option("--idle-timeout", type=click.FloatRange(min=1), default=30 * 60)
def server_run(socket_path: Path, idle_timeout: float) -> None:
    """The server itself, in the foreground (what `server start` runs)."""
    from . import server as warm

    warm.warm_up()
    gc.collect()
    gc.freeze()  # the warm state is shared with every forked run: keep the collector off its pages
    warm.serve(socket_path, idle_timeout, run_command)
