"""`build new`, `build import` and automatic topic summaries."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.commands.importer import escape_markdown, parse_raw
from builder.diagnostics import Diagnostics
from builder.source.document import parse_document
from builder.source.load import read_raw
from builder.source.markdown import make_markdown
from tests.conftest import MINIMAL_SITE, ROOT, Run, write_files

SEED = ROOT / "seeds/000_ff1dc3176a3008a8.txt"
DEMO_ARTICLE = ROOT / "content/articles/austin-confirms-north-korean-troops-in-russia.md"


def body_text(path: Path) -> list[str]:
    """The article body as a reader sees it: the text of each block, markup removed."""
    article = read_raw("article", path.stem, path, Diagnostics())
    assert article is not None
    doc = parse_document(make_markdown(), article.body, article.body_line)
    return [block.text for block in doc.blocks]


def test_new_files_build_at_once(site_dir: Path, run_build: Callable[..., Run]) -> None:
    for args in (
        ["entity", "rome", "--name", "Rome", "--type", "place"],
        ["topic", "the-war", "--title", "The war: a timeline"],
        ["article", "fresh-story", "--title", "Fresh: story"],
    ):
        result = run_build(site_dir, "new", *args)
        assert result.code == 0, result.err
    entity = (site_dir / "content/entities/rome.yaml").read_text()
    assert entity.startswith("name: Rome\ntype: place")
    assert "# relations:" in entity and "# links:" in entity and "# facts:" in entity
    article = (site_dir / "content/articles/fresh-story.md").read_text()
    assert "title: 'Fresh: story'" in article and "# draft: true" in article
    check = run_build(site_dir, "check")
    assert check.code == 0
    assert [d for d in check.diagnostics if "error" in d] == []


def test_new_refuses_to_overwrite_or_bad_ids(site_dir: Path, run_build: Callable[..., Run]) -> None:
    before = (site_dir / "content/entities/alice-example.yaml").read_text()
    result = run_build(site_dir, "new", "topic", "alice-example")
    assert result.code == 2 and "already exists" in result.err
    assert (site_dir / "content/entities/alice-example.yaml").read_text() == before
    assert run_build(site_dir, "new", "entity", "Bad_Id").code == 2


def test_import_seed_matches_the_demo_article(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    result = run_build(tmp_path, "import", str(SEED), "--id", "imported")
    assert result.code == 0, result.err
    imported = tmp_path / "content/articles/imported.md"
    text = imported.read_text()
    assert re.search(r"^title: .+# TODO", text, re.M)
    assert "publisher: Daily Caller News Foundation" in text
    assert "credit: Flickr/Official White House Photo by Cameron Smith" in text
    assert "license: All content created by the Daily Caller News Foundation" in text
    assert "> — SPRAVDI — Stratcom Centre (@StratcomCentre) October 18, 2024" in text
    assert body_text(imported) == body_text(DEMO_ARTICLE)
    assert run_build(tmp_path, "check", "--drafts").code == 0
    again = run_build(tmp_path, "import", str(SEED), "--id", "imported")
    assert again.code == 2 and "taken" in again.err


@pytest.mark.parametrize(
    "line",
    [
        "Originally published at https://dailycaller.com/2024/10/23/austin-troops/",
        "Source: https://dailycaller.com/2024/10/23/austin-troops/",
        "https://dailycaller.com/2024/10/23/austin-troops/",
    ],
)
def test_import_takes_the_address_of_the_original(
    tmp_path: Path, run_build: Callable[..., Run], line: str
) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    raw = tmp_path / "raw.txt"
    raw.write_text(SEED.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    assert run_build(tmp_path, "import", str(raw), "--id", "imported").code == 0
    text = (tmp_path / "content/articles/imported.md").read_text()
    assert "original_url: https://dailycaller.com/2024/10/23/austin-troops/" in text
    assert "dailycaller.com" not in text.split("---", 2)[2]  # not left in the body
    text = text.replace("draft: true", "draft: false").replace("# TODO", "#")
    (tmp_path / "content/articles/imported.md").write_text(text)
    assert run_build(tmp_path).code == 0
    page = (tmp_path / "site/articles/imported/index.html").read_text()
    assert (
        'Originally published by Daily Caller News Foundation (<a href="https://dailycaller.com'
        '/2024/10/23/austin-troops/" rel="external">dailycaller.com</a>)'
    ) in page
    assert "<figure" not in page  # a credit without an image is a plain line
    assert '<p class="credit">Image: Flickr/Official White House Photo' in page


def test_url_and_original_url_are_one_key(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    article = next((tmp_path / "content/articles").glob("*.md"))
    text = article.read_text().replace(
        "---\n", "---\nurl: https://a.example/x\noriginal_url: https://a.example/x\n", 1
    )
    article.write_text(text)
    result = run_build(tmp_path, "check")
    assert result.code == 1 and "give 'url' or 'original_url', not both" in result.err


def test_markdown_in_raw_text_is_escaped() -> None:
    raw = parse_raw("# not a heading\n1. not a list\nuse *stars* and `ticks` and [[x]]\n")
    md = make_markdown()
    doc = parse_document(md, "\n\n".join(raw.paragraphs), 1)
    assert [b.text for b in doc.blocks] == [
        "# not a heading",
        "1. not a list",
        "use *stars* and `ticks` and [[x]]",
    ]
    assert escape_markdown("a_b") == "a\\_b"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_summary = False
        self.items: list[tuple[str, str]] = []
        self.href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "ul" and values.get("class") == "auto-summary":
            self.in_summary = True
        if self.in_summary and tag == "a":
            self.href = str(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        if self.in_summary and self.href:
            self.items.append((self.href, data))
            self.href = ""


def test_automatic_summary_without_an_editors_summary(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    topic = tmp_path / "content/topics/north-korean-troops-in-russia.yaml"
    topic.write_text(re.sub(r"summary: \|\n(?:  .*\n|\n)*", "", topic.read_text()))
    assert run_build(tmp_path).code == 0
    page = tmp_path / "site/topics/north-korean-troops-in-russia/index.html"
    html = page.read_text()
    assert "Automatic summary" in html
    parser = Links()
    parser.feed(html)
    assert 3 <= len(parser.items) <= 5
    for href, sentence in parser.items:
        path, anchor = href.split("#")
        target = (page.parent / path).read_text()
        paragraph = re.search(rf'<p id="{anchor}">(.*?)</p>', target, re.S)
        assert paragraph, href
        plain = re.sub(r"<[^>]+>", "", paragraph[1])
        assert sentence in plain.replace("&quot;", '"').replace("&#39;", "'")
    first = run_build(tmp_path, "--out", "again")
    assert first.code == 0
    assert (tmp_path / "again/topics/north-korean-troops-in-russia/index.html").read_text() == html
