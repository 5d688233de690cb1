"""The demo site in content/, built as a user would build it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import ROOT, Run

ARTICLE = "austin-confirms-north-korean-troops-in-russia"
TOPIC = "north-korean-troops-in-russia"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project (content only), to build and break."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "content", root / "content")
    return root


PUBLISHED_AT = "https://newsroom.github.io/dossier/"  # as the Pages workflow passes it


@pytest.fixture(scope="module")
def built(demo: Path) -> Path:
    import os

    from builder.cli import main

    cwd = os.getcwd()
    os.chdir(demo)
    try:
        assert main(["--strict", "--base-url", PUBLISHED_AT]) == 0
    finally:
        os.chdir(cwd)
    return demo / "site"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(str(values[name]))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_expected_files(built: Path) -> None:
    entities = sorted(p.stem for p in (ROOT / "content/entities").glob("*.yaml"))
    assert len(entities) >= 12
    expected = [
        "index.html",
        f"topics/{TOPIC}/index.html",
        f"articles/{ARTICLE}/index.html",
        "entities/index.html",
        "topics/index.html",
        "articles/index.html",
        "404.html",
        ".nojekyll",
        "data/site.json",
        "static/style.css",
    ]
    expected += [f"entities/{e}/index.html" for e in entities]
    missing = [name for name in expected if not (built / name).is_file()]
    assert missing == []


def test_every_internal_link_is_relative_and_resolves(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if p.name != "404.html"]
    assert len(pages) >= 18
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(built)}: broken link {link}"
            assert target.is_relative_to(built.resolve())
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{page}: no #{parts.fragment}"


def test_404_links_start_with_the_base_path(built: Path) -> None:
    links = parse(built / "404.html").links
    assert links and all(link.startswith(("/dossier/", "#")) for link in links)


def test_fact_box_shows_the_disputed_row(built: Path) -> None:
    html = (built / f"topics/{TOPIC}/index.html").read_text()
    row = html[html.index('class="fact-row disputed"') :]
    row = row[: row.index('</div>\n    <div class="fact-row')]
    for value, claimant in [
        ("at least 10,000", "Ukraine"),
        ("at least 1,500", "South Korea"),
        ("closer to 2,500", "United States"),
    ]:
        assert value in row and f">{claimant}</a>" in row
    assert "Disputed" in row
    # each claim links to the words it quotes, in the article's paragraph 4
    anchors = re.findall(rf'articles/{ARTICLE}/index.html#(q-[0-9a-f]+)"', row)
    article = (built / f"articles/{ARTICLE}/index.html").read_text()
    paragraph = article[article.index('<p id="p-4"') :]
    paragraph = paragraph[: paragraph.index("</p>")]
    assert anchors and any(f'id="{anchor}"' in paragraph for anchor in anchors)
    assert "at least 600,000" in html


def test_profiles_show_relations_on_both_ends_and_mentions(built: Path) -> None:
    kim = (built / "entities/kim-jong-un/index.html").read_text()
    korea = (built / "entities/north-korea/index.html").read_text()
    assert re.search(
        r'leader of</span> → <a href="../../entities/north-korea/index.html">North Korea</a>', kim
    )
    assert re.search(
        r'<a href="../../entities/kim-jong-un/index.html">Kim Jong Un</a> '
        r'<span class="relation-type">\(leader of\)</span>',
        korea,
    )
    austin = (built / "entities/lloyd-austin/index.html").read_text()
    assert "<mark>Lloyd Austin</mark>" in austin
    assert "Claims made" in austin and "starting to run thin" in austin
    co = austin[austin.index("Often mentioned with") :]
    assert ">North Korea</a>" in co and ">Russia</a>" in co


def test_article_page_links_mentions_and_carries_license(built: Path) -> None:
    html = (built / f"articles/{ARTICLE}/index.html").read_text()
    assert '<p id="p-1">' in html
    mentions = re.findall(r'<a class="mention" href="([^"]+)">', html)
    assert len(mentions) == len(set(mentions)) >= 10  # the first mention of each entity only
    assert mentions.count("../../entities/lloyd-austin/index.html") == 1
    body = html[html.index('<p id="p-1">') :]
    assert body.count("Austin") > 1  # later mentions stay plain text
    assert "Daily Caller News Foundation, an independent and\nnonpartisan" not in html
    assert "All content created by the Daily Caller News Foundation" in html
    assert "Flickr/Official White House Photo by Cameron Smith" in html
    assert "<blockquote>" in html and "SPRAVDI" in html
    assert "Facts citing this article" in html


def test_site_json_exports_the_model(built: Path) -> None:
    data = json.loads((built / "data/site.json").read_text())
    assert {e["id"] for e in data["entities"]} >= {"lloyd-austin", "kim-jong-un", "iran"}
    assert any(f["value"] == "at least 600,000" and f["paragraph"] == "p-8" for f in data["facts"])
    assert any(
        r["subject"] == "kim-jong-un" and r["type"] == "leader of" for r in data["relations"]
    )


def test_build_is_deterministic(demo: Path, built: Path, run_build: Callable[..., Run]) -> None:
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert run_build(demo, "--out", "again", "--base-url", PUBLISHED_AT).code == 0
    again = demo / "again"
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_changed_quote_fails_at_its_line_and_keeps_site(
    demo: Path, built: Path, run_build: Callable[..., Run]
) -> None:
    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    topic = demo / f"content/topics/{TOPIC}.yaml"
    original = topic.read_text()
    lines = original.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "may be closer to 2,500." in text)
    topic.write_text(original.replace("may be closer to 2,500.", "may be closer to 3,000."))
    try:
        result = run_build(demo, "--base-url", PUBLISHED_AT)
    finally:
        topic.write_text(original)
    assert result.code == 1
    col = lines[line - 1].index("quote:") + len("quote: ") + 1
    assert result.diagnostics == [
        f"content/topics/{TOPIC}.yaml:{line}:{col}: error: quote not found in article "
        f"'{ARTICLE}'; closest passage: \"U.S. officials believe that the number of deployed "
        'troops may be closer to 2,500."'
    ]
    assert "Traceback" not in result.err
    assert {p: p.read_bytes() for p in built.rglob("*") if p.is_file()} == before
