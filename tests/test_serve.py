"""`build serve` end to end: a real browser sees an edit without reloading by hand,
and a broken edit shows its diagnostic while the last good page stays served."""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page as Tab

from builder.commands import serve
from builder.commands.serve import Preview, Snapshot
from builder.incremental.snapshot import Entry, IndexSnapshot
from builder.model.site import Site
from builder.options import BuildOptions
from builder.output.pages import Page
from builder.pipeline import Model
from tests.conftest import ROOT

ARTICLE = "austin-confirms-north-korean-troops-in-russia"
DEADLINE = 30_000  # ms: how long to wait for an event before calling it lost (not a target)


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`build serve` in `folder`: its address and its process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "builder.cli", "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("serving http://127.0.0.1:"), first
    try:
        yield first.split()[1], process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    with serving(tmp_path) as (base, process):
        yield base, tmp_path, process


def open_page(browser: Browser, url: str) -> Tab:
    """`url` in a new tab, once it listens for rebuilds (its event stream is open)."""
    page = browser.new_page()
    with page.expect_response(lambda r: r.url.endswith("/__dossier/events"), timeout=DEADLINE):
        page.goto(url)
    return page


def test_edit_reloads_and_error_shows_overlay(
    server: tuple[str, Path, subprocess.Popen[str]], browser: Browser
) -> None:
    base, root, process = server
    article = root / f"content/articles/{ARTICLE}.md"
    original = article.read_text()
    # wait for the page to listen, not for a while (save-to-reload time is measured in
    # benchmarks/serve_reload.py)
    page = open_page(browser, f"{base}articles/{ARTICLE}/")
    page.wait_for_function("() => document.title.includes('Austin confirms')")

    edited = original + "\nEditor's note: this story was updated.\n"
    in_body = "() => document.querySelector('.body').innerText.includes('{}')"
    article.write_text(edited)
    page.wait_for_function(in_body.format("Editor\\'s note"), timeout=DEADLINE)

    article.write_text(edited.replace("date: 2024-10-23", "date: 2024-13-23"))
    overlay = page.locator("#dossier-errors")
    overlay.wait_for(state="visible", timeout=DEADLINE)
    assert (
        f"content/articles/{ARTICLE}.md:3:7: error: 'date': '2024-13-23' is not a date"
        in overlay.inner_text()
    )
    with urllib.request.urlopen(f"{base}articles/{ARTICLE}/") as response:
        assert b"this story was updated" in response.read()  # the last good page is served

    article.write_text(original)
    page.wait_for_function(
        "() => !document.querySelector('.body').innerText.includes('this story was updated')",
        timeout=DEADLINE,
    )
    assert page.locator("#dossier-errors").count() == 0

    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=10)
    assert process.returncode == 0 and "stopped" in out


def test_an_edit_updates_the_open_page_in_place(
    server: tuple[str, Path, subprocess.Popen[str]], browser: Browser
) -> None:
    """After an edit the open page shows the new text without a reload: where the
    reader had scrolled to stays, and the page's scripts work on the new text (the
    header's suggestions)."""
    base, root, _ = server
    page = open_page(browser, f"{base}articles/{ARTICLE}/")
    page.evaluate("() => { window.scrollTo(0, 400); window.kept = 'the same page'; }")
    article = root / f"content/articles/{ARTICLE}.md"
    article.write_text(article.read_text() + "\nEditor's note: updated in place.\n")
    page.wait_for_function(
        "() => document.querySelector('.body').innerText.includes('updated in place')",
        timeout=DEADLINE,
    )
    assert page.evaluate("() => [window.kept, window.scrollY]") == ["the same page", 400]
    assert page.title().startswith("Austin confirms")
    page.fill("#site-search-q", "Aus")
    page.locator("#quick-jump a", has_text="Lloyd Austin").wait_for(timeout=DEADLINE)
    site_yaml = root / "content/site.yaml"  # what the root element says changes too
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "language: en-GB"))
    page.wait_for_function("() => document.documentElement.lang === 'en-GB'", timeout=DEADLINE)
    assert page.evaluate("() => window.kept") == "the same page"


def test_a_stylesheet_edit_reloads_the_open_page(tmp_path: Path, browser: Browser) -> None:
    """What an update in place would not fetch again (a stylesheet, a script, an
    image) reloads the page when it changes."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    site_yaml = tmp_path / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    stylesheet = tmp_path / "themes/house/static/style.css"
    stylesheet.parent.mkdir(parents=True)
    shutil.copy(ROOT / "themes/default/static/style.css", stylesheet)
    with serving(tmp_path) as (base, _):
        page = open_page(browser, f"{base}articles/{ARTICLE}/")
        page.evaluate("() => { window.kept = 'the same page'; }")
        with stylesheet.open("a") as css:
            css.write("\n.site-footer { border-top: 7px solid rgb(1, 2, 3); }\n")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.site-footer')).borderTopColor"
            " === 'rgb(1, 2, 3)'",
            timeout=DEADLINE,
        )
        assert page.evaluate("() => window.kept") is None


def test_the_event_stream_starts_with_the_status(
    server: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    """A page reads the status, then opens the stream: a rebuild ending in between
    would be missed if the stream only spoke of later ones."""
    base, _, _ = server
    with urllib.request.urlopen(f"{base}__dossier/events", timeout=5) as stream:
        assert stream.readline() == b"event: build\n"
        status = json.loads(stream.readline().decode().removeprefix("data: "))
    assert status["version"] == 1 and status["errors"] == [] and status["assets"]


def test_serve_follows_the_base_url_path(server: tuple[str, Path, subprocess.Popen[str]]) -> None:
    base, _, _ = server
    assert base.endswith("/dossier/")
    with urllib.request.urlopen(base) as response:
        html = response.read().decode()
    assert "/dossier/__dossier/client.js" in html
    root = base.removesuffix("dossier/")
    with urllib.request.urlopen(root) as response:  # the server's root leads to the site
        assert response.url == base
        assert "/dossier/__dossier/client.js" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(root + "elsewhere/")
    assert missing.value.code == 404


def test_build_output_has_no_reload_script(site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "builder.cli"], cwd=site_dir, check=True, capture_output=True
    )
    assert not any("__dossier" in p.read_text() for p in (site_dir / "site").rglob("*.html"))


def test_a_template_edit_is_served_after_a_rebuild(site_dir: Path) -> None:
    """Theme edits reach the served page, a template that the page starts to use only
    after an edit included (what each template names is remembered by its text, from
    one rebuild to the next)."""
    site_yaml = site_dir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    templates = site_dir / "themes/house/templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text("first version\n")
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    url = "articles/first-story/index.html"

    def served() -> str:
        found = preview.file(url)
        assert found is not None
        return found[0].decode()

    preview.rebuild()
    assert served().startswith("first version")
    (templates / "part.html").write_text("second version\n")
    (templates / "article.html").write_text('{% include "part.html" %}')
    preview.rebuild()
    assert served().startswith("second version")
    (templates / "part.html").write_text("third version\n")
    preview.rebuild()
    assert served().startswith("third version")


def test_the_site_served_during_a_rebuild_finds_its_records(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the rebuilt site replaces it, the site being served still reads the records
    of what was edited: the cache forgets them only once the new site is served (a page
    opened while a rebuild ran failed with "a record is missing")."""
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    preview.rebuild()
    url = "articles/first-story/index.html"  # not opened yet
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")
    opened: list[str] = []
    snapshot_of = Preview.snapshot_of

    def opened_meanwhile(self: Preview, site: Site, model: Model) -> Snapshot:
        found = self.file(url)
        opened.append(found[0].decode() if found else "")
        return snapshot_of(self, site, model)

    monkeypatch.setattr(Preview, "snapshot_of", opened_meanwhile)
    preview.rebuild([str(article)])
    assert "First story" in opened[0] and "spring" not in opened[0]
    found = preview.file(url)
    assert found is not None and "The board will meet again in spring." in found[0].decode()


def test_the_last_good_site_finds_its_records_while_an_edit_fails(site_dir: Path) -> None:
    """A broken edit keeps the last good site served, pages not yet opened included:
    the cache keeps the records that site reads until a good build replaces it."""
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    preview.rebuild()
    url = "articles/first-story/index.html"  # not opened yet
    article = site_dir / "content/articles/first-story.md"
    good = article.read_text()
    article.write_text(good.replace("date: 2024-10-23", "date: 2024-13-45"))
    preview.rebuild([str(article)])
    assert any("first-story.md:3:7: error" in line for line in preview.errors), preview.errors
    found = preview.file(url)
    assert found is not None and "Alice Example met the Board of Things" in found[0].decode()
    article.write_text(good + "\nThe board will meet again in spring.\n")
    preview.rebuild([str(article)])
    assert preview.errors == []
    found = preview.file(url)
    assert found is not None and "The board will meet again in spring." in found[0].decode()


def test_a_record_page_is_planned_alone(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the article reloaded is planned by itself, as the whole plan
    would have it; the other pages are planned all at once when one is asked for."""
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    preview.rebuild()
    snapshot = preview.snapshot
    assert snapshot is not None
    for page in serve.plan_pages(snapshot.site):  # as the whole plan has them
        found = snapshot.pages.get(page.url)
        assert found is not None and found._replace(view=None) == page._replace(view=None)
        assert serve.plan_digest(found) == serve.plan_digest(page)
    planned: list[str] = []
    plan_pages = serve.plan_pages

    def counted(site: Site) -> Iterator[Page]:
        planned.append("all")
        return plan_pages(site)

    monkeypatch.setattr(serve, "plan_pages", counted)
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")
    preview.rebuild([str(article)])
    found = preview.file("articles/first-story/index.html")
    assert found is not None and "again in spring" in found[0].decode()
    assert preview.file("static/style.css") is not None  # what the reloaded page loads
    assert planned == []
    assert preview.file("") is not None  # the home page
    assert preview.file("articles/index.html") is not None
    assert planned == ["all"]


def test_a_page_nothing_changed_for_is_served_again_without_rendering(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = "---\ntitle: Second story\ndate: 2024-10-24\n---\nNothing happened today.\n"
    (site_dir / "content/articles/second-story.md").write_text(second)
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    preview.rebuild()
    edited, other = "articles/first-story/index.html", "articles/second-story/index.html"
    before = {url: preview.file(url) for url in (edited, other)}
    rendered: list[str] = []
    render_page = serve.render_page

    def counted(site: Site, env: Any, templates: Any, page: Page) -> tuple[str, set[str]]:
        rendered.append(page.url)
        return render_page(site, env, templates, page)

    monkeypatch.setattr(serve, "render_page", counted)
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")
    preview.rebuild([str(article)])
    assert preview.file(other) == before[other]
    after = preview.file(edited)
    assert after is not None and "again in spring" in after[0].decode()
    assert rendered == [edited]
    preview.rebuild([str(article)])  # nothing changed: both are kept, the edited one too
    assert preview.file(edited) == after and preview.file(other) == before[other]
    assert rendered == [edited]


def test_a_rebuild_reads_the_index_rows_it_lacks_not_the_whole_blob(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build serve` keeps the index rows it decoded: after an edit it reads the edited
    article's alone, never the blob of every article (`build` keeps for itself), which
    took 0.3 s of each reload at 10,000 articles."""
    subprocess.run(  # a build leaves the blob
        [sys.executable, "-m", "builder.cli", "--no-search"], cwd=site_dir, check=True
    )
    loaded: list[int] = []
    load = IndexSnapshot._load

    def counted(self: IndexSnapshot) -> dict[bytes, Entry]:
        loaded.append(1)
        return load(self)

    monkeypatch.setattr(IndexSnapshot, "_load", counted)
    preview = Preview(BuildOptions(site_dir / "content", site_dir / "site", write=False))
    preview.rebuild()
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")
    preview.rebuild([str(article)])
    found = preview.file("articles/first-story/index.html")
    assert found is not None and "again in spring" in found[0].decode()
    assert loaded == []
