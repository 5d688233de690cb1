from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.source.load import read_raw
from tests.conftest import MINIMAL_SITE, write_files


def test_article_body_and_its_first_line(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    diags = Diagnostics()
    path = tmp_path / "content/articles/first-story.md"
    raw = read_raw("article", "first-story", path, diags)
    assert diags.items == [] and raw is not None
    assert raw.body_line == 6
    assert raw.body.startswith("Alice Example met")
    assert raw.data["title"] == "First story"
    assert raw.data.value_locs["date"].line == 3


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    article = tmp_path / "content/articles/first-story.md"
    article.write_bytes(b"\xef\xbb\xbf" + article.read_bytes().replace(b"\n", b"\r\n"))
    diags = Diagnostics()
    raw = read_raw("article", "first-story", article, diags)
    assert diags.items == [] and raw is not None
    assert raw.data["title"] == "First story" and "\r" not in raw.body


def test_unreadable_files_say_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cases = {
        "empty.yaml": (b"  \n", "1:1: error: empty file"),
        "binary.yaml": (b"name: x\0", "1:1: error: binary file: expected UTF-8 text"),
        "latin.yaml": (b"name: caf\xe9\n", "1:10: error: not UTF-8 text (byte 0xe9)"),
        "comments.yaml": (b"# only a comment\n", "1:1: error: the file holds no YAML values"),
    }
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        diags = Diagnostics()
        assert read_raw("entity", path.stem, path, diags) is None
        assert [d.shown() for d in diags.items] == [f"{name}:{expected}"]


def test_front_matter_problems(tmp_path: Path) -> None:
    cases = {
        "title: x\n---\nbody\n": "missing front matter: an article starts with a line '---'",
        "---\ntitle: x\nbody\n": "front matter is not closed: add a line '---' after it",
        "---\n---\nbody\n": "empty front matter: an article needs `title:` and `date:`",
    }
    for text, message in cases.items():
        path = tmp_path / "a.md"
        path.write_text(text)
        diags = Diagnostics()
        assert read_raw("article", "a", path, diags) is None
        assert [(d.severity, d.loc.line, d.message) for d in diags.items] == [("error", 1, message)]
