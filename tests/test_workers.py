"""Worker processes (`parallel_map`, and `aside` for one piece of work): results in
order, and every way a stage can end (success, an exception in a worker, a worker
that dies, Ctrl-C, SIGTERM, an abandoned iteration) ends with every worker reaped and
nothing left hanging. A test that hangs fails on
its own timeout (see pytest-timeout in pyproject)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from builder.workers import WorkerError, aside, parallel_map
from tests.conftest import ROOT


def children() -> set[int]:
    """This process's living child processes (from /proc), other than those that the
    test session itself started (a browser driver, a web server)."""
    return _children() - _SESSION


def _children() -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.add(int(entry))
    return found


_SESSION: set[int] = set()


@pytest.fixture(autouse=True)
def session_children() -> None:
    _SESSION.clear()
    _SESSION.update(_children())


def square(n: int) -> int:
    return n * n


def test_results_come_in_order_whatever_the_number_of_workers() -> None:
    items = list(range(1000))
    for jobs in (1, 2, 3):
        assert list(parallel_map(square, items, jobs, batch=7)) == [n * n for n in items]
    assert children() == set()


def test_an_exception_in_a_worker_is_raised_with_its_traceback() -> None:
    def fail_on_500(n: int) -> int:
        if n == 500:
            raise ValueError("bad item")
        return n

    with pytest.raises(WorkerError, match="ValueError: bad item"):
        list(parallel_map(fail_on_500, list(range(1000)), 2, batch=10))
    assert children() == set()


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    def die_on_500(n: int) -> int:
        if n == 500:
            os.kill(os.getpid(), signal.SIGKILL)
        return n

    with pytest.raises(WorkerError, match="died"):
        list(parallel_map(die_on_500, list(range(1000)), 2, batch=10))
    assert children() == set()


def test_leaving_the_loop_early_stops_the_workers() -> None:
    results = parallel_map(square, list(range(10_000)), 2, batch=10)
    assert next(results) == 0
    results.close()
    assert children() == set()


def test_workers_ignore_sigint_and_die_on_sigterm() -> None:
    def slow(n: int) -> int:
        time.sleep(0.01)
        return n

    results = parallel_map(slow, list(range(400)), 2, batch=5)
    next(results)
    workers = children()
    assert len(workers) == 2
    for pid in workers:
        os.kill(pid, signal.SIGINT)  # as Ctrl-C reaches the whole group: the parent decides
    assert list(results)[-1] == 399
    assert children() == set()


STOPPED = """
import os, signal, sys, time
from builder.workers import parallel_map
def slow(n):
    time.sleep(0.005)
    return n
def interrupt(signum, frame):
    raise KeyboardInterrupt  # what `build` does with SIGTERM
signal.signal(signal.SIGTERM, interrupt)
results = parallel_map(slow, list(range(100000)), 2, batch=5)
next(results)
try:  # the signal is sent once the pid is read: only inside this block
    print(os.getpid(), flush=True)
    for _ in results:
        pass
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_parent_stops_everything_without_a_traceback(signum: int) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    pid = int(process.stdout.readline())
    os.killpg(pid, signum)  # the whole group, as a terminal's Ctrl-C or a service manager
    out, err = process.communicate(timeout=30)
    assert "interrupted" in out
    assert "Traceback" not in err
    assert subprocess.run(["pgrep", "-g", str(pid)], capture_output=True).stdout == b""


def test_work_aside_runs_in_another_process_while_the_caller_goes_on() -> None:
    started = time.perf_counter()
    with aside(lambda: (time.sleep(0.5), os.getpid())[1], fork=True) as result:
        assert len(children()) == 1
        waited = time.perf_counter() - started
        assert result() != os.getpid()
        assert result() == result()  # taken once, given again
    assert waited < 0.4  # the block did not wait for the work to be done
    assert children() == set()


def test_work_aside_without_fork_is_done_here_once_when_asked() -> None:
    calls: list[int] = []
    with aside(lambda: calls.append(os.getpid()) or len(calls), fork=False) as result:
        assert calls == []
        assert result() == result() == 1
    assert calls == [os.getpid()]


def test_an_error_aside_is_raised_with_its_traceback() -> None:
    def fail() -> int:
        raise ValueError("bad work")

    with pytest.raises(WorkerError, match="ValueError: bad work"), aside(fail, True) as result:
        result()
    assert children() == set()


def test_work_aside_not_taken_is_stopped_when_the_block_ends() -> None:
    with pytest.raises(RuntimeError), aside(lambda: time.sleep(60), fork=True):
        assert len(children()) == 1
        raise RuntimeError("the build failed meanwhile")
    assert children() == set()
