"""Lighthouse (npm lighthouse@12.2.3, Debian's Chromium) on four kinds of page, served
under /dossier/: 100 for accessibility and SEO, at least 95 for best practices. Not
performance: its score depends on the load of the machine that runs the test, so it
would measure the machine; build and reload times are measured in benchmarks/."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import node_tool
from tests.webserver import ServedSite

PAGES = [
    "",
    "topics/north-korean-troops-in-russia/",
    "entities/lloyd-austin/",
    "articles/austin-confirms-north-korean-troops-in-russia/",
]
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
MINIMUM = {"accessibility": 1.0, "seo": 1.0, "best-practices": 0.95}


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_lighthouse_scores(served: ServedSite, path: str) -> None:
    cli = node_tool("lighthouse", "cli", "index.js")
    report = served.root.parent / f"lighthouse-{path.replace('/', '_') or 'home'}.json"
    result = subprocess.run(
        [
            "node",
            str(cli),
            served.url(path),
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={FLAGS}",
            "--only-categories=accessibility,seo,best-practices",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(report.read_text())
    scores = {name: data["categories"][name]["score"] for name in MINIMUM}
    failing = {
        name: [
            a["id"]
            for a in data["audits"].values()
            if a.get("score") is not None
            and a["score"] < 1
            and a.get("scoreDisplayMode") in ("binary", "numeric")
            and a["id"]
            in {ref["id"] for ref in data["categories"][name]["auditRefs"] if ref.get("weight")}
        ]
        for name in MINIMUM
        if scores[name] < MINIMUM[name]
    }
    assert all(scores[name] >= MINIMUM[name] for name in MINIMUM), (scores, failing)
