"""Isolation and safety: a plugin that misbehaves is named, the others still report, nothing crashes.

Each misbehaving plugin (``tests/plugins/ethicslint_misbehaving/``) runs next to the test plugin
(``ethicslint_testplugin``, which finds TST101 "hurry"), through the real command line. The test
runner does not catch exceptions, so a crash of ethicslint itself fails the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ethicslint_misbehaving.malformed as malformed
from ethicslint.analysis import analyze_text
from ethicslint.cli import main
from ethicslint.config import ConfigError, load_config
from ethicslint.host import Host, PluginLoadError
from ethicslint.nlp import speedups
from ethicslint.testing import check_text

PLUGIN_DIR = Path(__file__).parent / "plugins"
TEST_PLUGIN = ["--plugin", "ethicslint_testplugin", "--select", "TST,MSB,EL"]
HURRY = "page.md:3:8: TST101 'hurry' pushes the reader"


@pytest.fixture
def copy_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "page.md").write_text("# Offer\n\nPlease hurry, it is a good deal.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _env_with_test_plugins() -> dict[str, str]:
    """The environment for a real ``python -m ethicslint`` process that can import the test plugins."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def check(*plugins: str, extra: tuple[str, ...] = ()) -> tuple[int, str, str]:
    loads = [arg for name in plugins for arg in ("--plugin", f"ethicslint_misbehaving.{name}")]
    return invoke("check", *TEST_PLUGIN, *loads, "--no-cache", *extra, "page.md")


# --- a plugin that raises, in each hook -----------------------------------------------------

@pytest.mark.parametrize(("name", "hook", "error"), [
    ("raises_in_rules", "ethicslint_rules", "RuntimeError: no rules today"),
    ("raises_in_options", "ethicslint_options", "KeyError: 'options'"),
])
def test_raising_while_loading_names_plugin_and_hook_and_others_still_report(copy_repo, name, hook, error):
    status, out, err = check(name)
    assert f"ethicslint: error: plugin 'ethicslint_misbehaving.{name}' raised in {hook}" in err
    assert error in err
    assert HURRY in out.splitlines()
    assert status == 3  # the result is incomplete, and the exit status says so


def test_raising_in_check_document_is_el001_per_file(copy_repo):
    status, out, _ = check("raises_in_check_document")
    assert ("page.md:1:1: EL001 plugin 'ethicslint_misbehaving.raises_in_check_document' raised in "
            "ethicslint_check_document: ZeroDivisionError: division by zero in the checker") in out
    assert HURRY in out.splitlines() and status == 3


def test_raising_in_collect_is_el001(copy_repo):
    status, out, _ = check("raises_in_collect")
    assert ("EL001 plugin 'ethicslint_misbehaving.raises_in_collect' raised in ethicslint_collect: "
            "ValueError: cannot summarise page.md") in out
    assert HURRY in out.splitlines() and status == 3


def test_raising_in_check_corpus_is_el001(copy_repo):
    (copy_repo / "other.md").write_text("Another deal, no need to hurry.\n", encoding="utf-8")
    status, out, _ = invoke("check", *TEST_PLUGIN, "--plugin", "ethicslint_misbehaving.raises_in_check_corpus",
                            "--no-cache", "page.md", "other.md")
    assert ("EL001 plugin 'ethicslint_misbehaving.raises_in_check_corpus' raised in ethicslint_check_corpus: "
            "IndexError: corpus too small") in out
    assert HURRY in out.splitlines()
    assert "TST901 2 documents mention deals" in out  # the test plugin's own corpus rule still runs
    assert status == 3


def test_corpus_findings_must_point_into_a_file_of_the_run(copy_repo):
    (copy_repo / "second.md").write_text("# Calm\n\nNothing to see here.\n", encoding="utf-8")
    status, out, _ = invoke("check", *TEST_PLUGIN, "--plugin", "ethicslint_misbehaving.corpus_positions",
                            "--no-cache", "page.md", "second.md")
    assert status == 3
    assert "second.md:1:1: MSB801 corpus finding" in out  # valid: kept, though second.md has no other finding
    assert "line 999 is past the end of the file (4 lines)" in out  # read again to check the position
    assert "its path 'elsewhere/not-checked.md' is not a file of this run" in out
    assert out.count("MSB801") == 1 and out.count("EL002") == 2


def test_every_failing_hook_at_once(copy_repo):
    names = ["raises_in_rules", "raises_in_options", "raises_in_check_document", "raises_in_collect",
             "raises_in_check_corpus", "malformed", "slow"]
    (copy_repo / ".ethicslint.toml").write_text("[slow]\nseconds = 0.0\n", encoding="utf-8")
    status, out, err = check(*names, extra=("--format", "json"))
    findings = json.loads(out)
    assert [f["code"] for f in findings if f["checker"] == "testcheck"] == ["TST101"]
    assert "MSB601" in {f["code"] for f in findings} and "MSB701" in {f["code"] for f in findings}
    assert {"EL001", "EL002"} <= {f["code"] for f in findings}
    assert err.count("ethicslint: error:") == 2 and status == 3


def test_isolation_holds_in_worker_processes(copy_repo):
    (copy_repo / "second.md").write_text("Hurry now.\n", encoding="utf-8")
    env = _env_with_test_plugins()
    run = subprocess.run([sys.executable, "-m", "ethicslint", "check", *TEST_PLUGIN, "--plugin",
                          "ethicslint_misbehaving.raises_in_check_document", "--no-cache", "--jobs", "2",
                          "page.md", "second.md"], capture_output=True, text=True, env=env, cwd=copy_repo)
    assert run.returncode == 3, run.stderr
    assert run.stdout.count("EL001 plugin 'ethicslint_misbehaving.raises_in_check_document'") == 2
    assert HURRY in run.stdout and "second.md:1:1: TST101" in run.stdout
    assert "Traceback" not in run.stderr


def test_time_limit_holds_in_worker_processes(copy_repo):
    (copy_repo / "second.md").write_text("Hurry now.\n", encoding="utf-8")
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    env = _env_with_test_plugins()
    run = subprocess.run([sys.executable, "-m", "ethicslint", "check", *TEST_PLUGIN, "--plugin",
                          "ethicslint_hangplugin", "--no-cache", "--no-server", "--jobs", "2", "page.md", "second.md"],
                         capture_output=True, text=True, env=env, cwd=copy_repo, timeout=120)
    assert run.returncode == 3, run.stderr
    assert run.stdout.count("EL003 plugin 'ethicslint_hangplugin' was stopped after 0.5 s") == 2
    assert HURRY in run.stdout and "second.md:1:1: TST101" in run.stdout


# --- a plugin that ends its process, or never returns --------------------------------------------

def run_cli(copy_repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m ethicslint check ARGS`` as a user runs it: plugins in supervised worker
    processes. The timeout only keeps a regression from hanging the suite."""
    return subprocess.run([sys.executable, "-m", "ethicslint", "check", *TEST_PLUGIN, "--no-cache", "--no-server",
                           *args], capture_output=True, text=True, env=env or _env_with_test_plugins(),
                          cwd=copy_repo, timeout=600)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("name", "failure"), [
    ("exits", "raised in ethicslint_check_document: SystemExit: 0 at "),
    ("ends_process", "ended its process in ethicslint_check_document (exit status 0); its findings here are "
                     "missing"),
])
def test_a_plugin_that_ends_the_process_is_el001_and_every_other_finding_is_kept(copy_repo, jobs, name, failure):
    (copy_repo / "second.md").write_text("Hurry now.\n", encoding="utf-8")
    run = run_cli(copy_repo, "--plugin", f"ethicslint_misbehaving.{name}", "--jobs", jobs, "page.md", "second.md")
    assert run.returncode == 3, run.stderr
    assert HURRY in run.stdout and "second.md:1:1: TST101" in run.stdout
    for path in ("page.md", "second.md"):
        assert f"{path}:1:1: EL001 plugin 'ethicslint_misbehaving.{name}' {failure}" in run.stdout
    assert "Traceback" not in run.stderr and "2 errors" in run.stderr


def test_a_plugin_that_ends_the_process_in_the_corpus_phase_is_one_el001(copy_repo):
    run = run_cli(copy_repo, "--plugin", "ethicslint_misbehaving.ends_process_in_corpus", "page.md")
    assert run.returncode == 3, run.stderr
    assert HURRY in run.stdout
    assert run.stdout.count("EL001 plugin 'ethicslint_misbehaving.ends_process_in_corpus' ended its process in "
                            "ethicslint_check_corpus (exit status 0)") == 1


def test_sys_exit_in_a_plugin_is_el001_in_process_too(copy_repo):
    status, out, _ = check("exits")
    assert status == 3 and HURRY in out.splitlines()
    assert "EL001 plugin 'ethicslint_misbehaving.exits' raised in ethicslint_check_document: SystemExit: 0" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_call_stuck_in_c_code_is_stopped_by_its_worker_ending(copy_repo, jobs):
    """The call runs for about half an hour in one C function, where the in-process limit cannot
    reach it; the supervisor kills the worker shortly after the limit."""
    (copy_repo / "second.md").write_text("Hurry now.\n", encoding="utf-8")
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    run = run_cli(copy_repo, "--plugin", "ethicslint_misbehaving.stuck_in_c", "--jobs", jobs,
                  "page.md", "second.md")
    assert run.returncode == 3, run.stderr
    for path in ("page.md", "second.md"):
        assert (f"{path}:1:1: EL003 plugin 'ethicslint_misbehaving.stuck_in_c' was stopped after 0.5 s in "
                f"ethicslint_check_document (plugin-time-limit)") in run.stdout
    assert HURRY in run.stdout and "second.md:1:1: TST101" in run.stdout


def test_the_warm_up_before_forking_workers_runs_no_plugin_unbounded(copy_repo):
    """Enough files for the parent to warm the checkers up before it forks its workers."""
    for index in range(9):
        (copy_repo / f"more{index}.md").write_text("Hurry now.\n", encoding="utf-8")
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    run = run_cli(copy_repo, "--plugin", "ethicslint_hangplugin", "--jobs", "2", ".")
    assert run.returncode == 3, run.stderr
    assert run.stdout.count("EL003 plugin 'ethicslint_hangplugin' was stopped after 0.5 s") == 10
    assert run.stdout.count("TST101") == 10


@pytest.mark.parametrize(("name", "message"), [
    ("hangs_in_rules", "ethicslint: error: plugin 'ethicslint_misbehaving.hangs_in_rules' was stopped after 0.5 s "
                       "in ethicslint_rules (plugin-time-limit) and is not loaded"),
    ("hangs_at_import", "ethicslint: error: cannot import plugin module 'ethicslint_misbehaving.hangs_at_import': "
                        "stopped after 0.5 s (plugin-time-limit)"),
])
def test_loading_a_plugin_is_bounded_by_the_time_limit(copy_repo, name, message):
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    run = run_cli(copy_repo, "--plugin", f"ethicslint_misbehaving.{name}", "page.md")
    assert run.returncode == 3 and message in run.stderr.splitlines()
    if name == "hangs_in_rules":  # a declaration hook: the others run
        assert HURRY in run.stdout.splitlines()


@pytest.mark.parametrize(("name", "message"), [
    ("stuck_in_c_in_rules", "ethicslint: error: plugin 'ethicslint_misbehaving.stuck_in_c_in_rules' was stopped "
                            "after 0.5 s in ethicslint_rules (plugin-time-limit), in code that only ending the run "
                            "could stop"),
    ("ends_process_in_rules", "ethicslint: error: plugin 'ethicslint_misbehaving.ends_process_in_rules' ended the "
                              "process in ethicslint_rules (exit status 0); the run stopped there"),
])
def test_a_plugin_that_hangs_in_c_or_ends_the_process_while_loading_ends_the_run_with_status_3(copy_repo, name,
                                                                                               message):
    """Loading happens in the command's own process: the process that watches it names the plugin.
    (The C call would run for about half an hour: the suite's timeout.)"""
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    run = run_cli(copy_repo, "--plugin", f"ethicslint_misbehaving.{name}", "page.md")
    assert run.returncode == 3 and message in run.stderr.splitlines(), run.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_workers_of_a_killed_run_end_with_it(copy_repo, tmp_path, jobs, signum, signalled_run):
    (copy_repo / "second.md").write_text("Hurry now.\n", encoding="utf-8")
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-limit = 0\n", encoding="utf-8")  # never stopped
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**_env_with_test_plugins(), "ETHICSLINT_TEST_PIDS": str(pids)}
    run = subprocess.Popen([sys.executable, "-m", "ethicslint", "check", "--plugin", "ethicslint_pidhang",
                            "--no-cache", "--no-server", "--jobs", jobs, "page.md", "second.md"], env=env,
                           cwd=copy_repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # each worker is in the hanging plugin, and names its record by its pid
    workers = signalled_run(run, pids, int(jobs), signum, lambda records: [int(r.name) for r in records])
    assert workers == []


# --- hooks that break the contract --------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("misspelt_hook", "plugin 'ethicslint_misbehaving.misspelt_hook' implements ethicslint_check_documents, which "
                      "is not an ethicslint hook (did you mean ethicslint_check_document?)"),
    ("wraps", "plugin 'ethicslint_misbehaving.wraps' marks its ethicslint_check_document with wrapper=True, "
              "which ethicslint refuses"),
])
def test_a_hook_that_breaks_the_contract_stops_the_run_as_a_usage_error(copy_repo, name, message):
    status, out, err = check(name)
    assert f"ethicslint: error: {message}" in err.splitlines()[0]
    assert "Traceback" not in err and out == ""
    assert status == 2


# --- malformed output -------------------------------------------------------------------------

EXPECTED_PROBLEMS = [
    "expected a Finding, got str",
    "expected a Finding, got dict",
    "severity must be a Severity, got 'warning'",
    "positions must be integers >= 1, got (0, 1, 1, 2)",
    "positions must be integers >= 1, got (1.5, 1, 1, 2)",
    "line 999 is past the end of the file",
    "column 500 is past the end of line 1",
    "the end 1:2 is before the start 2:1",
    "code 'URG101' is not one of its declared rules",
    "code must be a string, got list ['MSB601']",
    "its path 'somewhere/else.md' is not the document being checked",
    "suggestion must be a string or None, got int",
    "the message is empty",
]


def test_malformed_findings_are_dropped_each_with_its_reason():
    host = Host()
    host.load(entry_points=False, modules=["ethicslint_testplugin"])
    host.register("malformed", malformed, "1", "test")
    outcome = host.check_document(analyze_text("Please hurry.\nSecond line.", path="page.md"),
                                  {"testcheck": {"min-documents": 2}})
    assert [f.message for f in outcome.findings if f.code == "MSB601"] == ["the good one"]
    assert [f.code for f in outcome.findings if f.checker == "testcheck"] == ["TST101"]
    problems = [f.message for f in outcome.findings if f.code == "EL002"]
    assert len(problems) == len(EXPECTED_PROBLEMS)
    for expected, message in zip(EXPECTED_PROBLEMS, problems):
        assert message.startswith("plugin 'malformed' returned an invalid finding: ")
        assert expected in message
    assert set(outcome.errors) == {"malformed"}


def test_the_testing_helper_reports_malformed_findings_as_a_run_does(copy_repo):
    _, out, _ = check("malformed", extra=("--format", "json"))
    in_run = sorted(f["message"] for f in json.loads(out) if f["code"] == "EL002")
    text = (copy_repo / "page.md").read_text(encoding="utf-8")
    in_test = sorted(f.message for f in check_text(malformed, text, fmt="markdown", path="page.md") if f.code == "EL002")
    assert len(in_run) == 13 and in_test == in_run


def test_malformed_findings_through_the_cli_in_every_format(copy_repo):
    for fmt in ("concise", "full", "json", "sarif", "github"):
        status, out, _ = check("malformed", extra=("--format", fmt))
        assert status == 3, fmt
        assert "hurry" in out.lower() and "EL002" in out and "the good one" in out, fmt


# --- code collisions --------------------------------------------------------------------------

def test_same_code_is_a_load_error_naming_both_plugins(copy_repo):
    status, out, err = check("same_code")
    assert status == 3 and out == ""
    assert ("rule code TST101 is declared by both plugin 'ethicslint_testplugin' and plugin "
            "'ethicslint_misbehaving.same_code'") in err
    assert "--disable-plugin" in err and "Traceback" not in err


def test_same_code_resolved_by_disabling_one(copy_repo):
    status, out, _ = check("same_code", extra=("--disable-plugin", "ethicslint_misbehaving.same_code"))
    assert status == 1 and out.splitlines() == [HURRY]


def test_shared_prefix_is_a_warning_naming_both_and_both_report(copy_repo):
    status, out, err = check("same_prefix")
    assert ("ethicslint: warning: plugin 'ethicslint_misbehaving.same_prefix' uses the code prefix TST, "
            "which plugin 'ethicslint_testplugin' uses too") in err
    assert HURRY in out.splitlines() and "page.md:1:3: TST555 a finding of the prefix-sharing plugin" in out
    assert status == 1


def test_reserved_host_prefix_is_refused():
    from ethicslint import Rule, Severity, hookimpl

    class HostPrefix:
        @hookimpl
        def ethicslint_rules(self):
            return [Rule(code="EL900", name="x", checker="x", severity=Severity.INFO, summary="x", why="x")]

    with pytest.raises(PluginLoadError, match="reserved prefix EL"):
        Host().register("host-prefix", HostPrefix(), "1", "test")


def test_incompatible_plugin_api_is_refused_with_both_versions(copy_repo):
    status, out, err = check("wrong_api")
    assert status == 3 and out == ""
    assert ("ethicslint: error: plugin 'ethicslint_misbehaving.wrong_api' was written for plugin API 2, but this "
            "ethicslint provides 1.0; upgrade the plugin or ethicslint") in err


def test_options_that_are_not_options_are_refused_at_load(copy_repo):
    status, out, err = check("bad_options")
    assert ("plugin 'ethicslint_misbehaving.bad_options' is not loaded: ethicslint_options() must return "
            "Option objects, got str") in err
    assert HURRY in out.splitlines() and status == 3


# --- a slow plugin ----------------------------------------------------------------------------

def test_slow_plugin_is_named_with_its_time_and_its_findings_kept(copy_repo):
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-budget = 0.05\n\n[slow]\nseconds = 0.2\n",
                                                encoding="utf-8")
    status, out, err = check("slow")
    assert HURRY in out.splitlines() and "page.md:1:3: MSB701 found, slowly" in out
    warning = [line for line in err.splitlines() if "'ethicslint_misbehaving.slow' is slow" in line]
    assert len(warning) == 1
    assert warning[0].startswith("ethicslint: warning: plugin 'ethicslint_misbehaving.slow' is slow: it took "
                                 "more than 0.05 s on 1 file (slowest: page.md, 0.2")
    assert "--disable-plugin ethicslint_misbehaving.slow" in warning[0]
    assert status == 1  # slowness is not a failure of the copy: findings decide the exit status


def test_plugin_within_budget_is_not_named(copy_repo):
    (copy_repo / ".ethicslint.toml").write_text("[slow]\nseconds = 0.0\n", encoding="utf-8")
    status, _, err = check("slow")
    assert "is slow" not in err and status == 1


def test_slow_plugin_served_from_the_cache_is_not_named_again(copy_repo):
    (copy_repo / ".ethicslint.toml").write_text("plugin-time-budget = 0.05\n\n[slow]\nseconds = 0.2\n",
                                                encoding="utf-8")
    loads = ["--plugin", "ethicslint_misbehaving.slow"]
    _, first_out, first_err = invoke("check", *TEST_PLUGIN, *loads, "page.md")
    _, second_out, second_err = invoke("check", *TEST_PLUGIN, *loads, "page.md")
    assert "'ethicslint_misbehaving.slow' is slow" in first_err and "is slow" not in second_err
    assert first_out == second_out


def test_the_first_run_after_an_install_names_no_plugin_for_the_shared_model_set_up(tmp_path: Path):
    """On the first run after an install, the French model's lemma tables are derived (seconds)
    when the first checker asks for a parse: that is the run's set-up, not that checker's work,
    and the checker is not named as slow for it."""
    page = tmp_path / "page.md"
    page.write_text("Vos données sont entièrement sécurisées et ne seront jamais partagées.\n", encoding="utf-8")
    env = {**os.environ, "ETHICSLINT_CACHE_HOME": str(tmp_path / "fresh-cache-home")}
    done = subprocess.run([sys.executable, "-m", "ethicslint", "check", "--no-cache", "--no-server", "--select",
                           "DAT", str(page)], capture_output=True, text=True, env=env, timeout=600)
    assert "DAT101" in done.stdout, done.stderr
    assert "is slow" not in done.stderr
    if speedups.enabled():  # stock spaCy (ETHICSLINT_NO_SPEEDUPS=1) loads the model's tables whole, derives none
        assert list((tmp_path / "fresh-cache-home").glob("model-fr_core_news_sm-*.sqlite"))  # derived in that run


@pytest.mark.parametrize("value", ["0", "-1", "'fast'", "true"])
def test_plugin_time_budget_is_validated(tmp_path, value):
    path = tmp_path / ".ethicslint.toml"
    path.write_text(f"plugin-time-budget = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'plugin-time-budget' must be a positive number"):
        load_config(path)


# --- turning a plugin off ---------------------------------------------------------------------

def test_disable_plugin_flag_turns_a_crashing_plugin_off(copy_repo):
    status, out, err = check("raises_in_check_document",
                             extra=("--disable-plugin", "ethicslint_misbehaving.raises_in_check_document"))
    assert status == 1 and out.splitlines() == [HURRY] and err.count("error") == 0


def test_config_disable_plugins_turns_a_plugin_off(copy_repo):
    (copy_repo / ".ethicslint.toml").write_text(
        'plugins = ["ethicslint_testplugin", "ethicslint_misbehaving.raises_in_rules"]\n'
        'disable-plugins = ["ethicslint_misbehaving.raises_in_rules"]\n', encoding="utf-8")
    status, out, err = invoke("check", "--select", "TST,MSB,EL", "--no-cache", "page.md")
    assert status == 1 and out.splitlines() == [HURRY] and "error" not in err


def test_config_disable_plugins_hides_an_entry_point_plugin(copy_repo):
    (copy_repo / ".ethicslint.toml").write_text('disable-plugins = ["urgency"]\n', encoding="utf-8")
    status, out, _ = invoke("plugins")
    names = [line.split()[0] for line in out.splitlines()]
    assert status == 0 and "urgency" not in names and "diversity" in names
