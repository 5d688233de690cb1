"""Work spread over forked worker processes, built so that a build can never hang.

`multiprocessing.Pool` shares queues guarded by locks between its workers; a worker
killed while it holds one (by `Pool.terminate()`, by a signal) deadlocks everything
that waits for that lock. Here each worker is forked for one stage, owns a pipe of
its own, and shares no lock with anyone: worker k computes batches k, k+n, k+2n, ...
of the work and sends each result down its pipe; the parent reads the batches in
order, which gives back-pressure (a worker is at most one batch ahead) and the same
output order whatever the number of workers.

Signals: a worker ignores SIGINT (Ctrl-C reaches the whole process group; the parent
decides) and dies on SIGTERM (default action), so the parent's own handlers, which
turn SIGTERM into KeyboardInterrupt, never run in a worker. Both are set while the
signals are blocked, so none can arrive between `fork()` and the reset. Whatever ends
the parent's loop (the end of the work, an exception, Ctrl-C, a closed generator),
the workers are killed and reaped before it goes on.

Memory: a worker shares the parent's pages until it writes to them, and the garbage
collector writes to every object it scans. The parent's objects are frozen out of the
collector while the workers fork (`gc.freeze`), so that the workers' collections leave
them, and their pages, alone: 310 MiB at the peak of a 10,000-article build, 288 with it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, Pipe
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WorkerError(Exception):
    """A worker raised an exception, or died, before finishing its share."""


def parallel_map(
    work: Callable[[Item], Result], items: Sequence[Item], jobs: int, batch: int = 64
) -> Iterator[Result]:
    """`work(item)` for every item, in order, computed by `jobs` forked processes.

    `work` and `items` reach the workers through `fork()`, not through pickling; only
    results travel, so they should be compact."""
    batches = [(start, min(start + batch, len(items))) for start in range(0, len(items), batch)]
    jobs = max(1, min(jobs, len(batches)))
    if jobs == 1 or not hasattr(os, "fork"):
        yield from map(work, items)
        return
    workers: list[tuple[int, Connection]] = []
    finished = False
    try:
        gc.freeze()
        try:
            for k in range(jobs):
                workers.append(_start(work, items, batches[k::jobs]))
        finally:
            gc.unfreeze()
        for index in range(len(batches)):
            pid, connection = workers[index % jobs]
            yield from _receive(connection, pid)
        finished = True
    finally:
        _stop_all(workers, kill=not finished)


def _start(
    work: Callable[[Item], Result], items: Sequence[Item], batches: list[tuple[int, int]]
) -> tuple[int, Connection]:
    reader, writer = Pipe(duplex=False)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    pid = -1
    try:
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            reader.close()
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            _work(work, items, batches, writer)
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    writer.close()
    return pid, reader


def _work(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    batches: list[tuple[int, int]],
    writer: Connection,
) -> None:
    code = 0
    try:
        for start, end in batches:
            writer.send(("ok", [work(item) for item in items[start:end]]))
    except BaseException:  # anything at all goes back to the parent
        code = 1
        with contextlib.suppress(BaseException):  # the parent is gone: nothing to tell
            writer.send(("error", traceback.format_exc()))
    finally:
        os._exit(code)  # no atexit handlers, no buffers of the parent flushed twice


def _receive(connection: Connection, pid: int) -> list[Result]:
    try:
        status, payload = connection.recv()
    except (EOFError, OSError) as exc:
        raise WorkerError(f"worker process {pid} died") from exc
    if status != "ok":
        raise WorkerError(f"worker process {pid} failed:\n{payload}")
    results: list[Result] = payload
    return results


def _stop_all(workers: list[tuple[int, Connection]], kill: bool) -> None:
    """Reap every worker (killed first unless they all finished), with SIGINT and SIGTERM
    held back meanwhile, so that a second Ctrl-C cannot leave one behind."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        for pid, connection in workers:
            connection.close()
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
