"""The pages as a reader sees them, in Chromium at 1280 and 390 px, light and dark: the
demo, and a synthetic site whose graphs are crowded (long names, long relation types,
two relations between one pair, co-mentions across several articles).

Graph and chart labels never overlap each other or a node and are never clipped by
their drawing; every fact's source link lands on an element that holds the quoted
words and not much more; the header's tab order is its visual order; nothing is wider
than the screen (a graph scrolls sideways inside its own frame)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from builder.cli import main
from builder.source.quotes import normalize, split_pieces
from tests.webserver import ServedSite

SIZES = [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")]
DEMO_PAGES = [
    "",
    "topics/north-korean-troops-in-russia/",
    "entities/north-korea/",
    "entities/russia/",
    "graph/",
    "articles/austin-confirms-north-korean-troops-in-russia/",
]
CROWDED_PAGES = ["graph/index.html", "entities/ru/index.html", "topics/war/index.html"]

# Labels and nodes of every SVG, in page coordinates; each box is [left, top, right, bottom].
SVG_BOXES = """() => [...document.querySelectorAll('svg')].filter(s => s.closest('.graph, .spread'))
  .map(svg => {
    const frame = svg.getBoundingClientRect();
    const box = e => { const r = e.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom, e.textContent.trim()]; };
    return {
      frame: [frame.left, frame.top, frame.right, frame.bottom],
      texts: [...svg.querySelectorAll('text')].map(box),
      nodes: [...svg.querySelectorAll('circle')].map(box),
    };
  })"""

# Elements that stick out of the screen and are not inside a scrolling frame.
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(e => {
    if (e.getBoundingClientRect().right <= window.innerWidth + 0.5) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return false;
    }
    return true;
  }).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def overlap(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def inside(box: list[float], frame: list[float]) -> bool:
    return (
        box[0] >= frame[0] - 0.5
        and box[1] >= frame[1] - 0.5
        and box[2] <= frame[2] + 0.5
        and box[3] <= frame[3] + 0.5
    )


def label_problems(page: Page) -> list[str]:
    problems = []
    for drawing in page.evaluate(SVG_BOXES):
        texts, nodes = drawing["texts"], drawing["nodes"]
        for i, text in enumerate(texts):
            if not inside(text, drawing["frame"]):
                problems.append(f"'{text[4]}' is clipped")
            problems += [
                f"'{text[4]}' overlaps '{o[4]}'" for o in texts[i + 1 :] if overlap(text, o)
            ]
            problems += [f"'{text[4]}' covers a node" for n in nodes if overlap(text, n)]
    return problems


def open_page(browser: Browser, url: str, width: int, scheme: str) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(url, wait_until="load")
    return page


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose graphs are hard to label, built from the files of `crowded_site`."""
    root = tmp_path_factory.mktemp("crowded")
    for name, text in crowded_site().items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    out = root / "site"
    code = main(["--content", str(root / "content"), "--out", str(out), "--no-search"])
    assert code == 0
    return out


def crowded_site() -> dict[str, str]:
    names = {
        "ru": ("Russia", "country"),
        "ua": ("Ukraine", "country"),
        "kp": ("North Korea", "country"),
        "kr": ("South Korea", "country"),
        "us": ("United States", "country"),
        "ir": ("Iran", "country"),
        "pravdi": ("PRAVDI Stratcom Centre for Strategic Communications", "organization"),
        "sergievsky": ("Sergievsky Training Ground", "place"),
        "kim": ("Kim Jong Un", "person"),
        "putin": ("Vladimir Putin", "person"),
        "nato": ("North Atlantic Treaty Organization", "organization"),
        "un": ("United Nations Security Council", "organization"),
    }
    relations = {
        "kp": [("sent troops to", "ru"), ("comprehensive strategic partnership with", "ru")],
        "ru": [("at war with", "ua"), ("comprehensive strategic partnership with", "kp")],
        "kim": [("leader of", "kp")],
        "putin": [("president of", "ru")],
        "ir": [("supplied weapons and drones to", "ru")],
        "sergievsky": [("located in", "ru")],
        "pravdi": [("published footage from", "sergievsky"), ("part of", "ua")],
        "us": [("member of", "nato"), ("permanent member of", "un")],
        "kr": [("shares intelligence with", "us")],
    }
    files = {"site.yaml": "title: Crowded\n"}
    for entity_id, (name, kind) in names.items():
        lines = [f"name: {name}", f"type: {kind}"]
        if entity_id in relations:
            lines.append("relations:")
            for kind_of, target in relations[entity_id]:
                lines += [f"  - type: {kind_of}", f"    target: {target}"]
        files[f"entities/{entity_id}.yaml"] = "\n".join(lines) + "\n"
    everyone = " ".join(f"{name} spoke." for name, _ in names.values())
    for number in range(3):  # every pair is mentioned together in three articles
        files[f"articles/story-{number}.md"] = (
            f"---\ntitle: Story {number}\ndate: 2024-10-{10 + number}\ntopics: [war]\n---\n"
            f"{everyone}\n\nThe count was {1000 * (number + 1)} troops.\n"
        )
    facts = "\n".join(
        f"  - label: Troops\n    value: '{1000 * (n + 1)}'\n    number: {1000 * (n + 1)}\n"
        f"    claimed_by: {who}\n    as_of: 2024-10-{10 + n}\n    source: story-{n}\n"
        f"    quote: The count was {1000 * (n + 1)} troops."
        for n, who in enumerate(["ua", "kr", "pravdi"])
    )
    files["topics/war.yaml"] = f"title: The war\nfacts:\n{facts}\n"
    return files


@pytest.fixture(scope="module")
def pages_to_read(browser: Browser, served: ServedSite, crowded: Path) -> Callable[..., Iterator]:
    def each(width: int, scheme: str) -> Iterator[tuple[str, Page]]:
        urls = [served.url(p) for p in DEMO_PAGES] + [(crowded / p).as_uri() for p in CROWDED_PAGES]
        for url in urls:
            page = open_page(browser, url, width, scheme)
            yield url, page
            page.close()

    return each


@pytest.mark.parametrize(("width", "scheme"), SIZES)
def test_labels_never_overlap_or_clip(
    pages_to_read: Callable[..., Iterator], width: int, scheme: str
) -> None:
    report, drawings = [], 0
    for url, page in pages_to_read(width, scheme):
        drawings += len(page.evaluate(SVG_BOXES))
        report += [f"{url}: {p}" for p in label_problems(page)]
    assert drawings >= 6  # the graphs and the charts were there to check
    assert report == []


@pytest.mark.parametrize(("width", "scheme"), SIZES)
def test_nothing_is_wider_than_the_screen(
    pages_to_read: Callable[..., Iterator], width: int, scheme: str
) -> None:
    report = []
    for url, page in pages_to_read(width, scheme):
        report += [f"{url}: {e}" for e in page.evaluate(TOO_WIDE)]
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            report.append(f"{url}: the page scrolls sideways")
    assert report == []


def test_every_fact_link_lands_on_its_quoted_words(browser: Browser, served: ServedSite) -> None:
    checked = 0
    for path in ["topics/north-korean-troops-in-russia/", "entities/north-korea/", ""]:
        page = open_page(browser, served.url(path), 1280, "light")
        links = page.evaluate(
            """() => [...document.querySelectorAll('.claim')].map(c => [
              c.querySelector('a.source')?.href, c.querySelector('.quote')?.textContent])
              .filter(([href, quote]) => href && quote)"""
        )
        for href, quote in links:
            target = browser.new_page()
            target.goto(href)
            fragment = href.rsplit("#", 1)[1]
            text = normalize(target.locator(f"[id='{fragment}']").inner_text())
            pieces = split_pieces(quote)
            assert all(normalize(piece) in text for piece in pieces), (href, quote, text)
            assert len(text) <= len(normalize(quote)) + 40, (href, text)  # not much more
            target.close()
            checked += 1
        page.close()
    assert checked >= 10


@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_tab_order_is_its_visual_order(
    browser: Browser, served: ServedSite, width: int
) -> None:
    page = open_page(browser, served.url("topics/"), width, "light")
    boxes = []
    for _ in range(12):
        page.keyboard.press("Tab")
        inside_header = page.evaluate("!!document.activeElement.closest('.site-header')")
        if not inside_header and boxes:
            break
        if inside_header:
            boxes.append(
                page.evaluate(
                    "(() => { const r = document.activeElement.getBoundingClientRect();"
                    " return [r.left, r.top, r.bottom, document.activeElement.textContent"
                    " || document.activeElement.id]; })()"
                )
            )
    assert len(boxes) >= 7  # site name, five sections, the search box
    for before, after in zip(boxes, boxes[1:], strict=False):
        same_line = after[1] < before[2] and before[1] < after[2]  # their heights overlap
        assert (same_line and after[0] > before[0]) or after[1] >= before[2] - 2, (before, after)
    current = page.locator('.site-header nav a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "Topics"


def test_sections_are_current_on_their_pages(served: ServedSite) -> None:
    topic = (served.root / "topics/north-korean-troops-in-russia/index.html").read_text()
    assert re.search(r'<a href="[^"]*topics/index.html" aria-current="page">Topics</a>', topic)
    home = (served.root / "index.html").read_text()
    assert home.count('aria-current="page"') == 1
