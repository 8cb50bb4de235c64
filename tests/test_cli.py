"""The command line end to end, with the test plugin: formats, exit codes, errors, stdin, cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main

PLUGIN_DIR = Path(__file__).parent / "plugins"
ONLY_TEST = ["--plugin", "ethicslint_testplugin", "--select", "TST,EL"]


@pytest.fixture
def copy_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "sale.md").write_text(
        "---\ntitle: Sale\n---\n\n# Big deal\n\nHurry, the deal is here.\n\n```\nhurry in code\n```\n",
        encoding="utf-8")
    (tmp_path / "pages" / "calm.md").write_text("# Calm\n\nNo need to hurry: a fair deal.\n", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01hurry")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_concise_findings_and_exit_1(copy_repo: Path):
    status, out, err = invoke("check", *ONLY_TEST, "pages")
    assert status == 1
    assert out.splitlines() == [
        "pages/calm.md:1:1: TST901 2 documents mention deals: pages/calm.md, pages/sale.md",
        "pages/sale.md:7:1: TST101 'hurry' pushes the reader",
    ]
    assert "2 files" in err


def test_exit_0_when_only_below_fail_on(copy_repo: Path):
    status, out, _ = invoke("check", *ONLY_TEST, "--ignore", "TST101", "pages")
    assert status == 0 and "TST901" in out  # info is below the default fail-on (warning)
    status, _, _ = invoke("check", *ONLY_TEST, "--ignore", "TST101", "--fail-on", "info", "pages")
    assert status == 1


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "full"])
def test_every_format_reports_the_finding(copy_repo: Path, fmt: str):
    status, out, _ = invoke("check", *ONLY_TEST, "--format", fmt, "pages/sale.md")
    assert status == 1
    if fmt == "json":
        data = json.loads(out)
        assert [(f["code"], f["line"], f["column"], f["text"]) for f in data] == [("TST101", 7, 1, "Hurry")]
    elif fmt == "sarif":
        run = json.loads(out)["runs"][0]
        region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
        assert run["results"][0]["ruleId"] == "TST101" and region["startLine"] == 7
    elif fmt == "github":
        assert out.startswith("::warning file=pages/sale.md,line=7,col=1")
    else:
        assert "Hurry, the deal is here." in out and "^^^^^" in out


def test_inline_suppression(copy_repo: Path):
    page = copy_repo / "pages" / "sale.md"
    page.write_text(page.read_text().replace("Hurry,", "<!-- ethicslint-disable-next-line TST101 -->\nHurry,"))
    status, out, _ = invoke("check", *ONLY_TEST, "--ignore", "TST901", "pages")
    assert status == 0 and "TST101" not in out


def test_binary_file_named_explicitly_is_reported_not_crashed(copy_repo: Path):
    (copy_repo / "bad.md").write_bytes(b"\x00\x00\x00binary")
    status, out, _ = invoke("check", *ONLY_TEST, "bad.md")
    assert "bad.md:1:1: EL101" in out
    assert status == 1


def test_missing_path_is_a_usage_error(copy_repo: Path):
    status, _, err = invoke("check", *ONLY_TEST, "nope.md")
    assert status == 2 and "nope.md" in err and "Traceback" not in err


def test_config_error_names_key_and_file(copy_repo: Path):
    (copy_repo / ".ethicslint.toml").write_text('selekt = ["URG"]\n')
    status, _, err = invoke("check", "pages")
    assert status == 2 and "selekt" in err and ".ethicslint.toml" in err


def test_plugin_table_is_validated_and_used(copy_repo: Path):
    (copy_repo / ".ethicslint.toml").write_text('[testcheck]\nmin-documents = "two"\n')
    status, _, err = invoke("check", *ONLY_TEST, "pages")
    assert status == 2 and "min-documents" in err
    (copy_repo / ".ethicslint.toml").write_text('[testcheck]\nmin-documents = 3\n')
    status, out, _ = invoke("check", *ONLY_TEST, "pages")
    assert "TST901" not in out


def test_crashing_plugin_gives_el001_exit_3_and_other_findings(copy_repo: Path):
    status, out, _ = invoke("check", *ONLY_TEST, "--plugin", "ethicslint_crashplugin",
                            "--select", "CRS", "pages/sale.md")
    assert status == 3
    assert "EL001 plugin 'ethicslint_crashplugin' raised in ethicslint_check_document: " \
           "ValueError: the plugin fell over" in out
    assert "TST101" in out


def test_hanging_plugin_is_stopped_with_el003_exit_3_and_other_findings(copy_repo: Path):
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n")
    started = time.monotonic()
    status, out, _ = invoke("check", *ONLY_TEST, "--plugin", "ethicslint_hangplugin", "--select", "HNG",
                            "--no-cache", "pages/sale.md", "pages/calm.md")
    assert time.monotonic() - started < 30
    assert status == 3
    stopped = [line for line in out.splitlines() if "EL003" in line]
    assert len(stopped) == 2 and all("plugin 'ethicslint_hangplugin' was stopped after 0.5 s" in line
                                     for line in stopped)
    assert "TST101" in out  # the other plugin's findings are all there


@pytest.mark.parametrize("value", ["-1", "\"soon\"", "true"])
def test_plugin_time_limit_must_be_seconds(copy_repo: Path, value: str):
    (copy_repo / ".ethicslint.toml").write_text(f"plugin-time-limit = {value}\n")
    status, _, err = invoke("check", *ONLY_TEST, "pages")
    assert status == 2 and "plugin-time-limit" in err


def test_stdin(copy_repo: Path):
    result = CliRunner().invoke(main, ["check", *ONLY_TEST, "--stdin-filename", "x.md", "-"],
                                input="# Title\n\nPlease hurry.\n")
    assert result.exit_code == 1
    assert result.stdout.strip() == "x.md:3:8: TST101 'hurry' pushes the reader"


def test_cache_serves_unchanged_files_and_sees_changes(copy_repo: Path):
    first = invoke("check", *ONLY_TEST, "--format", "json", "pages")
    assert (copy_repo / ".ethicslint_cache").is_dir()
    assert invoke("check", *ONLY_TEST, "--format", "json", "pages") == first
    page = copy_repo / "pages" / "calm.md"
    page.write_text(page.read_text() + "\nHurry up.\n")
    status, out, _ = invoke("check", *ONLY_TEST, "pages")
    assert "pages/calm.md:5:1: TST101" in out


def test_rules_explain_plugins():
    status, out, _ = invoke("rules", "--plugin", "ethicslint_testplugin")
    assert status == 0 and any(line.startswith("TST101 ") for line in out.splitlines())
    status, out, _ = invoke("explain", "tst101", "--plugin", "ethicslint_testplugin")
    assert status == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## How to fix"):
        assert section in out
    status, _, err = invoke("explain", "TST999", "--plugin", "ethicslint_testplugin")
    assert status == 2 and "TST101" in err
    status, out, _ = invoke("plugins", "--plugin", "ethicslint_testplugin")
    assert "ethicslint_testplugin" in out and "2 rules" in out and "urgency" in out


def test_python_dash_m_and_parallel_jobs(copy_repo: Path):
    env = {**os.environ, "PYTHONPATH": str(PLUGIN_DIR)}
    serial = subprocess.run([sys.executable, "-m", "ethicslint", "check", *ONLY_TEST, "--no-cache", "--jobs", "1",
                             "pages"], capture_output=True, text=True, env=env)
    parallel = subprocess.run([sys.executable, "-m", "ethicslint", "check", *ONLY_TEST, "--no-cache",
                               "--jobs", "2", "pages"], capture_output=True, text=True, env=env)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout and "TST101" in serial.stdout
    assert not (copy_repo / ".ethicslint_cache").exists()


def test_console_entry_point_exits_fast_with_every_byte_and_the_status(tmp_path: Path):
    """``run`` ends the process without the interpreter's teardown: the output must still be
    complete (a large JSON report through a pipe parses) and the exit status kept."""
    examples = Path(__file__).parent.parent / "examples"
    proc = subprocess.run([sys.executable, "-m", "ethicslint", "check", str(examples), "--format", "json",
                           "--no-cache"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)
    assert len(findings) > 20 and proc.stdout.endswith("\n")
    usage = subprocess.run([sys.executable, "-m", "ethicslint", "check", str(tmp_path / "missing")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert usage.returncode == 2 and "no such file or directory" in usage.stderr
    clean = tmp_path / "clean.md"
    clean.write_text("# Hello\n\nWe make sturdy linen shirts.\n", encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "ethicslint", "check", str(clean), "--no-cache"],
                        capture_output=True, text=True, cwd=tmp_path)
    assert (ok.returncode, ok.stdout, ok.stderr.strip()) == (0, "", "No findings in 1 file")
