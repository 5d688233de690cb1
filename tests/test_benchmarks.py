"""The benchmarks run (at a tiny scale here; their numbers come from full runs), and a
missed target is a failure that a script or CI sees: exit code 1, not only a word."""

from __future__ import annotations

import subprocess
import sys

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


def test_mention_benchmark_fails_a_target_it_misses() -> None:
    result = bench_mentions("0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "FAIL: over 0 ms per article"
