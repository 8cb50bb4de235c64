"""``check --fix`` and ``--diff``: safe replacements, applied byte for byte in every format."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicslint import Severity
from ethicslint.cli import main
from ethicslint.documents import read_text
from ethicslint.fixes import plan_file, relocate, write
from ethicslint.model import Finding

RECRUITMENT = '[kinds]\n"*" = "recruitment"\n'  # DIV102 (French job titles) applies to job ads only


def fix(tmp_path: Path, monkeypatch, files: dict[str, bytes], *args: str, config: str = "") -> tuple[dict, object]:
    """The files' bytes after ``check --fix --select DIV`` (or ``args``) over them, and the result."""
    monkeypatch.chdir(tmp_path)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ".ethicslint.toml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "DIV", *(args or ["--fix"]), *files],
                                catch_exceptions=False)
    return {name: (tmp_path / name).read_bytes() for name in files}, result


@pytest.mark.parametrize(("name", "before", "after"), [
    # Markdown: a plain word is fixed; one cut by emphasis is not one literal slice of the source
    ("a.md", b"# Team\n\nMeet our chairman, and our **sales**man.\n",
     b"# Team\n\nMeet our chair, and our **sales**man.\n"),
    # HTML: an entity inside the word leaves it alone
    ("b.html", b"<p>Our chairm&#97;n and our waitress.</p>\n", b"<p>Our chairm&#97;n and our server.</p>\n"),
    ("b.html", b'<img alt="A fireman at work" src="x.png">\n', b'<img alt="A firefighter at work" src="x.png">\n'),
    # YAML: a plain scalar is fixed, an escape inside a double-quoted one is not
    ("c.yml", b'a: Meet our chairman\nb: "Ask the sales\\u006dan"\n', b'a: Meet our chair\nb: "Ask the sales\\u006dan"\n'),
    # JSON: the same
    ("d.json", b'{"a": "Meet our chairman", "b": "our sales\\u006dan"}\n',
     b'{"a": "Meet our chair", "b": "our sales\\u006dan"}\n'),
    # .po: a msgstr is fixed, a msgid (the key the code looks it up by) never
    ("e.po", b'msgid "Meet the boss"\nmsgstr "Meet our chairman"\n\nmsgid "Our waitress"\nmsgstr ""\n',
     b'msgid "Meet the boss"\nmsgstr "Meet our chair"\n\nmsgid "Our waitress"\nmsgstr ""\n'),
    # text with CRLF line endings and a UTF-8 BOM: both kept
    ("f.txt", b"\xef\xbb\xbfMeet our chairman.\r\nAsk a waitress.\r\n", b"\xef\xbb\xbfMeet our chair.\r\nAsk a server.\r\n"),
    # a latin-1 file (EL102) stays latin-1
    ("g.txt", b"Caf\xe9: meet our chairman.\n", b"Caf\xe9: meet our chair.\n"),
    # plural and capitalised forms take their own replacement
    ("h.txt", b"Chairmen and saleswomen.", b"Chairs and salespeople."),
])
def test_fix_in_each_format(tmp_path, monkeypatch, name, before, after):
    files, result = fix(tmp_path, monkeypatch, {name: before})
    assert files[name] == after, result.output


def test_fix_reports_only_what_is_left_and_says_what_was_not_fixed(tmp_path, monkeypatch):
    files, result = fix(tmp_path, monkeypatch, {"a.md": b"Meet our chairman and our **sales**man.\n"})
    assert files["a.md"] == b"Meet our chair and our **sales**man.\n"
    assert "fixed 1 finding(s) in 1 file(s)" in result.stderr
    assert "a.md:1:29: DIV101 not fixed: its span is not one literal piece of the source" in result.stderr
    assert "'salesman'" in result.stdout and "'chairman'" not in result.stdout


def test_french_job_titles_take_the_double_form_unless_a_determiner_agrees(tmp_path, monkeypatch):
    text = "Nous recrutons des vendeuses (H/F) et une caissière (H/F) en CDI.\n".encode()
    files, _ = fix(tmp_path, monkeypatch, {"offre.txt": text}, "--fix", "--language", "fr", config=RECRUITMENT)
    assert files["offre.txt"].decode() == "Nous recrutons des vendeurs ou vendeuses (H/F) et une caissière (H/F) en CDI.\n"


def test_a_replacement_that_would_break_the_quoting_is_left_alone(tmp_path, monkeypatch):
    """The apostrophe of « agent·es d'entretien » would end a single-quoted YAML string."""
    before = "t: 'Nous recrutons des hommes de ménage en CDI'\nu: Nous recrutons des hommes de ménage en CDI\n"
    files, result = fix(tmp_path, monkeypatch, {"offre.yml": before.encode()}, "--fix", "--language", "fr",
                        config=RECRUITMENT)
    assert files["offre.yml"].decode() == before.replace("u: Nous recrutons des hommes de ménage",
                                                         "u: Nous recrutons des agent·es d'entretien")
    assert "offre.yml:1:24: DIV102 not fixed: the yaml file would not read back as that text" in result.stderr


def test_claims_are_never_fixed(tmp_path, monkeypatch):
    before = b"Hurry, only 2 left! We never sell your data. 100% eco-friendly.\n"
    files, result = fix(tmp_path, monkeypatch, {"a.txt": before}, "--fix", "--select", "URG,DAT,GRN")
    assert files["a.txt"] == before
    assert "fixed 0 finding(s)" in result.stderr and "URG" in result.stdout


def test_diff_prints_the_change_and_writes_nothing(tmp_path, monkeypatch):
    before = b"Line one.\r\nMeet our chairman.\r\n"
    files, result = fix(tmp_path, monkeypatch, {"a.txt": before}, "--diff")
    assert files["a.txt"] == before
    assert result.exit_code == 1
    assert result.stdout.replace("\r", "") == ("--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n Line one.\n"
                                               "-Meet our chairman.\n+Meet our chair.\n")
    _, clean = fix(tmp_path, monkeypatch, {"b.txt": b"Meet our chair."}, "--diff")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_diff_marks_a_last_line_without_newline(tmp_path, monkeypatch):
    _, result = fix(tmp_path, monkeypatch, {"a.txt": b"Meet our chairman."}, "--diff")
    assert result.stdout.endswith("+Meet our chair.\n\\ No newline at end of file\n")


@pytest.mark.parametrize("args", [["--fix", "--diff"], ["--fix", "-"], ["--diff", "-"]])
def test_fix_and_diff_usage_errors(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", *args])
    assert result.exit_code == 2 and "error:" in result.stderr


def test_damaged_utf8_is_not_written_back(tmp_path, monkeypatch):
    before = b"Caf\xc3\xa9 \xff: meet our chairman.\n"  # the bad byte was read as U+FFFD
    files, result = fix(tmp_path, monkeypatch, {"a.txt": before})
    assert files["a.txt"] == before
    assert "a.txt: not fixed: its bytes would not survive being written back as utf-8" in result.stderr


def test_fix_keeps_the_permissions_and_a_symbolic_link(tmp_path, monkeypatch):
    target = tmp_path / "real.txt"
    target.write_bytes(b"Meet our chairman.\n")
    target.chmod(0o640)
    (tmp_path / "link.txt").symlink_to(target)
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["check", "--no-cache", "--select", "DIV", "--fix", "link.txt"], catch_exceptions=False)
    assert (tmp_path / "link.txt").is_symlink() and target.read_bytes() == b"Meet our chair.\n"
    assert target.stat().st_mode & 0o777 == 0o640


# --- the plan, on findings made here --------------------------------------------------------

def finding(source: str, start: int, end: int, replacement: str, path: str = "a.txt", fmt: str = "text") -> Finding:
    """A finding on ``source[start:end]``, positioned as a reader's document counts lines."""
    document = read_text(source, path, fmt).document
    line, column = document.position(start)
    end_line, end_column = document.position(end)
    return Finding(path=path, line=line, column=column, end_line=end_line, end_column=end_column, code="DIV101",
                   checker="diversity", severity=Severity.INFO, message="m", text=source[start:end],
                   replacement=replacement)


def test_overlapping_replacements_are_all_left_out(tmp_path):
    source = "our chairman here and a waitress"
    path = tmp_path / "a.txt"
    path.write_text(source, encoding="utf-8")
    wanted = [finding(source, 4, 12, "chair"), finding(source, 8, 17, "x"), finding(source, 24, 32, "server"),
              finding(source, 24, 32, "server")]  # two findings asking the same swap: one swap
    plan = plan_file(path, "a.txt", wanted, source)
    assert plan.new_text == "our chairman here and a server"
    assert [why for _, why in plan.skipped] == ["it overlaps another replacement"] * 2
    assert len(plan.fixed) == 2


def test_a_file_changed_since_the_check_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Meet our chairman, now edited.", encoding="utf-8")
    checked = "Meet our chairman."
    plan = plan_file(path, "a.txt", [finding(checked, 9, 17, "chair")], checked)
    assert plan.refused == "it changed since it was checked; run again" and not plan.changed


def test_a_file_changed_while_being_fixed_is_left_alone(tmp_path):
    path = tmp_path / "a.txt"
    source = "Meet our chairman."
    path.write_text(source, encoding="utf-8")
    plan = plan_file(path, "a.txt", [finding(source, 9, 17, "chair")], source)
    path.write_text("Someone else's edit.", encoding="utf-8")
    assert write(plan, path) == "it changed while being fixed; left alone"
    assert path.read_text(encoding="utf-8") == "Someone else's edit."
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


@pytest.mark.parametrize("replacement", ["chair\nperson", "chair\x00", "chair\u2028"])
def test_a_replacement_with_a_line_break_or_control_character_is_refused(tmp_path, replacement):
    source = "Meet our chairman."
    path = tmp_path / "a.txt"
    path.write_text(source, encoding="utf-8")
    plan = plan_file(path, "a.txt", [finding(source, 9, 17, replacement)], source)
    assert not plan.changed and "line break or a control character" in plan.skipped[0][1]


def test_a_replacement_the_encoding_cannot_hold_is_refused(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Caf\xe9 chairman.")
    source = "Café chairman."
    plan = plan_file(path, "a.txt", [finding(source, 5, 13, "chair ☕")], source)
    assert not plan.changed and plan.skipped[0][1] == "the replacement cannot be written in cp1252"


# --- property: fixing changes the fixed spans and nothing else ---------------------------------

PIECES = ["Meet our ", "chairman", "waitress", " &amp; ", "&eacute;", "**", "\r\n", "\n", "\n\n", "\\u006d",
          '"', "'", "<b>", "</b>", "# ", "- ", "é", " ", ": ", "`", "\t"]
FORMATS = {"a.md": "markdown", "a.html": "html", "a.txt": "text", "a.yml": "yaml", "a.json": "json", "a.po": "po"}


@st.composite
def sources_and_spans(draw):
    name = draw(st.sampled_from(sorted(FORMATS)))
    body = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25)))
    if name == "a.json":
        body = '{"k": "' + body + '"}'
    elif name == "a.po":
        body = 'msgid "x"\nmsgstr "' + body + '"\n'
    spans = draw(st.lists(st.tuples(st.integers(0, len(body)), st.integers(1, 10), st.sampled_from(["chair", "",
                                                                                                  "server", "x'y"])),
                          max_size=5))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return name, body, [(start, min(len(body), start + length), text) for start, length, text in spans], encoding


@settings(max_examples=150, deadline=None)
@given(sources_and_spans())
def test_fixing_changes_only_the_fixed_spans(case):
    name, source, spans, encoding = case
    with tempfile.TemporaryDirectory() as directory:
        _check_only_fixed_spans_change(Path(directory), name, source, spans, encoding)


def _check_only_fixed_spans_change(tmp_path: Path, name: str, source: str, spans: list, encoding: str) -> None:
    path = tmp_path / name
    data = source.encode(encoding)
    path.write_bytes(data)
    checked = read_text(source, name, FORMATS[name]).document.source
    wanted = [finding(source, start, end, text, name, FORMATS[name]) for start, end, text in spans if end > start]
    plan = plan_file(path, name, wanted, checked)
    assert plan.refused is None
    # rebuild the new bytes from the old ones: each fixed span swapped, every other byte as it was
    expected, position = b"", 0
    bom = 3 if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for edit in sorted(plan.edits, key=lambda e: e.start):
        assert source[edit.start:edit.end] == edit.finding.text
        start, end = (bom + len(source[:offset].encode(codec)) for offset in (edit.start, edit.end))
        expected += data[position:start] + edit.text.encode(codec)
        position = end
    assert plan.new_bytes == expected + data[position:]
    assert plan.new_text.count("\n") == source.count("\n") and plan.new_text.count("\r") == source.count("\r")
    if plan.edits:  # and the fixed file reads back as the same prose with the swaps made
        new = read_text(plan.new_text, name, FORMATS[name])
        old = read_text(source, name, FORMATS[name])
        assert len(new.document.segments) == len(old.document.segments)
    assert os.listdir(tmp_path) == [name]


def test_findings_left_after_a_fix_point_into_the_fixed_file(tmp_path, monkeypatch):
    """'salesman' (cut by emphasis) stays, three columns to the left once 'chairman' became 'chair'."""
    files, result = fix(tmp_path, monkeypatch, {"a.md": b"Our chairman and our **sales**man.\n"}, "--fix",
                        "--format", "json")
    left = json.loads(result.stdout)
    assert [(f["line"], f["column"], f["end_column"], f["text"]) for f in left] == [(1, 21, 31, "sales**man")]
    assert files["a.md"].decode()[20:30] == "sales**man"


def test_a_span_over_a_line_break_is_not_swapped(tmp_path):
    source = "Our cleaning\nlady is here."
    path = tmp_path / "a.txt"
    path.write_text(source, encoding="utf-8")
    plan = plan_file(path, "a.txt", [finding(source, 4, 17, "cleaner")], source)
    assert not plan.changed and plan.skipped[0][1] == "its span runs over a line break, which the swap would remove"


def test_a_finding_holding_a_swap_shrinks_with_it(tmp_path):
    source = "Meet our chairman today. Hurry."
    path = tmp_path / "a.txt"
    path.write_text(source, encoding="utf-8")
    plan = plan_file(path, "a.txt", [finding(source, 9, 17, "chair")], source)
    around, after = finding(source, 0, 24, ""), finding(source, 25, 31, "")
    assert [(f.column, f.end_column, f.text) for f in (relocate(around, plan), relocate(after, plan))] == [
        (1, 22, "Meet our chair today."), (23, 29, "Hurry.")]
