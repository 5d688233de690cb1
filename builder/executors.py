"""Where the parallel stages run: the one seam between the pipeline and its workers.

A stage hands `Parallel.map` a module-level function `work(shared, item)`, the
read-only value every item needs (`shared`: the alias automaton's input, the resolved
site and its templates) and the items. By default the work runs in forked local
processes (`workers.py`): `shared` reaches them through `fork()`. Given any
`concurrent.futures.Executor` instead (Dask's `Client.get_executor()`, or a thread
pool in tests), items go out in batches, one task per batch, and `shared` goes out
once: `share` turns it into a handle that every task names (Dask sends it to each
worker once; the default passes the object itself). Results come back in the order of
the items, whichever executor computed them, so output never depends on the executor.
"""

from __future__ import annotations

import pickle
import resource
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .workers import parallel_map

Shared = TypeVar("Shared")
Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class TaskStats:
    """What the tasks sent to an executor cost: `compute` is the time spent in
    Dossier's code inside the tasks, `wall` the time the stages took end to end."""

    tasks: int = 0
    items: int = 0
    compute: float = 0.0
    wall: float = 0.0
    shared: int = 0  # bytes of the largest value a stage shared with every worker

    def overhead_per_task(self, workers: int) -> float:
        """Seconds per task that the workers spent not computing: scheduling,
        (de)serialisation, transfer, and waiting at the start and end of a stage."""
        return max(0.0, self.wall * workers - self.compute) / self.tasks if self.tasks else 0.0


@dataclass
class Batch:
    """One task: `work` over a run of items, timed where it runs."""

    work: Callable[[Any, Any], Any]
    items: list[Any]

    def __call__(self, shared: Any) -> tuple[list[Any], float]:
        started = time.perf_counter()
        results = [self.work(shared, item) for item in self.items]
        return results, time.perf_counter() - started


def peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Shipped:
    """A stage's shared value as it goes to a cluster: pickled once here, unpickled once
    in each worker process, then kept there for every task of the stage. (Handing
    Dask the object itself would pickle it in the background, where a failure turns
    into endless retries instead of an error.) `stats`, if given, learns its size."""

    def __init__(self, value: object, stats: TaskStats | None = None) -> None:
        self.data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.value: object = None
        if stats is not None:
            stats.shared = max(stats.shared, len(self.data))

    def __getstate__(self) -> bytes:
        return self.data

    def __setstate__(self, data: bytes) -> None:
        self.data, self.value = data, None

    def get(self) -> object:
        if self.value is None:
            self.value = pickle.loads(self.data)
        return self.value


def _run(batch: Batch, shared: Any) -> tuple[list[Any], float]:
    return batch(shared.get() if isinstance(shared, Shipped) else shared)


@dataclass
class Parallel:
    """The executor of one build. `executor=None`: forked local processes, `jobs` of
    them, for stages of at least `threshold` items (below that, starting processes
    costs more than it saves). With an executor every stage goes to it: whoever asked
    for a cluster wants the cluster used. `workers`: how many workers the executor has
    (for the overhead figure). `share(value)` is called once per stage."""

    jobs: int = 1
    executor: Executor | None = None
    share: Callable[[Any], Any] = lambda value: value
    workers: int = 1
    worker_peaks: Callable[[], list[int]] = list  # each worker's peak memory, in bytes
    stats: TaskStats = field(default_factory=TaskStats)

    def summary(self) -> str:
        """One line for `--profile`: the tasks and what each cost besides its work."""
        if self.executor is None:
            return ""
        stats, workers = self.stats, self.workers
        peaks = ", ".join(f"{peak / 2**20:.0f}" for peak in self.worker_peaks())
        return (
            f"executor: {workers} workers, {stats.tasks} tasks of {stats.items} items, "
            f"{stats.compute / max(stats.tasks, 1) * 1000:.1f} ms of work and "
            f"{stats.overhead_per_task(workers) * 1000:.1f} ms overhead per task, "
            f"{stats.shared / 2**20:.1f} MiB shared with each worker; "
            f"peak memory: client {peak_rss() / 2**20:.0f} MiB, workers {peaks or 'n/a'} MiB"
        )

    def map(
        self,
        work: Callable[[Shared, Item], Result],
        shared: Shared,
        items: Sequence[Item],
        batch: int,
        threshold: int = 0,
    ) -> Generator[Result, None, None]:
        """`work(shared, item)` for every item, in order."""
        if self.executor is None:
            jobs = self.jobs if len(items) >= threshold else 1
            yield from parallel_map(lambda item: work(shared, item), items, jobs, batch)
            return
        if not items:
            return
        yield from self._submitted(work, shared, items, batch)

    def _submitted(
        self,
        work: Callable[[Shared, Item], Result],
        shared: Shared,
        items: Sequence[Item],
        batch: int,
    ) -> Iterator[Result]:
        assert self.executor is not None
        started = time.perf_counter()
        handle = self.share(shared)
        futures = [
            self.executor.submit(_run, Batch(work, list(items[start : start + batch])), handle)
            for start in range(0, len(items), batch)
        ]
        self.stats.tasks += len(futures)
        self.stats.items += len(items)
        try:
            for future in futures:
                results, seconds = future.result()
                self.stats.compute += seconds
                yield from results
        finally:
            for future in futures:
                future.cancel()  # a stage given up (an error, Ctrl-C): no more work
            self.stats.wall += time.perf_counter() - started
