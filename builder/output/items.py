"""The pieces views are made of: a link to a record, an article or entity in a list,
a fact with its source. Plain dicts for templates, built through the page context so
that what they read is recorded."""

from __future__ import annotations

from typing import Any

from ..model.content import Article, Entity, Fact, Image, Ref, Relation, Text, Topic
from ..model.dates import PartialDate
from ..model.factbox import fact_rows
from ..model.records import ArticleIndex
from ..model.supersede import chains
from . import urls
from .context import PageContext
from .corrections import updates
from .dotplot import Point, dot_plot, number_text

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
    """A link to the source article, to the passage that holds the quote; named by
    its publisher and date where it has a publisher, else by its title."""
    if article is None or not ctx.is_article(article.id):
        return None
    row = ctx.row(article.id)
    return {
        "title": row.title,
        "publisher": row.publisher,
        "date": date(row.date),
        "href": ctx.href(urls.page_url("article", article.id), ctx.quote_anchor(quote, article.id)),
        "quote": quote.value if quote else None,
    }


def fact(ctx: PageContext, value: Fact) -> View:
    return {
        "label": value.label,
        "value": value.value,
        "claimant": ref(ctx, value.claimed_by),
        "reported_by": ref(ctx, value.reported_by),
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
            "spread": spread(ctx, row.facts),
        }
        for row in fact_rows(earlier)
    ]


def spread(ctx: PageContext, facts: tuple[Fact, ...]) -> View | None:
    """How far apart the claims of a row are, when all of them give a number (SPEC 7):
    a chart, or where they all give the same number, that number."""
    spans = [f.span for f in facts]
    if len(facts) < 2 or any(s is None for s in spans):
        return None
    points = [
        Point(s[0], s[1], who_and_when(ctx, f)) for f, s in zip(facts, spans, strict=True) if s
    ]
    units = {f.unit for f in facts if f.unit}
    sources = {f.claimed_by.id if f.claimed_by else f"#{i}" for i, f in enumerate(facts)}
    same = len({(p.low, p.high) for p in points}) == 1
    return {
        "chart": dot_plot(points),
        "same": _range_text(points[0]) if same else None,
        "unit": units.pop() if len(units) == 1 else None,
        "claims": len(facts),
        "sources": len(sources),
        "text": "; ".join(f"{p.label}: {_range_text(p)}" for p in points),
    }


def who_and_when(ctx: PageContext, value: Fact) -> str:
    who = ctx.title_of(value.claimed_by.id) if value.claimed_by else "Unattributed"
    return f"{who}, {value.as_of.short}" if value.as_of else who


def _range_text(point: Point) -> str:
    if point.low == point.high:
        return number_text(point.low)
    return f"{number_text(point.low)} to {number_text(point.high)}"


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
        "summary": ctx.shown(row.dek),
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
