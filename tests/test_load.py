from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.load import load
from tests.conftest import MINIMAL_SITE, write_files


def test_reads_every_kind_with_body_line(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    diags = Diagnostics()
    raw = load(tmp_path / "content", diags)
    assert diags.items == []
    kinds = sorted((f.kind, f.id) for f in raw.files)
    assert kinds == [
        ("article", "first-story"),
        ("entity", "alice-example"),
        ("entity", "board-of-things"),
        ("site", "site"),
        ("topic", "big-story"),
    ]
    article = next(f for f in raw.files if f.kind == "article")
    assert article.body_line == 6
    assert article.body.startswith("Alice Example met")
    assert raw.declared == {"first-story", "alice-example", "board-of-things", "big-story"}


def test_other_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {**MINIMAL_SITE, "content/entities/notes.txt": "x", "content/entities/.DS_Store": "x"},
    )
    diags = Diagnostics()
    load(tmp_path / "content", diags)
    assert [d.shown() for d in diags.items] == [
        f"{tmp_path}/content/entities/notes.txt:1:1: warning: ignored: only *.yaml files "
        "belong in entities/"
    ] or [d.message for d in diags.items] == ["ignored: only *.yaml files belong in entities/"]


def test_missing_site_yaml(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    diags = Diagnostics()
    load(tmp_path / "content", diags)
    assert [d.message for d in diags.errors] == ["missing site.yaml (it needs at least `title:`)"]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    files = dict(MINIMAL_SITE)
    write_files(tmp_path, files)
    article = tmp_path / "content/articles/first-story.md"
    article.write_bytes(b"\xef\xbb\xbf" + article.read_bytes().replace(b"\n", b"\r\n"))
    diags = Diagnostics()
    raw = load(tmp_path / "content", diags)
    assert diags.items == []
    assert any(f.id == "first-story" and f.data["title"] == "First story" for f in raw.files)
