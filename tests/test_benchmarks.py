"""The benchmarks run (at a tiny scale here; their numbers come from full runs), and a
missed target is a failure that a script or CI sees: exit code 1, not only a word."""

from __future__ import annotations

import argparse
import importlib.util
import platform
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT


def bench_mentions(target_ms: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "benchmarks/bench_mentions.py",
            "--articles",
            "30",
            "--entities",
            "300",
            "--target-ms",
            target_ms,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_mention_benchmark_passes_a_target_it_meets() -> None:
    result = bench_mentions("1000")
    assert result.returncode == 0, result.stderr
    assert "ms per article (target < 1000 ms)" in result.stdout
    assert "ratio link/parse" in result.stdout
    assert result.stdout.splitlines()[-1] == "PASS"


def test_search_scale_benchmark_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/search_scale.py",
            *("--articles", "30", "--entities", "30", "--topics", "3"),
            *("--work", str(tmp_path), "--no-targets"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "build with search, cold:" in out and "search stage:" in out
    assert "Pagefind over the whole site in one go:" in out
    assert "entity pages" in out and "search index" in out
    assert "one article edited:" in out and "(1 shard made (articles-20" in out
    downloaded = float(out.split("query 'troops border': ")[1].split(" MB")[0])
    assert downloaded > 0
    assert not (tmp_path / "benchmark-trash").exists()  # what it set aside is deleted at the end


def test_mention_benchmark_fails_a_target_it_misses() -> None:
    result = bench_mentions("0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "FAIL: over 0 ms per article"


def load_bench_run(script: str = "run") -> ModuleType:
    """benchmarks/<script>.py, which imports its neighbours as top-level modules."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        name = f"bench_{script}"
        spec = importlib.util.spec_from_file_location(name, ROOT / f"benchmarks/{script}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look themselves up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


@pytest.mark.parametrize(("stage", "code"), [(19.5, 0), (20.5, 1)])
def test_search_benchmark_exit_code_says_whether_a_target_was_missed(
    stage: float, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    search_scale = load_bench_run("search_scale")
    measured = sys.modules["harness"].Measured(120.0, 900.0, 0, "", "")
    sizes = {"total": "376.7 MB"}
    args = argparse.Namespace(
        articles=10_000, entities=10_000, topics=100, query="troops border", no_targets=False
    )
    ours = [(measured, stage - 1, sizes), (measured, stage + 1, sizes)]
    edit = (measured, 3.8, "1 shard made")
    assert search_scale.report(args, ours, [measured], edit, (1_150_000, 93)) == code
    out = capsys.readouterr().out
    assert f"search stage: {stage:.1f} s (rounds: {stage - 1:.1f}, {stage + 1:.1f})" in out
    assert ("FAIL  search stage under 20 s" in out) == bool(code)
    assert "pass  peak memory under 1.5 GB" in out


def bench_results(run: ModuleType, seconds: dict[str, float], peak: float) -> Any:
    results = run.Results()
    measured = sys.modules["harness"].Measured
    for scenario, value in seconds.items():
        for tool, factor in (("Dossier", 1.0), ("Hugo", 2.0)):
            results.add(tool, scenario, measured(value * factor, peak, 0, "", ""))
    return results


TARGETS = argparse.Namespace(
    no_targets=False,
    articles=10_000,
    target_cold_ratio=1.5,
    target_edit=1.0,
    target_noop=0.3,
    target_rss=500.0,
)


@pytest.mark.parametrize(
    ("seconds", "peak", "code", "failed"),
    [
        ({"cold": 10.0, "no change": 0.2, "article edited": 0.5}, 400.0, 0, []),
        (
            {"cold": 10.0, "no change": 0.2, "article edited": 1.0},
            400.0,
            1,
            ["FAIL  article edited: 1.00 s < 1 s"],
        ),
        (
            {"cold": 10.0, "no change": 0.4, "article edited": 0.5},
            500.0,
            1,
            [
                "FAIL  no change: 0.40 s < 0.3 s",
                "FAIL  peak memory, any scenario: 500.00 MiB < 500 MiB",
            ],
        ),
    ],
)
def test_build_benchmark_exit_code_says_whether_a_target_was_missed(
    seconds: dict[str, float],
    peak: float,
    code: int,
    failed: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = load_bench_run()
    assert run.report(TARGETS, bench_results(run, seconds, peak), None, False) == code
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("FAIL")] == failed
    assert "PASS  cold build, Dossier/Hugo: 0.50x <= 1.5x" in out


def test_build_benchmark_fails_when_incremental_differs_from_cold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = load_bench_run()
    results = bench_results(run, {"cold": 10.0}, 100.0)
    args = argparse.Namespace(**{**vars(TARGETS), "no_targets": True})
    assert run.report(args, results, ["site/index.html differs"], False) == 1
    assert "FAIL  site/ after the incremental builds equals a cold build" in capsys.readouterr().out
    assert run.report(args, results, [], False) == 0


def test_floor_builds_every_article_and_the_archive_newest_first(tmp_path: Path) -> None:
    floor = load_bench_run("floor")
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    for number, day in ((1, "2024-03-02"), (2, "2024-05-06"), (3, "2023-12-31")):
        (articles / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number} & more\ndate: '{day}'\ntopics:\n- talks\n---\n"
            f"First paragraph of story {number}.\n\nSecond, with *emphasis*.\n"
        )
    out = tmp_path / "floor-site"
    assert floor.main([str(tmp_path / "content"), str(out), "--jobs", "2"]) == 0
    page = (out / "articles" / "story-2" / "index.html").read_text()
    assert "<h1>Story 2 &amp; more</h1>" in page
    assert "<p>Second, with <em>emphasis</em>.</p>" in page
    archive = (out / "archive" / "1" / "index.html").read_text()
    assert [archive.index(f"story-{n}/") for n in (2, 1, 3)] == sorted(
        archive.index(f"story-{n}/") for n in (2, 1, 3)
    )
    with pytest.raises(SystemExit):  # the floor is a cold build: never over a site
        floor.main([str(tmp_path / "content"), str(out)])


def test_build_benchmark_reports_the_floor_beside_both_tools(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = load_bench_run()
    results = bench_results(run, {"cold": 10.0}, 100.0)
    results.add("Floor", "cold", sys.modules["harness"].Measured(4.0, 50.0, 0, "", ""))
    args = argparse.Namespace(**{**vars(TARGETS), "no_targets": True})
    assert run.report(args, results, None, False) == 0
    out = capsys.readouterr().out
    assert "floor (floor.py), cold: 4.00 s; Dossier/floor 2.50, Hugo/floor 5.00" in out


def test_the_report_names_the_python_that_runs_the_build_not_its_own(tmp_path: Path) -> None:
    """Two builds of one Python version can differ by a tenth in speed: the report
    says which interpreter the measured `build` script runs on (its shebang)."""
    load_bench_run()
    harness = sys.modules["harness"]
    script = tmp_path / "build"
    script.write_text(f"#!{sys.executable}\nprint('a build')\n")
    described = harness.python_version(script)
    assert described == f"CPython {platform.python_version()} ({sys.base_prefix})"
    script.write_text("#!/nonexistent/python\n")
    assert harness.python_version(script) == "unknown"
