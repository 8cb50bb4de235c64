"""Where the variants are checked: ``local`` worker processes, a Ray cluster, or a Dask cluster.

Every engine turns the reader's batches into the checked batches, **in input order**, keeping only
a bounded number of batches in flight (so memory stays flat), and each of its workers keeps one
warm :class:`~ethicslint.batch.checking.VariantChecker` for the whole job:

- ``local``: in this process (``jobs`` 1) or ethicslint's own supervised worker processes
  (:class:`ethicslint.workers.Pool`, forked from this process with the Linter already warm, as
  ``ethicslint check --jobs`` uses them: a plugin stuck in compiled code is stopped there too);
- ``ray``: one Ray actor per worker holding its Linter (the actor pattern), batches sent to the
  actors in turn;
- ``dask``: Dask futures on a ``distributed`` cluster, one Linter cached per worker process (per
  thread, for workers started with several threads: a Linter is not thread-safe).

``address``: an existing Ray or Dask cluster (``ethicslint`` must be installed on its workers, with
the config file at the same path); without it, the engine starts one on this machine.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .checking import Checked, LinterSpec, VariantChecker
from .extras import import_extra
from .readers import Variant

ENGINES = ("local", "ray", "dask")
EXTRAS = {"ray": "ray", "dask": "dask"}
IN_FLIGHT_PER_WORKER = 2  # batches sent ahead to each worker: the next is there when one is done


class EngineError(Exception):
    """The engine cannot start (missing extra, unreachable cluster); the message says why."""


def run_engine(name: str, batches: Iterable[list[Variant]], spec: LinterSpec, checker: VariantChecker,
               jobs: int, address: str | None) -> Iterator[list[Checked]]:
    """The checked batches, in order. ``checker``: this process's own (warm) one."""
    if name == "local":
        return _local(batches, checker, jobs)
    if name == "ray":
        return _ray(batches, spec, jobs, address)
    return _dask(batches, spec, jobs, address)


def _ordered(batches: Iterable[list[Variant]], submit: Callable[[int, list[Variant]], Any],
             result: Callable[[Any], list[Checked]], in_flight: int) -> Iterator[list[Checked]]:
    """``submit`` each batch (with its sequence number), at most ``in_flight`` at once, and yield
    their ``result``s in order."""
    pending: deque[Any] = deque()
    for number, batch in enumerate(batches):
        pending.append(submit(number, batch))
        if len(pending) >= in_flight:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


# --- local -------------------------------------------------------------------------------------

def _local(batches: Iterable[list[Variant]], checker: VariantChecker, jobs: int) -> Iterator[list[Checked]]:
    if jobs <= 1:
        for batch in batches:
            yield checker.check_all(batch)
        return
    from ..workers import Pool

    fork = _forks()  # forks share this process's warm Linter; spawned workers build their own
    pool = Pool(jobs, _worker, (checker if fork else checker.spec,), fork=fork)
    try:
        window: list[_CheckBatch] = []
        for batch in batches:
            window.append(_CheckBatch(batch))
            if len(window) >= jobs * IN_FLIGHT_PER_WORKER * 2:
                yield from pool.map(window)
                window = []
        if window:
            yield from pool.map(window)
    finally:
        pool.close()


def _forks() -> bool:
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_context().get_start_method()
    return method == "fork"


@dataclass(frozen=True)
class _CheckBatch:
    """A worker's task: one batch."""

    variants: list[Variant]

    def run(self, checker: VariantChecker) -> list[Checked]:
        return checker.check_all(self.variants)


class _InWorker:
    """A local worker: its checker (forked warm, or built from the spec), its plugin calls watched
    by the supervisor (``slot``) and skipped when they killed a worker before (``faults``)."""

    def __init__(self, slot: Any, checker: VariantChecker) -> None:
        self.checker = checker
        self.host = checker.host
        self.host.monitor = slot

    def run(self, task: _CheckBatch, faults: dict[tuple[str, str], Any]) -> list[Checked]:
        self.host.faults = faults
        try:
            return task.run(self.checker)
        finally:
            self.host.faults = {}

    def close(self) -> None:
        pass


def _worker(slot: Any, checker_or_spec: VariantChecker | LinterSpec) -> _InWorker:
    checker = checker_or_spec if isinstance(checker_or_spec, VariantChecker) else VariantChecker(checker_or_spec)
    return _InWorker(slot, checker)


# --- Ray ---------------------------------------------------------------------------------------

def _ray(batches: Iterable[list[Variant]], spec: LinterSpec, jobs: int, address: str | None) -> Iterator[list[Checked]]:
    ray = import_extra("ray", "ray", "--engine ray", EngineError)
    started = not ray.is_initialized()
    if started:
        kwargs: dict[str, Any] = {"address": address} if address else {"num_cpus": jobs, "include_dashboard": False}
        with _own_sigterm():
            try:
                ray.init(logging_level=logging.ERROR, log_to_driver=False, configure_logging=True, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise EngineError(f"cannot start or reach Ray{' at ' + address if address else ''}: {exc}") from None
    try:
        actor_class = ray.remote(num_cpus=1)(RayChecker)
        actors = [actor_class.remote(spec) for _ in range(jobs)]
        yield from _ordered(batches, lambda number, batch: actors[number % len(actors)].check_all.remote(batch),
                            ray.get, len(actors) * IN_FLIGHT_PER_WORKER)
    finally:
        if started:
            ray.shutdown()


@contextlib.contextmanager
def _own_sigterm() -> Iterator[None]:
    """Keep the command's SIGTERM handler: ``ray.init`` installs Ray's own in the driver (an exit
    with status 15, and a crash handler that aborts on the second signal a process group gets),
    which would leave the temporary output file behind and end with a stack dump."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if in_main else None
    try:
        yield
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)


class RayChecker:
    """A Ray actor: one warm Linter, kept for every batch sent to it."""

    def __init__(self, spec: LinterSpec) -> None:
        self.checker = VariantChecker(spec)

    def check_all(self, variants: list[Variant]) -> list[Checked]:
        return self.checker.check_all(variants)


# --- Dask --------------------------------------------------------------------------------------

def _dask(batches: Iterable[list[Variant]], spec: LinterSpec, jobs: int,
          address: str | None) -> Iterator[list[Checked]]:
    distributed = import_extra("distributed", "dask", "--engine dask", EngineError)
    try:
        if address:
            client = distributed.Client(address, timeout="30s")
            cluster = None
        else:
            cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                               dashboard_address=None, silence_logs=logging.ERROR)
            client = distributed.Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(f"cannot start or reach Dask{' at ' + address if address else ''}: {exc}") from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        yield from _ordered(batches, lambda number, batch: client.submit(dask_check, spec, batch, pure=False),
                            lambda future: future.result(), workers * IN_FLIGHT_PER_WORKER)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_dask_checkers = threading.local()  # a Linter is not thread-safe: one per worker thread


def dask_check(spec: LinterSpec, variants: list[Variant]) -> list[Checked]:
    """A Dask task: one batch, with the Linter this worker (thread) built at its first batch."""
    checkers: dict[LinterSpec, VariantChecker] = _dask_checkers.__dict__.setdefault("by_spec", {})
    checker = checkers.get(spec)
    if checker is None:
        checker = checkers[spec] = VariantChecker(spec)
    return checker.check_all(variants)
