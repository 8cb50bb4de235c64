"""A warm ethicslint: one background process keeps spaCy, both languages' pipelines, the installed
models and every checker's compiled terms in memory, and runs ``ethicslint check`` for other
processes.

Why: a cold ``ethicslint check`` spends about a second importing spaCy and building what every
run builds alike, before it reads one file; in pre-commit that second comes back on every commit.
With ``ethicslint server start``, later ``ethicslint check`` commands of the same user, from the
same installation, hand their work to the server and print exactly what they would have printed.

How a run is served (``ethicslint check`` tries it before importing anything heavy):

1. the client finds the server's socket, named after a :func:`fingerprint` of this installation
   (Python, ethicslint, every installed checker's files, spaCy and the models): a server started
   before an upgrade or an edited term list is simply not found, and idles out;
2. it connects through a Unix socket in a directory only its user can enter, and passes its
   arguments, working directory, environment and ``sys.path``, its umask, resource limits,
   priority, groups and stream encodings, and its own standard input, output and error (the file
   descriptors themselves);
3. the server forks a child, a copy of its warm state; the child takes the client's streams,
   directory, environment, umask, limits and priority and runs the command as the client would
   have (config files are read afresh, the result cache is the same), then sends back the exit
   status. A child that cannot be the client's exact copy (a limit above its own hard limit, a
   higher priority, other groups) declines, and the client runs the command itself;
4. anything unexpected on the way (no server, a stale socket, another user's directory, a server
   that stops answering) and the client runs the command itself.

The server reads each connection's request without blocking, with a deadline
(:data:`REQUEST_SECONDS`), alongside the others: a client that connects and says nothing delays
no one. It watches each run's client: when the client goes away (killed by a signal, its
terminal closed), its run is killed, workers included (the child leads a process group of its own).

The server exits after ``--idle-timeout`` seconds without a run (30 minutes by default) or on
``ethicslint server stop``. It needs Unix sockets with descriptor passing and ``fork`` (Linux,
macOS); elsewhere ``ethicslint check`` always runs in its own process.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .dirs import RUNTIME_DIR_ENV, runtime_dir

AUTO_ENV = "ETHICSLINT_SERVER"  # "auto": a check that finds no server starts one for the next runs
DEFAULT_IDLE_TIMEOUT = 30 * 60
REQUEST_SECONDS = 10.0  # a client that has not sent its whole request by then is dropped
_MAX_PENDING = 64  # requests being read at once; beyond that the oldest is dropped
_MAX_MESSAGE = 1 << 20
_DECLINED = 75  # a child's exit status when it declined its run
_PROTOCOL = 2


def supported() -> bool:
    """Unix sockets that carry file descriptors, and fork."""
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")


# --- where the server is ----------------------------------------------------------------------

def _private(directory: Path, create: bool) -> bool:
    """Whether ``directory`` is a real directory of this user that no one else may enter (created
    so when asked), in a parent no one else may rename it in: anyone who can write there could
    pose as the server."""
    try:
        if create:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(directory)
        parent = os.stat(directory.parent)
    except OSError:
        return False
    uid = os.getuid()
    mine = stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077
    # the parent: ours or root's, and writable by others only with the sticky bit (as /tmp is)
    safe_parent = parent.st_uid in (0, uid) and (not parent.st_mode & 0o022 or bool(parent.st_mode & stat.S_ISVTX))
    return mine and safe_parent


def fingerprint() -> str:
    """What a server must share with a client to answer for it: the Python interpreter, ethicslint
    and the files of every installed checker (entry points, found without importing them), spaCy
    and the models (see :mod:`ethicslint.cache`, whose result keys use the same parts)."""
    import importlib.util
    from importlib.metadata import entry_points

    from .cache import _source_files, nlp_fingerprint

    parts = [sys.executable, sys.version, f"ethicslint={__version__}", f"protocol={_PROTOCOL}",
             *_source_files(str(Path(__file__).parent / "__init__.py")), *nlp_fingerprint()]
    for entry in sorted(entry_points(group="ethicslint"), key=lambda e: (e.name, e.value)):
        parts.append(f"{entry.name}={entry.value}")
        top = entry.value.split(":")[0].split(".")[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        parts.extend(_source_files(spec.origin if spec is not None else None))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def socket_path() -> Path:
    return runtime_dir() / f"server-{fingerprint()}.sock"


# --- messages: a 4-byte length, then JSON --------------------------------------------------

def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    frame = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(sock, [frame], fds)
    else:
        sock.sendall(frame)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def _receive(sock: socket.socket, with_fds: int = 0) -> tuple[dict[str, Any], list[int]]:
    fds: list[int] = []
    if with_fds:
        head, fds, _, _ = socket.recv_fds(sock, 4, with_fds)
        if not head:
            raise ConnectionError("connection closed")
        head += _receive_exactly(sock, 4 - len(head))
    else:
        head = _receive_exactly(sock, 4)
    (size,) = struct.unpack("!I", head)
    if size > _MAX_MESSAGE:
        raise ConnectionError("message too large")
    return json.loads(_receive_exactly(sock, size)), fds


# --- the client side --------------------------------------------------------------------------

def _connect(path: Path, timeout: float = 2.0) -> socket.socket | None:
    if not supported() or not _private(path.parent, create=False):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:  # no server, or a socket file left by one that died
        sock.close()
        return None
    return sock


def forward(argv: list[str]) -> int | None:
    """Run ``ethicslint ARGV`` in a warm server when one serves this installation: its exit
    status, or None when there is none (or it failed before the run began) and the caller must run
    the command itself. Only ``check`` is forwarded; ``--no-server`` keeps it here."""
    if not argv or argv[0] != "check" or "--no-server" in argv or not supported():
        return None
    try:
        if not any(n.startswith("server-") and n.endswith(".sock") for n in os.listdir(runtime_dir())):
            return None  # no server at all: spare the fingerprint (20 ms)
        sock = _connect(socket_path())
    except Exception:  # noqa: BLE001 - finding a server must never break a run
        return None
    if sock is None:
        return None
    with sock:
        try:
            _send(sock, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path,
                         **_process_settings()}, [0, 1, 2])
        except (OSError, ValueError):
            return None  # the server never got the command: run it here
        try:
            sock.settimeout(60)  # forking a child takes milliseconds; a minute means it is stuck
            started, _ = _receive(sock)
        except ConnectionError:
            return None  # closed without a word (say, refused the message): nothing ran here
        except KeyboardInterrupt:
            return 130
        except (OSError, ValueError):  # no answer in time: the run may have started, do not repeat it
            print("ethicslint: the server did not start the run; run again with --no-server, or "
                  "`ethicslint server stop`", file=sys.stderr)
            return 3
        if started.get("declined"):  # it cannot run as this process would: nothing ran, run it here
            return None
        if "status" in started:  # the run failed before it began (the error is on stderr)
            return started["status"] if isinstance(started["status"], int) else 1
        sock.settimeout(None)  # the run takes as long as it takes
        child = started.get("pid")
        try:
            finished, _ = _receive(sock)
        except KeyboardInterrupt:
            if isinstance(child, int):
                os.kill(child, signal.SIGINT)
            return 130
        except (OSError, ValueError):
            print("ethicslint: the server stopped during the run; run again with --no-server",
                  file=sys.stderr)
            return 3
    if isinstance(finished.get("error"), str):  # the server ended the run (a plugin's fault)
        print(f"ethicslint: error: {finished['error']}", file=sys.stderr)
    status = finished.get("status")
    return status if isinstance(status, int) else 1


def _process_settings() -> dict[str, Any]:
    """What of this process a served run must share, besides its arguments, directory,
    environment and streams: the umask (files the run creates), the resource limits, the
    scheduling priority, the user and groups, and the encodings Python chose for the streams."""
    import resource

    mask = os.umask(0o022)
    os.umask(mask)
    limits = [[name, *resource.getrlimit(getattr(resource, name))] for name in sorted(dir(resource))
              if name.startswith("RLIMIT_")]
    streams = [[getattr(stream, "encoding", None), getattr(stream, "errors", None)]
               for stream in (sys.stdin, sys.stdout, sys.stderr)]
    return {"umask": mask, "limits": limits, "nice": os.getpriority(os.PRIO_PROCESS, 0), "ids": _ids(),
            "streams": streams}


def _ids() -> list[Any]:
    return [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), sorted(os.getgroups())]


def wants_auto_start(argv: list[str]) -> bool:
    """``ETHICSLINT_SERVER=auto`` and a ``check`` that may use a server (one a developer sets in
    their shell: pre-commit hooks then start the server from their own environment)."""
    return (os.environ.get(AUTO_ENV, "").strip().lower() == "auto" and bool(argv) and argv[0] == "check"
            and "--no-server" not in argv and supported())


def start_in_background(path: Path, idle_timeout: float = DEFAULT_IDLE_TIMEOUT) -> Any:
    """Start ``ethicslint server run`` for ``path``, detached (its own session, output to a log
    next to the socket); the ``Popen``, or None when the runtime directory is not private."""
    import subprocess

    if not _private(path.parent, create=True):
        return None
    with open(path.with_suffix(".log"), "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "ethicslint", "server", "run", "--socket", str(path), "--idle-timeout",
             str(idle_timeout)], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd="/")


def other_servers(path: Path) -> list[Path]:
    """The sockets of servers for other installations (or older versions) in ``path``'s directory
    that still answer."""
    if not _private(path.parent, create=False):
        return []
    return [other for other in sorted(path.parent.glob("server-*.sock"))
            if other != path and request({"status": True}, other) is not None]


def request(message: dict[str, Any], path: Path | None = None) -> dict[str, Any] | None:
    """A control message (``status``, ``stop``) to the server; its answer, or None (no server)."""
    sock = _connect(path or socket_path())
    if sock is None:
        return None
    with sock:
        try:
            _send(sock, message)
            answer, _ = _receive(sock)
        except (OSError, ValueError):
            return None
    return answer


# --- the server side --------------------------------------------------------------------------

def warm_up() -> None:
    """Build what every run builds: spaCy, both cheap pipelines, the installed models and every
    default-configured checker's terms (by checking one short text per language)."""
    from . import nlp
    from .host import Host
    from .runner import WARM_UP_TEXTS, compile_checkers

    for lang in WARM_UP_TEXTS:
        if nlp.model_available(lang):
            nlp.model_pipeline(lang)
    from .config import Config

    limit = Config(path=None, root=Path.cwd()).plugin_time_limit  # the default: no config is read here
    host = Host()
    host.load(time_limit=limit)
    compile_checkers(host, {}, limit)


@dataclass
class _Run:
    """A running child: its client's connection, and the plugin call it is in (the server stops a
    call stuck in compiled code, and names a plugin that ended the process, as
    :func:`ethicslint.workers.watch_this_process` does for a command run locally)."""

    conn: socket.socket
    slot: Any  # ethicslint.workers.CallSlot
    ended: str | None = None  # why the server killed it


@dataclass
class _Request:
    """A connection whose request is being read: bytes and descriptors so far, and a deadline."""

    conn: socket.socket
    deadline: float
    data: bytearray = field(default_factory=bytearray)
    fds: list[int] = field(default_factory=list)

    def drop(self) -> None:
        for fd in self.fds:
            _close_fd(fd)
        self.fds = []
        self.conn.close()

    def read(self) -> dict[str, Any] | None:
        """Read what has arrived: the request once complete, else None. ConnectionError: the
        client closed early or sent something that is not a request."""
        try:
            data, fds, _, _ = socket.recv_fds(self.conn, 65536, 3)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError as exc:
            raise ConnectionError(str(exc)) from None
        self.fds.extend(fds)
        if not data:
            raise ConnectionError("connection closed")
        self.data += data
        if len(self.fds) > 3:
            raise ConnectionError("too many descriptors")
        if len(self.data) < 4:
            return None
        (size,) = struct.unpack("!I", self.data[:4])
        if size > _MAX_MESSAGE:
            raise ConnectionError("message too large")
        if len(self.data) < 4 + size:
            return None
        try:
            message = json.loads(bytes(self.data[4:4 + size]))
        except ValueError:
            raise ConnectionError("not JSON") from None
        if not isinstance(message, dict):
            raise ConnectionError("not a request")
        return message


def serve(path: Path, idle_timeout: float, run_command: Callable[[list[str]], int]) -> None:
    """Accept runs on ``path`` until ``idle_timeout`` seconds pass without one, or a ``stop``.

    One loop, never blocked by a client: requests are read as they arrive (each within
    :data:`REQUEST_SECONDS`), and each running child's client connection is watched: when the
    client goes, its run is killed."""
    if not _private(path.parent, create=True):
        raise SystemExit(f"ethicslint server: {path.parent} must be a directory only you can use")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    listener.bind(str(temporary))
    listener.listen(16)
    listener.setblocking(False)
    os.replace(temporary, path)  # appears complete: a client never finds a socket nobody listens on
    inode = os.stat(path).st_ino
    served, started, last = 0, time.time(), time.time()
    pending: dict[socket.socket, _Request] = {}
    running: dict[int, _Run] = {}  # child pid -> its client and plugin call
    try:
        while True:
            served -= _reap(running)  # a declined run was not served
            now = time.monotonic()
            for request in [r for r in pending.values() if r.deadline <= now]:
                del pending[request.conn]
                request.drop()  # too slow, or idle: it must not hold anyone up
            wait = min([1.0, *(r.deadline - now for r in pending.values()), *_stop_overdue(running, now)])
            watched = [listener, *pending, *(run.conn for run in running.values())]
            readable, _, _ = select.select(watched, [], [], max(0.0, wait))
            if not readable:
                if time.time() - last > idle_timeout and not _CHILDREN and not pending:
                    return
                if _inode(path) != inode:
                    return  # removed, or replaced by another server
                continue
            for sock in readable:
                if sock is listener:
                    _accept(listener, pending)
                    last = time.time()
                elif sock in pending:
                    request = pending[sock]
                    try:
                        message = request.read()
                    except ConnectionError:
                        del pending[sock]
                        request.drop()
                        continue
                    if message is None:
                        continue
                    del pending[sock]
                    last = time.time()
                    if "argv" not in message:
                        stop = _control(request, message, served, started)
                        if stop:
                            return
                        continue
                    served += 1
                    _fork_run(request, message, run_command,
                              [listener, *pending, *(run.conn for run in running.values())],
                              [fd for other in pending.values() for fd in other.fds], running)
                else:
                    _client_of(sock, running)
    finally:
        listener.close()
        for request in pending.values():
            request.drop()
        for run in running.values():
            run.conn.close()
        if _inode(path) == inode:  # still ours
            try:
                path.unlink()
            except OSError:
                pass


def _accept(listener: socket.socket, pending: dict[socket.socket, _Request]) -> None:
    """Take every waiting connection of this user, to be read without blocking."""
    while True:
        try:
            conn, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # out of descriptors, say: the client retries or runs locally
            return
        if not _same_user(conn):
            conn.close()
            continue
        conn.setblocking(False)
        if len(pending) >= _MAX_PENDING:
            oldest = min(pending.values(), key=lambda r: r.deadline)
            del pending[oldest.conn]
            oldest.drop()
        pending[conn] = _Request(conn, time.monotonic() + REQUEST_SECONDS)


def _control(request: _Request, message: dict[str, Any], served: int, started: float) -> bool:
    """Answer ``status`` or ``stop``; True to stop."""
    for fd in request.fds:
        _close_fd(fd)
    request.fds = []
    try:
        request.conn.settimeout(2.0)
        if message.get("stop"):
            _send(request.conn, {"stopping": True})
            return True
        _send(request.conn, {"pid": os.getpid(), "served": served, "since": started})
    except OSError:
        pass
    finally:
        request.conn.close()
    return bool(message.get("stop"))


def _fork_run(request: _Request, message: dict[str, Any], run_command: Callable[[list[str]], int],
              sockets: list[socket.socket], fds: list[int], running: dict[int, _Run]) -> None:
    """Run the request in a fork; keep its connection, to see the client go, and watch its
    plugin calls."""
    import ctypes
    import multiprocessing

    from .workers import CallSlot

    context = multiprocessing.get_context("fork")
    slot = CallSlot(context)
    declined = context.RawValue(ctypes.c_bool, False)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        for sock in sockets:  # the server's, and other clients': only the server may hold them
            sock.close()
        for fd in fds:
            _close_fd(fd)
        from .host import watch_calls

        watch_calls(slot)
        _child(request.conn, message, request.fds, run_command, declined)
    try:
        os.setpgid(pid, pid)  # as the child does: whichever runs first, its group exists now
    except OSError:
        pass
    _CHILDREN.add(pid)
    _DECLINED_FLAGS[pid] = declined
    for fd in request.fds:
        _close_fd(fd)
    running[pid] = _Run(request.conn, slot)


def _client_of(conn: socket.socket, running: dict[int, _Run]) -> None:
    """The client of a running child sent something or went away: when gone, kill its run."""
    try:
        if conn.recv(4096):
            return  # a client has nothing more to say: ignored
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        pass
    pid = next(pid for pid, run in running.items() if run.conn is conn)
    del running[pid]
    conn.close()
    _kill(pid)


def _kill(pid: int) -> None:
    """Kill a child's run, its workers included."""
    if pid in _CHILDREN:  # not reaped yet, so the pid (and its group) is still this child's
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _stop_overdue(running: dict[int, _Run], now: float) -> list[float]:
    """Kill the runs whose plugin call (in the run's own process, loading) is overdue; the
    seconds until the next deadline of the others."""
    from .workers import abort_message

    waits = []
    for pid, run in running.items():
        call = run.slot.current() if run.ended is None else None
        if call is None:
            continue
        if call.overdue(now):
            run.ended = abort_message(call, None)
            _kill(pid)
        elif call.deadline() is not None:
            waits.append(max(0.0, call.deadline() - now))  # type: ignore[operator]
    return waits


def _close_fd(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _adopt(message: dict[str, Any]) -> str | None:
    """Take the client's umask, resource limits and priority: None, or why this process cannot
    run as the client would (then the client runs the command itself)."""
    import resource

    try:
        if message["ids"] != _ids():
            return "other groups"
        os.umask(int(message["umask"]))
        for name, soft, hard in message["limits"]:
            which = getattr(resource, name) if name.startswith("RLIMIT_") else None
            if which is None:
                return f"unknown limit {name}"
            if resource.getrlimit(which) != (soft, hard):
                resource.setrlimit(which, (soft, hard))
        if os.getpriority(os.PRIO_PROCESS, 0) != message["nice"]:
            os.setpriority(os.PRIO_PROCESS, 0, int(message["nice"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"cannot take the client's settings: {exc}"
    return None


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _same_user(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # macOS: the directory's permissions are the guard
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return uid == os.getuid()


_CHILDREN: set[int] = set()
# child pid -> set by the child before it tells its client it declines: what counts a declined run
# as not served. Not its exit status: the client, told first, may close its connection, and the
# server then kills the child before it exits.
_DECLINED_FLAGS: dict[int, Any] = {}


def _reap(running: dict[int, _Run]) -> int:
    """Collect ended children; close their clients' connections (a client whose run died without
    a word then sees the connection close). A run that the server killed, or that a plugin ended,
    gets status 3 and the reason first. Returns how many of them declined their run."""
    from .workers import abort_message

    declined = 0
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            _CHILDREN.clear()
            _DECLINED_FLAGS.clear()
            pid = code = 0
        if pid == 0:
            for gone in [p for p in running if p not in _CHILDREN]:
                running.pop(gone).conn.close()
            return declined
        _CHILDREN.discard(pid)
        flag = _DECLINED_FLAGS.pop(pid, None)
        if flag is not None and flag.value:
            declined += 1
            continue
        run = running.get(pid)
        call = run.slot.current() if run is not None else None
        if run is not None and (run.ended or call is not None):
            try:
                run.conn.settimeout(1.0)
                _send(run.conn, {"status": 3, "error": run.ended or abort_message(call, code)})  # type: ignore[arg-type]
            except OSError:
                pass


def _child(conn: socket.socket, message: dict[str, Any], fds: list[int],
           run_command: Callable[[list[str]], int], declined_flag: Any = None) -> None:
    """Run one command with the client's streams, directory, environment and import path."""
    status = 1
    try:
        try:
            os.setpgid(0, 0)  # a group of its own, workers included: killed together if the client goes
        except OSError:
            pass
        conn.setblocking(True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        declined = _adopt(message)
        if declined:
            for fd in fds:
                _close_fd(fd)
            if declined_flag is not None:
                declined_flag.value = True  # before the client knows (see _DECLINED_FLAGS)
            _send(conn, {"declined": declined})
            os._exit(_DECLINED)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
            os.close(fd)
        streams = message.get("streams") or [[None, None]] * 3
        (in_encoding, in_errors), (out_encoding, out_errors), (err_encoding, err_errors) = streams
        sys.stdin = open(0, encoding=in_encoding or "utf-8", errors=in_errors or "strict",  # noqa: SIM115
                         closefd=False)
        sys.stdout = open(1, "w", buffering=1 if os.isatty(1) else -1, encoding=out_encoding or "utf-8",  # noqa: SIM115
                          errors=out_errors or "strict", closefd=False)
        sys.stderr = open(2, "w", buffering=1, encoding=err_encoding or "utf-8",  # noqa: SIM115
                          errors=err_errors or "backslashreplace", closefd=False)
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message.get("env") or {})
        time.tzset()
        if isinstance(message.get("path"), list):
            sys.path[:] = [str(p) for p in message["path"]]
        _send(conn, {"pid": os.getpid()})
        status = run_command(list(message["argv"]))
    except BaseException:  # noqa: BLE001 - the client must get a status whatever happened
        import traceback

        traceback.print_exc()
        status = 3
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        try:
            _send(conn, {"status": status})
        except OSError:
            pass
        os._exit(0)
