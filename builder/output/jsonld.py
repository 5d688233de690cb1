"""schema.org structured data for each page (SPEC 8), as one JSON-LD `@graph`.

Only with `base_url`: every `@id` is an absolute URL. Entities are identified as
`<profile URL>#entity`, articles as `<article URL>#article`, so that `about`,
`mentions`, `author` and `appearance` can point at them from any page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from ..model.content import Entity, Fact, Topic
from ..model.history import FactChange
from ..model.records import ArticleIndex
from . import urls
from .context import PageContext
from .corrections import change_text
from .pages import Page

Node = dict[str, Any]
SCHEMA_TYPES = {
    "person": "Person",
    "country": "Country",
    "organization": "Organization",
    "place": "Place",
    "group": "Organization",
    "event": "Event",
    "other": "Thing",
}


class StructuredData:
    def __init__(self, ctx: PageContext, base_url: str) -> None:
        self.ctx = ctx
        self.base = base_url

    def url(self, page: str) -> str:
        return urls.absolute_url(self.base, page)

    def entity_id(self, entity_id: str) -> str:
        return self.url(urls.page_url("entity", entity_id)) + "#entity"

    def article_id(self, article_id: str) -> str:
        return self.url(urls.page_url("article", article_id)) + "#article"

    def breadcrumbs(self, trail: list[tuple[str, str]]) -> Node:
        items = [("Home", urls.HOME), *trail]
        return {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": self.url(page)}
                for n, (name, page) in enumerate(items, 1)
            ],
        }

    def item_list(self, pages: list[str]) -> Node:
        return {
            "@type": "ItemList",
            "numberOfItems": len(pages),
            "itemListElement": [
                {"@type": "ListItem", "position": n, "url": self.url(page)}
                for n, page in enumerate(pages, 1)
            ],
        }

    def web_page(self, page: Page) -> Node:
        url = self.url(page.url)
        return {"@type": "WebPage", "@id": url, "url": url, "name": page.title}

    def collection(self, page: Page) -> list[Node]:
        kind = "SearchResultsPage" if page.url == urls.SEARCH else "CollectionPage"
        node: Node = {
            "@type": kind,
            "@id": self.url(page.url),
            "url": self.url(page.url),
            "name": page.title,
            "mainEntity": self.item_list(list(page.items)),
        }
        trail = [] if page.url == urls.HOME else [(page.title, page.url)]
        return [node, self.breadcrumbs(trail)]

    def claim(self, fact: Fact) -> Node:
        node: Node = {"@type": "Claim", "name": f"{fact.label}: {fact.value}"}
        if fact.claimed_by and self.ctx.is_entity(fact.claimed_by.id):
            node["author"] = {"@id": self.entity_id(fact.claimed_by.id)}
        if fact.as_of:
            node["datePublished"] = fact.as_of.iso
        if fact.quote:
            node["text"] = fact.quote.value
        if fact.source and self.ctx.is_article(fact.source.id):
            node["appearance"] = {"@id": self.article_id(fact.source.id)}
        node.update(corrected(self.ctx.history(fact)))
        if fact.correction and fact.supersedes:
            name = fact.supersedes.value
            older = [f for f in self.ctx.box_of(fact) if f.id and f.id.value == name]
            what = f"{older[0].value} ({_claimant(older[0])})" if older else "an earlier claim"
            comment = {"@type": "CorrectionComment", "text": f"Corrects {what}"}
            node["correction"] = [*node.get("correction", []), comment]
        return node

    def article(self, article: ArticleIndex) -> list[Node]:
        page = urls.page_url("article", article.id)
        counts = self.ctx.mention_counts(article.id)
        node: Node = {
            "@type": "NewsArticle",
            "@id": self.article_id(article.id),
            "url": self.url(page),
            "headline": article.title,
            "datePublished": article.date.iso,
            "dateModified": (article.updated or article.date).iso,
            "inLanguage": self.ctx.site.config.language,
        }
        about = [e for e in article.entities if self.ctx.is_entity(e)]
        if about:  # what `entities` says it is about; nothing rather than an empty list
            node["about"] = [{"@id": self.entity_id(e)} for e in about]
        if counts:
            node["mentions"] = [{"@id": self.entity_id(e)} for e in counts]
        if article.publisher:
            node["publisher"] = {"@type": "Organization", "name": article.publisher}
        if article.authors:
            node["author"] = [{"@type": "Person", "name": a} for a in article.authors]
        elif article.publisher:
            node["author"] = {"@type": "Organization", "name": article.publisher}
        if article.url:
            node["isBasedOn"] = article.url
        if article.license:
            node["copyrightNotice"] = article.license
        return [node, self.breadcrumbs([("Articles", urls.ARTICLES), (article.title, page)])]

    def entity(self, entity: Entity) -> list[Node]:
        page = urls.page_url("entity", entity.id)
        node: Node = {
            "@type": SCHEMA_TYPES[entity.type],
            "@id": self.entity_id(entity.id),
            "name": entity.name,
            "url": self.url(page),
        }
        if entity.aliases:
            node["alternateName"] = [a for a in entity.aliases if a != entity.name]
        if entity.summary:
            node["description"] = entity.summary.value
        if entity.links:
            node["sameAs"] = [link.url for link in entity.links]
        claims = [self.claim(f) for f in entity.facts if f.source]
        return [node, *claims, self.breadcrumbs([("Entities", urls.ENTITIES), (entity.name, page)])]

    def topic(self, topic: Topic, plan: Page) -> list[Node]:
        page = plan.url
        articles = list(plan.items)
        node: Node = {
            "@type": "CollectionPage",
            "@id": self.url(page),
            "url": self.url(page),
            "name": topic.title,
            "mainEntity": self.item_list(articles),
            "about": [
                {"@id": self.entity_id(r.id)} for r in topic.entities if self.ctx.is_entity(r.id)
            ],
        }
        changed = [c for f in topic.facts for c in self.ctx.history(f)]
        if changed:
            node["dateModified"] = max((c.date for c in changed), key=datetime.fromisoformat)
        claims = [self.claim(f) for f in topic.facts if f.source]
        return [node, *claims, self.breadcrumbs([("Topics", urls.TOPICS), (topic.title, page)])]


def _claimant(fact: Fact) -> str:
    return fact.claimed_by.id if fact.claimed_by else "no claimant"


def corrected(changes: list[FactChange]) -> Node:
    """`dateModified` and a schema.org `CorrectionComment` per change of a claim."""
    if not changes:
        return {}
    comments = [
        {"@type": "CorrectionComment", "text": change_text(c), "datePublished": c.date}
        for c in changes
    ]
    return {"dateModified": changes[0].date, "correction": comments}


def structured_data(ctx: PageContext, page: Page) -> str:
    """The JSON-LD text of one page; "" without `base_url`."""
    base_url = ctx.site.config.base_url
    if base_url is None:
        return ""
    data = StructuredData(ctx, base_url)
    if page.url == urls.NOT_FOUND:
        nodes = [data.web_page(page)]
    elif page.kind == "article" and page.record_id:
        nodes = data.article(ctx.row(page.record_id))
    elif page.kind == "entity" and page.record_id:
        nodes = data.entity(ctx.entity(page.record_id))
    elif page.kind == "topic" and page.record_id:
        nodes = data.topic(ctx.topic(page.record_id), page)
    else:
        nodes = data.collection(page)
    graph = {"@context": "https://schema.org", "@graph": nodes}
    text = orjson.dumps(graph, option=orjson.OPT_SORT_KEYS).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
