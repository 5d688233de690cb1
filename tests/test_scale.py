"""Indexes that scale: a paginated archive and a directory split by type and initial,
checked on a synthetic site large enough to need both (benchmarks/synthetic.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/synthetic.py"),
            str(root),
            "--articles",
            "260",
            "--entities",
            "1200",
            "--topics",
            "5",
        ],
        check=True,
    )
    return root


def test_large_site_builds_with_split_indexes(large: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(large, "--no-search")
    assert result.code == 0, result.err
    site = large / "site"
    archive = sorted(site.glob("archive/*/index.html"))
    assert len(archive) == 5  # 260 articles, 50 a page: articles/index.html + 5 more
    first = (site / "articles/index.html").read_text()
    assert first.count('class="title"') == 50
    assert (
        'rel="next" href="../archive/2/index.html"' in first
        or 'href="../archive/2/index.html" rel="next"' in first
    )
    last = (site / "archive/6/index.html").read_text()
    assert last.count('class="title"') == 10 and 'rel="prev"' in last
    directory = (site / "entities/index.html").read_text()
    letters = re.findall(r'href="(\.\./directory/[a-z]+/[^/]+/index\.html)"', directory)
    assert len(letters) > 20
    listed = sum(
        len(
            re.findall(
                r'<li><a href="\.\./\.\./\.\./entities/e\d+/index\.html"',
                (site / "entities" / link).read_text(),
            )
        )
        for link in letters
    )
    assert listed == 1200
    biggest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    assert biggest.stat().st_size < 1_000_000, biggest
