"""The benchmarks run (at a tiny scale here; their numbers come from full runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
