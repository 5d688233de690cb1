"""Diagnostics as an editor reads them: the `path:line:col: error: message` line,
then the source line with a caret under the column, and nothing that follows only
from a file that already failed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import Loc
from builder.reporting import EXCERPT_WIDTH, SourceLines, window
from tests.conftest import ROOT, Run

ARTICLE = "content/articles/austin-confirms-north-korean-troops-in-russia.md"
TOPIC = "content/topics/north-korean-troops-in-russia.yaml"
ADDRESS = ("--base-url", "https://newsroom.github.io/dossier/")


def test_the_caret_stands_under_the_column(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("name: Kim\n\ttype: person\n")
    lines = SourceLines()
    assert lines.excerpt(Loc(path, 1, 7)) == [" 1 | name: Kim", "   |       ^"]
    assert lines.excerpt(Loc(path, 2, 2)) == [" 2 | \ttype: person", "   | \t^"]  # a tab
    assert lines.excerpt(Loc(path, 3, 1)) == []  # no such line
    assert lines.excerpt(Loc(tmp_path / "missing.yaml", 1, 1)) == []


def test_a_long_line_is_cut_around_the_column() -> None:
    line = "".join(f"{n:>5}" for n in range(200))  # 1,000 characters
    shown, column = window(line, 600)
    assert len(shown) == EXCERPT_WIDTH + 2 and shown[0] == shown[-1] == "…"
    assert shown[column] == line[600]
    assert window("short", 3) == ("short", 3)
    assert window("short", 99) == ("short", 5)  # past the end: after the last character


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def replace(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


MISTAKES = {  # name: (file, text, replaced by, the line:col and words of the error)
    "bad quote": (
        TOPIC,
        "quote: Ukraine said last week",
        "quote: Ukraine said last month",
        ":30:12: error: quote not found in article",
    ),
    "misspelled id": (
        TOPIC,
        "claimed_by: south-korea",
        "claimed_by: south-koera",
        ":35:17: error: unknown entity 'south-koera' (did you mean 'south-korea'?)",
    ),
    "impossible date": (
        TOPIC,
        "as_of: 2024-10-23",
        "as_of: 2024-13-23",
        ":45:12: error: 'as_of': '2024-13-23' is not a date: month 13 does not exist",
    ),
    "bad indentation": (
        "content/entities/iran.yaml",
        "  - type: supplied weapons to\n    target: russia",
        "  - type: supplied weapons to\n   target: russia",
        ":6:4: error: this line is indented 3 spaces, but the keys of the list item above "
        "it (line 5) are indented 4 spaces",
    ),
    "missing title": (
        ARTICLE,
        "title: Austin confirms North Korea has sent troops to help Russia fight Ukraine\n",
        "",
        ":2:1: error: missing required key 'title' in front matter",
    ),
    "duplicate key": (
        "content/entities/italy.yaml",
        "type: country\n",
        "type: country\nname: Italia\n",
        ":3:1: error: duplicate key 'name' (first given at line 1)",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_shows_its_line_and_nothing_that_follows_from_it(
    mistake: str, demo: Path, run_build: Callable[..., Run]
) -> None:
    name, old, new, expected = MISTAKES[mistake]
    replace(demo, name, old, new)
    result = run_build(demo, "check", *ADDRESS)
    assert result.code == 1
    lines = result.err.splitlines()
    first = next(i for i, line in enumerate(lines) if ": error: " in line)
    assert lines[first].startswith(name + expected), lines[first]
    line, col = map(int, lines[first][len(name) + 1 :].split(":")[:2])
    source, caret = window((demo / name).read_text().splitlines()[line - 1], col - 1)
    gutter = " " * len(str(line))
    assert lines[first + 1] == f" {line} | {source}"
    assert lines[first + 2] == f" {gutter} | {' ' * caret}^"
    assert result.diagnostics == [lines[first]], "one error, and no follow-on warning"
    assert lines[-1] == "1 error, 0 warnings"


def test_a_failed_article_says_once_what_is_not_checked(
    demo: Path, run_build: Callable[..., Run]
) -> None:
    name, old, new, _ = MISTAKES["missing title"]
    replace(demo, name, old, new)
    notes = [
        line for line in run_build(demo, "check", *ADDRESS).err.splitlines() if ": note: " in line
    ]
    assert notes == [
        f"{ARTICLE}:1:1: note: 21 quotes from this article not checked while it fails",
        f"{ARTICLE}:1:1: note: which entities no article mentions is not checked while this "
        "article fails",
    ]


def test_a_failed_topic_says_once_what_is_not_checked(
    demo: Path, run_build: Callable[..., Run]
) -> None:
    replace(demo, TOPIC, "title: North Korean troops", "titel: North Korean troops")
    result = run_build(demo, "check", *ADDRESS)
    assert result.diagnostics == [
        f"{TOPIC}:1:1: error: missing required key 'title' in topic",
        f"{TOPIC}:1:1: error: unknown key 'titel' in topic (did you mean 'title'?)",
    ]
    assert (
        f"{TOPIC}:1:1: note: which articles are in no topic is not checked while this topic "
        in result.err
    )


def test_the_no_change_rebuild_shows_the_same_excerpts(
    demo: Path, run_build: Callable[..., Run]
) -> None:
    name, old, new, _ = MISTAKES["impossible date"]
    replace(demo, name, old, new)
    first = run_build(demo, *ADDRESS)
    again = run_build(demo, *ADDRESS)
    assert first.code == again.code == 1
    assert first.err.splitlines()[:6] == again.err.splitlines()[:6]
    assert " 45 |     as_of: 2024-13-23" in again.err
