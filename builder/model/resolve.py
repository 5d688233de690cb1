"""Compiled records -> Site: the indexes that pages read (topic membership, mentions,
backlinks, claims, relations on both ends). Checks across files live in `checks.py`.

Nothing here parses or reads a file: articles arrive as index rows (`ArticleIndex`),
entities and topics as records, so resolving a site of 10,000 articles is a pass
over small tuples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .content import Entity, SiteConfig, Topic
from .records import ArticleIndex, Compiled
from .site import Site, Texts


def resolve(
    config: SiteConfig,
    units: Iterable[Compiled],
    articles: Iterable[ArticleIndex],
    texts: Texts,
    drafts: bool = False,
    mentions: MentionMemo | None = None,
) -> Site:
    """The site with its indexes. `mentions`: the mention indexes of the site resolved
    before (as `build serve` keeps them), used again when nothing they read changed."""
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
    if mentions is None:
        index_mentions(site)
    else:
        mentions.index(site)
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
    if not article.links:
        return counts
    linked = [target for target in article.links if target in site.entities]
    if any(target not in counts for target in linked):
        counts.update({target: 1 for target in linked if target not in counts})
        counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return counts


def index_mentions(site: Site) -> None:
    """Which entities each article holds, for profiles, co-mentions and entity topics
    (a hot loop on a large site: plain dicts and lists, no helper calls)."""
    entities = site.entities
    mention_counts, present_of = site.mention_counts, site.present
    mentioned_in: dict[str, list[str]] = {}
    entity_articles: dict[str, list[str]] = {}
    topics_of: dict[str, dict[str, None]] = {}  # insertion-ordered sets
    for article in site.index.values():  # newest first
        article_id = article.id
        counts = mention_counts[article_id] = _counts(site, article)
        for entity_id, _ in article.counts:
            mentioned_in.setdefault(entity_id, []).append(article_id)
        if article.entities:
            present = tuple(sorted(set(counts).union(e for e in article.entities if e in entities)))
        else:
            present = tuple(sorted(counts))
        present_of[article_id] = present
        topics = dict.fromkeys(article.topics)
        for entity_id in present:
            entity_articles.setdefault(entity_id, []).append(article_id)
            if topics:
                topics_of.setdefault(entity_id, {}).update(topics)
    for topic in site.topics.values():
        for ref in topic.entities:
            topics_of.setdefault(ref.id, {})[topic.id] = None
    site.mentioned_in.update(mentioned_in)
    site.entity_articles.update(entity_articles)
    site.entity_topics.update((e, list(t)) for e, t in topics_of.items())


_MentionIndexes = tuple[
    dict[str, dict[str, int]],  # mention_counts
    dict[str, tuple[str, ...]],  # present
    dict[str, list[str]],  # mentioned_in
    dict[str, list[str]],  # entity_articles
    dict[str, list[str]],  # entity_topics
]


@dataclass
class MentionMemo:
    """The mention indexes of the last site resolved and a digest of what they were
    made from.

    After most edits (an article's prose, a template, a fact) no article's mentions,
    topics or place in the date order changed, nor the entities and the topics' key
    players: the indexes are the same. Making them again took 0.17 to 0.33 s of each
    `build serve` reload at 10,000 articles; comparing what they read takes a few ms.
    Pages only read the indexes, so two snapshots can share them. A build keeps them
    in its cache for the next one (`memos.stored_mentions`)."""

    key: bytes = b""
    indexes: _MentionIndexes | None = None
    made: bool = False  # whether the last `index` made them anew

    def index(self, site: Site) -> None:
        key = mentions_key(site)
        self.made = self.indexes is None or key != self.key
        if self.indexes is not None and not self.made:
            (
                site.mention_counts,
                site.present,
                site.mentioned_in,
                site.entity_articles,
                site.entity_topics,
            ) = self.indexes
            return
        index_mentions(site)
        self.key = key
        self.indexes = (
            site.mention_counts,
            site.present,
            site.mentioned_in,
            site.entity_articles,
            site.entity_topics,
        )


def mentions_key(site: Site) -> bytes:
    """A digest of all `index_mentions` reads: the articles in order with their topics
    and what they hold of entities (`mentioned`, a digest of it, when the cache gave
    one), the entities, and the key players of the topics in order."""
    rows = site.index.values()
    articles = "\n".join([f"{a.id} {' '.join(a.topics)}" for a in rows])
    held = [a.mentioned or repr((a.entities, a.counts, a.links)).encode() for a in rows]
    players = [f"{t.id} {' '.join(ref.id for ref in t.entities)}" for t in site.topics.values()]
    texts = (articles, "\n".join(site.entities), "\n".join(players))
    joined = b"\0\0".join([*(text.encode() for text in texts), b"\0".join(held)])
    return hashlib.blake2b(joined, digest_size=16).digest()


def index_relations_and_claims(site: Site) -> None:
    for entity in site.entities.values():
        for relation in entity.relations:
            site.relations_in.setdefault(relation.target.id, []).append(relation)
    for fact in site.all_facts:
        if fact.claimed_by:
            site.claims.setdefault(fact.claimed_by.id, []).append(fact)
        if fact.source:
            site.citing.setdefault(fact.source.id, []).append(fact)
