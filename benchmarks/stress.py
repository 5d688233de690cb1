"""Build one site many times under load, interrupting some builds: nothing may break.

    python benchmarks/stress.py [--builds 200] [--articles 450] [--seed 1] [--work DIR]

Generates a synthetic site (corpus.py) and runs `build --no-search` on it again and
again while busy loops keep every core loaded. A tenth of the builds (chosen with a
seeded random generator) get SIGTERM (sent to the build's process) or SIGINT (sent to
its process group, as Ctrl-C in a terminal does) at a random moment between 10% and
90% of a typical build. Every few builds one article is edited (a sentence appended,
or removed again), so incremental builds see real changes.

Checks, per build:
- it ends within --timeout seconds (otherwise: a hang, and the process group is killed);
- no "Traceback" on stderr;
- exit code 0 when it finished, 130 when it was interrupted (others are counted);
- after exit 0, site/ equals a reference cold build of the same content, byte for byte
  (references are built once per content state, with --no-cache where `build` has it);
- after an interrupted build, site/ is still the previous site (or, when the signal
  came after the new site was in place, the new one).

Exit status 1 when there was a hang, a traceback, a mismatch or a build that failed
without being interrupted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import harness

EDITED_ARTICLES = 3
State = tuple[bool, ...]


def spin() -> None:
    while True:
        pass


def start_load(processes: int) -> list[multiprocessing.Process]:
    """Busy loops, one per core, to make builds compete for the CPU."""
    load = [multiprocessing.Process(target=spin, daemon=True) for _ in range(processes)]
    for process in load:
        process.start()
    return load


def stop_load(load: list[multiprocessing.Process]) -> None:
    for process in load:
        process.terminate()
    for process in load:
        process.join()


@dataclass
class Content:
    """A few articles that edits toggle between their original text and one with an
    appended sentence; the state names the content, so references can be reused."""

    articles: list[Path]
    originals: list[str]
    state: list[bool]

    @classmethod
    def pick(cls, folder: Path, rng: random.Random) -> Content:
        paths = rng.sample(sorted(folder.glob("*.md")), EDITED_ARTICLES)
        return cls(paths, [p.read_text(encoding="utf-8") for p in paths], [False] * len(paths))

    def toggle(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.articles))
        self.state[index] = not self.state[index]
        text = self.originals[index]
        if self.state[index]:
            text = text.rstrip("\n") + "\n\nThis article was edited by the stress test.\n"
        self.articles[index].write_text(text, encoding="utf-8")

    def key(self) -> State:
        return tuple(self.state)


@dataclass
class Tally:
    builds: int = 0
    finished: int = 0
    interrupted: int = 0
    signal_too_late: int = 0  # signalled, but the build had already finished
    committed_then_interrupted: int = 0  # exit 130, yet site/ is the new site
    hangs: int = 0
    tracebacks: int = 0
    mismatches: int = 0
    failures: int = 0  # non-zero exit without a signal
    leftovers: list[int] = field(default_factory=list)  # builds that left a temporary folder
    references: int = 0
    exit_codes: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        print(f"  ! {text}", flush=True)


class Stress:
    def __init__(self, args: argparse.Namespace, root: Path) -> None:
        self.args, self.root = args, root
        self.build = harness.find_build(args.build)
        self.features = harness.detect_features(self.build)
        self.rng = random.Random(args.seed)
        self.content = Content.pick(root / "content" / "articles", self.rng)
        self.references: dict[State, Path] = {}
        self.durations: list[float] = []
        self.logs = root.parent / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.tally = Tally()

    def reference(self, state: State) -> Path:
        """A cold build of the content in `state`, made once."""
        if state in self.references:
            return self.references[state]
        out = self.root.parent / ("reference-" + "".join("1" if s else "0" for s in state))
        harness.remove(out)
        command = [str(self.build), "--no-search", "--out", str(out)]
        command += ["--no-cache"] if self.features.no_cache else []
        measured = harness.measure(command, self.root, self.logs / out.name, self.args.timeout)
        if measured.code != 0:
            sys.exit(f"reference build failed (exit {measured.code}):\n{measured.stderr[-3000:]}")
        self.durations.append(measured.seconds)
        self.tally.references += 1
        self.references[state] = out
        return out

    def typical(self) -> float:
        return statistics.median(self.durations[-20:])

    def launch(self, number: int) -> tuple[subprocess.Popen[bytes], Path]:
        err = self.logs / f"build-{number}.err"
        with (self.logs / f"build-{number}.out").open("wb") as out, err.open("wb") as errors:
            proc = subprocess.Popen(
                [str(self.build), "--no-search"],
                cwd=self.root,
                stdout=out,
                stderr=errors,
                start_new_session=True,  # its own process group, for SIGINT and for kill
            )
        return proc, err

    def signal_midway(self, proc: subprocess.Popen[bytes]) -> str | None:
        """Wait a random part of a typical build, then interrupt; None if it ended first."""
        delay = self.rng.uniform(0.1, 0.9) * self.typical()
        how = self.rng.choice(("SIGTERM", "SIGINT"))
        try:
            proc.wait(timeout=delay)
            return None
        except subprocess.TimeoutExpired:
            pass
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        return f"{how} after {delay:.2f}s"

    def wait(self, proc: subprocess.Popen[bytes], started: float) -> int | None:
        """The exit code, or None after a hang (the process group is then killed)."""
        try:
            return proc.wait(timeout=max(0.0, self.args.timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None

    def one(self, number: int, interrupt: bool, last_good: State | None) -> State | None:
        """Run build `number`; return the content state that site/ now holds."""
        state = self.content.key()
        reference = self.reference(state)
        started = time.monotonic()
        proc, err = self.launch(number)
        sent = self.signal_midway(proc) if interrupt else None
        code = self.wait(proc, started)
        seconds = time.monotonic() - started
        tally = self.tally
        tally.builds += 1
        if code is None:
            tally.hangs += 1
            tally.problem(
                f"build {number}: no exit within {self.args.timeout:g}s ({sent or 'no signal'})"
            )
            return last_good
        tally.exit_codes[code] += 1
        if "Traceback" in err.read_text(errors="replace"):
            tally.tracebacks += 1
            tally.problem(
                f"build {number}: a traceback on stderr ({sent or 'no signal'}), see {err}"
            )
        if code == 0:
            return self.finished(number, state, reference, seconds, sent)
        return self.stopped(number, code, state, last_good, sent)

    def finished(
        self, number: int, state: State, reference: Path, seconds: float, sent: str | None
    ) -> State:
        self.tally.finished += 1
        self.tally.signal_too_late += sent is not None
        self.durations.append(seconds)
        differences = harness.tree_differences(self.root / "site", reference, limit=5)
        if differences:
            self.tally.mismatches += 1
            self.tally.problem(f"build {number}: site/ differs from a cold build: {differences}")
        return state

    def stopped(
        self, number: int, code: int, state: State, last_good: State | None, sent: str | None
    ) -> State | None:
        """A build that exited non-zero: interrupted (fine) or failed (a problem)."""
        if sent is None:
            self.tally.failures += 1
            self.tally.problem(f"build {number}: exit {code} without any signal")
        else:
            self.tally.interrupted += code == 130
        site = self.root / "site"
        if last_good is None and not site.exists():
            return None
        before = self.references.get(last_good) if last_good is not None else None
        if before is not None and not harness.tree_differences(site, before, limit=1):
            return last_good
        if not harness.tree_differences(site, self.references[state], limit=1):
            self.tally.committed_then_interrupted += 1
            return state
        self.tally.mismatches += 1
        self.tally.problem(f"build {number}: exit {code} ({sent}) left site/ changed")
        return None

    def leftovers(self) -> int:
        return sum(1 for p in self.root.iterdir() if p.name.startswith(".site."))

    def run(self) -> Tally:
        total, args = self.args.builds, self.args
        chosen = set(self.rng.sample(range(total), round(total * args.interrupt_share)))
        last_good: State | None = None
        for number in range(total):
            if number and number % args.edit_every == 0:
                self.content.toggle(self.rng)
            last_good = self.one(number, number in chosen, last_good)
            if self.leftovers():
                self.tally.leftovers.append(number)
            if (number + 1) % 10 == 0 or number + 1 == total:
                print(f"{number + 1}/{total} builds, {len(self.tally.problems)} problems")
        return self.tally


def report(tally: Tally, pages: int, seconds: float) -> int:
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(tally.exit_codes.items()))
    print(
        f"\nsite: {pages} HTML pages; {seconds:.0f}s in all; "
        f"{tally.references} reference builds\n"
        f"builds:      {tally.builds}\n"
        f"finished:    {tally.finished} (of which signalled too late: {tally.signal_too_late})\n"
        f"interrupted: {tally.interrupted} (exit 130; of which after the new site was in "
        f"place: {tally.committed_then_interrupted})\n"
        f"hangs:       {tally.hangs}\n"
        f"tracebacks:  {tally.tracebacks}\n"
        f"mismatches:  {tally.mismatches}\n"
        f"failures:    {tally.failures} (non-zero exit without a signal)\n"
        f"exit codes:  {codes}\n"
        f"temporary folders left beside site/ after {len(tally.leftovers)} builds "
        f"{tally.leftovers[:10]}"
    )
    bad = tally.hangs + tally.tracebacks + tally.mismatches + tally.failures
    print("FAIL" if bad else "PASS")
    return 1 if bad else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--builds", type=int, default=200)
    p.add_argument("--articles", type=int, default=450)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path("/tmp/dossier-stress"))
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before a build hangs")
    p.add_argument("--interrupt-share", type=float, default=0.1, metavar="FRACTION")
    p.add_argument("--edit-every", type=int, default=5, metavar="N", help="builds between edits")
    p.add_argument("--build", type=Path, help="the build command (default: beside this Python)")
    p.add_argument("--load", type=int, default=os.cpu_count() or 2, help="busy processes")
    args = p.parse_args(argv)
    if args.builds < 1 or args.edit_every < 1 or not 0 <= args.interrupt_share <= 1:
        p.error("need --builds >= 1, --edit-every >= 1 and 0 <= --interrupt-share <= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work.absolute()
    source = harness.cached_corpus(work, args.articles, 200, 18)
    root = harness.fresh_copy(source / "dossier", work / "stress" / "dossier")
    for stale in (work / "stress").glob("reference-*"):
        harness.remove(stale)
    stress = Stress(args, root)
    print(f"{args.builds} builds of {root} with {args.load} busy processes", flush=True)
    started = time.monotonic()
    load = start_load(args.load)
    try:
        tally = stress.run()
    finally:
        stop_load(load)
    pages = sum(1 for _ in stress.references[stress.content.key()].rglob("*.html"))
    return report(tally, pages, time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
