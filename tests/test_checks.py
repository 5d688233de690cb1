"""Checks across files that guard what gets published: the site's address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_SITE, Run, write_files

PLACEHOLDER = "'base_url' is a placeholder"


@pytest.mark.parametrize(
    "address",
    ["https://example.github.io/dossier/", "https://example.org/", "https://www.example.com/x/"],
)
def test_a_placeholder_address_fails_strict(
    address: str, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    files = dict(MINIMAL_SITE, **{"content/site.yaml": f"title: Desk\nbase_url: {address}\n"})
    site = write_files(tmp_path, files)
    result = run_build(site)
    assert result.code == 0
    assert [d.split(": warning: ")[0] for d in result.diagnostics] == ["content/site.yaml:2:11"]
    assert PLACEHOLDER in result.diagnostics[0]
    strict = run_build(site, "--strict")
    assert strict.code == 1 and PLACEHOLDER in strict.err
    given = run_build(site, "--strict", "--base-url", "https://newsroom.github.io/desk/")
    assert given.code == 0, given.err
    page = (site / "site/topics/big-story/index.html").read_text()
    assert "https://newsroom.github.io/desk/topics/big-story/" in page
    assert "example." not in page


def test_a_real_address_is_not_a_placeholder(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    files = dict(
        MINIMAL_SITE, **{"content/site.yaml": "title: D\nbase_url: https://examples.org/\n"}
    )
    assert run_build(write_files(tmp_path, files), "check", "--strict").code == 0
