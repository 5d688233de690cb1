from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.scan import tree_files
from builder.write import OutputError, write_site


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_writes_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", "one"), ("a/b/index.html", "two")], [])
    assert snapshot(out) == {"index.html": b"one", "a/b/index.html": b"two"}
    write_site(out, [("index.html", "new")], [])
    assert snapshot(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_exception_midway_keeps_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", "old")], [])

    def pages() -> Iterator[tuple[str, str]]:
        yield "index.html", "new"
        raise KeyboardInterrupt  # as Ctrl-C during the write stage

    with pytest.raises(KeyboardInterrupt):
        write_site(out, pages(), [])
    assert snapshot(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_to_write_a_file_twice_or_outside(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with pytest.raises(OutputError):
        write_site(out, [("x.html", "1"), ("x.html", "2")], [])
    with pytest.raises(OutputError):
        write_site(out, [("../escape.html", "1")], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_tree_files_skips_links_that_leave_and_loops(tmp_path: Path) -> None:
    media = tmp_path / "content" / "media"
    media.mkdir(parents=True)
    (media / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (media / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (media / "loop").symlink_to(media, target_is_directory=True)
    assert [url for _, url in tree_files(media, "media/")] == ["media/a.png"]
