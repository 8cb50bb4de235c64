"""``ethicslint mcp`` end to end: a real ``ethicslint mcp`` subprocess, driven over stdio by the
official SDK's own client (``mcp.Client``), its results compared with ``ethicslint check
--format json``, ``ethicslint explain`` and ``ethicslint rules --format json`` on the same input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

mcp = pytest.importorskip("mcp")
from mcp.client.stdio import StdioServerParameters  # noqa: E402

from ethicslint.mcp_server import MAX_TEXT_CHARS  # noqa: E402

TESTS = Path(__file__).parent
CONFIG = 'ignore = ["URG103"]\n'  # found from the server's working directory, as the CLI finds it

ENGLISH = "Hurry, only 2 left!\nOur café is rated #1 by 9 out of 10 customers. 🎉 Offer ends soon.\n"
FRENCH = "Dépêchez-vous, plus que 2 en stock ! Offre valable jusqu'à épuisement des stocks.\n"
MARKDOWN = "# Big sale\n\n**Hurry**, only 3 left! Prices are *100% green* and 9 out of 10 buyers agree.\n"
HTML = "<html><body><p>Only 2 left in stock, order now before it's gone!</p></body></html>\n"


def _env() -> dict[str, str]:
    """What the server needs of this environment (the SDK passes only a few variables on)."""
    keep = ("ETHICSLINT_RUNTIME_DIR", "HOME", "LANG", "LC_ALL", "TMPDIR", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS / "plugins"), os.environ.get("PYTHONPATH")]))
    return env


class Session:
    """A client connected to one ``ethicslint mcp`` subprocess, called from synchronous tests."""

    def __init__(self, portal: BlockingPortal, client: Any) -> None:
        self.portal, self.client = portal, client

    def call(self, name: str, arguments: dict[str, Any]) -> Any:
        return self.portal.call(self.client.call_tool, name, arguments)

    def tools(self) -> Any:
        return self.portal.call(self.client.list_tools)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp-project")
    (path / ".ethicslint.toml").write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(workdir: Path) -> Iterator[Session]:
    from mcp import Client

    params = StdioServerParameters(command=sys.executable, args=["-m", "ethicslint", "mcp"], cwd=str(workdir),
                                   env=_env())
    with start_blocking_portal() as portal:
        client = portal.call(Client, params)
        with portal.wrap_async_context_manager(client) as connected:
            yield Session(portal, connected)


def cli_json(workdir: Path, *args: str) -> Any:
    """``ethicslint ARGS`` run in ``workdir`` (so it finds the same config), its JSON output."""
    result = subprocess.run([sys.executable, "-m", "ethicslint", *args], cwd=workdir, capture_output=True,
                            text=True, env={**os.environ, **_env()}, timeout=600)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def cli_findings(workdir: Path, name: str, text: str, *options: str) -> list[dict[str, Any]]:
    (workdir / name).write_text(text, encoding="utf-8")
    return cli_json(workdir, "check", "--format", "json", "--no-cache", "--no-server", *options, name)


def where(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["severity"], f["message"],
             f["suggestion"], f["text"]) for f in findings]


def test_lists_the_three_tools_with_descriptions_and_output_schemas(server: Session):
    tools = {tool.name: tool for tool in server.tools().tools}
    assert set(tools) == {"check_copy", "explain_rule", "list_rules"}
    assert "before showing it to the user" in tools["check_copy"].description
    assert set(tools["check_copy"].input_schema["properties"]) == {"text", "language", "kind", "format", "metadata"}
    assert tools["check_copy"].input_schema["required"] == ["text"]
    for tool in tools.values():
        assert tool.output_schema is not None and tool.annotations.read_only_hint


@pytest.mark.parametrize(("text", "arguments", "name", "options"), [
    (ENGLISH, {}, "copy.txt", ()),
    (FRENCH, {"language": "fr"}, "copie.txt", ("--language", "fr")),
    (MARKDOWN, {"format": "markdown"}, "sale.md", ()),
    (HTML, {"format": "html"}, "sale.html", ()),
], ids=["english", "french", "markdown", "html"])
def test_check_copy_gives_the_findings_of_ethicslint_check(server: Session, workdir: Path, text: str,
                                                           arguments: dict[str, Any], name: str,
                                                           options: tuple[str, ...]):
    result = server.call("check_copy", {"text": text, **arguments})
    expected = cli_findings(workdir, name, text, *options)
    assert not result.is_error
    assert expected, "the sample must give findings for the comparison to mean something"
    assert where(result.structured_content["findings"]) == where(expected)
    assert result.structured_content["config"] == str(workdir / ".ethicslint.toml")
    assert "URG103" not in {f["code"] for f in result.structured_content["findings"]}  # the config's ignore
    summary = result.content[0].text
    assert summary.splitlines()[0] == result.structured_content["summary"]
    assert all(f["code"] in summary for f in expected)


def test_findings_carry_offsets_into_the_text_and_the_rules_why(server: Session):
    text = "\ufeffNothing to see.\r\nOur café 🎉 is rated #1.\rHurry, only 2 left!\n"
    findings = server.call("check_copy", {"text": text}).structured_content["findings"]
    assert {f["line"] for f in findings} >= {2, 3}
    for finding in findings:
        assert text[finding["offset"]:finding["end_offset"]] == finding["text"]
        why = server.call("explain_rule", {"code": finding["code"]}).structured_content["why"]
        assert finding["why"] == why and why


def test_kind_and_metadata_decide_which_rules_apply(server: Session):
    text = "Offer ends soon, order today."
    promotional = {f["code"] for f in server.call("check_copy", {"text": text, "kind": "promotional"})
                   .structured_content["findings"]}
    transactional = {f["code"] for f in server.call("check_copy", {"text": text, "kind": "transactional"})
                     .structured_content["findings"]}
    assert "URG101" in promotional and "URG101" not in transactional  # vague deadlines: promotional copy
    draft = "# Our new range\n\nDiscover the collection our team designed for you this spring.\n"
    plain = server.call("check_copy", {"text": draft, "format": "md"}).structured_content["findings"]
    disclosed = server.call("check_copy", {"text": draft, "format": "md", "metadata": {"ai_generated": True}})
    added = {f["code"] for f in disclosed.structured_content["findings"]} - {f["code"] for f in plain}
    assert added and all(code.startswith("AID") for code in added)


def test_explain_rule_is_ethicslint_explain(server: Session, workdir: Path):
    expected = subprocess.run([sys.executable, "-m", "ethicslint", "explain", "URG201"], cwd=workdir,
                              capture_output=True, text=True, env={**os.environ, **_env()}, timeout=600)
    result = server.call("explain_rule", {"code": "urg201"})
    assert not result.is_error
    assert result.content[0].text + "\n" == expected.stdout  # click.echo adds the last line break
    assert result.structured_content["markdown"] == result.content[0].text
    assert result.structured_content["code"] == "URG201" and result.structured_content["checker"] == "urgency"


def test_list_rules_is_ethicslint_rules(server: Session, workdir: Path):
    expected = cli_json(workdir, "rules", "--format", "json")
    every = server.call("list_rules", {}).structured_content["rules"]
    assert every == expected
    urgency = server.call("list_rules", {"checker": "urgency"}).structured_content["rules"]
    assert urgency == [rule for rule in expected if rule["checker"] == "urgency"] and urgency


@pytest.mark.parametrize(("tool", "arguments", "message"), [
    ("check_copy", {"text": ""}, "text is empty"),
    ("check_copy", {"text": " \n\t "}, "text is empty"),
    ("check_copy", {"text": "Hurry!", "language": "de"}, "unknown language 'de'"),
    ("check_copy", {"text": "Hurry!", "kind": "spam"}, "unknown kind 'spam'"),
    ("check_copy", {"text": "Hurry!", "format": "docx"}, "unknown format 'docx'"),
    ("check_copy", {"text": "Hurry! " * (MAX_TEXT_CHARS // 7 + 1)}, "over the limit of"),
    ("check_copy", {"text": "Hurry!", "metadata": "ai"}, "metadata"),
    ("check_copy", {"language": "en"}, "text"),
    ("explain_rule", {"code": "URG999"}, "unknown rule code 'URG999' (rules with that prefix: URG101"),
    ("explain_rule", {"code": "nope"}, "unknown rule code 'nope' (see `ethicslint rules`)"),
    ("list_rules", {"checker": "spelling"}, "unknown checker 'spelling': expected one of ai-disclosure"),
    ("no_such_tool", {}, "no_such_tool"),
], ids=["empty", "blank", "language", "kind", "format", "too-long", "metadata", "no-text",
        "code", "bad-code", "checker", "tool"])
def test_bad_input_is_a_tool_error_and_the_server_goes_on(server: Session, tool: str,
                                                          arguments: dict[str, Any], message: str):
    result = server.call(tool, arguments)
    assert result.is_error
    assert message in result.content[0].text
    after = server.call("check_copy", {"text": "Hurry, only 2 left!"})
    assert not after.is_error and after.structured_content["findings"]


def _raw_session(args: list[str], cwd: Path, calls: list[dict[str, Any]]) -> tuple[list[str], str, int]:
    """``ethicslint ARGS`` spoken to in raw JSON-RPC lines: the calls are sent one after the other,
    then stdout is read up to the answer to the last one; returns every line written on stdout,
    stderr and the exit status. A watchdog ends it after 5 minutes, so a broken server fails the
    test rather than hanging it."""
    process = subprocess.Popen([sys.executable, "-m", "ethicslint", *args], cwd=cwd, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **_env()})
    watchdog = threading.Timer(300, process.kill)
    watchdog.start()
    try:
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        messages = [{"jsonrpc": "2.0", "id": 0, "method": "initialize",
                     "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                "clientInfo": {"name": "raw", "version": "1"}}},
                    {"jsonrpc": "2.0", "method": "notifications/initialized"},
                    *({"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": call}
                      for n, call in enumerate(calls, start=1))]
        process.stdin.write("".join(json.dumps(message) + "\n" for message in messages))
        process.stdin.flush()
        lines = []
        while not lines or json.loads(lines[-1]).get("id") != len(calls):
            line = process.stdout.readline()
            assert line, f"stdout ended before the last answer; stderr: {process.stderr.read()}"
            lines.append(line)
        process.stdin.close()
        lines += process.stdout.read().splitlines(keepends=True)
        return lines, process.stderr.read(), process.wait()
    finally:
        watchdog.cancel()
        process.kill()


def test_stdout_carries_only_protocol_and_the_time_limit_applies(tmp_path: Path):
    """A plugin that prints to stdout, and one that never returns: every stdout line is a JSON-RPC
    message, the prints go to stderr, and the hanging plugin is stopped by ``plugin-time-limit``
    (EL003), since the tools run in the main thread. The config comes from ``--config``. Raw
    JSON-RPC lines, since the SDK's client cannot send a lone surrogate."""
    settings = tmp_path / "settings" / "ethicslint.toml"
    settings.parent.mkdir()
    settings.write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    lines, err, status = _raw_session(
        ["mcp", "--config", str(settings), "--plugin", "ethicslint_noisy", "--plugin", "ethicslint_hangplugin"],
        tmp_path / "project", [{"name": "check_copy", "arguments": {"text": "Some noise here."}},
                               {"name": "check_copy", "arguments": {"text": "lone \ud800 surrogate"}},
                               {"name": "check_copy", "arguments": {"text": "More noise."}}])
    messages = [json.loads(line) for line in lines]  # each line is JSON: nothing else reached stdout
    assert status == 0, err
    assert all(message["jsonrpc"] == "2.0" for message in messages)
    answers = {message["id"]: message for message in messages}
    assert answers[0]["result"]["serverInfo"]["name"] == "ethicslint"
    first = answers[1]["result"]["structuredContent"]
    assert {"NOI101", "EL003"} <= {f["code"] for f in first["findings"]}
    assert first["config"] == str(settings)
    # a lone surrogate (JSON can escape one, UTF-8 cannot encode it): not a message the SDK accepts,
    # answered with an error or not at all; the server goes on with the next call
    assert "result" not in answers.get(2, {}) or answers[2]["result"]["isError"]
    assert "NOI101" in {f["code"] for f in answers[3]["result"]["structuredContent"]["findings"]}
    assert "noisy plugin imported" in err and "noisy plugin checks a document" in err


def test_a_config_error_at_start_is_one_line_on_stderr_and_exit_2(tmp_path: Path):
    (tmp_path / ".ethicslint.toml").write_text("fail-on = \"sometimes\"\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ethicslint", "mcp"], cwd=tmp_path, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, env={**os.environ, **_env()}, timeout=600)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ethicslint: error: ") and "fail-on" in result.stderr
    assert "Traceback" not in result.stderr
