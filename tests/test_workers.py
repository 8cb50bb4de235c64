"""Supervised worker processes (ethicslint.workers), with toy tasks: results in order, a worker
that dies in a plugin call is replaced and the work done again without that call, one stuck in C
code is killed at the hard limit, a death outside any call or an exception is the run's error."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

import pytest

from ethicslint.host import Fault
from ethicslint.workers import CallSlot, Pool, WorkerCrash

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")


class Toy:
    """A worker context: runs the task itself, with the faults it is given."""

    def __init__(self, slot: CallSlot) -> None:
        self.slot = slot

    def run(self, task: Any, faults: dict[tuple[str, str], Fault]) -> Any:
        return task.run(self, faults)

    def close(self) -> None:
        pass


def toy(slot: CallSlot) -> Toy:
    return Toy(slot)


@dataclass(frozen=True)
class Echo:
    value: int

    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> tuple[int, int]:
        return self.value, os.getpid()


@dataclass(frozen=True)
class DiesInACall:
    """Ends its process inside the call 'p' / 'hook', unless that call is known to fault."""

    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> Any:
        if ("p", "hook") in faults:
            return faults[("p", "hook")]
        worker.slot.enter("p", "hook", None)
        os._exit(7)


@dataclass(frozen=True)
class StuckInC:
    """About half an hour in one C call, inside the call 'p' / 'hook', whose limit is 0.2 s."""

    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> Any:
        if ("p", "hook") in faults:
            return faults[("p", "hook")]
        worker.slot.enter("p", "hook", 0.2)
        hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 2**31 - 1)
        return None


@dataclass(frozen=True)
class DiesOnItems:
    """A task of four items (a batch of variants): the call 'p' / 'hook' ends the process on the
    items in ``dying``, unless the task's faults skip it there. Says what happened to each item."""

    dying: tuple[int, ...]

    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> list[str]:
        done = []
        for item in range(4):
            fault = faults.get(("p", "hook"))
            if fault is not None and fault.applies_to(item):
                done.append("skipped")
                continue
            worker.slot.enter("p", "hook", None, item)
            if item in self.dying:
                os._exit(7)
            worker.slot.leave()
            done.append("called")
        return done


@dataclass(frozen=True)
class DiesOutside:
    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> Any:
        os._exit(5)


@dataclass(frozen=True)
class Raises:
    def run(self, worker: Toy, faults: dict[tuple[str, str], Fault]) -> Any:
        raise ValueError("bad input")


@pytest.fixture
def pools() -> Any:
    """Pools made by the test; closed (no worker left) afterwards."""
    made: list[Pool] = []

    def make(size: int) -> Pool:
        made.append(Pool(size, toy, (), fork=True))
        return made[-1]

    yield make
    for pool in made:
        pool.close()


def test_results_come_in_order_from_worker_processes(pools):
    pool = pools(2)
    results = list(pool.map(Echo(value) for value in range(40)))
    assert [value for value, _ in results] == list(range(40))
    assert os.getpid() not in {pid for _, pid in results} and len({pid for _, pid in results}) == 2
    assert pool.call(Echo(41))[0] == 41  # the same workers serve a later task


def test_a_death_in_a_call_is_a_fault_and_the_work_is_done_again_without_it(pools):
    pool = pools(2)
    results = list(pool.map([Echo(1), DiesInACall(), Echo(3), Echo(4)]))
    assert results[0][0] == 1 and results[2][0] == 3 and results[3][0] == 4
    assert results[1] == Fault("p", "hook", timed_out=False, detail="exit status 7")


def test_a_death_in_one_item_skips_the_call_for_that_item_and_a_second_for_the_whole_task(pools):
    """One variant of a batch: the others keep the plugin. Two: the plugin is left out of the
    whole task, so a plugin failing on every item costs two more runs of it, not one per item."""
    pool = pools(1)
    one, two = pool.map([DiesOnItems((1,)), DiesOnItems((1, 2))])
    assert one == ["called", "skipped", "called", "called"]
    assert two == ["skipped"] * 4


def test_a_call_stuck_in_c_code_is_killed_at_the_hard_limit(pools):
    """Without the kill the call would return in about half an hour (the suite's timeout)."""
    pool = pools(1)
    stuck, after = pool.map([StuckInC(), Echo(2)])
    assert stuck == Fault("p", "hook", timed_out=True) and after[0] == 2


def test_a_death_outside_any_call_is_an_internal_error(pools):
    with pytest.raises(WorkerCrash, match=r"ended \(exit status 5\) outside any plugin call"):
        list(pools(1).map([Echo(1), DiesOutside()]))


def test_an_exception_in_a_worker_is_raised_here(pools):
    with pytest.raises(ValueError, match="bad input"):
        list(pools(1).map([Raises()]))


def test_close_leaves_no_worker(pools, still_alive):
    pool = pools(2)
    workers = [pid for pid in {pid for _, pid in pool.map(Echo(value) for value in range(4))}]
    pool.close()
    assert len(workers) == 2 and still_alive(workers) == []
