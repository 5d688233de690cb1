"""The benchmarks run (at a tiny scale here; their numbers come from full runs)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mention_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_mentions.py", "--articles", "30", "--entities", "300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ms per article" in result.stdout and "ratio link/parse" in result.stdout
