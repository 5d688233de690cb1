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


def test_an_update_cut_short_by_the_process_dying_is_found_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit point names the folder so that the next build's `recover` finds it."""
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old", "gone.html": b"x"})
    staging = Staging(out)
    staging.write("index.html", b"new")
    staging.write("a/b/c/index.html", b"deep")  # folders that do not exist yet

    def killed(committed: Path, out_dir: Path) -> None:
        raise SystemExit("killed")  # as SIGKILL would: nothing of the update applied

    monkeypatch.setattr("builder.output.write._apply", killed)
    with pytest.raises(SystemExit):
        staging.commit_update(["index.html", "a/b/c/index.html"], ["gone.html"])
    monkeypatch.undo()
    assert snapshot(out) == {"index.html": b"old", "gone.html": b"x"}
    Staging(out).abort()  # the next build recovers first
    assert snapshot(out) == {"index.html": b"new", "a/b/c/index.html": b"deep"}
    assert siblings(tmp_path) == ["site"]


def test_an_update_applied_twice_changes_nothing_more(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old", "x/gone.html": b"x"})
    staging = Staging(out)
    staging.commit_update([], ["x/gone.html", "never-there.html"])  # one is already gone
    assert snapshot(out) == {"index.html": b"old"}
    assert siblings(tmp_path) == ["site"]


def test_a_commit_folder_without_its_journal_is_only_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    committed = tmp_path / ".site.commit-abc"
    committed.mkdir()
    (committed / "index.html").write_bytes(b"half")  # cut short before the journal
    recover(out)
    assert snapshot(out) == {"index.html": b"old"}
    assert siblings(tmp_path) == ["site"]


def test_removing_every_file_keeps_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "deploy" / "site"
    full_site(out, {"a/index.html": b"a"})
    Staging(out).commit_update([], ["a/index.html"])
    assert out.is_dir() and list(out.iterdir()) == []
    assert siblings(tmp_path / "deploy") == ["site"]


@pytest.mark.parametrize(
    ("urls", "message"),
    [
        (["x.html", "x.html"], "two outputs for x.html"),
        (["a//b"], "a//b is outside the output folder"),
    ],
)
def test_a_refused_url_is_named(urls: list[str], message: str) -> None:
    with pytest.raises(OutputError, match=f"^{message}$"):
        check_urls(urls)


def test_the_output_folder_may_be_deep_in_folders_yet_to_make(tmp_path: Path) -> None:
    out = tmp_path / "a/b/site"
    full_site(out, {"index.html": b"x"})
    assert snapshot(out) == {"index.html": b"x"}
    assert (out.stat().st_mode & 0o777) == 0o755  # readable by the web server, like any folder


def test_a_staging_folder_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    left = Staging(out)  # killed outright: neither committed nor aborted
    left.write("index.html", b"half")
    assert left.root.parent == tmp_path and left.root.name.startswith(".site.tmp-")
    Staging(out).abort()
    assert snapshot(out) == {"index.html": b"old"}
    assert siblings(tmp_path) == ["site"]


def test_a_swap_killed_before_its_cleanup_is_cleaned_up_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    staging = Staging(out)
    staging.write("index.html", b"new")

    def killed(path: Path, ignore_errors: bool = False) -> None:
        raise SystemExit("killed")

    monkeypatch.setattr("builder.output.write.shutil.rmtree", killed)
    with pytest.raises(SystemExit):
        staging.commit_full()
    monkeypatch.undo()
    assert snapshot(out) == {"index.html": b"new"}
    [old] = [name for name in siblings(tmp_path) if name != "site"]
    assert old.startswith(".site.old-")
    Staging(out).abort()
    assert siblings(tmp_path) == ["site"]


def test_a_swap_whose_second_rename_fails_puts_the_old_site_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    full_site(out, {"index.html": b"old"})
    staging = Staging(out)
    staging.write("index.html", b"new")
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self == staging.root:
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        staging.commit_full()
    monkeypatch.undo()
    assert snapshot(out) == {"index.html": b"old"}
    staging.abort()
    assert siblings(tmp_path) == ["site"]
