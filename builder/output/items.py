"""The pieces views are made of: a link to a record, an article or entity in a list,
a fact with its source. Plain dicts for templates, built through the page context so
that what they read is recorded."""

from __future__ import annotations

from typing import Any

from ..model.content import Article, Entity, Fact, Image, Ref, Relation, Text, Topic
from ..model.dates import PartialDate
from ..model.factbox import fact_rows
from ..model.graph import Graph
from ..model.records import ArticleIndex
from ..model.supersede import chains
from . import urls
from .context import PageContext
from .corrections import updates

View = dict[str, Any]


def record(ctx: PageContext, record_id: str) -> View:
    kind = ctx.kind_of(record_id)
    if kind is None:
        return {"title": record_id, "href": None}
    return {
        "title": ctx.site.title_of(record_id),
        "href": ctx.href(urls.page_url(kind, record_id)),
    }


def ref(ctx: PageContext, reference: Ref | None) -> View | None:
    return None if reference is None else record(ctx, reference.id)


def date(value: PartialDate | None) -> View | None:
    return None if value is None else {"iso": value.iso, "shown": value.shown}


def image(ctx: PageContext, value: Image | None) -> View | None:
    if value is None:
        return None
    src = ctx.href(value.src) if value.src else None
    return {"src": src, "alt": value.alt or "", "credit": value.credit}


def source(ctx: PageContext, article: Ref | None, quote: Text | None) -> View | None:
    """A link to the source article, to the paragraph that holds the quote."""
    if article is None or not ctx.is_article(article.id):
        return None
    return {
        "title": ctx.row(article.id).title,
        "href": ctx.href(urls.page_url("article", article.id), ctx.quote_anchor(quote, article.id)),
        "quote": quote.value if quote else None,
    }


def fact(ctx: PageContext, value: Fact) -> View:
    return {
        "label": value.label,
        "value": value.value,
        "claimant": ref(ctx, value.claimed_by),
        "as_of": date(value.as_of),
        "source": source(ctx, value.source, value.quote),
        "note": value.note,
        "editorial": value.editorial,
        "owner": record(ctx, value.owner),
        "stale": ctx.stale(value),
        "replaced_by": replaced.value if (replaced := ctx.replaced_by(value)) else None,
        "earlier": [],
        "history": None,
    }


def fact_box(ctx: PageContext, facts: tuple[Fact, ...]) -> list[View]:
    """Rows of the current claims; each shows what it superseded and its history."""
    earlier = {chain.current: chain.earlier for chain in chains(facts)}
    return [
        {
            "label": row.label,
            "disputed": row.disputed,
            "claims": [
                {**fact(ctx, f), **updates(ctx, f, [fact(ctx, e) for e in earlier[f]])}
                for f in row.facts
            ],
        }
        for row in fact_rows(earlier)
    ]


def relation(ctx: PageContext, value: Relation, other: str) -> View:
    return {
        "type": value.type,
        "other": record(ctx, other),
        "since": date(value.since),
        "until": date(value.until),
        "source": source(ctx, value.source, value.quote),
        "editorial": value.editorial,
    }


def article_item(ctx: PageContext, article: Article | ArticleIndex) -> View:
    row = ctx.row(article.id)
    return {
        "title": row.title,
        "href": ctx.href(urls.page_url("article", row.id)),
        "date": date(row.date),
        "summary": row.dek,
        "publisher": row.publisher,
    }


def entity_item(
    ctx: PageContext, entity: Entity, count: int | None = None, summary: bool = False
) -> View:
    """Name, type and link; the summary (rendered Markdown) only where it is shown."""
    ctx.entity(entity.id)
    return {
        "name": entity.name,
        "type": entity.type,
        "count": count,
        "href": ctx.href(urls.page_url("entity", entity.id)),
        "summary": ctx.markdown(entity.summary, inline=True) if summary else None,
    }


def topic_item(ctx: PageContext, topic: Topic) -> View:
    ctx.topic(topic.id)
    count, updated = ctx.topic_size(topic.id)
    return {
        "title": topic.title,
        "href": ctx.href(urls.page_url("topic", topic.id)),
        "count": count,
        "updated": date(updated),
        "summary": None,
    }


def graph(ctx: PageContext, value: Graph | None) -> View | None:
    if value is None:
        return None
    where = {n.id: n for n in value.nodes}
    nodes = [
        {**entity_item(ctx, ctx.entity(n.id)), "x": n.x, "y": n.y, "center": n.center}
        for n in value.nodes
    ]
    edges = [
        {
            "x1": where[e.source].x,
            "y1": where[e.source].y,
            "x2": where[e.target].x,
            "y2": where[e.target].y,
            "mx": round((where[e.source].x + where[e.target].x) / 2, 1),
            "my": round((where[e.source].y + where[e.target].y) / 2, 1),
            "label": e.label,
            "relation": e.relation,
        }
        for e in value.edges
    ]
    return {"width": value.width, "height": value.height, "nodes": nodes, "edges": edges}
