"""Site -> pages. Each page is a URL, a template and a view; rendering one is a pure
function of the site, so pages can be rendered in any order or in parallel."""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import urls
from .export import site_data
from .feeds import atom_feed, robots, sitemap
from .jsonld import structured_data
from .site import Site
from .views import (
    PageContext,
    View,
    article_view,
    articles_view,
    dek,
    entities_view,
    entity_view,
    graph_view,
    home_view,
    topic_view,
    topics_view,
)

DEFAULT_THEME = Path(__file__).parent / "themes" / "default"
NAV = (
    ("Home", urls.HOME),
    ("Topics", urls.TOPICS),
    ("Entities", urls.ENTITIES),
    ("Articles", urls.ARTICLES),
    ("Graph", urls.GRAPH),
)


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    title: str
    description: str
    view: Callable[[PageContext], View]
    absolute_links: bool = False  # 404.html: served at any depth
    kind: str | None = None  # article, entity or topic, for structured data
    record_id: str | None = None


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


def plan_pages(site: Site) -> Iterator[Page]:
    about = site.config.description or site.config.title
    yield Page(urls.HOME, "index.html", site.config.title, about, home_view)
    yield Page(
        urls.TOPICS, "topics.html", "Topics", f"All topics on {site.config.title}.", topics_view
    )
    yield Page(
        urls.ENTITIES,
        "entities.html",
        "People, countries and organizations",
        f"Everyone and everything {site.config.title} covers, by type.",
        entities_view,
    )
    yield Page(
        urls.ARTICLES,
        "articles.html",
        "Articles",
        f"Every article on {site.config.title}, newest first.",
        articles_view,
    )
    yield Page(
        urls.GRAPH,
        "graph.html",
        "Relation graph",
        f"How the people, countries and organizations on {site.config.title} connect.",
        graph_view,
    )
    yield Page(
        urls.NOT_FOUND, "404.html", "Page not found", about, lambda ctx: {}, absolute_links=True
    )
    for topic in site.topics.values():
        yield Page(
            urls.page_url("topic", topic.id),
            "topic.html",
            topic.title,
            _describe_topic(site, topic.id),
            partial(topic_view, topic=topic),
            kind="topic",
            record_id=topic.id,
        )
    for entity in site.entities.values():
        yield Page(
            urls.page_url("entity", entity.id),
            "entity.html",
            entity.name,
            _describe_entity(site, entity.id),
            partial(entity_view, entity=entity),
            kind="entity",
            record_id=entity.id,
        )
    for article in site.articles.values():
        yield Page(
            urls.page_url("article", article.id),
            "article.html",
            article.title,
            dek(site, article) or article.title,
            partial(article_view, article=article),
            kind="article",
            record_id=article.id,
        )


def _describe_topic(site: Site, topic_id: str) -> str:
    topic = site.topics[topic_id]
    ctx = PageContext(site, urls.Linker(urls.HOME))
    return _clip(ctx.plain(topic.summary)) or f"{topic.title}: facts, timeline and key players."


def _describe_entity(site: Site, entity_id: str) -> str:
    entity = site.entities[entity_id]
    ctx = PageContext(site, urls.Linker(urls.HOME))
    return _clip(ctx.plain(entity.summary)) or f"{entity.name} on {site.config.title}."


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(" ,;:") + "…"


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
        "jsonld": Markup(structured_data(site, page.url, page.kind, page.record_id)),
        "feed": linker.href(urls.FEED) if site.config.base_url else None,
    }
    return env.get_template(page.template).render(page=common, **page.view(ctx))


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
    for url, text in ((urls.FEED, atom_feed(site)), (urls.SITEMAP, sitemap(site))):
        if text is not None:
            yield url, text
    yield urls.ROBOTS, robots(site)
    yield ".nojekyll", ""
    if site.config.cname:
        yield "CNAME", site.config.cname + "\n"
