"""`run.py --executor WHERE`: a cold build on a Dask cluster against the same build on
local processes (the peer), on the corpus of `corpus.py` (issue 14).

    python benchmarks/run.py --executor dask-local:2 --articles 100000 [--rounds 3]
                             [--overhead-tasks 2000]

Per round, a cold `build --no-search --profile` runs locally and with `--executor`,
the one that goes first alternating between rounds so that machine load hits both
alike. Reported: wall time, CPU time and peak memory of the whole process tree (`harness`;
CPU time says more than wall time on a machine that others load),
and from the build's own `--profile` line the tasks, the work and the overhead per
task, the size of what each worker was sent once per stage, and the peak memory of the
client and of each worker. Then the cost of a task
that does nothing, through the same seam (`builder.executors.Parallel`), on the same
kind of cluster: what the scheduler costs per task, apart from any work.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import harness

PROFILE = re.compile(
    r"executor: (?P<workers>\d+) workers, (?P<tasks>\d+) tasks of (?P<items>\d+) items, "
    r"(?P<work>[\d.]+) ms of work and (?P<overhead>[\d.]+) ms overhead per task, "
    r"(?P<shared>[\d.]+) MiB shared with each worker; "
    r"peak memory: client (?P<client>\d+) MiB, workers (?P<peaks>[\d, ]+) MiB"
)


@dataclass
class Variant:
    name: str
    extra: list[str]
    runs: list[harness.Measured] = field(default_factory=list)
    profiles: list[dict[str, str]] = field(default_factory=list)

    def command(self, build: Path) -> list[str]:
        return [str(build), "--no-search", "--profile", *self.extra]


def run_builds(
    root: Path, build: Path, variants: list[Variant], rounds: int, timeout: float
) -> None:
    logs = root.parent / "logs"
    for round_no in range(rounds):
        for variant in variants if round_no % 2 == 0 else variants[::-1]:
            harness.remove(root / "site", root / ".dossier-cache")
            log = logs / f"{variant.name}-{round_no + 1}"
            measured = harness.measure(variant.command(build), root, log, timeout)
            if measured.code != 0:
                sys.exit(
                    f"{variant.name} failed (exit {measured.code}):\n{measured.stderr[-3000:]}"
                )
            variant.runs.append(measured)
            found = PROFILE.search(measured.stdout)
            if found:
                variant.profiles.append(found.groupdict())
            print(
                f"round {round_no + 1} {variant.name:<22}{measured.seconds:8.2f} s"
                f"{measured.cpu:8.2f} CPU s{measured.peak_mib:8.0f} MiB",
                flush=True,
            )


def table(variants: list[Variant]) -> str:
    rows = [("build", "wall s", "CPU s", "tree MiB", "tasks", "work ms/task",
             "overhead ms/task", "shared MiB", "client MiB", "worker MiB")]  # fmt: skip
    for v in variants:
        last = v.profiles[-1] if v.profiles else {}
        rows.append(
            (
                v.name,
                f"{statistics.median(r.seconds for r in v.runs):.2f}",
                f"{statistics.median(r.cpu for r in v.runs):.2f}",
                f"{max(r.peak_mib for r in v.runs):.0f}",
                last.get("tasks", "-"),
                last.get("work", "-"),
                last.get("overhead", "-"),
                last.get("shared", "-"),
                last.get("client", "-"),
                last.get("peaks", "-").replace(" ", ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                       enumerate(zip(row, widths, strict=True))) for row in rows]  # fmt: skip
    return "\n".join(lines)


def empty_task_cost(spec_text: str, tasks: int) -> str:
    """Seconds per task of nothing, on a cluster like `spec_text`, through `Parallel`."""
    from builder.cluster import dask_parallel
    from builder.executor_spec import executor_spec
    from builder.executors import Parallel

    spec = executor_spec(spec_text)
    if spec is None or not spec.workers:
        return "empty tasks: measured for dask-local[:N] only"
    with dask_parallel(spec) as parallel:
        list(parallel.map(_nothing, None, range(spec.workers * 4), batch=1))  # warm up
        started = time.perf_counter()
        list(parallel.map(_nothing, None, range(tasks), batch=1))
        on_cluster = (time.perf_counter() - started) / tasks
    local = Parallel(jobs=spec.workers)
    started = time.perf_counter()
    list(local.map(_nothing, None, range(tasks), batch=1))
    forked = (time.perf_counter() - started) / tasks
    return (
        f"empty tasks ({tasks}, one item each): {on_cluster * 1000:.2f} ms a task on "
        f"{spec_text} (wall / tasks, {spec.workers} workers), "
        f"{forked * 1000:.3f} ms an item on {spec.workers} forked local processes"
    )


def _nothing(shared: None, item: int) -> int:
    return item


def main(args: argparse.Namespace, build: Path, root: Path) -> int:
    variants = [
        Variant("local", []),
        Variant(f"--executor {args.executor}", ["--executor", args.executor]),
    ]
    run_builds(root, build, variants, args.rounds, args.timeout)
    print()
    print(table(variants))
    print()
    print(empty_task_cost(args.executor, args.overhead_tasks))
    return 0
