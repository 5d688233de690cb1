"""Checks across files that guard what gets published: the site's address."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from builder.model import checks
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


def test_an_id_named_many_times_is_looked_up_once_for_its_hint(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deleted article or entity may be named by thousands of others: every place is
    an error, but the closest id is searched for once per unknown id (10 ms each among
    10,000 ids)."""
    asked: list[str] = []
    real = checks.did_you_mean

    def counted(word: str, candidates: Iterable[str]) -> str:
        asked.append(word)
        return real(word, candidates)

    monkeypatch.setattr(checks, "did_you_mean", counted)
    articles = {
        f"content/articles/story-{n}.md": f"""\
            ---
            title: Story {n}
            date: 2024-10-2{n}
            entities: [alice-exampel]
            ---
            See [[first-stroy]], and [[first-stroy]] again.
            """
        for n in range(4)
    }
    result = run_build(write_files(tmp_path, {**MINIMAL_SITE, **articles}), "--no-search")
    assert result.code == 1
    links = [d for d in result.diagnostics if "in [[...]] (did you mean 'first-story'?)" in d]
    refs = [d for d in result.diagnostics if "(did you mean 'alice-example'?)" in d]
    assert (len(links), len(refs)) == (8, 4)
    assert sorted(asked) == ["alice-exampel", "first-stroy"]
