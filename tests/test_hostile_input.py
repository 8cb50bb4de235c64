"""Hostile and unlucky input (issue #17): every case ends in findings and the right exit status,
never a traceback, a hang or a silent pass.

Work is shown to be bounded by counting it (calls, characters scanned, bytes read), never by the
clock; inputs are as small as still shows the fault.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ethicslint import Finding, Rule, Severity
from ethicslint import model as model_module
from ethicslint.analysis import analyze_text
from ethicslint.cli import main, run_command
from ethicslint.documents import read_stream, read_text
from ethicslint.documents.html import _Reader
from ethicslint.documents.limits import MAX_SEGMENT_CHARS
from ethicslint.host import Host, HookOutcome
from ethicslint.matching import MAX_REPEAT, TermMatcher, parse_terms, pattern_length
from ethicslint.model import Document, Segment, SegmentBuilder

ONLY_TEST_PLUGIN = ["--plugin", "ethicslint_testplugin", "--disable-plugin", "urgency", "--disable-plugin",
                    "ai-disclosure", "--disable-plugin", "diversity", "--disable-plugin", "data-claims",
                    "--disable-plugin", "green-claims"]


def invoke(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def json_findings(stdout: str) -> list[dict[str, Any]]:
    return json.loads(stdout) if stdout.strip() else []


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- item 4: a segment longer than spaCy's max_length -----------------------------------------

@pytest.mark.parametrize(("name", "content"), [
    ("blob.json", json.dumps({"image": "QUJD" * 260_000, "cta": "Please hurry now."})),  # 1 MB base64
    ("attr.html", '<p title="' + "word " * 220_000 + '">x</p><p>Please hurry now.</p>'),  # 1.1 MB title
    ("line.txt", "word " * 220_000 + "\n\nPlease hurry now.\n"),  # one 1.1 MB line
])
def test_a_segment_over_spacys_limit_is_checked_in_pieces_and_the_run_goes_on(repo: Path, name: str,
                                                                             content: str) -> None:
    (repo / name).write_text(content, encoding="utf-8")
    (repo / "other.md").write_text("Please hurry.\n", encoding="utf-8")
    status, out, err = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", name, "other.md")
    findings = json_findings(out)
    assert status == 1, err  # the TST101 warnings, not a crash
    codes = [(f["path"], f["code"]) for f in findings]
    assert (name, "EL105") in codes
    assert (name, "TST101") in codes and ("other.md", "TST101") in codes
    long_one = next(f for f in findings if f["code"] == "EL105")
    assert "pieces" in long_one["message"] and f"{MAX_SEGMENT_CHARS:,}" in long_one["message"]


def test_pieces_of_a_long_segment_keep_every_source_position() -> None:
    source = ("Hurry up. " * 30 + "\n") * 40
    document = read_text(source, "long.txt", "text").document
    assert document is not None and len(document.segments) == 1
    from ethicslint.documents.limits import split_long_segments

    problems = split_long_segments(document, limit=500)
    assert len(problems) == 1 and problems[0].offset == 0
    assert len(document.segments) > 1
    for segment in document.segments:
        assert 0 < len(segment.text) <= 500
        for i, ch in enumerate(segment.text):  # verbatim characters map back to themselves
            if not ch.isspace():
                assert source[segment.source_offset(i)] == ch


def test_a_long_sentence_is_parsed_around_the_span_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from ethicslint import nlp

    if not nlp.model_available("fr"):
        pytest.skip("the French model (the 'fr' extra) is not installed")
    parsed_lengths: list[int] = []
    model = nlp.model_pipeline("fr")

    def counting(text: str) -> Any:
        parsed_lengths.append(len(text))
        return model(text)

    monkeypatch.setattr(nlp, "model_pipeline", lambda lang: counting)
    analyzed = analyze_text("mot " * 20_000 + "Dépêchez-vous, plus que 2 en stock", "fr")
    doc = analyzed.segments[0].doc
    parsed = analyzed.parse(doc[-6:-1])
    assert parsed is not None and parsed.text == ", plus que 2 en" and parsed[1].pos_ == "ADV"
    assert parsed_lengths and max(parsed_lengths) < 2_000  # was the whole 100,000-character sentence


# --- item 5: quadratic paths ----------------------------------------------------------------------

class CountingList(list):  # type: ignore[type-arg]
    """A list that counts the elements its users look at (iteration, indexing, slicing)."""

    visits = 0

    def __iter__(self) -> Iterator[Any]:
        CountingList.visits += len(self)
        return super().__iter__()

    def __reversed__(self) -> Iterator[Any]:
        CountingList.visits += len(self)
        return super().__reversed__()

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        CountingList.visits += len(item) if isinstance(index, slice) else 1
        return item


@pytest.mark.parametrize("markup", [
    "<p>Offer ends soon " * 4000,  # unclosed paragraphs
    "<b>" * 4000 + "Hurry" + "</b>" * 4000,  # deep nesting
    "<div>" * 2000 + "</span>" * 2000 + "text",  # stray end tags over a deep stack
])
def test_html_reader_looks_at_each_open_element_a_bounded_number_of_times(markup: str) -> None:
    reader = _Reader(markup)
    reader._stack = CountingList()
    CountingList.visits = 0
    reader.run()
    events = markup.count("<")
    assert CountingList.visits <= 10 * events  # was ~ events * depth / 2: 4,000,000 for 4,000 tags


def test_html_reader_output_is_unchanged_by_the_bookkeeping() -> None:
    source = ("<html lang='fr'><body><blockquote><h2>Titre <code>x</code> <a href=#>un</a></h2>"
              "<p>Vite <script>no</script>maintenant</blockquote><li>Item</li></body></html>")
    document = read_text(source, "x.html", "html").document
    assert document is not None
    shown = [(s.kind, s.text, s.quoted, s.lang) for s in document.segments]
    assert shown == [("heading", "Titre un", True, None), ("paragraph", "Vite maintenant", True, None),
                     ("list_item", "Item", False, None)]


def test_finding_validation_scans_the_source_once_not_once_per_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned = [0]

    class Source(str):
        def split(self, *args: Any, **kwargs: Any) -> list[str]:  # type: ignore[override]
            scanned[0] += len(self)
            return super().split(*args, **kwargs)

    breaks = model_module.LINE_BREAK

    class CountingBreaks:
        def finditer(self, text: str) -> Any:
            scanned[0] += len(text)
            return breaks.finditer(text)

        def split(self, text: str) -> list[str]:
            scanned[0] += len(text)
            return breaks.split(text)

    monkeypatch.setattr(model_module, "LINE_BREAK", CountingBreaks())
    model_module.line_starts.cache_clear()
    source = Source("Hurry, only two left!\n" * 5000)
    rule = Rule(code="TST777", name="x", checker="t", severity=Severity.WARNING, summary="s", why="w")
    findings = [Finding(path="p.txt", line=i + 1, column=1, end_line=i + 1, end_column=6, code=rule.code,
                        checker="t", severity=Severity.WARNING, message="m") for i in range(5000)]
    host = Host()
    host.rule_owner[rule.code] = "t"
    outcome = HookOutcome()
    host._accept("t", findings, outcome, source, "p.txt", expected_path="p.txt")
    assert len(outcome.findings) == 5000 and not outcome.errors
    assert scanned[0] <= 2 * len(source)  # was 5,000 times the source


def test_segment_lookup_per_finding_is_not_a_scan_of_every_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "Hurry now.\n\n" * 3000
    document = read_text(source, "many.txt", "text").document
    assert document is not None and len(document.segments) == 3000
    calls = [0]
    original = Segment.source_offset

    def counting(self: Segment, index: int) -> int:
        calls[0] += 1
        return original(self, index)

    monkeypatch.setattr(Segment, "source_offset", counting)
    for line in range(1, 6000, 2):
        segment = document.segment_at(document.offset_of(line, 3))
        assert segment is not None and segment.text == "Hurry now."
    assert calls[0] <= 3 * len(document.segments)  # the index, once; was 2 per segment per lookup


def test_segment_lookup_agrees_with_a_scan() -> None:
    source = "<p>One <b title='Hurry'>two</b> three</p>\n<p>Four &amp; five</p><img alt='Six'>"
    document = read_text(source, "x.html", "html").document
    assert document is not None

    def scan(offset: int) -> Segment | None:
        for segment in document.segments:
            start, end = segment.source_offset(0), segment.source_offset(len(segment.text))
            if start <= offset < max(end, start + 1):
                return segment
        return None

    for offset in range(len(source) + 1):
        assert document.segment_at(offset) is scan(offset)


def test_token_pattern_repetitions_are_capped_so_matching_stays_linear() -> None:
    """urgency's 'someone from IS_TITLE+' ran 438 s on a 520 KB line of "Someone From" in spaCy's
    Matcher (C code, which no time limit interrupts); a capped repetition keeps one match's
    work bounded and lets the matcher run on windows."""
    table = parse_terms({"buyer": {"patterns": [
        [{"LOWER": "someone"}, {"LOWER": "from"}, {"IS_TITLE": True, "OP": "+"}, {"LOWER": "bought"}],
        [{"LOWER": "accept"}, {"IS_ALPHA": True, "OP": "*"}, {"LOWER": "cookies"}],
        [{"LOWER": "huge"}, {"IS_ALPHA": True, "OP": "{2,}"}, {"LOWER": "cookies"}],
    ]}}, "t.toml")
    matcher = TermMatcher(table, "en")
    assert all(group.max_len is not None for group in matcher._groups)
    doc = analyze_text("Someone from New York City just bought it. Someone from Paris bought it.").segments[0].doc
    assert [match.span.text for match in matcher(doc)] == ["Someone from Paris bought"]
    long_run = analyze_text("Someone From " * (2 * MAX_REPEAT) + "bought").segments[0].doc
    matches = matcher(long_run)  # the run is longer than the cap: found in its last stretch only
    assert matches and all(m.span[-1].text == "bought" and len(m.span) <= 3 + MAX_REPEAT for m in matches)


def test_bounded_pattern_caps_every_repetition() -> None:
    from ethicslint.matching import bounded_pattern

    pattern = [{"LOWER": "a"}, {"IS_TITLE": True, "OP": "+"}, {"OP": "*"}, {"ORTH": "x", "op": "{1,99999999}"},
               {"LOWER": "b", "OP": "{2,3}"}, {"LOWER": "c", "OP": "?"}]
    bounded = bounded_pattern(pattern)
    assert pattern_length(bounded) == 1 + 3 * MAX_REPEAT + 3 + 1
    assert bounded[4] == pattern[4] and bounded[5] == pattern[5]  # bounded ones are left alone


@pytest.mark.parametrize("terms", sorted(Path(__file__).parent.parent.glob("plugins/*/terms/*.toml")),
                         ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_every_builtin_pattern_compiles_bounded(terms: Path) -> None:
    from ethicslint.matching import load_terms

    lang = terms.stem if terms.stem in ("en", "fr") else "en"
    matcher = TermMatcher(load_terms(terms), lang, validate=False)
    assert all(group.max_len is not None for group in matcher._groups)


def test_urgency_on_a_long_run_of_title_words_finishes() -> None:
    host = Host()
    host.load()
    outcome = host.check_document(analyze_text("Someone From " * 20_000 + "bought", "en"), {})
    assert not outcome.errors  # was about two minutes of matching


def test_per_candidate_context_is_computed_once_per_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    from ethicslint import context

    scans = [0]
    original = context._ANY_QUOTE

    class Counting:
        def finditer(self, text: str) -> Any:
            scans[0] += 1
            return original.finditer(text)

    monkeypatch.setattr(context, "_ANY_QUOTE", Counting())
    with contextlib.suppress(AttributeError):  # the per-text cache
        context._quotations.cache_clear()
    segment = analyze_text("He said \"hurry\" and 'go' now. " * 200).segments[0]
    results = [context.in_quotation(segment, i, i + 5) for i in range(0, len(segment.text), 7)]
    assert any(results) and not all(results)
    assert scans[0] == 1


# --- item 7: stdin like a file --------------------------------------------------------------------

def test_stdin_reads_at_most_max_file_size() -> None:
    stream = io.BytesIO(b"Hurry! " * 1_000_000)
    read = read_stream(stream, "-", "text", max_bytes=10_000)
    assert read.document is None and [p.rule.code for p in read.problems] == ["EL103"]
    assert stream.tell() <= 10_001  # not the whole 7 MB


def test_stdin_over_max_file_size_is_el103_through_the_cli(repo: Path) -> None:
    (repo / ".ethicslint.toml").write_text("max-file-size = 2000\n", encoding="utf-8")
    status, out, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", "-",
                            input=b"Please hurry. " * 1000)
    assert [f["code"] for f in json_findings(out)] == ["EL103"]
    assert status == 1


@pytest.mark.parametrize(("data", "codes"), [
    ("Please hurry now.\n".encode("utf-16"), ["TST101"]),  # UTF-16 with BOM: was 0 findings
    (b"\x00\x01\x02binary" * 10, ["EL101"]),
    ("Caf\xe9: please hurry.\n".encode("latin-1"), ["EL102", "TST101"]),
])
def test_stdin_is_decoded_as_a_file_is_and_its_problems_are_findings(repo: Path, data: bytes,
                                                                     codes: list[str]) -> None:
    status, out, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", "-", input=data)
    assert sorted(f["code"] for f in json_findings(out)) == codes
    assert status == 1


# --- item 9: internal errors exit 3 ---------------------------------------------------------------

def test_an_internal_crash_is_exit_3_with_a_message_and_no_traceback(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import ethicslint.runner

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the runner broke")

    (repo / "page.md").write_text("Calm copy.\n", encoding="utf-8")
    monkeypatch.setattr(ethicslint.runner, "run", broken)
    monkeypatch.delenv("ETHICSLINT_DEBUG", raising=False)
    assert run_command(["check", "--no-cache", "--no-server", "page.md"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: the runner broke" in err and "Traceback" not in err
    monkeypatch.setenv("ETHICSLINT_DEBUG", "1")
    assert run_command(["check", "--no-cache", "--no-server", "page.md"]) == 3
    assert "Traceback" in capsys.readouterr().err


# --- item 10: plugin output never reaches the report ---------------------------------------------

PRINTING_PLUGIN = '''
from ethicslint import Finding, Rule, Severity, hookimpl
print("printed while importing")
RULE = Rule(code="PRT101", name="printer", checker="printer", severity=Severity.WARNING, summary="s", why="w")

@hookimpl
def ethicslint_rules():
    print("printed in rules")
    return [RULE]

@hookimpl
def ethicslint_check_document(document, config):
    print("printed while checking", document.path)
    return [document.finding(RULE, document.segments[0], 0, 1, "a finding")]
'''


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_what_a_plugin_prints_goes_to_stderr(repo: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    name = f"printing_plugin_{fmt}"
    (repo / f"{name}.py").write_text(PRINTING_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(repo))
    (repo / "page.md").write_text("Calm copy.\n", encoding="utf-8")
    status, out, err = invoke("check", *ONLY_TEST_PLUGIN, "--plugin", name, "--no-cache", "--format", fmt, "page.md")
    parsed = json.loads(out)  # was: the printed lines first, then the report
    assert "printed" not in out
    assert "printed while importing" in err and "printed while checking page.md" in err
    assert "a finding" in json.dumps(parsed) and status == 1


def test_what_a_plugin_prints_in_a_worker_process_goes_to_stderr(repo: Path) -> None:
    import subprocess

    (repo / "printing_plugin_jobs.py").write_text(PRINTING_PLUGIN, encoding="utf-8")
    for name in ("a.md", "b.md"):
        (repo / name).write_text("Calm copy.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), str(Path(__file__).parent / "plugins")])}
    done = subprocess.run([sys.executable, "-m", "ethicslint", "check", *ONLY_TEST_PLUGIN, "--plugin",
                           "printing_plugin_jobs", "--no-cache", "--no-server", "--jobs", "2", "--format", "json",
                           "a.md", "b.md"], capture_output=True, text=True, cwd=repo, env=env, timeout=300)
    assert sorted(f["path"] for f in json.loads(done.stdout)) == ["a.md", "b.md"]
    assert done.stderr.count("printed while checking") == 2  # (the two workers' lines may interleave)
    assert done.returncode == 1


# --- item 11: unreadable paths are EL101 and the run goes on --------------------------------------

@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block as a user that file permissions apply to: as root (as in CI), the effective
    user becomes 'nobody' for the block (every module the block needs must be imported first)."""
    if not hasattr(os, "geteuid"):
        pytest.skip("needs POSIX permissions")
    if os.geteuid() != 0:
        yield
        return
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop privileges to")
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def locked_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    repo = tmp_path / "repo"
    (repo / "locked").mkdir(parents=True)
    (repo / "open").mkdir()
    (repo / "locked" / "a.md").write_text("Please hurry.\n", encoding="utf-8")
    (repo / "open" / "b.md").write_text("Please hurry.\n", encoding="utf-8")
    for directory in (tmp_path, repo, repo / "open"):
        directory.chmod(0o755)
    (repo / "open" / "b.md").chmod(0o644)
    (repo / "locked").chmod(0o700 if os.geteuid() == 0 else 0o000)  # root: 'nobody' cannot enter it
    monkeypatch.chdir(repo)
    invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", "open")  # imports everything first
    yield repo
    (repo / "locked").chmod(0o700)


@pytest.mark.parametrize(("targets", "expected"), [
    (["."], [("locked", "EL101"), ("open/b.md", "TST101")]),  # was: only b.md, the directory skipped silently
    (["locked"], [("locked", "EL101")]),  # was: "No findings in 0 files", exit 0
    (["locked/a.md", "open/b.md"], [("locked/a.md", "EL101"), ("open/b.md", "TST101")]),  # was: a usage error
])
def test_unreadable_paths_are_el101_and_the_run_goes_on(locked_repo: Path, targets: list[str],
                                                        expected: list[tuple[str, str]]) -> None:
    with unprivileged():
        status, out, err = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", *targets)
    assert [(f["path"], f["code"]) for f in json_findings(out)] == expected, err
    assert status == 1
    assert "Permission denied" in next(f["message"] for f in json_findings(out) if f["code"] == "EL101")


def test_a_missing_path_is_still_a_usage_error(repo: Path) -> None:
    status, _, err = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "nowhere.md")
    assert status == 2 and "no such file or directory" in err


# --- item 14: one bad byte in UTF-8 ---------------------------------------------------------------

def test_one_invalid_byte_keeps_the_file_utf8_and_points_at_the_byte(repo: Path) -> None:
    text = "Dépêchez-vous : plus que 2 en stock !\n"
    (repo / "page.txt").write_bytes(text.encode("utf-8") + b"Prix \xff.\n" + text.encode("utf-8"))
    status, out, _ = invoke("check", "--no-cache", "--language", "fr", "--format", "json", "page.txt")
    findings = json_findings(out)
    bad = [f for f in findings if f["code"] == "EL102"]
    assert len(bad) == 1 and (bad[0]["line"], bad[0]["column"]) == (2, 6)
    scarcity = [f for f in findings if f["code"] == "URG201"]  # was: none (read as cp1252, "DÃ©pÃªchez")
    assert [(f["line"], f["column"], f["text"]) for f in scarcity] == [(1, 17, "plus que 2 en stock"),
                                                                      (3, 17, "plus que 2 en stock")]
    assert status == 1


def test_a_latin1_file_is_still_read_as_latin1() -> None:
    from ethicslint.documents.loading import decode

    loaded = decode("Dépêchez-vous, café crème\n".encode("latin-1"))
    assert loaded.source == "Dépêchez-vous, café crème\n" and loaded.encoding == "cp1252"
    assert [p.rule.code for p in loaded.problems] == ["EL102"] and loaded.problems[0].offset == 1


# --- item 15: lone CR line endings ----------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_line_and_column_are_right_for_every_line_ending(repo: Path, newline: str) -> None:
    (repo / "page.txt").write_bytes(newline.join(["Calm first line.", "", "  Please hurry."]).encode())
    _, out, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "json", "page.txt")
    assert [(f["line"], f["column"], f["end_column"]) for f in json_findings(out)] == [(3, 10, 15)]


def test_lone_cr_positions_in_the_document_model() -> None:
    document = Document(path="x", format="text", source="one\rtwo\r\nthree\nfour")
    assert [document.position(document.source.index(word)) for word in ("two", "three", "four")] == \
        [(2, 1), (3, 1), (4, 1)]
    assert [document.line_text(n) for n in (1, 2, 3, 4, 5)] == ["one", "two", "three", "four", ""]


# --- item 16: output that cannot be misread -------------------------------------------------------

def test_a_newline_in_a_file_name_does_not_split_a_concise_line(repo: Path) -> None:
    (repo / "a\nb.md").write_text("Please hurry.\n", encoding="utf-8")
    _, out, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", ".")
    assert out.splitlines() == ["a\\nb.md:1:8: TST101 'hurry' pushes the reader"]


def test_a_backslash_in_a_linux_file_name_is_kept(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sep", "/")
    (repo / "a\\b.md").write_text("Please hurry.\n", encoding="utf-8")
    _, sarif, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "sarif", ".")
    uri = json.loads(sarif)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "a%5Cb.md"
    _, github, _ = invoke("check", *ONLY_TEST_PLUGIN, "--no-cache", "--format", "github", ".")
    assert "file=a\\b.md," in github


def test_full_never_prints_a_message_line_that_starts_a_workflow_command() -> None:
    from ethicslint.reporters import Report, render

    finding = Finding(path="x.md", line=1, column=1, end_line=1, end_column=2, code="TST101", checker="t",
                      severity=Severity.WARNING, message="first\n::error::injected\r::warning::again",
                      suggestion="fix\n::notice::it")
    output = render("full", Report([finding], {}, 1, lambda p: "Hurry\n", "0"))
    assert not any(line.lstrip().startswith("::") for line in output.splitlines())
    assert "  = ::error::injected" in output.splitlines()


def test_an_end_column_past_its_line_is_an_invalid_finding() -> None:
    host = Host()
    rule = Rule(code="TST778", name="x", checker="t", severity=Severity.WARNING, summary="s", why="w")
    host.rule_owner[rule.code] = "t"
    outcome = HookOutcome()
    source = "short\nlonger line\n"
    bad = Finding(path="p", line=1, column=1, end_line=1, end_column=40, code=rule.code, checker="t",
                  severity=Severity.WARNING, message="m")
    good = Finding(path="p", line=1, column=1, end_line=2, end_column=12, code=rule.code, checker="t",
                   severity=Severity.WARNING, message="m")
    host._accept("t", [bad, good], outcome, source, "p", expected_path="p")
    assert [f.code for f in outcome.findings] == ["EL002", rule.code]
    assert "column 40 is past the end of line 1" in outcome.findings[0].message


def test_builder_slices_keep_synthetic_text_pinned() -> None:
    builder = SegmentBuilder()
    builder.add("Tom", 0)
    builder.add_synthetic(" & ", 3)
    builder.add("Jerry", 8)
    segment = builder.build()
    assert segment is not None
    piece = segment.slice(4, 11)  # "& Jerry": starts inside the synthetic text
    assert piece.text == "& Jerry"
    assert [piece.source_offset(i) for i in range(len(piece.text))] == [3, 3, 8, 9, 10, 11, 12]
