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
   arguments, working directory, environment and ``sys.path``, and its own standard input, output
   and error (the file descriptors themselves);
3. the server forks a child, a copy of its warm state; the child takes the client's streams,
   directory and environment and runs the command as the client would have (config files are read
   afresh, the result cache is the same), then sends back the exit status;
4. anything unexpected on the way (no server, a stale socket, another user's directory, a server
   that stops answering) and the client runs the command itself.

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
from pathlib import Path
from typing import Any

from . import __version__

RUNTIME_DIR_ENV = "ETHICSLINT_RUNTIME_DIR"  # where sockets live (default: XDG_RUNTIME_DIR or /tmp)
AUTO_ENV = "ETHICSLINT_SERVER"  # "auto": a check that finds no server starts one for the next runs
DEFAULT_IDLE_TIMEOUT = 30 * 60
_MAX_MESSAGE = 1 << 20
_PROTOCOL = 1


def supported() -> bool:
    """Unix sockets that carry file descriptors, and fork."""
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")


# --- where the server is ----------------------------------------------------------------------

def runtime_dir() -> Path:
    """The directory for sockets: ``$ETHICSLINT_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/ethicslint``,
    else ``<tmp>/ethicslint-<uid>``."""
    configured = os.environ.get(RUNTIME_DIR_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        return Path(xdg) / "ethicslint"
    import tempfile

    return Path(tempfile.gettempdir()) / f"ethicslint-{os.getuid()}"


def _private(directory: Path, create: bool) -> bool:
    """Whether ``directory`` is a real directory of this user that no one else may enter (created
    so when asked): anyone who can write there could pose as the server."""
    try:
        if create:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(directory)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


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
            _send(sock, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path},
                  [0, 1, 2])
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
    status = finished.get("status")
    return status if isinstance(status, int) else 1


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
    host = Host()
    host.load()
    compile_checkers(host, {})


def serve(path: Path, idle_timeout: float, run_command: Callable[[list[str]], int]) -> None:
    """Accept runs on ``path`` until ``idle_timeout`` seconds pass without one, or a ``stop``."""
    if not _private(path.parent, create=True):
        raise SystemExit(f"ethicslint server: {path.parent} must be a directory only you can use")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    listener.bind(str(temporary))
    listener.listen(16)
    os.replace(temporary, path)  # appears complete: a client never finds a socket nobody listens on
    inode = os.stat(path).st_ino
    served, started, last = 0, time.time(), time.time()
    try:
        while True:
            _reap()
            readable, _, _ = select.select([listener], [], [], 1.0)
            if not readable:
                if time.time() - last > idle_timeout and not _CHILDREN:
                    return
                if _inode(path) != inode:
                    return  # removed, or replaced by another server
                continue
            conn, _ = listener.accept()
            last = time.time()
            with conn:
                if not _same_user(conn):
                    continue
                try:
                    message, fds = _receive(conn, with_fds=3)
                except (OSError, ValueError):
                    continue
                if "argv" not in message:
                    for fd in fds:
                        os.close(fd)
                    if message.get("stop"):
                        _send(conn, {"stopping": True})
                        return
                    _send(conn, {"pid": os.getpid(), "served": served, "since": started})
                    continue
                served += 1
                pid = os.fork()
                if pid == 0:  # the child: never returns
                    listener.close()
                    _child(conn, message, fds, run_command)
                _CHILDREN.add(pid)
                for fd in fds:
                    os.close(fd)
    finally:
        listener.close()
        if _inode(path) == inode:  # still ours
            try:
                path.unlink()
            except OSError:
                pass


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


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            _CHILDREN.clear()
            return
        if pid == 0:
            return
        _CHILDREN.discard(pid)


def _child(conn: socket.socket, message: dict[str, Any], fds: list[int],
           run_command: Callable[[list[str]], int]) -> None:
    """Run one command with the client's streams, directory, environment and import path."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
            os.close(fd)
        sys.stdin = open(0, encoding=sys.stdin.encoding or "utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", buffering=1 if os.isatty(1) else -1, encoding="utf-8",  # noqa: SIM115
                          errors="backslashreplace", closefd=False)
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace",  # noqa: SIM115
                          closefd=False)
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message.get("env") or {})
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
