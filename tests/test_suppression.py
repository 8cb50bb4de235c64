"""Inline suppression directives (every form) and per-file ignores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.config import Config
from ethicslint.suppression import parse_suppressions, per_file_ignored


def off_lines(source: str, code: str = "URG101", checker: str = "urgency") -> list[int]:
    """The lines of ``source`` on which ``code`` is suppressed."""
    suppressions = parse_suppressions(source)
    return [n for n in range(1, len(source.splitlines()) + 1) if suppressions.is_suppressed(code, checker, n)]


def test_no_directive_suppresses_nothing():
    source = "# Sale\n\nHurry, only today!\n<!-- a comment -->\n"
    assert off_lines(source) == [] and not parse_suppressions(source).skip_file


def test_disable_enable_range_includes_both_directive_lines():
    source = "a\n<!-- ethicslint-disable URG101,DIV -->\nb\nc\n<!-- ethicslint-enable -->\nd\n"
    assert off_lines(source) == [2, 3, 4, 5]
    assert off_lines(source, "DIV201", "diversity") == [2, 3, 4, 5]
    assert off_lines(source, "URG102") == []


def test_disable_without_enable_runs_to_the_end_of_the_file():
    assert off_lines("a\n<!-- ethicslint-disable -->\nb\nc") == [2, 3, 4]


def test_enable_of_one_code_inside_a_broader_disable():
    source = "<!-- ethicslint-disable URG -->\na\n<!-- ethicslint-enable URG101 -->\nb\n<!-- ethicslint-enable -->\nc"
    assert off_lines(source, "URG101") == [1, 2, 3]
    assert off_lines(source, "URG102") == [1, 2, 3, 4, 5]


def test_space_separated_selectors_and_checker_names():
    source = "<!-- ethicslint-disable urgency DAT1 -->\nx\n"
    assert off_lines(source, "URG301") == [1, 2]
    assert off_lines(source, "DAT101", "data-claims") == [1, 2]
    assert off_lines(source, "DAT201", "data-claims") == []


def test_disable_next_line_skips_blank_lines():
    source = "a\n<!-- ethicslint-disable-next-line URG101 -->\n\n   \nHurry!\nHurry!\n"
    assert off_lines(source) == [5]
    assert off_lines(source, "DIV101", "diversity") == []


def test_multiline_comment_next_line_counts_from_its_end():
    source = "<!--\n  ethicslint-disable-next-line\n-->\nHurry!\n"
    assert off_lines(source) == [4]


def test_disable_line_at_the_end_of_a_line():
    source = "Only 2 left! <!-- ethicslint-disable-line URG101 -->\nOnly 2 left!\n"
    assert off_lines(source) == [1]


def test_reason_after_double_dash_is_ignored():
    source = "<!-- ethicslint-disable-next-line URG101 -- stock count is live -->\nOnly 2 left!\n"
    assert off_lines(source) == [2]


def test_hash_trailing_disable_covers_its_line_only():
    source = "title: Hurry!  # ethicslint: disable=URG101\nsubtitle: Hurry!\n"
    assert off_lines(source) == [1]


def test_hash_disable_alone_covers_the_next_yaml_entry():
    source = ("hero:\n"
              "  # ethicslint: disable=URG101\n"
              "  # (the countdown is real)\n"
              "  banner: >\n"
              "    Hurry, the sale\n"
              "\n"
              "    ends tonight!\n"
              "  footer: Hurry!\n")
    assert off_lines(source) == [4, 5, 7]


def test_hash_disable_before_a_po_entry_covers_its_msgstr():
    source = ('# ethicslint: disable=URG\n'
              '#: templates/cart.html:12\n'
              'msgid "Hurry!"\n'
              'msgstr ""\n'
              '"Vite !"\n'
              '\n'
              'msgid "Hurry!"\n'
              'msgstr "Vite !"\n')
    assert off_lines(source) == [3, 4, 5]


def test_po_extracted_comment_is_a_directive():
    source = '#. ethicslint: disable=URG101\nmsgid "Only today"\nmsgstr "Aujourd\'hui seulement"\n'
    assert off_lines(source) == [2, 3]


def test_hash_directives_with_eslint_words_make_ranges_in_yaml():
    source = "# ethicslint-disable URG\na: x\nb: y\n# ethicslint-enable\nc: z\n"
    assert off_lines(source) == [1, 2, 3, 4]


def test_html_comment_can_use_the_pylint_form():
    source = "<!-- ethicslint: disable=URG101 -->\nHurry!\nHurry!\n"
    assert off_lines(source) == [2]


@pytest.mark.parametrize("source", [
    "<!-- ethicslint: skip-file -->\n# Title\n",
    "---\ntitle: x\n---\n<!-- generated from the CMS; ethicslint: skip-file -->\n",
    "# generated, ethicslint: skip-file\nkey: value\n",
    "\n" * 29 + "# ethicslint: skip-file\n",
])
def test_skip_file(source):
    assert parse_suppressions(source).skip_file


def test_skip_file_only_counts_in_the_first_30_lines():
    assert not parse_suppressions("\n" * 30 + "<!-- ethicslint: skip-file -->\n").skip_file


@pytest.mark.parametrize("source", [
    "<!-- ethicslint-disable URG1X -->\nHurry\n",  # malformed selector
    "<!-- ethicslint-disabled -->\nHurry\n",  # unknown directive
    "<!-- ethicslint: disable-file=URG -->\nHurry\n",
    "<!-- ethicslint-disable\nHurry\n",  # unterminated comment
    "Tweet #ethicslint rocks\nHurry\n",
    "```markdown\n<!-- ethicslint-disable -->\n```\nHurry\n",  # an example in a code fence
    "~~~~\n# ethicslint: skip-file\n~~~~\nHurry\n",
    "Write `<!-- ethicslint-disable -->` to turn rules off.\nHurry\n",  # inline code
])
def test_non_directives_are_ignored(source):
    suppressions = parse_suppressions(source)
    assert not suppressions.skip_file
    assert off_lines(source) == []


def test_a_closed_fence_ends_the_code_block():
    source = "```\n<!-- ethicslint-disable -->\n```\n<!-- ethicslint-disable -->\nHurry\n"
    assert off_lines(source) == [4, 5]


def test_crlf_sources():
    source = "a\r\n<!-- ethicslint-disable-next-line -->\r\n\r\nHurry\r\n"
    assert off_lines(source) == [4]


# --- per-file ignores -----------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch) -> Config:
    monkeypatch.chdir(tmp_path)
    return Config(path=tmp_path / "pyproject.toml", root=tmp_path,
                  per_file_ignores={"legal/**": ["DAT", "URG101"], "*.po": ["diversity"]})


@pytest.mark.parametrize(("path", "code", "checker", "expected"), [
    ("legal/terms.md", "DAT101", "data-claims", True),
    ("legal/fr/cgv.md", "URG101", "urgency", True),
    ("legal/terms.md", "URG102", "urgency", False),
    ("site/legal/terms.md", "DAT101", "data-claims", False),  # "legal/**" is anchored at the root
    ("locale/fr/messages.po", "DIV101", "diversity", True),  # "*.po" matches at any depth
    ("locale/fr/messages.po", "URG101", "urgency", False),
    ("index.md", "DAT101", "data-claims", False),
])
def test_per_file_ignores(project, path, code, checker, expected):
    assert per_file_ignored(path, code, checker, project) is expected


def test_per_file_globs_are_relative_to_the_config_root_not_the_cwd(project, tmp_path, monkeypatch):
    (tmp_path / "legal").mkdir()
    monkeypatch.chdir(tmp_path / "legal")
    assert per_file_ignored("terms.md", "DAT101", "data-claims", project)
    assert per_file_ignored(str(tmp_path / "legal" / "terms.md"), "DAT101", "data-claims", project)


def test_paths_outside_the_root_are_matched_as_given(project, tmp_path):
    outside = Path(tmp_path.parent, "elsewhere", "strings.po")
    assert per_file_ignored(str(outside), "DIV101", "diversity", project)
    assert not per_file_ignored(str(outside), "URG101", "urgency", project)


# --- one filter for every finding: the host's, the plugins', per file and of the corpus ----------------

FILTER_FILES = {
    "page.md": b"Hurry, this deal ends soon.\n",  # TST101 (plugin), TST901 (corpus: 1 document is enough)
    "latin.md": b"# Sale\n\nHurry, caf\xe9 today.\n",  # EL102 (host: not UTF-8) and TST101
    "binary.md": b"\x00\x00\x00binary",  # EL101 (host: not read at all)
}


def _findings(tmp_path: Path, monkeypatch, config: str = "", *, comment: str = "") -> dict[tuple[str, str], str]:
    """(path, code) -> severity of the findings of a check of FILTER_FILES with ``config``;
    ``comment`` is put on the first line of every readable file."""
    monkeypatch.chdir(tmp_path)
    for name, data in FILTER_FILES.items():
        (tmp_path / name).write_bytes(comment.encode() + b"\n" + data if comment and b"\0" not in data else data)
    (tmp_path / ".ethicslint.toml").write_text(f"{config}\n[testcheck]\nmin-documents = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--select", "EL,TST",
                                       "--plugin", "ethicslint_testplugin", "."], catch_exceptions=False)
    return {(f["path"], f["code"]): f["severity"] for f in json.loads(result.stdout)}


ALL_FOUND = {("page.md", "TST101"): "warning", ("page.md", "TST901"): "info", ("latin.md", "EL102"): "warning",
             ("latin.md", "TST101"): "warning", ("binary.md", "EL101"): "error"}


def test_every_kind_of_finding_is_found_unfiltered(tmp_path, monkeypatch):
    assert _findings(tmp_path, monkeypatch) == ALL_FOUND


@pytest.mark.parametrize("code", ["EL101", "EL102", "TST101", "TST901"])
def test_host_plugin_and_corpus_findings_obey_the_same_settings(tmp_path, monkeypatch, code):
    """Per-file ignores, severity overrides and ``ignore`` turn off or change a host finding (a
    file not read, a file not UTF-8), a plugin finding and a corpus finding alike."""
    without = {key: severity for key, severity in ALL_FOUND.items() if key[1] != code}
    path = next(p for p, c in ALL_FOUND if c == code)
    assert _findings(tmp_path, monkeypatch, f"[per-file-ignores]\n'{path}' = ['{code}']") == {
        key: severity for key, severity in ALL_FOUND.items() if key != (path, code)}
    assert _findings(tmp_path, monkeypatch, f"ignore = ['{code}']") == without
    assert _findings(tmp_path, monkeypatch, f"[severity]\n{code} = 'error'") == {
        key: "error" if key[1] == code else severity for key, severity in ALL_FOUND.items()}


@pytest.mark.parametrize("code", ["EL102", "TST101", "TST901"])
def test_inline_suppressions_hold_for_host_plugin_and_corpus_findings(tmp_path, monkeypatch, code):
    """A comment turns off a host finding, a plugin finding and a corpus finding in its file
    alike (a file that could not be read has no comments: EL101 is turned off in the config)."""
    assert _findings(tmp_path, monkeypatch, comment=f"<!-- ethicslint-disable {code} -->") == {
        key: severity for key, severity in ALL_FOUND.items() if key[1] != code}


# --- accountable suppressions: reasons, require-reason (EL201), unused (EL202), the audit -------

@pytest.mark.parametrize(("source", "expected"), [
    ("<!-- ethicslint-disable-next-line URG101 -- dated in the legal notice -->\nHurry\n",
     [(1, 1, "disable-next-line", ("URG101",), "dated in the legal notice")]),
    ("title: Hurry  # ethicslint: disable=URG101,DIV --   checked  by legal\n",
     [(1, 15, "disable-line", ("URG101", "DIV"), "checked by legal")]),
    ("# ethicslint: disable=URG -- a quote\ntitle: Hurry\n", [(1, 1, "disable-next-entry", ("URG",), "a quote")]),
    ("a\n  <!-- ethicslint-disable -->\nb\n<!-- ethicslint-enable -->\n", [(2, 3, "disable", (), None)]),
    ("Hurry <!-- ethicslint-disable-line URG101 -- -->\n", [(1, 7, "disable-line", ("URG101",), None)]),
    ("<!-- ethicslint: skip-file -- generated from the CMS -->\n", [(1, 1, "skip-file", (), "generated from the CMS")]),
    ("<!-- ethicslint-disable-next-line URG101 --no-space -->\nHurry\n", []),  # malformed: not a directive
])
def test_directives_keep_their_reason_and_position(source, expected):
    directives = parse_suppressions(source).directives
    assert [(d.line, d.column, d.kind, d.selectors, d.reason) for d in directives] == expected


def test_each_directive_that_turns_a_finding_off_is_marked_used():
    source = ("<!-- ethicslint-disable URG -->\n<!-- ethicslint-disable-next-line URG101 -->\nHurry\n"
              "<!-- ethicslint-disable-next-line DIV101 -->\nx\n")
    suppressions = parse_suppressions(source)
    assert suppressions.is_suppressed("URG101", "urgency", 3)
    assert suppressions.used == {0, 1}  # the range and the line both cover it
    assert [d.selectors for d in suppressions.unused(lambda d: True)] == [("DIV101",)]
    assert suppressions.unused(lambda d: d.selectors != ("DIV101",)) == []


def test_require_reason_reports_suppressions_without_one(tmp_path, monkeypatch):
    found = _findings(tmp_path, monkeypatch, "require-reason = true",
                      comment="<!-- ethicslint-disable-next-line TST101 -->")
    assert found == {**{k: v for k, v in ALL_FOUND.items() if k != ("page.md", "TST101")},
                     ("page.md", "EL201"): "warning", ("latin.md", "EL201"): "warning"}
    assert _findings(tmp_path, monkeypatch, "require-reason = true",
                     comment="<!-- ethicslint-disable-next-line TST101 -- a quoted headline -->") == {
        k: v for k, v in ALL_FOUND.items() if k != ("page.md", "TST101")}


def test_without_require_reason_no_reason_is_needed(tmp_path, monkeypatch):
    assert ("page.md", "EL201") not in _findings(tmp_path, monkeypatch,
                                                 comment="<!-- ethicslint-disable-next-line TST101 -->")


def test_a_skip_file_without_reason_is_reported_and_the_file_still_skipped(tmp_path, monkeypatch):
    found = _findings(tmp_path, monkeypatch, "require-reason = true", comment="<!-- ethicslint: skip-file -->")
    assert found == {("page.md", "EL201"): "warning", ("latin.md", "EL201"): "warning",
                     ("binary.md", "EL101"): "error"}


def test_unused_suppressions_are_reported(tmp_path, monkeypatch):
    """Line 2 of page.md is its TST101 finding; latin.md's is on line 4: the same comment is used in
    one file and not in the other. A selected rule never found (EL103) is unused everywhere."""
    found = _findings(tmp_path, monkeypatch, "report-unused-suppressions = true",
                      comment="<!-- ethicslint-disable-next-line TST101 -- quoted -->")
    assert found == {**{k: v for k, v in ALL_FOUND.items() if k != ("page.md", "TST101")},
                     ("latin.md", "EL202"): "warning"}
    found = _findings(tmp_path, monkeypatch, "report-unused-suppressions = true",
                      comment="<!-- ethicslint-disable EL103 -- big files -->")
    assert found == {**ALL_FOUND, ("page.md", "EL202"): "warning", ("latin.md", "EL202"): "warning"}


@pytest.mark.parametrize("comment", [
    "<!-- ethicslint-disable URG101 -- not selected by --select EL,TST -->",
    "<!-- ethicslint-disable NOP101 -- no loaded rule has this code -->",
    "<!-- ethicslint-disable -- every rule: some are not selected -->",
])
def test_a_suppression_that_could_not_be_used_is_not_unused(tmp_path, monkeypatch, comment):
    assert _findings(tmp_path, monkeypatch, "report-unused-suppressions = true", comment=comment) == {
        k: v for k, v in ALL_FOUND.items() if comment.find("every rule") < 0 or k[0] == "binary.md"}


def test_a_rule_turned_off_for_the_file_makes_its_suppression_not_unused(tmp_path, monkeypatch):
    config = "report-unused-suppressions = true\n[per-file-ignores]\n'latin.md' = ['TST101']"
    found = _findings(tmp_path, monkeypatch, config, comment="<!-- ethicslint-disable-next-line TST101 -- q -->")
    assert ("latin.md", "EL202") not in found and ("latin.md", "TST101") not in found


def test_a_suppression_used_by_a_corpus_finding_is_not_unused(tmp_path, monkeypatch):
    """TST901 (the corpus phase, after every file) is anchored on page.md: the comment there is
    used; in latin.md it turns nothing off."""
    found = _findings(tmp_path, monkeypatch, "report-unused-suppressions = true",
                      comment="<!-- ethicslint-disable TST901 -- a test corpus -->")
    assert found == {**{k: v for k, v in ALL_FOUND.items() if k[1] != "TST901"}, ("latin.md", "EL202"): "warning"}


@pytest.mark.parametrize("key", ["require-reason", "report-unused-suppressions"])
def test_the_settings_must_be_booleans(tmp_path, monkeypatch, key):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".ethicslint.toml").write_text(f'{key} = "yes"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "."])
    assert result.exit_code == 2
    assert f"'{key}' must be true or false, got string 'yes'" in result.stderr


def test_suppressions_command_lists_every_suppression_for_an_audit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text("<!-- ethicslint-disable-next-line URG101 -- dated in the legal notice -->\n"
                                      "Offer ends soon.\n\n```\n<!-- ethicslint-disable -->\n```\n", encoding="utf-8")
    (tmp_path / "strings.yml").write_text("cta: Hurry  # ethicslint: disable=URG\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text("Nothing to hide.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["suppressions"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "page.md:1:1: disable-next-line URG101 -- dated in the legal notice",
        "strings.yml:1:13: disable-line URG (no reason)",
    ]
    assert "2 suppression(s) in 2 file(s), 1 without a reason" in result.stderr
    data = json.loads(CliRunner().invoke(main, ["suppressions", "--format", "json", "strings.yml"]).stdout)
    assert data == [{"path": "strings.yml", "line": 1, "column": 13, "kind": "disable-line", "codes": ["URG"],
                     "reason": None}]


def test_suppressions_command_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["suppressions", "missing"])
    assert result.exit_code == 2 and "missing" in result.stderr
