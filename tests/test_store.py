"""The build cache only ever costs time: a cache that is deleted, truncated, stale,
garbage, or damaged inside gives the same site as a build without it, never an
error; and `build clean` removes it."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.incremental.store import Store, StoreError, open_store
from tests.conftest import Run

CACHE = ".dossier-cache/cache.sqlite"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def flip_values(path: Path) -> None:
    """Bytes changed inside stored values, the file itself still a valid database."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET heavy = substr(heavy, 1, 40) || 'x' || substr(heavy, 42)")
        db.execute("UPDATE articles SET title = title || '!'")
        db.execute(
            "UPDATE records SET snippets = substr(snippets, 1, 20) || 'y' || substr(snippets, 22)"
        )


def flip_bits(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for _ in range(50):
        data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def duplicate_key(path: Path) -> None:
    """The edited article's key a second time, under a number no output read (the
    table has no unique index on the key)."""
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO keys SELECT (SELECT max(id) FROM keys) + 1, key, fingerprint FROM keys "
            "WHERE key = 'a:first-story'"
        )
        assert db.total_changes == 1


def other_version(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = x'00' WHERE name = 'format'")


@pytest.mark.parametrize(
    "damage",
    [truncate, garbage, empty, flip_values, flip_bits, duplicate_key, other_version, Path.unlink],
)
def test_a_damaged_cache_gives_the_same_site(
    site_dir: Path, run_build: Callable[..., Run], damage: Callable[[Path], None]
) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    clean = snapshot(site_dir / "site")
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text().replace("Monday", "Friday"))
    damage(site_dir / CACHE)
    result = run_build(site_dir, "--no-search")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err and "error" not in result.err
    cold = run_build(site_dir, "--no-search", "--no-cache", "--out", "cold")
    assert snapshot(site_dir / "site") == snapshot(site_dir / "cold") != clean
    again = run_build(site_dir, "--no-search")  # and the cache works again afterwards
    assert again.code == 0 and "(nothing changed)" in again.out
    assert cold.code == 0


def test_a_store_that_is_not_a_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        Store(path)
    store = open_store(path)  # made anew
    assert store.meta("format") is not None
    store.close()


def test_clean_removes_the_cache_and_only_it(site_dir: Path, run_build: Callable[..., Run]) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    site = snapshot(site_dir / "site")
    result = run_build(site_dir, "clean")
    assert result.code == 0 and "removed .dossier-cache/" in result.out
    assert not (site_dir / ".dossier-cache").exists()
    assert snapshot(site_dir / "site") == site
    assert "no build cache" in run_build(site_dir, "clean").out


def test_no_cache_reads_and_writes_no_cache(site_dir: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(site_dir, "--no-search", "--no-cache")
    assert result.code == 0
    assert not (site_dir / CACHE).exists()


def test_check_creates_no_cache(site_dir: Path, run_build: Callable[..., Run]) -> None:
    before = sorted(p.name for p in site_dir.iterdir())
    assert run_build(site_dir, "check").code == 0
    assert sorted(p.name for p in site_dir.iterdir()) == before


def test_a_cache_of_another_version_gets_this_versions_tables(
    site_dir: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    """A table whose definition changed between versions is made again, not just
    emptied: the old one may not take the rows, or be slow (an earlier snippets table
    took 1.9 s to take the 87,652 rows of 10,000 articles, a later one 0.7 s; this
    version keeps them in a column of the records), and a table this version does not
    have is gone."""
    path = site_dir / CACHE
    path.parent.mkdir()
    old = Store(path)
    old.set_meta("format", b"dossier-cache of an earlier version")
    old.close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE records")
        db.execute("CREATE TABLE records (key BLOB PRIMARY KEY, fingerprint BLOB, heavy BLOB)")
        db.execute("CREATE TABLE snippets (key BLOB, entity TEXT, value BLOB)")
    assert run_build(site_dir, "--no-search").code == 0
    Store(tmp_path / "new.sqlite").close()

    def tables(path: Path) -> dict[str, str]:
        with sqlite3.connect(path) as db:
            return dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))

    assert tables(path) == tables(tmp_path / "new.sqlite")
    again = run_build(site_dir, "--no-search")
    assert again.code == 0 and "(nothing changed)" in again.out
