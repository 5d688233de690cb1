from collections.abc import Callable
from pathlib import Path

import pytest

from builder.source.scan import rescan, scan
from tests.conftest import MINIMAL_SITE, Run, write_files


def test_every_kind_with_its_id(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    inputs = scan(tmp_path / "content", tmp_path)
    assert inputs.diagnostics == []
    assert [(s.kind, s.id) for s in inputs.sources] == [
        ("site", "site"),
        ("article", "first-story"),
        ("entity", "alice-example"),
        ("entity", "board-of-things"),
        ("topic", "big-story"),
    ]
    assert inputs.declared == {"first-story", "alice-example", "board-of-things", "big-story"}
    assert all(inputs.stats[str(s.path)].size > 0 for s in inputs.sources)


def test_other_files_are_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {**MINIMAL_SITE, "content/entities/notes.txt": "x", "content/entities/.DS_Store": "x"},
    )
    inputs = scan(tmp_path / "content", tmp_path)
    assert [d.shown() for d in inputs.diagnostics] == [
        "content/entities/notes.txt:1:1: warning: ignored: only *.yaml files belong in entities/"
    ]


def test_bad_and_duplicate_ids(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            **MINIMAL_SITE,
            "content/entities/NATO.yaml": "name: NATO\ntype: organization\n",
            "content/topics/alice-example.yaml": "title: Same id\n",
        },
    )
    inputs = scan(tmp_path / "content", tmp_path)
    messages = [(d.severity, d.loc.path.name, d.message) for d in inputs.diagnostics]
    assert messages == [
        (
            "error",
            "NATO.yaml",
            "'NATO' is not a valid id: use lowercase a-z, 0-9 and '-', starting with a letter"
            " (did you mean 'nato'?)",
        ),
        (
            "error",
            "alice-example.yaml",
            "duplicate id 'alice-example': also used by "
            f"{tmp_path}/content/entities/alice-example.yaml",
        ),
    ]
    assert "alice-example" in inputs.declared and "NATO" not in inputs.declared


def test_missing_site_yaml(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    inputs = scan(tmp_path / "content", tmp_path)
    assert [d.message for d in inputs.diagnostics] == [
        "missing site.yaml (it needs at least `title:`)"
    ]


def test_rescan_takes_edits_and_leaves_the_rest_to_a_full_scan(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    inputs = scan(tmp_path / "content", tmp_path)
    article = tmp_path / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nOne more line.\n")
    again = rescan(inputs, [str(article.absolute())])
    assert again is not None
    assert again.stats == scan(tmp_path / "content", tmp_path).stats
    assert [s.stat for s in again.sources] == [
        s.stat for s in scan(tmp_path / "content", tmp_path).sources
    ]
    new = tmp_path / "content/articles/second.md"
    new.write_text("---\ntitle: Second\ndate: 2024-01-01\n---\nText.\n")
    assert rescan(inputs, [str(new.absolute())]) is None  # not known: a full scan
    theme = tmp_path / "themes/house/templates/x.html"
    assert rescan(inputs, [str(theme)]) is None


def test_a_link_out_of_the_project_is_an_error_and_never_read(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = write_files(tmp_path / "site-root", MINIMAL_SITE)
    secret = tmp_path / "runner-secret.txt"
    secret.write_text("---\ntitle: TOKEN-1234\ndate: 2024-10-23\n---\nTOKEN-1234\n")
    (site / "content/articles/x.md").symlink_to(secret)
    (site / "content/media").mkdir()
    (site / "content/media/p.jpg").symlink_to(secret)
    (site / "themes/house/static").mkdir(parents=True)
    (site / "themes/house/static/s.css").symlink_to(secret)
    result = run_build(site, "--strict")
    assert result.code == 1
    links = ["content/articles/x.md", "content/media/p.jpg", "themes/house/static/s.css"]
    assert result.diagnostics == [
        f"{link}:1:1: error: a symbolic link to {secret}, outside the project: not read"
        for link in links
    ]
    assert "TOKEN-1234" not in result.err + result.out
    assert not (site / "site").exists()


def test_links_inside_the_project_are_followed_or_said_to_be_skipped(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = write_files(tmp_path, MINIMAL_SITE)
    shared = site / "shared"
    shared.mkdir()
    article = site / "content/articles/first-story.md"
    article.rename(shared / "first-story.md")
    article.symlink_to(shared / "first-story.md")  # inside the project: read
    media = site / "content/media"
    media.mkdir()
    (media / "site.yaml").symlink_to(site / "content/site.yaml")
    (media / "gone.jpg").symlink_to(media / "nothing.jpg")
    (media / "folder").symlink_to(shared)
    result = run_build(site)
    assert result.code == 0, result.err
    assert result.diagnostics == [
        "content/media/folder:1:1: warning: skipped: a symbolic link to a folder (links to "
        "folders are not followed)",
        "content/media/gone.jpg:1:1: warning: skipped: a symbolic link to nothing (or a loop "
        "of links)",
        "content/media/site.yaml:1:1: warning: skipped: a symbolic link out of media/, whose "
        "files alone are used",
    ]
    assert (site / "site/articles/first-story/index.html").is_file()
    assert not (site / "site/media").exists()
