"""Search on the demo site served under /dossier/, in a real browser: the quick jump
in the header, full-text results from Pagefind, and its filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page

from builder.output.search import shard_of
from tests.browsing import visit
from tests.conftest import Run
from tests.webserver import ServedSite


def results(page: Page, query: str, served: ServedSite) -> list[str]:
    page.goto(served.url(f"search/?q={query}"))
    page.wait_for_function(  # every result shown has loaded its link
        "() => { const shown = [...document.querySelectorAll('.pagefind-ui__result')];"
        " return shown.length > 0"
        " && shown.every(r => r.querySelector('.pagefind-ui__result-link')); }",
        timeout=10000,
    )
    links = page.locator(".pagefind-ui__result-link")
    return [str(links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_quick_jump_offers_entities_by_name(browser: Browser, served: ServedSite) -> None:
    page, problems = visit(browser, served.url("topics/"))
    page.fill("#site-search-q", "Austin")
    offer = page.locator(".quick-jump a", has_text="Lloyd Austin")
    offer.first.wait_for(state="visible", timeout=5000)
    assert offer.first.get_attribute("href") == "../entities/lloyd-austin/index.html"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/entities/lloyd-austin/index.html")
    assert problems == []


def test_full_text_finds_figures_and_names(browser: Browser, served: ServedSite) -> None:
    page, problems = visit(browser, served.url("search/"))
    found = results(page, "10,000", served)
    assert any("topics/north-korean-troops-in-russia/" in h for h in found), found
    assert any("articles/austin-confirms-north-korean-troops-in-russia/" in h for h in found)
    found = results(page, "Sergievsky", served)
    assert any("entities/sergievsky-training-ground/" in h for h in found), found
    assert all(h.startswith("/dossier/") for h in found)
    assert problems == []


def test_filters_narrow_results_to_entities(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url("search/"))
    everything = results(page, "Russia", served)
    assert any("/articles/" in h for h in everything)
    page.locator(".pagefind-ui__filter-panel label", has_text="entity").first.click()
    page.wait_for_function(
        "() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')];"
        " return links.length >= 3 && links.every(a => a.getAttribute('href')"
        ".includes('/entities/')); }",
        timeout=10000,
    )
    entities = page.locator(".pagefind-ui__result-link")
    assert entities.count() >= 3


def test_header_search_works_without_javascript(browser: Browser, served: ServedSite) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url("entities/iran/"))
    page.fill("#site-search-q", "Iran")
    page.click(".site-search button")
    page.wait_for_url("**/search/index.html?q=Iran")
    assert page.locator("h1").inner_text() == "Search"
    assert "Full-text search needs JavaScript" in page.locator("noscript").first.inner_text()
    context.close()


def test_name_shards_cover_every_alias(served: ServedSite) -> None:
    names = {}
    for shard in (served.root / "data/names").glob("*.json"):
        for label, _name, url, _kind in json.loads(shard.read_text()):
            assert shard.stem == shard_of(label)
            names[label] = url
    assert names["Putin"] == "entities/vladimir-putin/index.html"
    assert names["DPRK"] == "entities/north-korea/index.html"
    assert names["North Korean troops in Russia's war on Ukraine"].startswith("topics/")


def test_no_search_builds_fast_without_an_index(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    assert not (site_dir / "site/pagefind").exists()
    assert "built without its search index" in (site_dir / "site/search/index.html").read_text()
    assert run_build(site_dir).code == 0
    assert (site_dir / "site/pagefind/pagefind-ui.js").is_file()
