"""``check --changed-since REF`` and ``--baseline``/``--write-baseline``, in real temporary git
repositories, with the test plugin (TST101 flags "hurry"; TST901, corpus-level, fires when two
documents mention "deal")."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.git_changes import parse_unified_diff

ONLY_TEST = ["--plugin", "ethicslint_testplugin", "--select", "TST,EL", "--no-cache"]
OLD_SALE = "# Sale\n\nHurry, old copy.\n\nA calm line.\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "sale.md").write_text(OLD_SALE, encoding="utf-8")
    (tmp_path / "pages" / "calm.md").write_text("# Calm\n\nNothing to see.\n", encoding="utf-8")
    commit_all(tmp_path, "legacy copy")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def findings(*args: str) -> list[str]:
    status, out, err = invoke("check", *ONLY_TEST, "--format", "json", *args)
    assert status in (0, 1), err
    return [f"{f['path']}:{f['line']}:{f['code']}" for f in json.loads(out)]


# --- --changed-since -----------------------------------------------------------------------------

def test_only_findings_on_lines_changed_since_the_ref_committed_or_not(repo: Path) -> None:
    (repo / "pages" / "sale.md").write_text(OLD_SALE + "\nHurry, new copy.\n", encoding="utf-8")
    commit_all(repo, "new line")
    (repo / "pages" / "calm.md").write_text("# Calm\n\nNo hurry here? Hurry!\n", encoding="utf-8")  # uncommitted
    (repo / "pages" / "new.md").write_text("Hurry up.\n", encoding="utf-8")  # untracked
    assert findings("pages") == ["pages/calm.md:3:TST101", "pages/new.md:1:TST101", "pages/sale.md:3:TST101",
                                 "pages/sale.md:7:TST101"]
    status, out, err = invoke("check", *ONLY_TEST, "--changed-since", "main", "pages")
    assert status == 1
    assert out.splitlines() == ["pages/calm.md:3:16: TST101 'hurry' pushes the reader",
                                "pages/new.md:1:1: TST101 'hurry' pushes the reader",
                                "pages/sale.md:7:1: TST101 'hurry' pushes the reader"]
    assert "1 finding on lines not changed since main left out" in err


def test_nothing_changed_means_nothing_reported_and_exit_0(repo: Path) -> None:
    status, out, err = invoke("check", *ONLY_TEST, "--changed-since", "main", "pages")
    assert (status, out) == (0, "") and "No findings" in err


def test_changes_on_the_ref_after_the_branch_left_it_are_not_the_branch_s(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    (repo / "pages" / "calm.md").write_text("# Calm\n\nHurry on main.\n", encoding="utf-8")
    commit_all(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    (repo / "pages" / "sale.md").write_text(OLD_SALE.replace("A calm line.", "Hurry, branch line."),
                                           encoding="utf-8")
    commit_all(repo, "branch change")
    assert findings("--changed-since", "main", "pages") == ["pages/sale.md:5:TST101"]


def test_a_corpus_finding_is_kept_only_when_a_file_it_counts_changed(repo: Path) -> None:
    for name in ("a.md", "b.md"):
        (repo / "pages" / name).write_text("# Offer\n\nA good deal.\n", encoding="utf-8")
    commit_all(repo, "deals")
    git(repo, "branch", "-f", "base")
    (repo / "pages" / "calm.md").write_text("# Calm\n\nStill nothing to see.\n", encoding="utf-8")
    assert "pages/a.md:1:TST901" in findings("pages")
    assert findings("--changed-since", "base", "pages") == []  # calm.md mentions no deal
    (repo / "pages" / "b.md").write_text("# Offer\n\nA good deal, really.\n", encoding="utf-8")
    assert findings("--changed-since", "base", "pages") == ["pages/a.md:1:TST901"]  # anchored on a.md


def test_file_names_git_quotes_are_understood(repo: Path) -> None:
    name = 'caf\u00e9 "spécial"\tx.md'
    (repo / "pages" / name).write_text("Calm.\n", encoding="utf-8")
    commit_all(repo, "odd name")
    git(repo, "branch", "-f", "base")
    (repo / "pages" / name).write_text("Calm.\nHurry.\n", encoding="utf-8")
    assert findings("--changed-since", "base", "pages") == [f"pages/{name}:2:TST101"]


def test_hunk_headers_give_the_new_side_lines(tmp_path: Path) -> None:
    diff = (b'diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-a\n+b\n'
            b'@@ -5,0 +6,3 @@\n+c\n+d\n+e\n@@ -9,2 +11,0 @@\n-f\n-g\n'
            b'diff --git a/gone.md b/gone.md\n--- a/gone.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n'
            b'--- "a/caf\\303\\251.md"\n+++ "b/caf\\303\\251.md"\n@@ -3,0 +4 @@\n+z\n')
    lines = parse_unified_diff(diff, tmp_path)
    assert lines == {os.path.realpath(tmp_path / "x.md"): {1, 6, 7, 8},
                     os.path.realpath(tmp_path / "café.md"): {4}}


@pytest.mark.parametrize(("ref", "message"), [
    ("no-such-branch", "unknown git ref 'no-such-branch'"),
    ("--output=x", "not a git ref"),
])
def test_an_unknown_ref_is_a_usage_error(repo: Path, ref: str, message: str) -> None:
    status, out, err = invoke("check", *ONLY_TEST, f"--changed-since={ref}", "pages")
    assert status == 2 and out == "" and message in err and "Traceback" not in err
    assert not (repo / "x").exists()


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "page.md").write_text("Hurry.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    status, _, err = invoke("check", *ONLY_TEST, "--changed-since", "main", "page.md")
    assert status == 2 and "is not inside a git repository" in err


def test_a_repository_s_fsmonitor_hook_is_not_run(repo: Path) -> None:
    marker = repo.parent / "fsmonitor-ran"
    hook = repo / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n", encoding="utf-8")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    (repo / "pages" / "sale.md").write_text(OLD_SALE + "Hurry.\n", encoding="utf-8")
    assert findings("--changed-since", "main", "pages") == ["pages/sale.md:6:TST101"]
    assert not marker.exists()


# --- baselines -------------------------------------------------------------------------------------

def test_a_baseline_hides_recorded_findings_even_when_their_lines_move(repo: Path) -> None:
    status, out, err = invoke("check", *ONLY_TEST, "--write-baseline", "ethicslint-baseline.json", "pages")
    assert (status, out) == (0, "") and "recorded 1 finding in ethicslint-baseline.json" in err
    data = json.loads((repo / "ethicslint-baseline.json").read_text(encoding="utf-8"))
    assert [(e["code"], e["path"], e["count"]) for e in data["findings"]] == [("TST101", "pages/sale.md", 1)]
    assert findings("--baseline", "ethicslint-baseline.json", "pages") == []
    moved = "# Sale\n\nA new first paragraph,\nwrapped.\n\n" + OLD_SALE.split("\n\n", 1)[1]
    (repo / "pages" / "sale.md").write_text(moved, encoding="utf-8")
    assert findings("pages") == ["pages/sale.md:6:TST101"]
    assert findings("--baseline", "ethicslint-baseline.json", "pages") == []
    (repo / "pages" / "sale.md").write_text(moved + "\nHurry, old copy.\n\nHurry, brand new.\n", encoding="utf-8")
    assert findings("--baseline", "ethicslint-baseline.json", "pages") == ["pages/sale.md:10:TST101",
                                                                           "pages/sale.md:12:TST101"]


def test_editing_the_sentence_makes_the_finding_new(repo: Path) -> None:
    invoke("check", *ONLY_TEST, "--write-baseline", "base.json", "pages")
    (repo / "pages" / "sale.md").write_text(OLD_SALE.replace("old copy", "old copy, rewritten"), encoding="utf-8")
    assert findings("--baseline", "base.json", "pages") == ["pages/sale.md:3:TST101"]


def test_a_baseline_works_from_another_directory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke("check", *ONLY_TEST, "--write-baseline", "base.json", "pages")
    monkeypatch.chdir(repo / "pages")
    assert findings(".") == ["sale.md:3:TST101"]
    assert findings("--baseline", "../base.json", ".") == []


def test_baseline_and_changed_since_together(repo: Path) -> None:
    (repo / "pages" / "calm.md").write_text("# Calm\n\nHurry, once.\n", encoding="utf-8")
    invoke("check", *ONLY_TEST, "--write-baseline", "base.json", "pages")
    (repo / "pages" / "calm.md").write_text("# Calm\n\nHurry, once.\n\nHurry, twice.\n", encoding="utf-8")
    assert findings("--changed-since", "main", "--baseline", "base.json", "pages") == ["pages/calm.md:5:TST101"]


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file (create it with --write-baseline"),
    ("{not json", "not valid JSON"),
    ('{"findings": []}', "not an ethicslint baseline"),
    ('{"ethicslint-baseline": 1, "findings": [{"code": "TST101"}]}', "finding 1 is malformed"),
    ('{"ethicslint-baseline": 1, "findings": [{"code": "X", "path": "p", "hash": "h", "count": 0}]}',
     "finding 1 is malformed"),
])
def test_a_malformed_baseline_is_a_usage_error(repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "base.json").write_text(content, encoding="utf-8")
    status, out, err = invoke("check", *ONLY_TEST, "--baseline", "base.json", "pages")
    assert status == 2 and out == "" and f"baseline base.json: {message}" in err


def test_write_baseline_does_not_combine_with_the_filters(repo: Path) -> None:
    status, _, err = invoke("check", *ONLY_TEST, "--write-baseline", "b.json", "--changed-since", "main", "pages")
    assert status == 2 and "cannot be combined" in err and not (repo / "b.json").exists()
