"""The published site as crawlers, feed readers and GitHub Pages see it."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser

from tests.webserver import SUBPATH, ServedSite

EXPECTED_TYPES = {"article": "NewsArticle", "topic": "CollectionPage"}
ENTITY_TYPES = {"Person", "Country", "Organization", "Place", "Event", "Thing"}


class PageLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._in_jsonld = tag == "script" and values.get("type") == "application/ld+json"
        for name in ("href", "src", "action"):
            if values.get(name) and values.get("rel") not in ("canonical", "alternate"):
                self.links.append(str(values[name]))

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)
            self._in_jsonld = False


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def built_pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")} - {"404.html"}


def test_crawl_from_home_reaches_every_page_with_no_broken_link(served: ServedSite) -> None:
    seen, queue, reached = {served.base}, deque([served.base]), set()
    while queue:
        url = queue.popleft()
        status, body, kind = fetch(url)
        assert status == 200, f"{url}: {status}"
        if kind != "text/html":
            continue
        reached.add(url.removeprefix(served.base) or "index.html")
        parser = PageLinks()
        parser.feed(body.decode())
        for link in parser.links:
            target = urljoin(url, link).split("#")[0]
            if urlsplit(target).netloc == urlsplit(served.base).netloc and target not in seen:
                assert target.startswith(served.base), f"{url} links outside the subpath: {link}"
                seen.add(target)
                queue.append(target)
    assert built_pages(served.root) <= reached


def test_missing_url_serves_the_404_page_with_working_links(served: ServedSite) -> None:
    status, body, _ = fetch(served.url("no/such/page/"))
    assert status == 404 and b"Page not found" in body
    parser = PageLinks()
    parser.feed(body.decode())
    deep = served.url("no/such/page/")
    for link in parser.links:
        if link.startswith("#"):
            continue
        assert link.startswith(SUBPATH)
        assert fetch(urljoin(deep, link))[0] == 200, link


def test_feed_parses_with_absolute_links(served: ServedSite) -> None:
    feed = feedparser.parse((served.root / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Dossier"
    [entry] = feed.entries
    assert entry.link == served.url("articles/austin-confirms-north-korean-troops-in-russia/")
    assert entry.summary.startswith("U.S. Defense Secretary Lloyd Austin confirmed")
    assert entry.updated.startswith("2024-10-23")


def test_sitemap_lists_every_page_with_content_dates(served: ServedSite) -> None:
    xml = (served.root / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    pages = {loc.removeprefix(served.base) + "index.html" for loc in locs}
    assert pages == built_pages(served.root) - {"search/index.html"}  # noindex
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", xml)) == {"2024-10-23"}
    robots = (served.root / "robots.txt").read_text()
    assert f"Sitemap: {served.base}sitemap.xml" in robots


def jsonld(path: Path) -> dict[str, object]:
    parser = PageLinks()
    parser.feed(path.read_text())
    assert len(parser.jsonld) == 1, path
    data = json.loads(parser.jsonld[0])
    assert data["@context"] == "https://schema.org"
    return data


def test_json_ld_on_every_page(served: ServedSite) -> None:
    for page in sorted(built_pages(served.root)):
        graph = jsonld(served.root / page)["@graph"]
        types = [node["@type"] for node in graph]  # type: ignore[index, union-attr]
        assert "BreadcrumbList" in types, page
        kind = page.split("/")[0]
        if kind == "articles" and page != "articles/index.html":
            assert types[0] == "NewsArticle"
        elif kind == "entities" and page != "entities/index.html":
            assert types[0] in ENTITY_TYPES
        elif page == "search/index.html":
            assert types[0] == "SearchResultsPage"
        else:
            assert types[0] == "CollectionPage", page
            assert graph[0]["mainEntity"]["@type"] == "ItemList"  # type: ignore[index]


def test_json_ld_links_articles_entities_and_claims(served: ServedSite) -> None:
    article = jsonld(
        served.root / "articles/austin-confirms-north-korean-troops-in-russia/index.html"
    )["@graph"][0]  # type: ignore[index]
    assert article["headline"].startswith("Austin confirms")  # type: ignore[index]
    assert article["datePublished"] == "2024-10-23"  # type: ignore[index]
    assert article["publisher"]["name"] == "Daily Caller News Foundation"  # type: ignore[index]
    assert {"@id": served.url("entities/lloyd-austin/") + "#entity"} in article["mentions"]  # type: ignore[index]
    assert "about" not in article  # no `entities` list: no empty "about" either
    austin = jsonld(served.root / "entities/lloyd-austin/index.html")["@graph"][0]  # type: ignore[index]
    assert austin["@type"] == "Person"  # type: ignore[index]
    assert austin["sameAs"] == ["https://en.wikipedia.org/wiki/Lloyd_Austin"]  # type: ignore[index]
    topic = jsonld(served.root / "topics/north-korean-troops-in-russia/index.html")["@graph"]
    claims = [n for n in topic if n["@type"] == "Claim"]  # type: ignore[index, union-attr]
    ukraine = next(c for c in claims if "10,000" in c["name"])  # type: ignore[index]
    assert ukraine["author"] == {"@id": served.url("entities/ukraine/") + "#entity"}  # type: ignore[index]
    assert ukraine["appearance"]["@id"].endswith("#article")  # type: ignore[index]


def test_pages_tell_github_pages_what_it_needs(served: ServedSite) -> None:
    assert (served.root / ".nojekyll").is_file()
    # the workflow's upload and deploy steps: tests/test_workflow.py
