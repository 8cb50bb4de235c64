"""The warm server: a check it serves prints and exits exactly as a local one; without a server,
with a stale socket or an unsafe directory, `check` runs locally; the server stops when asked."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import stat
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ethicslint import server

pytestmark = pytest.mark.skipif(not server.supported(), reason="needs Unix sockets with fd passing and fork")

EXAMPLES = Path(__file__).parent.parent / "examples"
PLUGINS = Path(__file__).parent / "plugins"


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


def test_a_private_directory_in_a_parent_others_can_write_is_refused(tmp_path: Path):
    """Whoever can write the parent can rename the directory and put their own in its place."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    assert not server._private(shared / "run", create=True)
    os.chmod(shared, 0o777 | stat.S_ISVTX)  # as /tmp: others may write, not rename what is ours
    assert server._private(shared / "run", create=False)


def test_the_runtime_directory_follows_the_platform_unless_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(server.RUNTIME_DIR_ENV, str(tmp_path / "mine"))
    assert server.runtime_dir() == tmp_path / "mine"
    monkeypatch.delenv(server.RUNTIME_DIR_ENV)
    xdg = tmp_path / "xdg"
    xdg.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(xdg))
    if sys.platform.startswith("linux"):
        assert server.runtime_dir() == xdg / "ethicslint"
    os.chmod(xdg, 0o755)  # not private: not used (platformdirs falls back, without a warning on stderr)
    assert not str(server.runtime_dir()).startswith(str(xdg))


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


# --- a served run is the client's own run ----------------------------------------------------

def _with_plugins(env: dict[str, str], pids: Path) -> dict[str, str]:
    """The environment for a check that loads the test plugins, which tell (in ``pids``) which
    process ran them."""
    pids.mkdir()
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(PLUGINS), env.get("PYTHONPATH")])),
            "ETHICSLINT_TEST_PIDS": str(pids)}


def _check(env: dict[str, str], cwd: Path, *args: str,
           preexec: Callable[[], None] | None = None) -> tuple[int, str]:
    """(status, stdout) of ``ethicslint check ARGS``."""
    process = subprocess.Popen([sys.executable, "-m", "ethicslint", "check", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=cwd, preexec_fn=preexec)
    out, _ = process.communicate(timeout=300)
    return process.returncode, out


def _ran_here(pids: Path) -> bool:
    """Whether the test plugin ran in this process group (the client's own), not in a server's."""
    return {int(path.read_text().split()[2]) for path in pids.iterdir()} == {os.getpgid(0)}


def _client_settings() -> None:
    """A client with settings of its own (run between fork and exec)."""
    os.umask(0o027)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 300), hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    os.nice(3)


def test_a_served_run_has_the_clients_umask_limits_and_priority(warm: dict[str, str], tmp_path: Path):
    (tmp_path / "page.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
    args = ("--plugin", "ethicslint_procinfo", "--select", "PRC", "--no-cache", "page.md")
    local_env, served_env = _with_plugins(warm, tmp_path / "local"), _with_plugins(warm, tmp_path / "served")
    local = _check(local_env, tmp_path, *args, "--no-server", preexec=_client_settings)
    served = _check(served_env, tmp_path, *args, preexec=_client_settings)
    assert local[0] == served[0] == 0
    assert "umask=27 " in local[1] and "nice=3 " in local[1] and "'RLIMIT_CORE': (0," in local[1]
    assert served[1] == local[1]
    assert _ran_here(tmp_path / "local") and not _ran_here(tmp_path / "served")  # the server ran it


def test_a_server_that_cannot_be_the_client_declines_and_the_client_runs_itself(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv(server.RUNTIME_DIR_ENV, str(runtime))
    env = {**os.environ}
    path = server.socket_path()
    if os.getuid() == 0:  # root may take any priority or limit: other groups are what it cannot share
        other = {"extra_groups": [*os.getgroups(), 4242]}
    else:  # a server at a lower priority cannot give its runs the client's higher one
        other = {"preexec_fn": lambda: os.nice(5)}
    process = subprocess.Popen([sys.executable, "-m", "ethicslint", "server", "run", "--socket", str(path),
                                "--idle-timeout", "120"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, **other)
    try:
        deadline = time.monotonic() + 120
        while server.request({"status": True}, path) is None:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        (tmp_path / "page.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
        args = ("--plugin", "ethicslint_procinfo", "--select", "PRC", "--no-cache", "page.md")
        status, out = _check(_with_plugins(env, tmp_path / "pids"), tmp_path, *args)
        local = _check(_with_plugins(env, tmp_path / "local"), tmp_path, *args, "--no-server")
        assert status == local[0] == 0 and out == local[1] and "PRC101" in out
        assert _ran_here(tmp_path / "pids")  # in the client, not in the server
        # the server counts a run when it forks it, and uncounts a declined one when it reaps the
        # child that declined: the client may ask before that child has ended
        deadline = time.monotonic() + 30
        while (served := server.request({"status": True}, path)["served"]) != 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert served == 0
        assert server.request({"stop": True}, path) is not None
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_an_idle_or_slow_client_holds_up_no_one(warm: dict[str, str]):
    [path] = Path(warm[server.RUNTIME_DIR_ENV]).glob("server-*.sock")
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    idle.connect(str(path))  # and says nothing
    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    slow.connect(str(path))
    slow.sendall(struct.pack("!I", 100) + b'{"argv": ')  # a request that never ends
    with idle, slow:
        served = _ethicslint(warm, "check", str(EXAMPLES / "urgency"), "--no-cache", "-q")
        assert served.returncode == 1 and "URG" in served.stdout
        status = _ethicslint(warm, "server", "status")
        assert status.returncode == 0 and "1 runs served" in status.stdout
        for sock in (idle, slow):  # dropped once their time is up
            sock.settimeout(120)
            assert sock.recv(1) == b""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_client_killed_by_a_signal_stops_its_run(warm: dict[str, str], tmp_path: Path, signum: int,
                                                   signalled_run: Callable[..., list[int]]):
    (tmp_path / "page.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
    (tmp_path / ".ethicslint.toml").write_text("plugin-time-limit = 0\n", encoding="utf-8")  # never stopped
    env = _with_plugins(warm, tmp_path / "pids")
    client = subprocess.Popen([sys.executable, "-m", "ethicslint", "check", "--plugin", "ethicslint_pidhang",
                               "--select", "PID", "--no-cache", "page.md"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def plugin_and_parent(records: list[Path]) -> list[int]:
        [record] = records  # one run: the server's child (and its worker)
        return [int(pid) for pid in record.read_text().split()]

    assert signalled_run(client, tmp_path / "pids", 1, signum, plugin_and_parent) == []


@pytest.mark.parametrize(("name", "message"), [
    ("stuck_in_c_in_rules", "ethicslint: error: plugin 'ethicslint_misbehaving.stuck_in_c_in_rules' was stopped "
                            "after 0.5 s in ethicslint_rules (plugin-time-limit), in code that only ending the run "
                            "could stop"),
    ("ends_process_in_rules", "ethicslint: error: plugin 'ethicslint_misbehaving.ends_process_in_rules' ended the "
                              "process in ethicslint_rules (exit status 0); the run stopped there"),
])
def test_the_server_stops_a_run_whose_plugin_hangs_in_c_or_ends_it_while_loading(warm: dict[str, str], tmp_path: Path,
                                                                                name: str, message: str):
    """Loading happens in the served run's own process: the server, which forked it, names the
    plugin (the C call would run for about half an hour: the suite's timeout)."""
    (tmp_path / "page.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
    (tmp_path / ".ethicslint.toml").write_text("plugin-time-limit = 0.5\n", encoding="utf-8")
    env = _with_plugins(warm, tmp_path / "pids")
    run = _ethicslint(env, "check", "--plugin", f"ethicslint_misbehaving.{name}", "--no-cache", "page.md",
                      cwd=tmp_path)
    assert run.returncode == 3 and message in run.stderr.splitlines(), run.stderr
    status = _ethicslint(warm, "server", "status")
    assert "1 runs served" in status.stdout  # the server's run, not a local one
