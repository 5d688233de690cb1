"""Compiled records -> Site: the indexes that pages read (topic membership, mentions,
backlinks, claims, relations on both ends). Checks across files live in `checks.py`.

Nothing here parses or reads a file: every article arrives compiled, so resolving a
site of 10,000 articles is a pass over small records.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Article, Entity, SiteConfig, Topic
from .records import Compiled
from .site import Site, Texts


def resolve(
    config: SiteConfig, compiled: Iterable[Compiled], texts: Texts, drafts: bool = False
) -> Site:
    articles: list[Article] = []
    entities: list[Entity] = []
    topics: list[Topic] = []
    site = Site(config, {}, {}, {}, texts)
    for unit in compiled:
        record = unit.record
        if isinstance(record, Article) and record.draft and not drafts:
            site.drafts[record.id] = record
        elif isinstance(record, Article):
            articles.append(record)
            assert unit.mentions is not None
            site.mentions[record.id] = unit.mentions
        elif isinstance(record, Entity):
            entities.append(record)
        elif isinstance(record, Topic):
            topics.append(record)
        site.fragments.update(unit.fragments)
    articles.sort(key=lambda a: a.id)
    articles.sort(key=lambda a: a.date.sort_key, reverse=True)
    entities.sort(key=lambda e: (e.name.casefold(), e.id))
    site.articles = {a.id: a for a in articles}
    site.entities = {e.id: e for e in entities}
    site.topics = {t.id: t for t in topics}
    index_topics(site)
    index_mentions(site)
    index_relations_and_claims(site)
    return site


def index_topics(site: Site) -> None:
    for article in site.articles.values():  # newest first
        for ref in article.topics:
            if ref.id in site.topics:
                site.topic_articles.setdefault(ref.id, []).append(article.id)
    for topic_id, article_ids in site.topic_articles.items():
        site.topic_updated[topic_id] = site.articles[article_ids[0]].date
    order = sorted(site.topics.values(), key=lambda t: (t.title.casefold(), t.id))
    order.sort(
        key=lambda t: (
            site.topic_updated[t.id].sort_key if t.id in site.topic_updated else (0, 0, 0, "")
        ),
        reverse=True,
    )
    site.topics = {t.id: t for t in order}


def _counts(site: Site, article_id: str) -> dict[str, int]:
    """Mentions per entity, most first; a wikilink to an entity counts as one."""
    mentions = site.mentions[article_id]
    counts = dict(mentions.counts)
    linked = [w.target for w in mentions.wikilinks if w.target in site.entities]
    if any(target not in counts for target in linked):
        counts.update({target: 1 for target in linked if target not in counts})
        counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return counts


def index_mentions(site: Site) -> None:
    """Which entities each article holds, for profiles, co-mentions and entity topics."""
    for article in site.articles.values():  # newest first
        counts = _counts(site, article.id)
        site.mention_counts[article.id] = counts
        for entity_id, _ in site.mentions[article.id].counts:
            site.mentioned_in.setdefault(entity_id, []).append(article.id)
        present = sorted(set(counts) | {r.id for r in article.entities if r.id in site.entities})
        site.present[article.id] = tuple(present)
        for entity_id in present:
            site.entity_articles.setdefault(entity_id, []).append(article.id)
            for topic_ref in article.topics:
                _add_unique(site.entity_topics, entity_id, topic_ref.id)
    for topic in site.topics.values():
        for ref in topic.entities:
            _add_unique(site.entity_topics, ref.id, topic.id)


def _add_unique(index: dict[str, list[str]], key: str, value: str) -> None:
    values = index.setdefault(key, [])
    if value not in values:
        values.append(value)


def index_relations_and_claims(site: Site) -> None:
    for entity in site.entities.values():
        for relation in entity.relations:
            site.relations_in.setdefault(relation.target.id, []).append(relation)
    for fact in site.all_facts:
        if fact.claimed_by:
            site.claims.setdefault(fact.claimed_by.id, []).append(fact)
        if fact.source:
            site.citing.setdefault(fact.source.id, []).append(fact)
