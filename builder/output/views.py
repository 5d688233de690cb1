"""One view model per page kind: plain dicts of strings, numbers and lists that the
templates lay out. All logic about what a page shows lives here, not in templates;
the structure of the site (which pages exist) lives in `pages.py`."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from urllib.parse import urlsplit

from markupsafe import Markup

from ..incremental import deps
from ..model.content import Entity, Fact, Topic
from ..model.dates import PartialDate
from ..model.graph import neighbourhood, site_graph
from ..model.summarize import automatic_summary
from . import urls
from .context import PageContext
from .corrections import box_note
from .graphview import graph
from .items import (
    View,
    article_item,
    date,
    entity_item,
    fact,
    fact_box,
    image,
    record,
    relation,
    source,
    topic_item,
)
from .passages import mark_passages

LATEST_ON_HOME = 10
LATEST_FACTS = 6  # on the home page, newest `as_of` first across topics
LATEST_EVENTS = 6  # timeline entries on the home page, newest first
KEY_RELATIONS = 6  # in a profile's infobox; the Relations section lists them all
MENTIONS_SHOWN = 50  # newest articles listed on a profile
SNIPPETS_SHOWN = 10  # of which the newest are shown with a snippet
OTHERS_SHOWN = 100  # most mentioned entities listed on a topic page besides key players
MENTIONS_PAGE_SIZE = 500  # articles on a page of an entity's full list
ARTICLES_SHOWN = 200  # newest articles listed on a topic page
TYPE_LABELS = {
    "person": "People",
    "country": "Countries",
    "organization": "Organizations",
    "place": "Places",
    "group": "Groups",
    "event": "Events",
    "other": "Other",
}


def article_view(ctx: PageContext, article_id: str) -> View:
    """From the article's index row: its whole record is decoded only for its image."""
    article = ctx.row(article_id)
    counts = ctx.mention_counts(article.id)
    listed = [e for e in article.entities if ctx.is_entity(e) and e not in counts]
    lead = ctx.article(article_id).image if article.flagged else None
    return {
        **article_item(ctx, article),
        "updated": date(article.updated),
        "authors": list(article.authors),
        "url": article.url,
        "url_host": urlsplit(article.url).hostname if article.url else None,
        "license": article.license,
        "image": image(ctx, lead),
        "body": Markup(
            mark_passages(ctx.fill(ctx.body_html(article.id)), ctx.passages(article.id))
        ),
        "topics": [record(ctx, topic) for topic in article.topics if ctx.is_topic(topic)],
        "entities": [entity_item(ctx, ctx.entity(e), n) for e, n in counts.items()]
        + [entity_item(ctx, ctx.entity(e)) for e in listed],
        "facts": [fact(ctx, f) for f in ctx.citing(article.id)],
    }


def entity_view(ctx: PageContext, entity: Entity) -> View:
    mentioned = ctx.mentioned_in(entity.id)
    relations = [relation(ctx, r, r.target.id) for r in entity.relations]
    relations_in = [relation(ctx, r, r.subject) for r in ctx.relations_in(entity.id)]
    key_relations = [{**r, "outgoing": True} for r in relations] + [
        {**r, "outgoing": False} for r in relations_in
    ]
    shown = mentioned[:MENTIONS_SHOWN]
    return {
        **entity_item(ctx, entity, summary=True),
        "type_label": entity.type.capitalize(),
        "aliases": [a for a in entity.aliases if a != entity.name],
        "description": ctx.markdown(entity.description),
        "image": image(ctx, entity.image),
        "facts": fact_box(ctx, entity.facts),
        "relations_out": relations,
        "relations_in": relations_in,
        "key_relations": key_relations[:KEY_RELATIONS],
        "more_relations": len(key_relations) if len(key_relations) > KEY_RELATIONS else 0,
        "figures": figures(ctx, entity.id),
        "history_note": box_note(ctx, entity.id, entity.facts),
        "claims": [fact(ctx, f) for f in ctx.claims(entity.id)],
        "mentioned_total": len(mentioned),
        "mentioned_all": ctx.href(urls.mentions_page(entity.id, 1)),
        "mentioned_in": [
            *mentions(ctx, entity.id, shown[:SNIPPETS_SHOWN]),
            *({**article_item(ctx, ctx.row(a)), "mark": None} for a in shown[SNIPPETS_SHOWN:]),
        ],
        "topics": [record(ctx, t) for t in ctx.entity_topics(entity.id)],
        "co_mentions": [
            entity_item(ctx, ctx.entity(e), n)
            for e, n in ctx.co_mentions(entity.id)[:12]
            if n > 1  # "often": one shared article says nothing
        ],
        "links": [{"title": link.title, "url": link.url} for link in entity.links],
        "graph": graph(ctx, neighbourhood(ctx.site, entity.id)),
    }


def mentions(ctx: PageContext, entity_id: str, article_ids: list[str]) -> list[View]:
    """Articles on a profile, each with the snippet of its first mention of the entity;
    one that only links to it or names it in its `entities` has none."""
    rows = [ctx.row(a) for a in article_ids]
    named = [row.id for row in rows if any(e == entity_id for e, _ in row.counts)]
    snippets = dict(zip(named, ctx.snippets(entity_id, named), strict=True))
    views = []
    for row in rows:
        item, found = article_item(ctx, row), snippets.get(row.id)
        if found is None:
            views.append({**item, "mark": None})
        else:
            views.append(
                {
                    **item,
                    "before": ctx.shown(found.before),
                    "mark": found.mark,
                    "after": ctx.shown(found.after),
                    "count": found.count,
                }
            )
    return views


def figures(ctx: PageContext, entity_id: str) -> list[View]:
    """The fact boxes elsewhere that name the entity, one per topic or entity."""
    by_owner: dict[str, list[Fact]] = {}
    for found in ctx.figures(entity_id):
        by_owner.setdefault(found.owner, []).append(found)
    return [
        {"owner": record(ctx, owner), "rows": fact_box(ctx, tuple(facts))}
        for owner, facts in by_owner.items()
    ]


def topic_view(ctx: PageContext, topic: Topic) -> View:
    article_ids = ctx.topic_articles(topic.id)
    key = [ref.id for ref in topic.entities if ctx.is_entity(ref.id)]
    counts: dict[str, int] = {}
    for article_id in article_ids:
        for entity_id, count in ctx.mention_counts(article_id).items():
            counts[entity_id] = counts.get(entity_id, 0) + count
    others = sorted((e for e in counts if e not in key), key=lambda e: (-counts[e], e))
    timeline = sorted(topic.timeline, key=lambda t: t.date.sort_key)
    summary = automatic_summary(ctx.site, topic.id) if topic.summary is None else []
    return {
        **topic_item(ctx, topic),
        "summary": ctx.markdown(topic.summary),
        "auto_summary": [
            {
                "text": ctx.shown(s.text),
                "href": ctx.href(urls.page_url("article", s.article), s.anchor),
            }
            for s in summary
        ],
        "facts": fact_box(ctx, topic.facts),
        "history_note": box_note(ctx, topic.id, topic.facts),
        "timeline": [
            {
                "date": date(t.date),
                "text": ctx.markdown(t.text, inline=True),
                "source": source(ctx, t.source, t.quote),
                "topic": None,  # the page is the topic; the home page names it
            }
            for t in timeline
        ],
        "key_players": [entity_item(ctx, ctx.entity(e), summary=True) for e in key],
        "other_entities": [
            entity_item(ctx, ctx.entity(e), counts[e]) for e in others[:OTHERS_SHOWN]
        ],
        "other_total": len(others),
        "articles": [article_item(ctx, ctx.row(a)) for a in article_ids[:ARTICLES_SHOWN]],
        "articles_total": len(article_ids),
        "related": [record(ctx, ref.id) for ref in topic.related if ctx.is_topic(ref.id)],
    }


def home_view(ctx: PageContext) -> View:
    """What changed recently first: the newest figures and events of every topic."""
    topics = ctx.topics()
    facts = [f for t in topics for f in t.facts if f.as_of]
    facts.sort(key=lambda f: f.as_of.sort_key if f.as_of else (0, 0, 0, ""), reverse=True)
    events = [(e, t) for t in topics for e in t.timeline]
    events.sort(key=lambda pair: pair[0].date.sort_key, reverse=True)
    return {
        "latest_facts": [fact(ctx, f) for f in facts[:LATEST_FACTS]],
        "latest_events": [
            {
                "date": date(e.date),
                "text": ctx.markdown(e.text, inline=True),
                "source": source(ctx, e.source, e.quote),
                "topic": record(ctx, t.id),
            }
            for e, t in events[:LATEST_EVENTS]
        ],
        "topics": [{**topic_item(ctx, t), "summary": ctx.markdown(t.summary)} for t in topics],
        "articles": [article_item(ctx, a) for a in ctx.latest(LATEST_ON_HOME)],
    }


def topics_view(ctx: PageContext) -> View:
    return {"topics": [topic_item(ctx, t) for t in ctx.topics()]}


def directory(entities: list[Entity]) -> list[tuple[str, list[tuple[str, list[Entity]]]]]:
    """Entities by type (in the order of TYPE_LABELS), then by initial, A-Z."""
    groups = []
    for kind in TYPE_LABELS:
        members = [e for e in entities if e.type == kind]
        if members:
            letters = itertools.groupby(members, key=lambda e: letter_of(e.name))
            groups.append((kind, [(letter, list(group)) for letter, group in letters]))
    return groups


def letter_of(name: str) -> str:
    first = name.lstrip("\"'“‘(")[:1].upper()
    return first if first.isalpha() else "#"


def letter_slug(letter: str) -> str:
    return letter.lower() if letter.isascii() and letter.isalpha() else f"u{ord(letter):x}"


def entities_view(ctx: PageContext, split: bool) -> View:
    """One page with every entity; when `split`, an index of pages by type and initial
    (so that no page grows past a few hundred kilobytes)."""
    groups = []
    for kind, letters in directory(ctx.entities()):
        groups.append(
            {
                "type": kind,
                "label": TYPE_LABELS[kind],
                "count": sum(len(members) for _, members in letters),
                "letters": [
                    {
                        "letter": letter,
                        "id": f"{kind}-{letter_slug(letter)}",
                        "count": len(members),
                        "href": ctx.href(urls.directory_page(kind, letter_slug(letter)))
                        if split
                        else None,
                        "entities": []
                        if split
                        else [entity_item(ctx, e, summary=True) for e in members],
                    }
                    for letter, members in letters
                ],
            }
        )
    return {"groups": groups, "split": split}


def directory_view(ctx: PageContext, kind: str, members: list[Entity]) -> View:
    return {
        "type_label": TYPE_LABELS[kind],
        "letter": letter_of(members[0].name),
        "entities": [entity_item(ctx, e, summary=True) for e in members],
        "back": ctx.href(urls.ENTITIES, kind),
    }


def articles_view(ctx: PageContext, number: int, size: int) -> View:
    """Page `number` of the archive: `size` articles, grouped by month."""
    count = max(1, -(-ctx.article_count() // size))
    chunk = ctx.article_slice((number - 1) * size, number * size)
    months = itertools.groupby(chunk, key=lambda a: a.date.month_key)
    return {
        "months": [
            {
                "key": key,
                "shown": PartialDate(int(key[:4]), int(key[5:])).shown,
                "articles": [article_item(ctx, a) for a in group],
            }
            for key, group in months
        ],
        "pagination": pagination(ctx, number, count, urls.archive_page),
    }


def mentions_view(ctx: PageContext, entity: Entity, number: int, size: int) -> View:
    """Page `number` of every article that mentions `entity`, newest first."""
    mentioned = ctx.mentioned_in(entity.id)
    count = max(1, -(-len(mentioned) // size))
    return {
        "name": entity.name,
        "href": ctx.href(urls.page_url("entity", entity.id)),
        "total": len(mentioned),
        "articles": [
            article_item(ctx, ctx.row(a)) for a in mentioned[(number - 1) * size : number * size]
        ],
        "pagination": pagination(ctx, number, count, lambda n: urls.mentions_page(entity.id, n)),
    }


def pagination(ctx: PageContext, number: int, count: int, url: Callable[[int], str]) -> View:
    return {
        "number": number,
        "count": count,
        "previous": ctx.href(url(number - 1)) if number > 1 else None,
        "next": ctx.href(url(number + 1)) if number < count else None,
        "pages": [
            {"number": n, "href": ctx.href(url(n)), "current": n == number}
            for n in range(1, count + 1)
        ],
    }


def graph_view(ctx: PageContext) -> View:
    ctx.read(deps.ENTITIES)  # names, types and relations
    ctx.read(deps.MENTION_GRAPH)
    return {"graph": graph(ctx, site_graph(ctx.site, ctx.site.layout))}
