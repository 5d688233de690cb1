"""Per-fact history from git (SPEC 11): a site in a git repository whose fact changed
value, quote and source in three commits shows each change under the fact, on the
corrections page and in its feed; also from a shallow clone, and without git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from builder.model.history import History
from builder.source import gitrepo
from builder.source.githistory import read_history
from builder.source.gitrepo import Repo, find_repo
from tests.conftest import MINIMAL_SITE, Run, write_files

ARTICLES = {
    "content/articles/first-story.md": """\
        ---
        title: First story
        date: 2024-10-23
        topics: [big-story]
        ---
        Alice Example met the Board of Things on Monday.

        The board said it had 12 members, Alice Example told reporters.

        Later the board said it had 14 members.
        """,
    "content/articles/second-story.md": """\
        ---
        title: Second story
        date: 2024-11-02
        topics: [big-story]
        ---
        The Board of Things now says it has 15 members, Alice Example said.
        """,
}
TOPIC = "content/topics/big-story.yaml"
COMMITS = [  # (date, message, replacements in the topic file)
    ("2024-10-24T09:00:00+00:00", "Add the big story", {}),
    (
        "2024-10-25T10:30:00+00:00",
        "Board count corrected: 14, not 12",
        {
            'value: "12"': 'value: "14"',
            "quote: The board said": "quote: Later the board said",
            "it had 12 members": "it had 14 members",
        },
    ),
    (
        "2024-11-03T08:15:00+00:00",
        "Cite the second story for the board count",
        {
            'value: "14"': 'value: "15"',
            "source: first-story": "source: second-story",
            "quote: Later the board said it had 14 members": (
                "quote: The Board of Things now says it has 15 members"
            ),
        },
    ),
]


def git(cwd: Path, *args: str, date: str = "2024-10-24T09:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@newsroom.test",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@newsroom.test",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def history_site(root: Path) -> Path:
    """A site in a git repository with three commits of its topic's fact."""
    write_files(root, {**MINIMAL_SITE, **ARTICLES})
    git(root, "init", "-q", "-b", "main")
    topic = root / TOPIC
    for date, message, replacements in COMMITS:
        text = topic.read_text()
        for old, new in replacements.items():
            text = text.replace(old, new)
        topic.write_text(text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, date=date)
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return history_site(tmp_path_factory.mktemp("history") / "desk")


def build_copy(repo: Path, target: Path, run_build: Callable[..., Run], *args: str) -> Path:
    shutil.copytree(repo, target)
    result = run_build(target, "--no-search", *args)
    assert result.code == 0, result.err
    return target / "site"


def history_items(html: str) -> list[str]:
    """The text of each change in the page's "Corrections and updates" lists."""
    found = re.findall(r'<li id="c-[0-9a-f]+">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in found]


def test_the_fact_shows_its_earlier_values_quotes_and_sources(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = build_copy(repo, tmp_path / "desk", run_build)
    html = (site / "topics/big-story/index.html").read_text()
    assert "Corrections and updates (2)" in html
    newest, oldest = history_items(html)
    assert newest.startswith("3 November 2024")
    assert "Value 14 → 15" in newest
    assert "Source First story → Second story" in newest
    assert "Quote Later the board said it had 14 members → The Board of Things now" in newest
    assert "“Cite the second story for the board count”" in newest
    assert oldest.startswith("25 October 2024")
    assert "Value 12 → 14" in oldest and "Source" not in oldest
    assert "“Board count corrected: 14, not 12”" in oldest


def test_the_corrections_page_and_its_feed_list_the_changes_newest_first(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = build_copy(repo, tmp_path / "desk", run_build)
    page = (site / "corrections/index.html").read_text()
    items = history_items(page)
    assert [i[:16] for i in items] == ["3 November 2024 ", "25 October 2024 "]
    assert all("The big story : Board members" in item for item in items)
    assert 'href="../topics/big-story/index.html"' in page
    feed = feedparser.parse((site / "corrections/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Corrections and updates · Test Desk"
    assert [e.title for e in feed.entries] == ["The big story: Board members"] * 2
    assert [e.updated for e in feed.entries] == [COMMITS[2][0], COMMITS[1][0]]
    assert "Value: 12 -> 14" in feed.entries[1].summary
    assert "Board count corrected" in feed.entries[1].summary
    anchors = re.findall(r'<li id="(c-[0-9a-f]+)">', page)
    assert [e.link.rsplit("#", 1)[1] for e in feed.entries] == anchors
    assert feed.entries[0].link.startswith("https://newsroom.github.io/desk/corrections/")


def test_structured_data_carries_the_correction(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = build_copy(repo, tmp_path / "desk", run_build)
    html = (site / "topics/big-story/index.html").read_text()
    assert '"@type":"CorrectionComment"' in html
    assert '"dateModified":"2024-11-03T08:15:00+00:00"' in html


def test_a_shallow_clone_shows_what_it_has_and_says_so(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    result = run_build(clone, "--no-search")
    assert result.code == 0, result.err
    html = (clone / "site/topics/big-story/index.html").read_text()
    items = history_items(html)
    assert len(items) == 1 and "Value 14 → 15" in items[0]  # the commit of 12 -> 14 is not there
    note = "Corrections and updates are known only since 25 October 2024: this site was built "
    assert html.count(note) == 2  # under the fact's history, and under the fact box
    assert note in (clone / "site/corrections/index.html").read_text()


def test_a_clone_of_one_commit_has_no_history_and_says_so(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = run_build(clone, "--no-search")
    assert result.code == 0, result.err
    html = (clone / "site/topics/big-story/index.html").read_text()
    assert history_items(html) == []
    assert "known only since 3 November 2024: this site was built from a shallow clone" in html


def test_without_git_nothing_is_shown(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    root = write_files(tmp_path / "desk", {**MINIMAL_SITE, **ARTICLES})
    result = run_build(root, "--no-search")
    assert result.code == 0, result.err
    assert (
        "Corrections and updates (" not in (root / "site/topics/big-story/index.html").read_text()
    )
    page = (root / "site/corrections/index.html").read_text()
    assert "built without its history" in page


def test_a_site_outside_git_starts_no_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build looks for `.git` before it starts git (10 to 15 ms of each no-change
    build): only where there is none, and no GIT_DIR, does it leave git alone."""
    asked: list[Path] = []
    real_git = gitrepo.git

    def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
        asked.append(cwd)
        return real_git(cwd, *args, stdin=stdin)

    monkeypatch.setattr(gitrepo, "git", git)
    monkeypatch.delenv("GIT_DIR", raising=False)
    outside = write_files(tmp_path / "desk", MINIMAL_SITE) / "content"
    assert not any((folder / ".git").exists() for folder in outside.parents)
    assert find_repo(outside) is None and asked == []
    inside = repo / "content"  # a work tree: .git one folder up
    assert find_repo(inside) is not None and asked == [inside]
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))  # it may name a repository anywhere
    assert find_repo(outside) is not None and asked == [inside, outside]


def test_no_history_leaves_it_out(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = build_copy(repo, tmp_path / "desk", run_build, "--no-history")
    assert "Corrections and updates (" not in (site / "topics/big-story/index.html").read_text()


def test_a_new_commit_rebuilds_what_shows_the_history_as_a_cold_build_would(
    repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """The history is a build input keyed on HEAD: a commit that changes no file of
    the work tree (the edit was built before it was committed) still shows up."""
    root = tmp_path / "desk"
    shutil.copytree(repo, root)
    topic = root / TOPIC
    topic.write_text(topic.read_text().replace('value: "15"', 'value: "15 "'))
    assert run_build(root, "--no-search").code == 0
    git(root, "commit", "-q", "-am", "Spacing", date="2024-11-04T08:00:00+00:00")
    assert run_build(root, "--no-search").code == 0
    warm = (root / "site/corrections/index.html").read_text()
    assert "“Spacing”" in warm
    cold = tmp_path / "cold"
    assert run_build(root, "--no-search", "--no-cache", "--out", str(cold)).code == 0
    for page in ("corrections/index.html", "topics/big-story/index.html"):
        assert (root / "site" / page).read_bytes() == (cold / page).read_bytes()


def test_the_history_is_read_in_one_pass_and_matched_by_id(tmp_path: Path) -> None:
    root = write_files(tmp_path / "desk", {**MINIMAL_SITE, **ARTICLES})
    git(root, "init", "-q")
    topic = root / TOPIC
    topic.write_text(
        topic.read_text().replace("- label: Board members", "- id: board\n    label: Board members")
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    topic.write_text(
        topic.read_text()
        .replace("label: Board members", "label: Seats on the board")
        .replace('"12"', '"13"')
    )
    git(root, "commit", "-q", "-am", "renamed and changed")
    found = find_repo(root / "content")
    assert found is not None and not found.shallow and found.prefix == "content/"
    history = read_history(found)
    [change] = history.changes
    assert (change.fact_id, change.label, change.before.value, change.after.value) == (
        "board",
        "Seats on the board",
        "12",
        "13",
    )


def test_git_history_is_read_once_per_commit(
    repo: Path,
    tmp_path: Path,
    run_build: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build reads the history in one pass, and a build at the same commit takes it
    from the build cache."""
    from builder.incremental import history

    calls: list[Path] = []

    def counted(found: Repo) -> History:
        calls.append(found.root)
        return read_history(found)

    monkeypatch.setattr(history, "read_history", counted)
    root = tmp_path / "desk"
    build_copy(repo, root, run_build)
    assert len(calls) == 1
    topic = root / TOPIC
    topic.write_text(topic.read_text().replace("What happened.", "What happened next."))
    assert run_build(root, "--no-search").code == 0
    assert len(calls) == 1
    assert "Corrections and updates (2)" in (root / "site/topics/big-story/index.html").read_text()
