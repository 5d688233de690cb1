"""The resolved site: the content plus every index that pages read.

Built once by `resolve`; rendering reads it and never changes it, so any page can
be rendered on its own, in any order or in parallel.
"""

from __future__ import annotations

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
    co_mentions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    relations_in: dict[str, list[Relation]] = field(default_factory=dict)
    claims: dict[str, list[Fact]] = field(default_factory=dict)
    citing: dict[str, list[Fact]] = field(default_factory=dict)
    entity_topics: dict[str, list[str]] = field(default_factory=dict)
    auto_summaries: dict[str, list[SummarySentence]] = field(default_factory=dict)

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

    @property
    def all_facts(self) -> list[Fact]:
        facts = [f for topic in self.topics.values() for f in topic.facts]
        return facts + [f for entity in self.entities.values() for f in entity.facts]
