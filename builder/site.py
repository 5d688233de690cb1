"""The resolved site: the content plus every index that pages read.

Built once by `resolve`; rendering reads it and never changes it, so any page can
be rendered on its own, in any order or in parallel.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .dates import PartialDate
from .document import Document
from .model import Article, Entity, Fact, Kind, Relation, SiteConfig, Text, Topic


@dataclass(frozen=True)
class Snippet:
    """About 160 characters around an entity's first mention in an article."""

    article: str
    before: str
    mark: str
    after: str
    count: int


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of an automatic summary, and the paragraph it comes from."""

    text: str
    article: str
    anchor: str
    position: tuple[int, int, int]  # article (oldest first), block, sentence


@dataclass
class Site:
    config: SiteConfig
    md: MarkdownIt
    articles: dict[str, Article]  # newest first
    entities: dict[str, Entity]  # by name
    topics: dict[str, Topic]  # latest updated first
    documents: dict[str, Document] = field(default_factory=dict)  # article bodies
    fields: dict[Text, list[Token]] = field(default_factory=dict)  # parsed Markdown fields
    quote_blocks: dict[Text, tuple[str, str | None]] = field(default_factory=dict)
    topic_articles: dict[str, list[str]] = field(default_factory=dict)
    topic_updated: dict[str, PartialDate] = field(default_factory=dict)
    mention_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    mentioned_in: dict[str, list[Snippet]] = field(default_factory=dict)
    present: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article -> entities
    entity_articles: dict[str, list[str]] = field(default_factory=dict)  # entity -> articles
    total_mentions: Counter[str] = field(default_factory=Counter)
    _co_mentions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    relations_in: dict[str, list[Relation]] = field(default_factory=dict)
    claims: dict[str, list[Fact]] = field(default_factory=dict)
    citing: dict[str, list[Fact]] = field(default_factory=dict)
    entity_topics: dict[str, list[str]] = field(default_factory=dict)
    auto_summaries: dict[str, list[SummarySentence]] = field(default_factory=dict)
    search_index: bool = True  # whether the build makes a Pagefind index

    def kind_of(self, record_id: str) -> Kind | None:
        if record_id in self.articles:
            return "article"
        if record_id in self.entities:
            return "entity"
        if record_id in self.topics:
            return "topic"
        return None

    def title_of(self, record_id: str) -> str:
        if record_id in self.entities:
            return self.entities[record_id].name
        if record_id in self.articles:
            return self.articles[record_id].title
        return self.topics[record_id].title

    def co_mentions(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Entities mentioned in the same articles, with the number of articles: most
        shared first, then the most mentioned, then by id. Computed when first asked
        (pages that show them are the only users), then kept."""
        if entity_id not in self._co_mentions:
            shared: Counter[str] = Counter()
            for article_id in self.entity_articles.get(entity_id, []):
                shared.update(self.present[article_id])
            del shared[entity_id]
            self._co_mentions[entity_id] = _strongest(shared, self.total_mentions, limit)
        return self._co_mentions[entity_id]

    @property
    def all_facts(self) -> list[Fact]:
        facts = [f for topic in self.topics.values() for f in topic.facts]
        return facts + [f for entity in self.entities.values() for f in entity.facts]


def _strongest(counter: Counter[str], total: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The `limit` largest counts; ties go to the most mentioned entity, then by id."""
    if len(counter) > limit:
        floor = heapq.nlargest(limit, counter.values())[-1]
        candidates = [(o, n) for o, n in counter.items() if n >= floor]
    else:
        candidates = list(counter.items())
    candidates.sort(key=lambda item: (-item[1], -total[item[0]], item[0]))
    return candidates[:limit]
