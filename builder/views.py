"""One view model per page kind: plain dicts of strings, numbers and lists that the
templates lay out. All logic about what a page shows lives here, not in templates."""

from __future__ import annotations

import itertools
from typing import Any

from markupsafe import Markup

from . import urls
from .dates import PartialDate
from .factbox import fact_rows
from .graph import Graph, neighbourhood, site_graph
from .markdown import inline_text, render
from .model import ENTITY_TYPES, Article, Entity, Fact, Image, Ref, Text, Topic
from .site import Site

View = dict[str, Any]
SUMMARY_LENGTH = 300
LATEST_ON_HOME = 10
ARCHIVE_PAGE_SIZE = 50
DIRECTORY_ONE_PAGE = 1000  # entities; more are split into pages by type and initial
MENTIONS_SHOWN = 100  # newest articles listed on a profile
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


class PageContext:
    """What every view needs: the site and the way to link from the current page."""

    def __init__(self, site: Site, linker: urls.Linker) -> None:
        self.site = site
        self.linker = linker

    def href(self, url: str, fragment: str | None = None) -> str:
        return self.linker.href(url, fragment)

    def record(self, record_id: str) -> View:
        kind = self.site.kind_of(record_id)
        if kind is None:
            return {"title": record_id, "href": None}
        return {
            "title": self.site.title_of(record_id),
            "href": self.href(urls.page_url(kind, record_id)),
        }

    def ref(self, ref: Ref | None) -> View | None:
        return None if ref is None else self.record(ref.id)

    def wikilink(self, record_id: str) -> tuple[str, str] | None:
        kind = self.site.kind_of(record_id)
        if kind is None:
            return None
        return self.href(urls.page_url(kind, record_id)), self.site.title_of(record_id)

    def markdown(self, text: Text | None, inline: bool = False) -> Markup | None:
        if text is None:
            return None
        tokens = self.site.fields[text]
        if inline and len(tokens) == 3 and tokens[0].type == "paragraph_open":
            tokens = tokens[1:2]  # a one-paragraph field without its <p>
        env = {"link": self.wikilink, "root": self.linker.root_prefix}
        return Markup(render(self.site.md, tokens, env))

    def plain(self, text: Text | None) -> str:
        if text is None:
            return ""

        def title(record_id: str) -> str | None:
            return self.site.title_of(record_id) if self.site.kind_of(record_id) else None

        return " ".join(
            inline_text(t.children or [], title)
            for t in self.site.fields[text]
            if t.type == "inline"
        )

    def date(self, date: PartialDate | None) -> View | None:
        return None if date is None else {"iso": date.iso, "shown": date.shown}

    def image(self, image: Image | None) -> View | None:
        if image is None:
            return None
        src = self.href(image.src) if image.src else None
        return {"src": src, "alt": image.alt or "", "credit": image.credit}

    def source(self, source: Ref | None, quote: Text | None) -> View | None:
        """A link to the source article, to the paragraph that holds the quote."""
        if source is None or source.id not in self.site.articles:
            return None
        found = self.site.quote_blocks.get(quote) if quote else None
        anchor = found[1] if found else None
        return {
            "title": self.site.articles[source.id].title,
            "href": self.href(urls.page_url("article", source.id), anchor),
            "quote": quote.value if quote else None,
        }

    def fact(self, fact: Fact) -> View:
        return {
            "label": fact.label,
            "value": fact.value,
            "claimant": self.ref(fact.claimed_by),
            "as_of": self.date(fact.as_of),
            "source": self.source(fact.source, fact.quote),
            "note": fact.note,
            "owner": self.record(fact.owner),
        }

    def fact_box(self, facts: tuple[Fact, ...]) -> list[View]:
        return [
            {
                "label": row.label,
                "disputed": row.disputed,
                "claims": [self.fact(f) for f in row.facts],
            }
            for row in fact_rows(facts)
        ]

    def article_item(self, article: Article) -> View:
        return {
            "title": article.title,
            "href": self.href(urls.page_url("article", article.id)),
            "date": self.date(article.date),
            "summary": dek(self.site, article),
            "publisher": article.publisher,
        }

    def entity_item(self, entity: Entity, count: int | None = None, summary: bool = False) -> View:
        """Name, type and link; the summary (rendered Markdown) only where it is shown."""
        return {
            "name": entity.name,
            "type": entity.type,
            "count": count,
            "href": self.href(urls.page_url("entity", entity.id)),
            "summary": self.markdown(entity.summary, inline=True) if summary else None,
        }

    def graph(self, graph: Graph | None) -> View | None:
        if graph is None:
            return None
        where = {n.id: n for n in graph.nodes}
        nodes = [
            {**self.entity_item(self.site.entities[n.id]), "x": n.x, "y": n.y, "center": n.center}
            for n in graph.nodes
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
            for e in graph.edges
        ]
        return {"width": graph.width, "height": graph.height, "nodes": nodes, "edges": edges}

    def topic_item(self, topic: Topic) -> View:
        articles = self.site.topic_articles.get(topic.id, [])
        return {
            "title": topic.title,
            "href": self.href(urls.page_url("topic", topic.id)),
            "count": len(articles),
            "updated": self.date(self.site.topic_updated.get(topic.id)),
            "summary": None,
        }


def dek(site: Site, article: Article) -> str:
    """The article's summary, or its first paragraph cut near 300 characters."""
    if article.summary:
        return article.summary.strip()
    paragraphs = site.documents[article.id].paragraphs
    text = paragraphs[0].text.strip() if paragraphs else ""
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text.rfind(" ", 0, SUMMARY_LENGTH)
    return text[: cut if cut > 0 else SUMMARY_LENGTH].rstrip(" ,;:") + "…"


def article_view(ctx: PageContext, article: Article) -> View:
    site = ctx.site
    env = {"link": ctx.wikilink, "root": ctx.linker.root_prefix}
    counts = site.mention_counts.get(article.id, {})
    listed = [r.id for r in article.entities if r.id in site.entities and r.id not in counts]
    return {
        **ctx.article_item(article),
        "updated": ctx.date(article.updated),
        "authors": list(article.authors),
        "url": article.url,
        "license": article.license,
        "image": ctx.image(article.image),
        "body": Markup(render(site.md, site.documents[article.id].tokens, env)),
        "topics": [ctx.record(ref.id) for ref in article.topics if ref.id in site.topics],
        "entities": [ctx.entity_item(site.entities[e], n) for e, n in counts.items()]
        + [ctx.entity_item(site.entities[e]) for e in listed],
        "facts": [ctx.fact(f) for f in site.citing.get(article.id, [])],
    }


def entity_view(ctx: PageContext, entity: Entity) -> View:
    site = ctx.site
    return {
        **ctx.entity_item(entity, summary=True),
        "type_label": entity.type.capitalize(),
        "aliases": [a for a in entity.aliases if a != entity.name],
        "description": ctx.markdown(entity.description),
        "image": ctx.image(entity.image),
        "facts": ctx.fact_box(entity.facts),
        "relations_out": [relation_view(ctx, r, r.target.id) for r in entity.relations],
        "relations_in": [
            relation_view(ctx, r, r.subject) for r in site.relations_in.get(entity.id, [])
        ],
        "claims": [ctx.fact(f) for f in site.claims.get(entity.id, [])],
        "mentioned_total": len(site.mentioned_in.get(entity.id, [])),
        "mentioned_in": [
            {
                **ctx.article_item(site.articles[s.article]),
                "before": s.before,
                "mark": s.mark,
                "after": s.after,
                "count": s.count,
            }
            for s in site.mentioned_in.get(entity.id, [])[:MENTIONS_SHOWN]
        ],
        "topics": [ctx.record(t) for t in site.entity_topics.get(entity.id, [])],
        "co_mentions": [
            ctx.entity_item(site.entities[e], n) for e, n in site.co_mentions(entity.id)[:12]
        ],
        "links": [{"title": link.title, "url": link.url} for link in entity.links],
        "graph": ctx.graph(neighbourhood(site, entity.id)),
    }


def relation_view(ctx: PageContext, relation: Any, other: str) -> View:
    return {
        "type": relation.type,
        "other": ctx.record(other),
        "since": ctx.date(relation.since),
        "until": ctx.date(relation.until),
        "source": ctx.source(relation.source, relation.quote),
    }


def topic_view(ctx: PageContext, topic: Topic) -> View:
    site = ctx.site
    article_ids = site.topic_articles.get(topic.id, [])
    key = [ref.id for ref in topic.entities if ref.id in site.entities]
    counts: dict[str, int] = {}
    for article_id in article_ids:
        for entity_id, count in site.mention_counts.get(article_id, {}).items():
            counts[entity_id] = counts.get(entity_id, 0) + count
    others = sorted((e for e in counts if e not in key), key=lambda e: (-counts[e], e))
    timeline = sorted(topic.timeline, key=lambda t: t.date.sort_key)
    return {
        **ctx.topic_item(topic),
        "summary": ctx.markdown(topic.summary),
        "auto_summary": [
            {"text": s.text, "href": ctx.href(urls.page_url("article", s.article), s.anchor)}
            for s in site.auto_summaries.get(topic.id, [])
        ],
        "facts": ctx.fact_box(topic.facts),
        "timeline": [
            {
                "date": ctx.date(t.date),
                "text": ctx.markdown(t.text, inline=True),
                "source": ctx.source(t.source, t.quote),
            }
            for t in timeline
        ],
        "key_players": [ctx.entity_item(site.entities[e], summary=True) for e in key],
        "other_entities": [ctx.entity_item(site.entities[e], counts[e]) for e in others],
        "articles": [ctx.article_item(site.articles[a]) for a in article_ids[:ARTICLES_SHOWN]],
        "articles_total": len(article_ids),
        "related": [ctx.record(ref.id) for ref in topic.related if ref.id in site.topics],
    }


def home_view(ctx: PageContext) -> View:
    site = ctx.site
    return {
        "topics": [
            {**ctx.topic_item(t), "summary": ctx.markdown(t.summary)} for t in site.topics.values()
        ],
        "articles": [
            ctx.article_item(a) for a in itertools.islice(site.articles.values(), LATEST_ON_HOME)
        ],
    }


def topics_view(ctx: PageContext) -> View:
    return {"topics": [ctx.topic_item(t) for t in ctx.site.topics.values()]}


def directory(site: Site) -> list[tuple[str, list[tuple[str, list[Entity]]]]]:
    """Entities by type (in the order of ENTITY_TYPES), then by initial, A-Z."""
    groups = []
    for kind in ENTITY_TYPES:
        members = [e for e in site.entities.values() if e.type == kind]
        if members:
            letters = itertools.groupby(members, key=lambda e: _letter(e.name))
            groups.append((kind, [(letter, list(group)) for letter, group in letters]))
    return groups


def directory_is_split(site: Site) -> bool:
    return len(site.entities) > DIRECTORY_ONE_PAGE


def entities_view(ctx: PageContext) -> View:
    """One page with every entity; past DIRECTORY_ONE_PAGE, an index of pages by type
    and initial (so that no page grows past a few hundred kilobytes)."""
    split = directory_is_split(ctx.site)
    groups = []
    for kind, letters in directory(ctx.site):
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
                        else [ctx.entity_item(e, summary=True) for e in members],
                    }
                    for letter, members in letters
                ],
            }
        )
    return {"groups": groups, "split": split}


def directory_view(ctx: PageContext, kind: str, letter: str) -> View:
    members = next(
        m
        for k, letters in directory(ctx.site)
        if k == kind
        for lt, m in letters
        if letter_slug(lt) == letter
    )
    return {
        "type_label": TYPE_LABELS[kind],
        "letter": _letter(members[0].name),
        "entities": [ctx.entity_item(e, summary=True) for e in members],
        "back": ctx.href(urls.ENTITIES, kind),
    }


def _letter(name: str) -> str:
    first = name.lstrip("\"'“‘(")[:1].upper()
    return first if first.isalpha() else "#"


def letter_slug(letter: str) -> str:
    return letter.lower() if letter.isascii() and letter.isalpha() else f"u{ord(letter):x}"


def archive_pages(site: Site) -> int:
    return max(1, -(-len(site.articles) // ARCHIVE_PAGE_SIZE))


def articles_view(ctx: PageContext, number: int = 1) -> View:
    """Page `number` of the archive: ARCHIVE_PAGE_SIZE articles, grouped by month."""
    first = (number - 1) * ARCHIVE_PAGE_SIZE
    chunk = itertools.islice(ctx.site.articles.values(), first, first + ARCHIVE_PAGE_SIZE)
    months = itertools.groupby(chunk, key=lambda a: a.date.month_key)
    count = archive_pages(ctx.site)
    return {
        "months": [
            {
                "key": key,
                "shown": PartialDate(int(key[:4]), int(key[5:])).shown,
                "articles": [ctx.article_item(a) for a in group],
            }
            for key, group in months
        ],
        "pagination": {
            "number": number,
            "count": count,
            "previous": ctx.href(urls.archive_page(number - 1)) if number > 1 else None,
            "next": ctx.href(urls.archive_page(number + 1)) if number < count else None,
            "pages": [
                {"number": n, "href": ctx.href(urls.archive_page(n)), "current": n == number}
                for n in range(1, count + 1)
            ],
        },
    }


def graph_view(ctx: PageContext) -> View:
    return {"graph": ctx.graph(site_graph(ctx.site))}
