"""`--executor`: the parallel stages on a Dask cluster instead of local processes.

`dask-local[:N]` starts a `LocalCluster` of N worker processes (one thread each) for
the build and stops it after; `dask://HOST:PORT` connects to a running scheduler
(`dask scheduler`, `dask worker`: docs/cluster.md). Dask is an optional extra, imported
only here and only when asked for. The client, the cache, the lock and the atomic swap
of `site/` stay in this process; the workers compile source files and render pages.

Worker processes are spawned, never forked: a forked worker would inherit the
handler `cli.py` installs for SIGTERM (which turns it into KeyboardInterrupt) and
would not die when its nanny stops it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError
from typing import Any

from .executor_spec import ClusterError, ExecutorSpec
from .executors import Parallel, Shipped, peak_rss

CONNECT_SECONDS = 5  # to reach the scheduler: an address that does not answer fails fast
WORKERS_SECONDS = 30  # for a scheduler to have at least one worker


LOCAL_CONFIG = {  # for the workers of dask-local (a real cluster's workers have their own)
    # spawned, not forked: a forked worker would run the build's SIGTERM handler
    "distributed.worker.multiprocessing-method": "spawn",
    # no sampling of every thread's stack every 10 ms, for a dashboard nobody looks at
    "distributed.worker.profile.enabled": False,
}


@contextlib.contextmanager
def dask_parallel(spec: ExecutorSpec) -> Iterator[Parallel]:
    """A `Parallel` whose tasks run on the cluster `spec` names, for one build. Ctrl-C
    and SIGTERM wait while the cluster starts and stops (Dask cannot stop a cluster
    that was interrupted half-started: it says so with a traceback at exit)."""
    import distributed
    from distributed.comm.core import CommClosedError

    stack = contextlib.ExitStack()
    address = spec.address
    try:
        with _interrupts_deferred():
            address, client = _connect(stack, spec)
        parallel = Parallel(
            executor=client.get_executor(pure=False),
            workers=len(client.scheduler_info(n_workers=-1)["workers"]),
            worker_peaks=lambda: sorted(client.run(peak_rss).values()),
        )
        # a task that returns the shared value, not `scatter`: a key scattered to a
        # worker that dies is lost for good, a computed one is computed again
        parallel.share = lambda value: client.submit(
            _kept, Shipped(value, parallel.stats), pure=False
        )
        yield parallel
    except (distributed.KilledWorker, CommClosedError, CancelledError) as exc:
        raise ClusterError(f"the Dask cluster at {address} could not finish: {exc}") from exc
    finally:
        with _interrupts_deferred():
            stack.close()


def _kept(shipped: Shipped) -> Shipped:
    return shipped


def _connect(stack: contextlib.ExitStack, spec: ExecutorSpec) -> tuple[str, Any]:
    """The scheduler's address and a client of it (and the cluster, for dask-local)."""
    import dask
    import distributed

    stack.enter_context(dask.config.set(LOCAL_CONFIG))
    if spec.workers:
        address = stack.enter_context(_local_cluster(distributed, spec.workers)).scheduler_address
    else:
        address = spec.address
        _reachable(spec)
    return address, stack.enter_context(_client(distributed, address, spec))


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM held until the block ends, then raised as KeyboardInterrupt
    (in the main thread, where signal handlers live; elsewhere, nothing to do)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) for number in held}
    for number in held:
        signal.signal(number, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        for number, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python
                signal.signal(number, handler)
    if caught:
        raise KeyboardInterrupt


def _local_cluster(distributed: Any, workers: int) -> Any:
    return distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",  # any free port: 8787 may be taken
        silence_logs=logging.CRITICAL,  # a lost worker is retried: not the reader's business
    )


def _reachable(spec: ExecutorSpec) -> None:
    """Fail within seconds, naming the address, where Dask would retry for long."""
    try:
        socket.create_connection((spec.host, spec.port), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {spec.address}: {reason}") from exc


def _client(distributed: Any, address: str, spec: ExecutorSpec) -> Any:
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS * 2, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot connect to the Dask scheduler at {address}: {exc}") from exc
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {spec.text} has no workers (waited {WORKERS_SECONDS}s)"
        ) from exc
    return client


def open_parallel(
    spec: ExecutorSpec | None, jobs: int
) -> contextlib.AbstractContextManager[Parallel]:
    """The executor of a build: `jobs` local processes, or the cluster `spec` names."""
    return contextlib.nullcontext(Parallel(jobs)) if spec is None else dask_parallel(spec)
