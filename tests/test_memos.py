"""What the cache remembers across builds (`incremental/memos.py`): the mention
indexes of the last site, which templates each template names, the titles that tell
pages apart, and the site graph's layout. A build after an edit to prose reads them
back instead of making them, one after an edit to what they read makes them anew,
and a stored copy that is garbage, of another version or of another site costs time,
never a wrong page."""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from builder.incremental import memos
from builder.incremental.cache import code_version
from builder.incremental.store import Store
from builder.model import resolve
from builder.output import render
from tests.conftest import Run, write_files
from tests.test_incremental import SITE
from tests.test_snapshot import CACHE, same_as_cold


def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per time a build makes the mention indexes."""
    made: list[int] = []
    index_mentions = resolve.index_mentions
    monkeypatch.setattr(
        resolve, "index_mentions", lambda site: made.append(1) or index_mentions(site)
    )
    return made


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_an_edit_to_prose_reads_the_mention_indexes_back(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    made = counted(monkeypatch)
    append(root / "content/articles/two.md", "It adjourned at noon.")
    assert run_build(root, "--no-search").code == 0
    assert made == []
    append(root / "content/articles/two.md", "Alice Example left.")  # a new mention
    same_as_cold(root, run_build)
    assert made == [1, 1]  # the rebuild, then the cold build


@pytest.mark.parametrize(
    "blob",
    [
        b"not marshal at all",
        marshal.dumps(("another version", b"k" * 16, ({}, {}, {}, {}, {}))),
        marshal.dumps((code_version(), b"k" * 16, ({}, {}, {}))),
        marshal.dumps((code_version(), b"k" * 16, ({}, {}, {}, {}, []))),
        marshal.dumps((code_version(), b"k" * 16, ({}, {}, {}, {}, {}))),  # another site's
    ],
    ids=["not marshal", "another version", "too few indexes", "a list", "another site"],
)
def test_stored_mention_indexes_that_do_not_fit_are_made_anew(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, blob: bytes
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    store = Store(root / CACHE)
    with store.transaction():
        store.set_meta(memos.MENTIONS, blob)
    store.close()
    made = counted(monkeypatch)
    append(root / "content/articles/two.md", "It adjourned at noon.")
    warm = same_as_cold(root, run_build)
    assert "damaged" not in warm.err
    assert made == [1, 1]


def test_an_edit_to_prose_reads_back_what_templates_name_and_the_titles(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    parsed: list[object] = []
    told: list[object] = []
    find, told_apart = render.meta.find_referenced_templates, memos.told_apart

    def finding(ast: object) -> object:
        parsed.append(ast)
        return find(ast)

    def telling(*args: object) -> object:
        told.append(1)
        return told_apart(*args)

    monkeypatch.setattr(render.meta, "find_referenced_templates", finding)
    monkeypatch.setattr(memos, "told_apart", telling)
    article = root / "content/articles/two.md"
    append(article, "It adjourned at noon.")
    assert run_build(root, "--no-search").code == 0
    append(article, "It met again at two.")
    assert run_build(root, "--no-search").code == 0
    assert parsed == [] and told == [1]  # worked out once, for this structure
    templates = root / "themes/house/templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text('{% extends "default:article.html" %}')
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    append(article, "It closed at five.")
    same_as_cold(root, run_build)
    assert parsed  # the new template, read


def test_the_site_graph_is_drawn_aside_and_its_layout_still_remembered(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # more than one process: drawn aside
    drawn = tmp_path / "drawn"  # the process that made each layout (a fork has no return)
    force_layout = memos.force_layout

    def logged(*args: Any) -> dict[str, tuple[float, float]]:
        with drawn.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return force_layout(*args)

    monkeypatch.setattr(memos, "force_layout", logged)
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    first = drawn.read_text().split()
    assert len(first) == 1 and first[0] != str(os.getpid())
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("Desk", "Night desk"))  # every page
    assert run_build(root, "--no-search").code == 0
    assert drawn.read_text().split() == first  # the layout came from the cache
    assert "Night desk" in (root / "site/graph/index.html").read_text()
    same_as_cold(root, run_build)
