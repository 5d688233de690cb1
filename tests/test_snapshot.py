"""The article index kept in one blob (`incremental/snapshot.py`): a rebuild reads
from the cache's table only the rows the blob lacks, and a blob that is garbage, or
lists a record the cache has forgotten, costs time, never a wrong page."""

from __future__ import annotations

import marshal
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from builder.incremental import snapshot
from builder.incremental.store import Store
from tests.conftest import Run, write_files
from tests.test_incremental import SITE
from tests.test_incremental import snapshot as tree

CACHE = ".dossier-cache/cache.sqlite"


def same_as_cold(root: Path, run_build: Callable[..., Run], read: list[int] | None = None) -> Run:
    """Build, and check the site equals a build from nothing; `read`: what the rows
    read from the table were, left as the build read them."""
    warm = run_build(root, "--no-search", "--profile")
    seen = list(read or [])
    shutil.rmtree(root / "cold", ignore_errors=True)
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert warm.code == cold.code == 0, warm.err
    assert tree(root / "site") == tree(root / "cold")
    if read is not None:
        read[:] = seen
    return warm


def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many index rows each build reads from the table."""
    counts: list[int] = []
    article_rows = Store.article_rows

    def counted(self: Store, keys: Iterable[bytes]) -> object:
        keys = list(keys)
        counts.append(len(keys))
        return article_rows(self, keys)

    monkeypatch.setattr(Store, "article_rows", counted)
    return counts


def edit(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_blob_holds_the_articles_of_the_last_build(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    counts = rows_read(monkeypatch)
    topic, article = root / "content/topics/story.yaml", root / "content/articles/one.md"
    steps = [
        (topic, "related: []", []),  # every article from the blob
        (article, "The board will meet again.", [1]),  # not in it: looked for in the table
        (topic, "# told again", []),  # in it since the last build
    ]
    for path, line, expected in steps:
        edit(path, line)
        counts.clear()
        warm = same_as_cold(root, run_build, counts)
        assert counts == expected, (line, counts)
        assert "compiled 1 source files" in warm.out


def test_rows_the_blob_lacks_are_read_from_the_table(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    monkeypatch.setattr(snapshot.IndexSnapshot, "save", lambda self, entries: None)
    counts = rows_read(monkeypatch)
    edit(root / "content/articles/one.md", "The board will meet again.")
    same_as_cold(root, run_build)
    edit(root / "content/topics/story.yaml", "# told again")
    counts.clear()
    warm = same_as_cold(root, run_build, counts)
    assert counts == [1], counts  # the edited article, not compiled again:
    assert "compiled 1 source files" in warm.out  # the topic is


@pytest.mark.parametrize(
    "blob",
    [
        b"not marshal at all",
        marshal.dumps([1, 2, 3]),
        marshal.dumps({b"k" * 16: ((1, 2), b"")}),
        marshal.dumps({b"k" * 16: (("id", "title", (2024,), None), b"")}),
    ],
    ids=["not marshal", "a list", "a short row", "a row cut short"],
)
def test_a_garbage_blob_gives_the_same_site(
    tmp_path: Path, run_build: Callable[..., Run], blob: bytes
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    store = Store(root / CACHE)
    with store.transaction():
        store.set_meta(snapshot.META, blob)
    store.close()
    article = root / "content/articles/two.md"
    article.write_text(article.read_text() + "\nMore.\n")
    warm = same_as_cold(root, run_build)
    assert "damaged" not in warm.err


def test_an_entry_whose_record_was_forgotten_is_not_used(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build serve` forgets the records an edit replaced and leaves the blob as it
    is: undoing the edit asks for an entry whose record is gone."""
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    monkeypatch.setattr(snapshot, "REWRITE_SHARE", 10**6)
    with sqlite3.connect(root / CACHE) as db:
        [(key,)] = db.execute("SELECT key FROM articles WHERE id = 'one'").fetchall()
        for table in ("records", "articles"):
            db.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
    (root / "content/site.yaml").write_text(
        (root / "content/site.yaml").read_text() + "description: The desk.\n"
    )
    warm = same_as_cold(root, run_build)
    assert "damaged" not in warm.err
    assert "compiled 2 source files" in warm.out  # site.yaml, and the forgotten article
