"""Outputs reach site/ all at once: a whole new folder swapped in, or an update whose
changes are applied together; before its commit point nothing of site/ changes, and
an update cut short after it is completed by the next build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from builder.output.write import JOURNAL, OutputError, Staging, check_urls, recover
from builder.source.scan import tree_files


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def full_site(out: Path, files: dict[str, bytes]) -> None:
    staging = Staging(out)
    for url, data in files.items():
        staging.write(url, data)
    staging.commit_full()


def test_full_commit_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"one", "a/b/index.html": b"two"})
    assert snapshot(out) == {"index.html": b"one", "a/b/index.html": b"two"}
    full_site(out, {"index.html": b"new"})
    assert snapshot(out) == {"index.html": b"new"}
    assert siblings(tmp_path) == ["site"]


def test_update_writes_and_removes_only_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"one", "a/index.html": b"a", "b/c/index.html": b"c"})
    kept = (out / "a/index.html").stat().st_mtime_ns
    staging = Staging(out)
    staging.write("index.html", b"two")
    staging.write("d/index.html", b"d")
    staging.commit_update(["index.html", "d/index.html"], ["b/c/index.html"])
    assert snapshot(out) == {"index.html": b"two", "a/index.html": b"a", "d/index.html": b"d"}
    assert (out / "a/index.html").stat().st_mtime_ns == kept  # not touched
    assert not (out / "b").exists()  # emptied folders go too
    assert siblings(tmp_path) == ["site"]


def test_abort_before_the_commit_point_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    staging = Staging(out)
    staging.write("index.html", b"new")
    staging.abort()
    assert snapshot(out) == {"index.html": b"old"}
    assert siblings(tmp_path) == ["site"]


def test_an_update_killed_after_its_commit_point_is_completed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old", "gone.html": b"x", "same.html": b"s"})
    # as if SIGKILL struck in the middle of applying: one file moved, one not yet
    committed = tmp_path / ".site.commit-abc"
    (committed / "new").mkdir(parents=True)
    (committed / "new/index.html").write_bytes(b"fresh")
    (committed / JOURNAL).write_text(
        json.dumps({"written": ["index.html", "new/index.html"], "removed": ["gone.html"]})
    )
    os.replace(tmp_path / "site/index.html", tmp_path / "site/index.html.tmp")  # moved...
    (out / "index.html").write_bytes(b"newer")  # ...and already in place
    (tmp_path / "site/index.html.tmp").unlink()
    recover(out)
    assert snapshot(out) == {"index.html": b"newer", "new/index.html": b"fresh", "same.html": b"s"}
    assert siblings(tmp_path) == ["site"]


def test_a_swap_killed_halfway_is_undone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    out.rename(tmp_path / ".site.old-abc")  # between the two renames of a swap
    (tmp_path / ".site.tmp-def").mkdir()
    recover(out)
    assert snapshot(out) == {"index.html": b"old"}
    assert siblings(tmp_path) == ["site"]


@pytest.mark.parametrize(
    "urls", [["x.html", "x.html"], ["../escape.html"], ["/etc/x"], ["a//b"], ["a\\b"], [""]]
)
def test_refuses_a_file_twice_or_outside(urls: list[str]) -> None:
    with pytest.raises(OutputError):
        check_urls(urls)


def test_tree_files_skips_links_that_leave_and_loops(tmp_path: Path) -> None:
    media = tmp_path / "content" / "media"
    media.mkdir(parents=True)
    (media / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (media / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (media / "loop").symlink_to(media, target_is_directory=True)
    assert [url for _, url in tree_files(media, "media/")] == ["media/a.png"]
