"""Site -> pages. Each page is a URL, a template and a view; rendering one is a pure
function of the site, so pages can be rendered in any order or in parallel."""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Iterator
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import urls
from .export import site_data
from .feeds import atom_feed, robots, sitemap
from .jsonld import structured_data
from .pages import Page, plan_pages
from .search import name_shards
from .site import Site
from .views import PageContext

DEFAULT_THEME = Path(__file__).parent / "themes" / "default"
NAV = (
    ("Home", urls.HOME),
    ("Topics", urls.TOPICS),
    ("Entities", urls.ENTITIES),
    ("Articles", urls.ARTICLES),
    ("Graph", urls.GRAPH),
)


def theme_dirs(site_root: Path, theme: str) -> list[Path]:
    """The site's own theme first (it overrides template by template), then the default."""
    own = site_root / "themes" / theme
    return [own, DEFAULT_THEME] if own.is_dir() else [DEFAULT_THEME]


def make_environment(site_root: Path, theme: str) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(site_root, theme)]
    default = jinja2.FileSystemLoader(str(DEFAULT_THEME / "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [*loaders, jinja2.PrefixLoader({"default": default}, delimiter=":")]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(site: Site, env: jinja2.Environment, page: Page) -> str:
    root = urls.base_path(site.config.base_url) if page.absolute_links else None
    linker = urls.Linker(page.url, root)
    ctx = PageContext(site, linker)
    common = {
        "site_title": site.config.title,
        "language": site.config.language,
        "title": page.title if page.url != urls.HOME else site.config.title,
        "description": page.description,
        "canonical": _canonical(site, page),
        "home": linker.href(urls.HOME),
        "stylesheet": linker.href(urls.static_url("style.css")),
        "icon": linker.href(urls.static_url("favicon.svg")),
        "nav": [
            {"label": label, "href": linker.href(url), "current": url == page.url}
            for label, url in NAV
        ],
        "is_home": page.url == urls.HOME,
        "jsonld": Markup(structured_data(site, page)),
        "feed": linker.href(urls.FEED) if site.config.base_url else None,
        "root": linker.root_prefix,
        "search": linker.href(urls.SEARCH),
        "search_script": linker.href(urls.static_url("search.js")),
        "search_enabled": site.search_index,
        **_search_fields(site, page),
    }
    return env.get_template(page.template).render(page=common, **page.view(ctx))


def _search_fields(site: Site, page: Page) -> dict[str, object]:
    """What Pagefind indexes: the main content of articles, entities and topics only,
    filtered by kind (and entity type), with the date to sort articles."""
    if page.kind is None or page.record_id is None:
        return {"search_body": False, "search_filters": [], "date": None}
    filters = [f"kind:{page.kind}"]
    date = None
    if page.kind == "entity":
        filters.append(f"type:{site.entities[page.record_id].type}")
    if page.kind == "article":
        date = site.articles[page.record_id].date.iso
    return {"search_body": True, "search_filters": filters, "date": date}


def _canonical(site: Site, page: Page) -> str | None:
    if not site.config.base_url or page.url == urls.NOT_FOUND:
        return None
    return urls.absolute_url(site.config.base_url, page.url)


def render_site_json(site: Site) -> str:
    return json.dumps(site_data(site), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


PARALLEL_FROM = 400  # pages; below that, starting workers costs more than it saves
CHUNK = 200
_shared: tuple[Site, Path, list[Page]] | None = None  # what forked workers inherit
_worker_env: jinja2.Environment | None = None


def render_all(site: Site, site_root: Path, jobs: int = 1) -> Iterator[tuple[str, str]]:
    """(url, text) of every generated file, in a stable order whatever `jobs` is."""
    pages = list(plan_pages(site))
    if jobs > 1 and len(pages) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
        yield from _render_parallel(site, site_root, pages, jobs)
    else:
        env = make_environment(site_root, site.config.theme)
        for page in pages:
            yield page.url, render_page(site, env, page)
    yield from other_files(site)


def _render_parallel(
    site: Site, site_root: Path, pages: list[Page], jobs: int
) -> Iterator[tuple[str, str]]:
    """Pages are pure functions of the site: forked workers share it and render slices."""
    global _shared
    _shared = (site, site_root, pages)
    try:
        slices = [(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
        with mp.get_context("fork").Pool(jobs) as pool:
            for rendered in pool.imap(_render_slice, slices):
                yield from rendered
    finally:
        _shared = None


def _render_slice(bounds: tuple[int, int]) -> list[tuple[str, str]]:
    global _worker_env
    assert _shared is not None
    site, site_root, pages = _shared
    if _worker_env is None:
        _worker_env = make_environment(site_root, site.config.theme)
    return [
        (page.url, render_page(site, _worker_env, page)) for page in pages[bounds[0] : bounds[1]]
    ]


def other_files(site: Site) -> Iterator[tuple[str, str]]:
    """Everything generated that is not an HTML page."""
    yield urls.SITE_JSON, render_site_json(site)
    yield from name_shards(site)
    for url, text in ((urls.FEED, atom_feed(site)), (urls.SITEMAP, sitemap(site))):
        if text is not None:
            yield url, text
    yield urls.ROBOTS, robots(site)
    yield ".nojekyll", ""
    if site.config.cname:
        yield "CNAME", site.config.cname + "\n"
