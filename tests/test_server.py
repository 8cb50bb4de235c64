"""The warm server: a check it serves prints and exits exactly as a local one; without a server,
with a stale socket or an unsafe directory, `check` runs locally; the server stops when asked."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicslint import server

pytestmark = pytest.mark.skipif(not server.supported(), reason="needs Unix sockets with fd passing and fork")

EXAMPLES = Path(__file__).parent.parent / "examples"


def _ethicslint(env: dict[str, str], *args: str, stdin: str | None = None, cwd: Path | None = None,
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ethicslint", *args], capture_output=True, text=True, env=env,
                          input=stdin, cwd=cwd, timeout=300)


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A started server in a private runtime directory; stopped (or killed) afterwards."""
    env = {**os.environ, server.RUNTIME_DIR_ENV: str(tmp_path / "run")}
    started = _ethicslint(env, "server", "start", "--idle-timeout", "120")
    assert started.returncode == 0, started.stderr
    assert "server started" in started.stdout
    yield env
    stopped = _ethicslint(env, "server", "stop")
    if "stopped" not in stopped.stdout:  # pragma: no cover - a failed test left it hanging
        subprocess.run(["pkill", "-f", str(tmp_path / "run")], check=False)


def test_a_served_check_prints_and_exits_as_a_local_one(warm: dict[str, str], tmp_path: Path):
    local = _ethicslint(warm, "check", str(EXAMPLES), "--format", "json", "--no-cache", "--no-server")
    served = _ethicslint(warm, "check", str(EXAMPLES), "--format", "json", "--no-cache")
    assert local.returncode == served.returncode == 1
    assert json.loads(served.stdout) and served.stdout == local.stdout
    # standard input, the working directory and a usage error travel too
    text = "Hurry, only 2 left!\n"
    local = _ethicslint(warm, "check", "-", "--stdin-filename", "x.md", "--no-server", stdin=text, cwd=tmp_path)
    served = _ethicslint(warm, "check", "-", "--stdin-filename", "x.md", stdin=text, cwd=tmp_path)
    assert (served.returncode, served.stdout) == (local.returncode, local.stdout) and "URG201" in served.stdout
    missing = _ethicslint(warm, "check", "no-such-dir", cwd=tmp_path)
    assert missing.returncode == 2 and "no-such-dir" in missing.stderr
    status = _ethicslint(warm, "server", "status")
    assert status.returncode == 0 and "3 runs served" in status.stdout


def test_the_server_stops_when_asked_and_check_then_runs_locally(warm: dict[str, str]):
    path = Path(warm[server.RUNTIME_DIR_ENV])
    assert list(path.glob("server-*.sock"))
    assert "stopped" in _ethicslint(warm, "server", "stop").stdout
    status = _ethicslint(warm, "server", "status")
    assert status.returncode == 1 and "no ethicslint server" in status.stdout
    assert not list(path.glob("server-*.sock"))
    local = _ethicslint(warm, "check", str(EXAMPLES / "urgency"), "--no-cache", "-q")
    assert local.returncode == 1 and "URG" in local.stdout


def test_without_a_live_server_check_is_not_forwarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runtime = tmp_path / "run"
    monkeypatch.setenv(server.RUNTIME_DIR_ENV, str(runtime))
    assert server.forward(["check", "."]) is None  # no directory at all
    runtime.mkdir(mode=0o700)
    path = server.socket_path()
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # a socket file nobody listens on: a server that died
    dead.close()
    assert path.exists() and server.forward(["check", "."]) is None
    assert server.forward(["explain", "URG101"]) is None  # only check runs are forwarded
    assert server.forward(["check", ".", "--no-server"]) is None


def test_a_directory_others_can_enter_is_refused(tmp_path: Path):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o755)
    os.chmod(runtime, 0o755)
    env = {**os.environ, server.RUNTIME_DIR_ENV: str(runtime)}
    assert not server._private(runtime, create=False)
    started = _ethicslint(env, "server", "start")
    assert started.returncode == 2 and "only you can use" in started.stderr
    assert not list(runtime.glob("server-*.sock"))


def test_auto_mode_starts_a_server_that_serves_the_next_runs(tmp_path: Path):
    env = {**os.environ, server.RUNTIME_DIR_ENV: str(tmp_path / "run"), server.AUTO_ENV: "auto"}
    target = str(EXAMPLES / "urgency")
    try:
        first = _ethicslint(env, "check", target, "--no-cache", "-q")  # cold; starts the server
        assert first.returncode == 1 and "URG" in first.stdout
        deadline = time.monotonic() + 120
        while _ethicslint(env, "server", "status").returncode != 0:
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.2)
        second = _ethicslint(env, "check", target, "--no-cache", "-q")
        assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
        assert "1 runs served" in _ethicslint(env, "server", "status").stdout
        assert len(list((tmp_path / "run").glob("server-*.sock"))) == 1
    finally:
        _ethicslint(env, "server", "stop")


def test_servers_of_other_versions_are_reported_and_stopped_with_all(warm: dict[str, str]):
    runtime = Path(warm[server.RUNTIME_DIR_ENV])
    old = runtime / "server-0123456789abcdef0123.sock"  # as left by an older version
    process = subprocess.Popen([sys.executable, "-m", "ethicslint", "server", "run", "--socket", str(old),
                                "--idle-timeout", "120"], env=warm, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while server.request({"status": True}, old) is None:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        status = _ethicslint(warm, "server", "status")
        assert status.returncode == 0 and "1 server(s) of other installations" in status.stdout
        stopped = _ethicslint(warm, "server", "stop", "--all")
        assert "ethicslint server stopped" in stopped.stdout and "stopped 1 server(s)" in stopped.stdout
        assert process.wait(timeout=30) == 0 and not old.exists()
    finally:
        if process.poll() is None:
            process.kill()
