"""Every page of the demo in a real browser (Playwright driving Debian's Chromium),
served under /dossier/: no console error, no failed request, no serious or critical
axe-core violation, and nothing wider than a 360 px phone screen."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browsing import visit
from tests.conftest import node_tool
from tests.webserver import ServedSite


def pages(served: ServedSite) -> list[str]:
    found = sorted(p.relative_to(served.root).as_posix() for p in served.root.rglob("*.html"))
    return [p.removesuffix("index.html") for p in found if p != "404.html"]


def test_every_page_loads_cleanly_and_passes_axe(browser: Browser, served: ServedSite) -> None:
    axe = node_tool("axe-core", "axe.min.js")
    report = []
    for path in pages(served):
        page, problems = visit(browser, served.url(path))
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        for theme in ("light", "dark"):
            page.emulate_media(color_scheme=theme)
            violations += page.evaluate(
                "async () => (await axe.run(document, {runOnly: ['color-contrast']}))"
                ".violations.map(v => v.id + ' (" + theme + "): ' + "
                "v.nodes.map(n => n.target.join(' ')).join(', '))"
            )
        report += [f"{path}: {p}" for p in problems + violations]
        page.close()
    assert report == []


def test_no_page_scrolls_sideways_at_360px(browser: Browser, served: ServedSite) -> None:
    wide = []
    for path in pages(served):
        page, _ = visit(browser, served.url(path), width=360)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{path}: {overflow}px too wide")
        if path == "topics/north-korean-troops-in-russia/":
            page.screenshot(path=str(served.root.parent / "topic-360.png"), full_page=True)
        page.close()
    assert wide == []


def test_paragraph_link_targets_and_highlights(browser: Browser, served: ServedSite) -> None:
    page, problems = visit(browser, served.url("topics/north-korean-troops-in-russia/"))
    page.locator("details.evidence summary").first.click()
    page.locator("a.source", has_text="Read it in the article").first.click()
    page.wait_for_load_state("load")
    anchor = page.url.rsplit("#", 1)[1]
    assert anchor.startswith("q-"), page.url  # the quoted words, not the paragraph
    target = page.locator(f"p#p-7 .passage#{anchor}")
    background = target.evaluate("span => getComputedStyle(span).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "closer to 2,500" in target.inner_text()
    assert problems == []


def test_skip_link_is_first_and_focus_is_visible(browser: Browser, served: ServedSite) -> None:
    page, _ = visit(browser, served.url(""))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert page.locator("h1").count() == 1
