"""The plan of the site: every HTML page, its URL, template, view, and what the
sitemap and structured data need to know about it (its items and its date)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import NamedTuple

from ..model.content import Entity, Text, Topic
from ..model.dates import PartialDate
from ..model.records import ArticleIndex
from ..model.site import Site
from . import urls
from .context import PageContext, site_shown
from .corrections import corrections_view
from .items import View
from .views import (
    MENTIONS_PAGE_SIZE,
    MENTIONS_SHOWN,
    TYPE_LABELS,
    article_view,
    articles_view,
    directory,
    directory_view,
    entities_view,
    entity_view,
    graph_view,
    home_view,
    letter_slug,
    mentions_view,
    topic_view,
    topics_view,
)

ARCHIVE_PAGE_SIZE = 50
DESCRIPTION_MAX = 160  # characters of a meta description: what search results show
DIRECTORY_ONE_PAGE = 1000  # entities; more are split into pages by type and initial


class Page(NamedTuple):  # a tuple, not a dataclass: a large site plans 100,000 of them
    url: str
    template: str
    title: str
    description: str
    view: Callable[[PageContext], View]
    absolute_links: bool = False  # 404.html: served at any depth
    kind: str | None = None  # article, entity or topic, for structured data and search
    record_id: str | None = None
    items: tuple[str, ...] = ()  # URLs a collection page lists, for its ItemList
    lastmod: PartialDate | None = None  # when its content last changed, for the sitemap
    indexed: bool = True  # listed in the sitemap


def _no_view(ctx: PageContext) -> View:
    return {}


def plan_pages(site: Site) -> Iterator[Page]:
    index = list(index_pages(site))
    titles = told_apart(site, index)
    yield from index
    for topic in site.topics.values():
        yield topic_page(site, topic, titles)
    for entity in site.entities.values():
        yield entity_page(site, entity, titles)
        mentions = site.entity_articles.get(entity.id, [])
        if len(mentions) > MENTIONS_SHOWN:
            yield from mentions_pages(site, entity.id, mentions, titles)
    for article in site.index.values():
        yield article_page(site, article, titles)


def told_apart(site: Site, index: Iterable[Page]) -> dict[str, str]:
    """The page title of each record whose title another page has too (SPEC 8: every
    page has a unique `<title>`): an article's followed by its date, an entity's by
    its type, a topic's by "topic", and by the id where that is still not enough."""
    records = [
        *((t.id, t.title, "topic") for t in site.topics.values()),
        *((e.id, e.name, e.type) for e in site.entities.values()),
        *((a.id, a.title, a.date.shown) for a in site.index.values()),
    ]
    taken = Counter(p.title for p in index if p.url != urls.HOME)  # its <title> is alone
    taken.update(title for _, title, _ in records)
    told = {i: f"{title} ({what})" for i, title, what in records if taken[title] > 1}
    again = Counter(told.values())
    return {
        i: title if again[title] == 1 and title not in taken else f"{title[:-1]}, {i})"
        for i, title in told.items()
    }


def record_page(site: Site, url: str, titles: Mapping[str, str] | None = None) -> Page | None:
    """The page of the article, entity or topic at `url`, as `plan_pages` plans it,
    without planning the others (`build serve` plans what is asked for); None for
    any other page."""
    found = urls.record_of(url)
    if found is None:
        return None
    kind, record_id = found
    titles = told_apart(site, index_pages(site)) if titles is None else titles
    if kind == "article" and record_id in site.index:
        return article_page(site, site.index[record_id], titles)
    if kind == "entity" and record_id in site.entities:
        return entity_page(site, site.entities[record_id], titles)
    if kind == "topic" and record_id in site.topics:
        return topic_page(site, site.topics[record_id], titles)
    return None


def topic_page(site: Site, topic: Topic, titles: Mapping[str, str]) -> Page:
    return Page(
        urls.page_url("topic", topic.id),
        "topic.html",
        titles.get(topic.id, topic.title),
        _describe(site, topic.summary, f"{topic.title}: facts, timeline and key players."),
        partial(topic_view, topic=topic),
        kind="topic",
        record_id=topic.id,
        items=_article_urls(site.topic_articles.get(topic.id, [])),
        lastmod=site.topic_updated.get(topic.id),
    )


def entity_page(site: Site, entity: Entity, titles: Mapping[str, str]) -> Page:
    mentions = site.entity_articles.get(entity.id, [])
    return Page(
        urls.page_url("entity", entity.id),
        "entity.html",
        titles.get(entity.id, entity.name),
        _describe(site, entity.summary, f"{entity.name} on {site.config.title}."),
        partial(entity_view, entity=entity),
        kind="entity",
        record_id=entity.id,
        lastmod=site.index[mentions[0]].date if mentions else None,
    )


def article_page(site: Site, article: ArticleIndex, titles: Mapping[str, str]) -> Page:
    return Page(
        urls.page_url("article", article.id),
        "article.html",
        titles.get(article.id, article.title),
        shorten(site_shown(site, article.dek)) or article.title,
        partial(article_view, article_id=article.id),
        kind="article",
        record_id=article.id,
        lastmod=article.updated or article.date,
    )


def index_pages(site: Site) -> Iterator[Page]:
    title = site.config.title
    newest = next((a.updated or a.date for a in site.index.values()), None)
    topics = tuple(urls.page_url("topic", t) for t in site.topics)
    entities = tuple(urls.page_url("entity", e) for e in site.entities)
    articles = _article_urls(site.index)
    yield Page(
        urls.HOME,
        "index.html",
        title,
        site.config.description or title,
        home_view,
        items=topics + articles[:10],
        lastmod=newest,
    )
    yield Page(
        urls.TOPICS,
        "topics.html",
        "Topics",
        f"All topics on {title}.",
        topics_view,
        items=topics,
        lastmod=newest,
    )
    yield Page(
        urls.ENTITIES,
        "entities.html",
        "People, countries and organizations",
        f"Everyone and everything {title} covers, by type.",
        partial(entities_view, split=directory_is_split(site)),
        items=entities if not directory_is_split(site) else (),
        lastmod=newest,
    )
    yield from archive(site)
    yield from directory_pages(site)
    yield Page(
        urls.GRAPH,
        "graph.html",
        "Relation graph",
        f"How the people, countries and organizations on {title} connect.",
        graph_view,
        items=entities[:200],
        lastmod=newest,
    )
    yield Page(
        urls.CORRECTIONS,
        "corrections.html",
        "Corrections and updates",
        f"Every change to a figure on {title}, newest first, from the site's history.",
        corrections_view,
    )
    yield Page(urls.SEARCH, "search.html", "Search", f"Search {title}.", _no_view, indexed=False)
    yield Page(
        urls.NOT_FOUND,
        "404.html",
        "Page not found",
        site.config.description or title,
        _no_view,
        absolute_links=True,
        indexed=False,
    )


def mentions_pages(
    site: Site, entity_id: str, mentions: list[str], titles: Mapping[str, str]
) -> Iterator[Page]:
    """Every article that mentions an entity, in pages of MENTIONS_PAGE_SIZE: the
    profile itself shows only the newest, with snippets."""
    name = titles.get(entity_id, site.entities[entity_id].name)
    count = -(-len(mentions) // MENTIONS_PAGE_SIZE)
    for number in range(1, count + 1):
        chunk = mentions[(number - 1) * MENTIONS_PAGE_SIZE : number * MENTIONS_PAGE_SIZE]
        suffix = f" (page {number} of {count})" if number > 1 else ""
        yield Page(
            urls.mentions_page(entity_id, number),
            "mentions.html",
            f"Articles mentioning {name}{suffix}",
            f"Every article on {site.config.title} that mentions {name}, newest first.",
            partial(
                mentions_view,
                entity=site.entities[entity_id],
                number=number,
                size=MENTIONS_PAGE_SIZE,
            ),
            items=_article_urls(chunk),
            lastmod=site.index[chunk[0]].date,
        )


def directory_is_split(site: Site) -> bool:
    return len(site.entities) > DIRECTORY_ONE_PAGE


def archive(site: Site) -> Iterator[Page]:
    count = max(1, -(-len(site.index) // ARCHIVE_PAGE_SIZE))
    ordered = list(site.index.values())
    for number in range(1, count + 1):
        chunk = ordered[(number - 1) * ARCHIVE_PAGE_SIZE : number * ARCHIVE_PAGE_SIZE]
        suffix = f" (page {number} of {count})" if number > 1 else ""
        yield Page(
            urls.archive_page(number),
            "articles.html",
            "Articles" + suffix,
            f"Every article on {site.config.title}, newest first{suffix}.",
            partial(articles_view, number=number, size=ARCHIVE_PAGE_SIZE),
            items=tuple(urls.page_url("article", a.id) for a in chunk),
            lastmod=(chunk[0].updated or chunk[0].date) if chunk else None,
        )


def directory_pages(site: Site) -> Iterator[Page]:
    if not directory_is_split(site):
        return
    for kind, letters in directory(list(site.entities.values())):
        for letter, members in letters:
            label = f"{TYPE_LABELS[kind]}: {letter}"
            yield Page(
                urls.directory_page(kind, letter_slug(letter)),
                "directory.html",
                label,
                f"{label} on {site.config.title}.",
                partial(directory_view, kind=kind, members=members),
                items=tuple(urls.page_url("entity", e.id) for e in members),
            )


def _describe(site: Site, text: Text | None, fallback: str) -> str:
    """A meta description: the field as plain text, shortened."""
    if text is None:
        return fallback
    plain = PageContext(site, urls.Linker(urls.HOME)).plain(text)
    return shorten(plain) or fallback


_ARTICLE_URL = partial(urls.page_url, "article")


def _article_urls(article_ids: Iterable[str]) -> tuple[str, ...]:
    """The pages of these articles (the plan names 88,000 at 10,000 articles)."""
    return tuple(map(_ARTICLE_URL, article_ids))


@functools.lru_cache(maxsize=1 << 17)
def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """`text` on one line, cut at the last word that ends within `limit` characters.
    Cached: `build serve` plans every page again after each edit, with the same texts."""
    tidy = text.isprintable() and "  " not in text and text == text.strip()
    plain = text if tidy else " ".join(text.split())  # most are tidy: one page per article
    if len(plain) <= limit:
        return plain
    cut = plain.rfind(" ", 0, limit)
    return plain[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:.") + "…"
