"""Search on the demo site served under /dossier/, in a real browser: the quick jump
in the header, full-text results from Pagefind, and its filters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route
from playwright.sync_api import Error as PlaywrightError

from builder.output.search import shard_of
from tests.browsing import visit
from tests.conftest import MINIMAL_SITE, Run, write_files
from tests.webserver import ServedSite, served_content


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


def test_what_was_typed_before_the_script_arrived_gets_suggestions(
    browser: Browser, served: ServedSite
) -> None:
    """On a slow connection the header box shows before search.js has loaded: what the
    reader typed by then is answered as soon as it runs."""
    page = browser.new_page()
    held: list[Route] = []
    page.route("**/static/search.js", lambda route: held.append(route))
    page.goto(served.url("topics/"), wait_until="commit")
    page.fill("#site-search-q", "Austin")
    while not held:
        page.wait_for_timeout(20)
    assert page.locator(".quick-jump a").count() == 0  # nothing could answer yet
    held[0].continue_()
    offer = page.locator(".quick-jump a", has_text="Lloyd Austin")
    offer.first.wait_for(state="visible", timeout=5000)
    page.close()


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


# --- reading the results (issue 11) ---------------------------------------------------


def result_texts(page: Page) -> list[tuple[str, str, str]]:
    """(title, excerpt, tags) of each result shown."""
    shown = page.locator(".pagefind-ui__result")
    return [
        (
            shown.nth(i).locator(".pagefind-ui__result-title").first.inner_text(),
            shown.nth(i).locator(".pagefind-ui__result-excerpt").first.inner_text(),
            shown.nth(i).locator(".pagefind-ui__result-tags").first.inner_text(),
        )
        for i in range(shown.count())
    ]


def test_a_word_finds_the_article_and_topic_first(browser: Browser, served: ServedSite) -> None:
    page, problems = visit(browser, served.url("search/"))
    found = results(page, "troops", served)
    assert "/articles/austin-confirms-north-korean-troops-in-russia/" in found[0]
    assert "/topics/north-korean-troops-in-russia/" in found[1]
    assert problems == []


def test_results_carry_their_type_and_no_boilerplate(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url("search/"))
    results(page, "troops", served)
    shown = result_texts(page)
    types = [tags.split("Type: ")[1].split()[0] for _title, _excerpt, tags in shown]
    assert types[:2] == ["Article", "Topic"]
    assert set(types[2:]) <= {"Country", "Person", "Organization", "Place", "Group"}
    for _title, excerpt, _tags in shown:
        assert "Read it in the article" not in excerpt and "Mentioned in" not in excerpt
        assert "Source:" not in excerpt


def test_the_query_stays_in_the_header_box(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url("search/"))
    results(page, "troops", served)
    assert page.input_value("#site-search-q") == "troops"


def test_results_use_the_site_typefaces(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url("search/"))
    results(page, "troops", served)
    font = "el => getComputedStyle(el).fontFamily"
    assert page.locator(".pagefind-ui__result-excerpt").first.evaluate(font) == page.locator(
        "main p"
    ).first.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert page.locator(".pagefind-ui__result-title").first.evaluate(font) == page.locator(
        "h1"
    ).evaluate(font)


def test_on_a_phone_filters_start_closed_and_a_result_shows(
    browser: Browser, served: ServedSite
) -> None:
    page, _ = visit(browser, served.url("search/"), width=390)
    results(page, "troops", served)
    assert page.locator(".pagefind-ui__filter-panel details[open]").count() == 0
    first = page.locator(".pagefind-ui__result-title").first.bounding_box()
    assert first is not None and first["y"] + first["height"] < 800  # above the fold


def test_header_suggests_topics_and_articles(browser: Browser, served: ServedSite) -> None:
    page, problems = visit(browser, served.url("entities/"))
    page.fill("#site-search-q", "troops")
    article = page.locator(".quick-jump a", has_text="Austin confirms North Korea")
    article.wait_for(state="visible", timeout=10000)
    assert page.locator(".quick-jump a", has_text="North Korean troops in Russia").count() == 1
    assert "Press Enter to search all pages" in page.locator(".quick-jump").inner_text()
    article.click()
    page.wait_for_url("**/articles/austin-confirms-north-korean-troops-in-russia/")
    assert problems == []


def test_header_hints_at_enter_when_nothing_matches(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url("entities/"))
    page.fill("#site-search-q", "qqzx")
    hint = page.locator(".quick-jump .hint", has_text="Press Enter to search all pages")
    hint.wait_for(state="visible", timeout=10000)
    assert page.locator(".quick-jump a").count() == 0


# --- a site indexed in several shards (issue 16) --------------------------------------

SHARDED = {
    **MINIMAL_SITE,
    "content/site.yaml": "title: Test Desk\n",
    "content/articles/older-story.md": """\
        ---
        title: Older story about the harbour
        date: 2023-05-02
        topics: [big-story]
        ---
        The Board of Things first met in May at the harbour, said Alice Example.
        """,
    "content/articles/first-story.md": MINIMAL_SITE["content/articles/first-story.md"]
    + "\n        The harbour was closed on Tuesday.\n",
    "content/entities/board-of-things.yaml": """\
        name: Board of Things
        type: organization
        summary: A board that runs the harbour.
        """,
    "content/topics/big-story.yaml": MINIMAL_SITE["content/topics/big-story.yaml"].replace(
        "summary: What happened.", "summary: What happened at the harbour."
    ),
}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    content = write_files(tmp_path_factory.mktemp("sharded"), SHARDED) / "content"
    with served_content(content, tmp_path_factory.mktemp("pages")) as site:
        yield site


def test_a_query_finds_pages_of_every_shard(browser: Browser, sharded: ServedSite) -> None:
    merged = json.loads((sharded.root / "pagefind/shards.json").read_text())
    assert merged == ["entities", "articles-2023-2024"]
    page, problems = visit(browser, sharded.url("search/"))
    found = results(page, "harbour", sharded)
    assert {
        "/dossier/topics/big-story/",  # the primary bundle
        "/dossier/entities/board-of-things/",
        "/dossier/articles/older-story/",
        "/dossier/articles/first-story/",
    } <= set(found), found
    assert problems == []


def test_filters_count_and_narrow_across_shards(browser: Browser, sharded: ServedSite) -> None:
    page, _ = visit(browser, sharded.url("search/"))
    results(page, "harbour", sharded)
    article = page.locator(".pagefind-ui__filter-panel label", has_text="article")
    labels = "[...document.querySelectorAll('.pagefind-ui__filter-panel label')]"
    try:  # the counts come with the results (the wait is long: CI runs two browsers)
        page.wait_for_function(
            f"() => {labels}.some(l => l.textContent.includes('article')"
            " && l.textContent.includes('(2)'))",
            timeout=30000,
        )
    except PlaywrightError:  # say what the panel showed instead
        shown = page.evaluate(f"() => {labels}.map(l => l.textContent.trim())")
        pytest.fail(f"no 'article (2)' filter; the panel showed {shown}")
    article.first.click()
    page.wait_for_function(
        "() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')];"
        " return links.length === 2 && links.every(a => a.getAttribute('href')"
        ".includes('/articles/')); }",
        timeout=10000,
    )


def test_header_suggestions_come_from_every_shard(browser: Browser, sharded: ServedSite) -> None:
    page, problems = visit(browser, sharded.url("entities/"))
    page.fill("#site-search-q", "harbour")
    older = page.locator(".quick-jump a", has_text="Older story about the harbour")
    older.wait_for(state="visible", timeout=10000)
    assert page.locator(".quick-jump a", has_text="The big story").count() == 1
    page.fill("#site-search-q", "Board")
    page.locator(".quick-jump a", has_text="Board of Things").first.wait_for(timeout=10000)
    assert problems == []
