"""Compiled records -> Site: the indexes that pages read (topic membership, mentions,
backlinks, claims, relations on both ends). Checks across files live in `checks.py`.

Nothing here parses or reads a file: articles arrive as index rows (`ArticleIndex`),
entities and topics as records, so resolving a site of 10,000 articles is a pass
over small tuples.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Entity, SiteConfig, Topic
from .records import ArticleIndex, Compiled
from .site import Site, Texts


def resolve(
    config: SiteConfig,
    units: Iterable[Compiled],
    articles: Iterable[ArticleIndex],
    texts: Texts,
    drafts: bool = False,
) -> Site:
    entities: list[Entity] = []
    topics: list[Topic] = []
    site = Site(config, {}, {}, {}, texts)
    for unit in units:
        if isinstance(unit.record, Entity):
            entities.append(unit.record)
        elif isinstance(unit.record, Topic):
            topics.append(unit.record)
        site.fragments.update(unit.fragments)
    included = []
    for article in articles:
        if article.draft and not drafts:
            site.drafts[article.id] = article
        else:
            included.append(article)
    included.sort(key=lambda a: a.id)
    included.sort(key=lambda a: a.date.sort_key, reverse=True)
    entities.sort(key=lambda e: (e.name.casefold(), e.id))
    site.index = {a.id: a for a in included}
    site.entities = {e.id: e for e in entities}
    site.topics = {t.id: t for t in topics}
    index_topics(site)
    index_mentions(site)
    index_relations_and_claims(site)
    return site


def index_topics(site: Site) -> None:
    for article in site.index.values():  # newest first
        for topic_id in article.topics:
            if topic_id in site.topics:
                site.topic_articles.setdefault(topic_id, []).append(article.id)
    for topic_id, article_ids in site.topic_articles.items():
        site.topic_updated[topic_id] = site.index[article_ids[0]].date
    order = sorted(site.topics.values(), key=lambda t: (t.title.casefold(), t.id))
    order.sort(
        key=lambda t: (
            site.topic_updated[t.id].sort_key if t.id in site.topic_updated else (0, 0, 0, "")
        ),
        reverse=True,
    )
    site.topics = {t.id: t for t in order}


def _counts(site: Site, article: ArticleIndex) -> dict[str, int]:
    """Mentions per entity, most first; a wikilink to an entity counts as one."""
    counts = dict(article.counts)
    linked = [target for target in article.links if target in site.entities]
    if any(target not in counts for target in linked):
        counts.update({target: 1 for target in linked if target not in counts})
        counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return counts


def index_mentions(site: Site) -> None:
    """Which entities each article holds, for profiles, co-mentions and entity topics."""
    entities = site.entities
    topic_sets: dict[str, set[str]] = {}
    for article in site.index.values():  # newest first
        counts = _counts(site, article)
        site.mention_counts[article.id] = counts
        for entity_id, _ in article.counts:
            site.mentioned_in.setdefault(entity_id, []).append(article.id)
        present = sorted(set(counts).union(e for e in article.entities if e in entities))
        site.present[article.id] = tuple(present)
        for entity_id in present:
            site.entity_articles.setdefault(entity_id, []).append(article.id)
            if article.topics:
                _add_unique(site.entity_topics, topic_sets, entity_id, article.topics)
    for topic in site.topics.values():
        for ref in topic.entities:
            _add_unique(site.entity_topics, topic_sets, ref.id, (topic.id,))


def _add_unique(
    index: dict[str, list[str]], seen: dict[str, set[str]], key: str, values: Iterable[str]
) -> None:
    known = seen.setdefault(key, set())
    for value in values:
        if value not in known:
            known.add(value)
            index.setdefault(key, []).append(value)


def index_relations_and_claims(site: Site) -> None:
    for entity in site.entities.values():
        for relation in entity.relations:
            site.relations_in.setdefault(relation.target.id, []).append(relation)
    for fact in site.all_facts:
        if fact.claimed_by:
            site.claims.setdefault(fact.claimed_by.id, []).append(fact)
        if fact.source:
            site.citing.setdefault(fact.source.id, []).append(fact)
