"""The resolved site: the records plus every index that pages read.

Built by `resolve` from compiled records; rendering reads it and never changes it, so
any page can be rendered on its own, in any order or in parallel. The heavy text of
articles (bodies, blocks, snippets) is not held here but read through `Texts` when a
page needs it, so that the model of a large site stays small.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .content import Article, Entity, Fact, Kind, Relation, SiteConfig, Text, Topic
from .dates import PartialDate
from .history import History
from .records import ArticleBody, ArticleIndex, Compiled, Fragment, Snippet

if TYPE_CHECKING:
    from .graph import Layout


class Texts(Protocol):
    """Where what is not kept in the model is read from when needed (the cache)."""

    def record(self, record_id: str) -> Compiled: ...

    def body(self, article_id: str) -> ArticleBody: ...

    def body_html(self, article_id: str) -> str: ...

    def snippets(self, entity_id: str, article_ids: list[str]) -> list[Snippet]: ...

    def export(self, article_ids: list[str]) -> dict[str, str]: ...


class Articles(Mapping[str, Article]):
    """Whole article records by id, in the order of `index`, each decoded from the
    cache the first time it is asked for and then kept."""

    def __init__(self, index: Mapping[str, ArticleIndex], texts: Texts) -> None:
        self.index = index
        self.texts = texts
        self.decoded: dict[str, Article] = {}

    def __getitem__(self, article_id: str) -> Article:
        found = self.decoded.get(article_id)
        if found is None:
            if article_id not in self.index:
                raise KeyError(article_id)
            record = self.texts.record(article_id).record
            assert isinstance(record, Article)
            found = self.decoded[article_id] = record
        return found

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


class Passage(NamedTuple):
    """The words of a verified quote in its article, marked on the article's page so
    that a link to `#<id>` lands on (and highlights) exactly them."""

    id: str  # "q-" and a hash of where it stands and what it says: stable across builds
    block: str  # the anchor of the paragraph (or list item) that holds it
    pieces: tuple[str, ...]  # the quote's parts between ellipses, normalised (quotes.py)


@dataclass
class Site:
    config: SiteConfig
    index: dict[str, ArticleIndex]  # the articles, newest first
    entities: dict[str, Entity]  # by name
    topics: dict[str, Topic]  # latest updated first
    texts: Texts
    drafts: dict[str, ArticleIndex] = field(default_factory=dict)  # out without --drafts
    fragments: dict[Text, Fragment] = field(default_factory=dict)  # rendered Markdown fields
    quote_blocks: dict[Text, tuple[str, str | None]] = field(default_factory=dict)  # -> anchor
    passages: dict[str, dict[str, Passage]] = field(default_factory=dict)  # article -> id ->
    topic_articles: dict[str, list[str]] = field(default_factory=dict)
    topic_updated: dict[str, PartialDate] = field(default_factory=dict)
    mention_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    mentioned_in: dict[str, list[str]] = field(default_factory=dict)  # entity -> articles
    present: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article -> entities
    entity_articles: dict[str, list[str]] = field(default_factory=dict)  # entity -> articles
    _co_mentions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    relations_in: dict[str, list[Relation]] = field(default_factory=dict)
    claims: dict[str, list[Fact]] = field(default_factory=dict)
    citing: dict[str, list[Fact]] = field(default_factory=dict)
    figures: dict[str, list[Fact]] = field(default_factory=dict)  # entity -> facts naming it
    entity_topics: dict[str, list[str]] = field(default_factory=dict)
    search_index: bool = True  # whether the build makes a Pagefind index
    layout: Layout | None = None  # the site graph's layout, memoised by the build
    stale_before: datetime.date | None = None  # claims older may be out of date
    history: History = field(default_factory=History)  # of facts, from git

    def __getstate__(self) -> dict[str, object]:
        """Sent to a cluster's workers without the records decoded so far and without
        the layout memo (the graph page is drawn on the build's own machine, in a
        process it forks: `Outputs.made`)."""
        state = {k: v for k, v in self.__dict__.items() if k != "articles"}
        return {**state, "layout": None}

    @functools.cached_property
    def articles(self) -> Articles:
        """Whole records of the articles of `index`, decoded when first asked for."""
        return Articles(self.index, self.texts)

    def kind_of(self, record_id: str) -> Kind | None:
        if record_id in self.index:
            return "article"
        if record_id in self.entities:
            return "entity"
        if record_id in self.topics:
            return "topic"
        return None

    def title_or_none(self, record_id: str) -> str | None:
        """What a `[[record_id]]` shows: its target's title, or None for no target."""
        return self.title_of(record_id) if self.kind_of(record_id) else None

    def title_of(self, record_id: str) -> str:
        if record_id in self.entities:
            return self.entities[record_id].name
        if record_id in self.index:
            return self.index[record_id].title
        return self.topics[record_id].title

    def co_mentions(self, entity_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Entities mentioned in the same articles, with the number of articles: most
        shared first, then by name. Only the articles that mention this entity count,
        so that an edit elsewhere cannot change the list. Computed when first asked,
        then kept."""
        if entity_id not in self._co_mentions:
            shared: Counter[str] = Counter()
            for article_id in self.entity_articles.get(entity_id, []):
                shared.update(self.present[article_id])
            del shared[entity_id]
            name = self._name_key
            ranked = sorted(shared.items(), key=lambda item: (-item[1], name(item[0])))
            self._co_mentions[entity_id] = ranked[:limit]
        return self._co_mentions[entity_id]

    def _name_key(self, entity_id: str) -> tuple[str, str]:
        entity = self.entities.get(entity_id)
        return (entity.name.casefold() if entity else "", entity_id)

    @property
    def all_facts(self) -> list[Fact]:
        facts = [f for topic in self.topics.values() for f in topic.facts]
        return facts + [f for entity in self.entities.values() for f in entity.facts]
