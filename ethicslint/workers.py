"""Worker processes that run the plugins, supervised by the process that started them.

Why: plugins are code ethicslint does not control, and some faults cannot be contained in the
process that meets them:

- a plugin call stuck in compiled code (spaCy's matcher, a hash, a C extension) does not see the
  in-process time limit (:class:`ethicslint.host.stop_after`) until it returns, which may be
  minutes later; the supervisor ends such a call by killing its worker once it has run
  ``plugin-time-limit`` + :data:`HARD_LIMIT_GRACE` seconds;
- a plugin that ends its process (``os._exit``, a crash in C) ends only its worker.

Either way the supervisor knows which call it was (each worker writes the plugin call it is in to
a small shared-memory :class:`CallSlot`, no system call), and gives the same work to a new worker
with that call recorded as a :class:`~ethicslint.host.Fault`: the host reports it (``EL003`` or
``EL001``) instead of making the call, and every other plugin's findings, on that file and on
the others, are kept. A worker that dies outside any plugin call is an internal error
(:class:`WorkerCrash`), as an exception in a worker is.

Before any worker exists, plugins are imported and declare their rules in the command's own
process; :func:`watch_this_process` runs the command in a child watched the same way (a call
overdue there, or a plugin ending the process there, stops the run with status 3 and a message
naming the plugin).

Workers (and that child) die with the process that started them — a run killed by ``SIGTERM`` or
``SIGKILL`` leaves nothing behind: ``PR_SET_PDEATHSIG`` on Linux (the kernel kills the worker,
whatever it is doing), elsewhere a thread that watches the parent's pid. The watcher passes a
``SIGTERM`` on to the child and waits for it (:data:`TERMINATE_GRACE` at most), so that a command
that handles it (:func:`sigterm_requests_stop`) can remove what it was writing; workers leave
``SIGTERM``, like Ctrl-C, to the process that started them.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from .host import Fault, watch_calls

HARD_LIMIT_GRACE = 2.0  # seconds past plugin-time-limit before a stuck call's worker is killed
TERMINATE_GRACE = 30.0  # seconds a watched command has to end after SIGTERM before it is killed
_QUEUED = 2  # tasks sent to a worker at once: the next is there when one is done
_SMALL_TASK = 16_384  # bytes; a larger task waits for an idle worker (a send never blocks the watch)
_NAME_BYTES = 512
_STOP = b"stop"


class Task(Protocol):
    """One piece of work for a worker (picklable)."""

    def run(self, context: Any) -> Any: ...


class WorkerContext(Protocol):
    """What a worker checks with (built by the pool's ``setup`` in each worker)."""

    def run(self, task: Task, faults: dict[tuple[str, str], Fault]) -> Any: ...

    def close(self) -> None: ...


class WorkerCrash(RuntimeError):
    """A worker process ended outside any plugin call: an internal error of the run."""


@dataclass(frozen=True)
class Call:
    """A plugin call in progress in a watched process."""

    plugin: str
    hook: str
    since: float  # time.monotonic() when it began
    limit: float  # its plugin-time-limit (0: none)
    item: int | None = None  # the item of the task it is for (Host.item), if the task has items

    def overdue(self, now: float) -> bool:
        """Past its limit and the grace: stuck where the in-process limit cannot reach it."""
        return bool(self.limit) and now - self.since > self.limit + HARD_LIMIT_GRACE

    def deadline(self) -> float | None:
        return self.since + self.limit + HARD_LIMIT_GRACE if self.limit else None


class CallSlot:
    """The plugin call a process is in, since when (the system-wide monotonic clock; 0: none) and
    its time limit, in memory the process shares with its supervisor. Written around every plugin
    call (no system call)."""

    def __init__(self, mp: Any) -> None:
        self._since = mp.RawValue(ctypes.c_double, 0.0)
        self._limit = mp.RawValue(ctypes.c_double, 0.0)
        self._item = mp.RawValue(ctypes.c_longlong, -1)  # -1: the task has no items
        self._name = mp.RawArray(ctypes.c_char, _NAME_BYTES)

    def enter(self, plugin: str, hook: str, limit: float | None, item: int | None = None) -> None:
        self._name.value = f"{plugin}\n{hook}".encode("utf-8", "replace")[:_NAME_BYTES - 1]
        self._limit.value = limit or 0.0
        self._item.value = -1 if item is None else item
        self._since.value = time.monotonic()

    def leave(self) -> None:
        self._since.value = 0.0

    def current(self) -> Call | None:
        """The call in progress, or None."""
        since = self._since.value
        if not since:
            return None
        name, limit, item = self._name.value, self._limit.value, self._item.value
        if self._since.value != since:  # the call ended (and maybe another began) meanwhile
            return None
        plugin, _, hook = name.decode("utf-8", "replace").partition("\n")
        return Call(plugin, hook, since, limit, None if item < 0 else item)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    slot: CallSlot
    tasks: deque[int] = field(default_factory=deque)  # indexes sent, in order; the first is in work
    killed_for: Fault | None = None  # the call it was killed in (hard time limit)


class Pool:
    """``size`` supervised worker processes; ``setup(slot, *setup_args)`` builds each one's
    :class:`WorkerContext`. ``fork``: workers are forks of this process (they inherit its state,
    and ``setup_args`` need not be picklable), else spawned. Started at the first task. A call
    is stopped at its own limit (what the host tells the slot) plus :data:`HARD_LIMIT_GRACE`."""

    def __init__(self, size: int, setup: Callable[..., WorkerContext], setup_args: tuple[Any, ...], *,
                 fork: bool = True) -> None:
        self.size = max(1, size)
        self._mp = multiprocessing.get_context("fork" if fork else "spawn")
        self._fork = fork
        self._setup = setup
        self._setup_args = setup_args
        self._workers: list[_Worker] = []

    # --- the parent side ---------------------------------------------------------------------
    def map(self, tasks: Iterable[Task]) -> Iterator[Any]:
        """Each task's result, in the order of ``tasks``."""
        tasks = list(tasks)
        todo: deque[tuple[int, dict[tuple[str, str], Fault]]] = deque((index, {}) for index in range(len(tasks)))
        sent: dict[int, dict[tuple[str, str], Fault]] = {}
        done: dict[int, Any] = {}
        try:
            for index in range(len(tasks)):
                while index not in done:
                    self._dispatch(tasks, todo, sent)
                    self._step(todo, sent, done)
                yield done.pop(index)
        finally:
            self._abandon()  # left early (an error, an interrupt): no answer may reach a later map

    def _abandon(self) -> None:
        for worker in [w for w in self._workers if w.tasks]:
            worker.process.kill()
            worker.process.join()
            worker.conn.close()
            self._workers.remove(worker)

    def call(self, task: Task) -> Any:
        """One task's result."""
        [result] = self.map([task])
        return result

    def close(self) -> None:
        """Stop the workers: idle ones finish (they answer once their cache entries are on disk;
        their exit is not waited for), busy ones (an interrupted run) are killed."""
        for worker in self._workers:
            try:
                if worker.tasks:
                    worker.process.kill()
                else:
                    worker.conn.send_bytes(_STOP)
            except OSError:
                pass
        for worker in self._workers:
            if not worker.tasks and _stopped(worker.conn):
                worker.process.join(timeout=0)  # collected if it has already ended
            else:
                worker.process.join(timeout=60)
                if worker.process.exitcode is None:
                    worker.process.kill()
                    worker.process.join()
            worker.conn.close()
        self._workers = []

    def _dispatch(self, tasks: list[Task], todo: deque[tuple[int, dict[tuple[str, str], Fault]]],
                  sent: dict[int, dict[tuple[str, str], Fault]]) -> None:
        idle = sum(1 for w in self._workers if not w.tasks and w.killed_for is None)
        while len(todo) > idle and len(self._workers) < self.size:  # as many workers as there is work
            self._start()
            idle += 1
        for queued in range(1, _QUEUED + 1):  # one task for each idle worker first, then one more each
            for worker in self._workers:
                if todo and len(worker.tasks) < queued and worker.killed_for is None:
                    index, faults = todo[0]
                    data = pickle.dumps((index, tasks[index], faults), protocol=pickle.HIGHEST_PROTOCOL)
                    if worker.tasks and len(data) > _SMALL_TASK:
                        continue  # it waits for an idle worker, so that sending it cannot block
                    todo.popleft()
                    worker.conn.send_bytes(data)
                    worker.tasks.append(index)
                    sent[index] = faults

    def _step(self, todo: deque[tuple[int, dict[tuple[str, str], Fault]]],
              sent: dict[int, dict[tuple[str, str], Fault]], done: dict[int, Any]) -> None:
        """Wait for a result or a death (or the next hard deadline) and handle what came."""
        ready = set(wait([w.conn for w in self._workers] + [w.process.sentinel for w in self._workers],
                         self._wait_time()))
        for worker in list(self._workers):
            if worker.conn in ready and worker.process.sentinel not in ready:
                try:
                    self._receive(worker, done)
                except (EOFError, OSError):  # it is dying: its sentinel says so next
                    pass
            if worker.process.sentinel in ready:
                self._bury(worker, todo, sent, done)
        self._enforce_limit()

    def _receive(self, worker: _Worker, done: dict[int, Any]) -> None:
        index, ok, payload = worker.conn.recv()
        worker.tasks.popleft()
        if not ok:
            error, remote = payload
            raise error from WorkerCrash(f"in the worker process:\n{remote}")
        done[index] = payload

    def _bury(self, worker: _Worker, todo: deque[tuple[int, dict[tuple[str, str], Fault]]],
              sent: dict[int, dict[tuple[str, str], Fault]], done: dict[int, Any]) -> None:
        """A worker ended: keep what it finished, and give its work to another one, without the
        plugin call it ended in."""
        try:
            while worker.tasks and worker.conn.poll():
                self._receive(worker, done)
        except (EOFError, OSError):
            pass
        worker.process.join()
        worker.conn.close()
        self._workers.remove(worker)
        if not worker.tasks:
            return
        how = _how_it_ended(worker.process.exitcode)
        index = worker.tasks.popleft()
        fault = worker.killed_for
        if fault is None:
            current = worker.slot.current()
            if current is not None:
                fault = Fault(current.plugin, current.hook, timed_out=False, detail=how, item=current.item)
        faults = with_fault(sent[index], fault) if fault is not None else None
        if faults is None:
            raise WorkerCrash(f"a worker process ended ({how}) outside any plugin call")
        todo.extendleft((other, sent[other]) for other in reversed(worker.tasks))
        todo.appendleft((index, faults))

    def _enforce_limit(self) -> None:
        now = time.monotonic()
        for worker in self._workers:
            current = worker.slot.current() if worker.tasks and worker.killed_for is None else None
            if current is not None and current.overdue(now):
                worker.killed_for = Fault(current.plugin, current.hook, timed_out=True, item=current.item)
                worker.process.kill()

    def _wait_time(self) -> float:
        """Until the earliest hard deadline of a call in progress; at most a second, so a call
        that starts meanwhile is seen."""
        now, earliest = time.monotonic(), 1.0
        for worker in self._workers:
            current = worker.slot.current() if worker.tasks else None
            deadline = current.deadline() if current is not None else None
            if deadline is not None:
                earliest = min(earliest, deadline - now)
        return max(0.01, earliest)

    def _start(self) -> None:
        slot = CallSlot(self._mp)
        parent_end, child_end = self._mp.Pipe()
        inherited = [w.conn for w in self._workers] + [parent_end] if self._fork else []
        process = self._mp.Process(target=_work, name="ethicslint-worker", daemon=False,
                                   args=(child_end, slot, os.getpid(), inherited, self._setup, self._setup_args))
        process.start()
        child_end.close()
        self._workers.append(_Worker(process=process, conn=parent_end, slot=slot))


def with_fault(faults: dict[tuple[str, str], Fault], fault: Fault) -> dict[tuple[str, str], Fault] | None:
    """A task's faults with ``fault`` added, for the work done again; None when the call should
    not have been made (the task already skips it there: the worker ended outside that call).

    A fault in one item of a task (one variant of a batch) skips the call for that item only, so
    the other items keep that plugin's findings; a second item of the same task faulting in the
    same call skips it for the whole task, so a plugin that hangs on every variant costs two more
    runs of the task, not one per variant."""
    key = (fault.plugin, fault.hook)
    recorded = faults.get(key)
    if recorded is not None:
        if recorded.applies_to(fault.item):
            return None
        fault = replace(fault, item=None)
    return {**faults, key: fault}


def _stopped(conn: Connection) -> bool:
    """Whether a worker told to stop says it is done (within a minute)."""
    try:
        return conn.poll(60) and conn.recv_bytes() == _STOP
    except (EOFError, OSError):
        return False


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


# --- the worker side ---------------------------------------------------------------------------

def _work(conn: Connection, slot: CallSlot, parent: int, inherited: list[Connection],
          setup: Callable[..., WorkerContext], setup_args: tuple[Any, ...]) -> None:
    """A worker's life: tasks from ``conn`` until told to stop (or the parent is gone)."""
    _die_with(parent)
    watch_calls(slot)  # any host made here reports to this worker's supervisor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle,
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # and so is a SIGTERM to the group (it stops the workers)
    for other in inherited:  # the parent's ends of the other workers' pipes
        other.close()
    os.dup2(2, 1)  # nothing a worker prints may reach the report on standard output
    sys.stdout = sys.stderr
    context = setup(slot, *setup_args)
    try:
        while True:
            try:
                data = conn.recv_bytes()
            except EOFError:
                return
            if data == _STOP:
                context.close()
                conn.send_bytes(_STOP)  # done: what it wrote is on disk
                return
            index, task, faults = pickle.loads(data)
            try:
                result = context.run(task, faults)
            except Exception as exc:  # an internal error: the parent raises it, as the run would
                conn.send((index, False, (_picklable(exc), traceback.format_exc())))
            else:
                conn.send((index, True, result))
    finally:
        context.close()


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception that does not travel is described instead
        return WorkerCrash(f"{type(exc).__name__}: {exc}")
    return exc


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends: the kernel's parent-death signal on Linux, else a
    thread that polls the parent pid (it cannot act while a C call holds the interpreter)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
                if os.getppid() != parent:  # it died before the signal was asked for
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), name="ethicslint-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


# --- the command's own process ------------------------------------------------------------------

def abort_message(call: Call, status: int | None) -> str:
    """Why a watched command was ended in ``call``: overdue (``status`` None: it was killed), or
    the plugin ended the process (with wait ``status``)."""
    if status is None:
        return (f"plugin {call.plugin!r} was stopped after {call.limit:g} s in {call.hook} (plugin-time-limit), "
                f"in code that only ending the run could stop")
    return (f"plugin {call.plugin!r} ended the process in {call.hook} "
            f"({_how_it_ended(os.waitstatus_to_exitcode(status))}); the run stopped there")


def watch_this_process() -> None:
    """Fork: the child returns and runs the command; this process watches it, exits with its
    status and never returns.

    Why: plugins are imported and declare their rules in the process that runs the command,
    before any worker exists. A plugin stuck there in compiled code would hang the command; one
    that ends the process would end it with the plugin's status (0: a silent pass). The watcher
    sees the call in progress (a :class:`CallSlot` every host of the child reports to): it kills
    a call overdue by :data:`HARD_LIMIT_GRACE`, and names a plugin whose call ended the process,
    with exit status 3. Otherwise it exits as the child did (the same status, or the same signal).
    Without ``fork``, nothing happens: the command runs unwatched. (A served run is watched by
    the server, which forked it.)"""
    if not hasattr(os, "fork"):
        return
    slot = CallSlot(multiprocessing.get_context("fork"))
    parent = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    pid = os.fork()
    if pid == 0:
        _die_with(parent)
        watch_calls(slot)
        return
    os._exit(_watch(pid, slot))


@dataclass
class StopRequest:
    """Whether ``SIGTERM`` came within :func:`sigterm_requests_stop` (a cancelled CI job, a
    ``kill``): the command asks it at safe points (``ethicslint batch``: after each batch) and
    stops there as on Ctrl-C, removing what it was writing. Asked, not raised: an exception raised
    from a signal handler may land where Python swallows it (an at-fork hook, a ``__del__``) or
    in the middle of a write."""

    requested: bool = False

    def __call__(self) -> bool:
        return self.requested


@contextlib.contextmanager
def sigterm_requests_stop(request: StopRequest) -> Iterator[None]:
    """Within: ``SIGTERM`` sets ``request`` instead of ending the process at once. The watcher
    ends a command that has not stopped :data:`TERMINATE_GRACE` seconds later."""
    def mark(signum: int, frame: Any) -> None:
        request.requested = True

    previous = signal.signal(signal.SIGTERM, mark)
    try:
        yield
    finally:  # once asked to stop, a late copy of the signal (the watcher forwards it) must not kill the exit
        signal.signal(signal.SIGTERM, signal.SIG_IGN if request.requested else previous)


def _watch(pid: int, slot: CallSlot) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the child too, which handles it
    terminate_by: list[float] = []  # once SIGTERM came: when the child must have ended

    def forward_sigterm(signum: int, frame: Any) -> None:
        """Let the child end as it handles SIGTERM (its default: at once); one that has not
        ended after TERMINATE_GRACE seconds is killed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not terminate_by:
            terminate_by.append(time.monotonic() + TERMINATE_GRACE)

    signal.signal(signal.SIGTERM, forward_sigterm)
    try:
        ended: Any = os.pidfd_open(pid)  # readable when the child ends (Linux)
    except (AttributeError, OSError):
        ended = None
    while True:
        current = slot.current()
        deadline = current.deadline() if current is not None else None
        if terminate_by:
            deadline = min(deadline or terminate_by[0], terminate_by[0])
        wait = 1.0 if ended is not None else 0.02
        if deadline is not None:
            wait = max(0.0, min(wait, deadline - time.monotonic()))
        if ended is not None:
            select.select([ended], [], [], wait)
        else:
            time.sleep(wait)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            current = slot.current()
            if current is not None:
                return _abort(abort_message(current, code))
            if os.WIFSIGNALED(code):
                number = os.WTERMSIG(code)
                signal.signal(number, signal.SIG_DFL)  # end as the child did
                os.kill(os.getpid(), number)
                return 128 + number
            return os.waitstatus_to_exitcode(code)
        if terminate_by and time.monotonic() >= terminate_by[0]:  # it did not end on SIGTERM
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 128 + signal.SIGTERM
        current = slot.current()
        if current is not None and current.overdue(time.monotonic()):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return _abort(abort_message(current, None))


def _abort(message: str) -> int:
    try:
        print(f"ethicslint: error: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    return 3
