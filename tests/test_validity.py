"""Every page of the demo site through the W3C Nu HTML checker (npm `vnu-jar`)."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.conftest import node_tool
from tests.webserver import ServedSite


def test_nu_html_checker_finds_no_error(served: ServedSite) -> None:
    java = shutil.which("java")
    assert java, "Java is missing: run `bash scripts/test`, which installs it"
    vnu = node_tool("vnu-jar", "build", "dist", "vnu.jar")
    pages = sorted(str(p) for p in served.root.rglob("*.html"))
    assert len(pages) >= 20
    result = subprocess.run(
        [java, "-jar", str(vnu), "--format", "json", "--errors-only", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
    assert result.returncode == 0


def test_nu_html_checker_catches_an_error(served: ServedSite, tmp_path: object) -> None:
    """The check can fail: a page with a stray end tag is reported."""
    java = shutil.which("java")
    assert java
    broken = served.root.parent / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p>a</div>")
    result = subprocess.run(
        [
            java,
            "-jar",
            str(node_tool("vnu-jar", "build", "dist", "vnu.jar")),
            "--format",
            "json",
            "--errors-only",
            str(broken),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(result.stderr)["messages"]
