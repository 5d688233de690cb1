"""What every view needs: the site, the way to link from the current page, and a
record of what the page read.

Views reach the site through this context, and each read names a key (`deps.py`):
the page's record of what it read is what an incremental build checks to decide
whether the page must be rendered again. A view that read the site around this
context would go stale silently; the incremental-equals-cold property test is there
to catch it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup

from ..incremental import deps
from ..model.content import Article, Entity, Fact, Kind, Relation, Text, Topic
from ..model.dates import PartialDate
from ..model.freshness import is_stale
from ..model.history import FactChange
from ..model.records import ArticleIndex, Snippet
from ..model.site import Passage, Site
from ..model.supersede import superseded
from ..source.markdown import fill, fill_plain
from . import urls


def site_shown(site: Site, text: str) -> str:
    """Plain text with each `[[id]]` as its target's title, outside any page's view
    (a page's plan, the feed): whoever calls it records what it read."""
    return fill_plain(text, site.title_or_none)


class PageContext:
    def __init__(self, site: Site, linker: urls.Linker) -> None:
        self.site = site
        self.linker = linker
        self.reads: set[str] = set()

    def read(self, key: str) -> None:
        self.reads.add(key)

    def href(self, url: str, fragment: str | None = None) -> str:
        return self.linker.href(url, fragment)

    # --- records -----------------------------------------------------------------------

    def kind_of(self, record_id: str) -> Kind | None:
        kind = self.site.kind_of(record_id)
        self.read(deps.listing_key(kind, record_id))
        return kind

    def title_of(self, record_id: str) -> str:
        self.kind_of(record_id)
        return self.site.title_of(record_id)

    def article(self, article_id: str) -> Article:
        self.read(deps.listing_key("article", article_id))
        return self.site.articles[article_id]

    def entity(self, entity_id: str) -> Entity:
        self.read(deps.record_key("entity", entity_id))
        return self.site.entities[entity_id]

    def topic(self, topic_id: str) -> Topic:
        self.read(deps.record_key("topic", topic_id))
        return self.site.topics[topic_id]

    def is_entity(self, record_id: str) -> bool:
        return self.kind_of(record_id) == "entity"

    def is_topic(self, record_id: str) -> bool:
        return self.kind_of(record_id) == "topic"

    def is_article(self, record_id: str) -> bool:
        return self.kind_of(record_id) == "article"

    # --- what articles hold ------------------------------------------------------------

    def body_html(self, article_id: str) -> str:
        """The article's body as its own page shows it, but for the placeholders."""
        self.read(deps.record_key("article", article_id))
        return self.site.texts.body_html(article_id)

    def mention_counts(self, article_id: str) -> dict[str, int]:
        self.read(deps.listing_key("article", article_id))
        return self.site.mention_counts.get(article_id, {})

    def passages(self, article_id: str) -> list[Passage]:
        """The quoted passages to mark on the article's page, in a stable order."""
        self.read(deps.passages_key(article_id))
        return sorted(self.site.passages.get(article_id, {}).values())

    def quote_anchor(self, quote: Text | None, article_id: str) -> str | None:
        """Where in `article_id` the verified `quote` stands: its passage, or the
        paragraph that holds it. Where it stands depends on the article and on the
        titles its `[[id]]`s show (a quote reads them as the page does)."""
        self.read(deps.record_key("article", article_id))
        row = self.site.index.get(article_id)
        for target in row.links if row is not None else ():
            self.kind_of(target)  # reads the title the wikilink shows
        found = self.site.quote_blocks.get(quote) if quote else None
        return found[1] if found else None

    # --- indexes -------------------------------------------------------------------------

    def mentioned_in(self, entity_id: str) -> list[str]:
        """Articles that mention the entity (by one of its names or a wikilink) or name
        it in their `entities`, newest first."""
        self.read(deps.mentions_key(entity_id))
        return self.site.entity_articles.get(entity_id, [])

    def snippets(self, entity_id: str, article_ids: list[str]) -> list[Snippet]:
        """The entity's first mention in each of the articles, with some context."""
        self.read(deps.mentions_key(entity_id))
        return self.site.texts.snippets(entity_id, article_ids)

    def row(self, article_id: str) -> ArticleIndex:
        """What lists of articles show of one: no need to decode its whole record."""
        self.read(deps.listing_key("article", article_id))
        return self.site.index[article_id]

    def co_mentions(self, entity_id: str) -> list[tuple[str, int]]:
        self.read(deps.mentions_key(entity_id))
        return self.site.co_mentions(entity_id)

    def entity_topics(self, entity_id: str) -> list[str]:
        """Topics of the articles that mention the entity, and those that name it."""
        self.read(deps.mentions_key(entity_id))
        self.read(deps.TOPIC_MEMBERS)
        return self.site.entity_topics.get(entity_id, [])

    def topic_size(self, topic_id: str) -> tuple[int, PartialDate | None]:
        """How many articles the topic has, and the date of the newest."""
        self.read(deps.topic_size_key(topic_id))
        count = len(self.site.topic_articles.get(topic_id, []))
        return count, self.site.topic_updated.get(topic_id)

    def topic_articles(self, topic_id: str) -> list[str]:
        self.read(deps.topic_articles_key(topic_id))
        return self.site.topic_articles.get(topic_id, [])

    def relations_in(self, entity_id: str) -> list[Relation]:
        self.read(deps.relations_key(entity_id))
        return self.site.relations_in.get(entity_id, [])

    def claims(self, entity_id: str) -> list[Fact]:
        self.read(deps.claims_key(entity_id))
        return self.site.claims.get(entity_id, [])

    def figures(self, entity_id: str) -> list[Fact]:
        """Facts of other topics and entities whose label, value or quote names the
        entity, in the order of their boxes."""
        self.read(deps.figures_key(entity_id))
        return self.site.figures.get(entity_id, [])

    def citing(self, article_id: str) -> list[Fact]:
        self.read(deps.citing_key(article_id))
        return self.site.citing.get(article_id, [])

    def stale(self, fact: Fact) -> bool:
        """Whether the claim is older than `stale_after` allows."""
        self.read(deps.STALE)
        return is_stale(fact, self.site.stale_before)

    def box_of(self, fact: Fact) -> tuple[Fact, ...]:
        """The facts of the topic or entity whose box holds `fact`."""
        if self.kind_of(fact.owner) == "topic":
            return self.site.topics[fact.owner].facts
        return self.site.entities[fact.owner].facts

    def replaced_by(self, fact: Fact) -> Fact | None:
        """The current claim that superseded `fact`, if one did."""
        return next((new for old, new in superseded(self.box_of(fact)) if old is fact), None)

    def history(self, fact: Fact) -> list[FactChange]:
        """The changes the git history of content/ made to the fact, newest first."""
        self.read(deps.history_key(fact.owner))
        return self.site.history.of_fact(fact)

    def shallow_history(self, owner_id: str) -> bool:
        """Whether the history that the owner's facts show stops at a shallow clone."""
        self.read(deps.history_key(owner_id))
        return self.site.history.shallow

    def all_changes(self) -> list[FactChange]:
        self.read(deps.CORRECTIONS)
        return list(self.site.history.changes)

    def topics(self) -> list[Topic]:
        """Every topic, latest updated first."""
        self.read(deps.TOPICS)
        return list(self.site.topics.values())

    def entities(self) -> list[Entity]:
        """Every entity, by name."""
        self.read(deps.ENTITIES)
        return list(self.site.entities.values())

    def latest(self, count: int) -> list[ArticleIndex]:
        self.read(deps.latest_key(count))
        return list(itertools.islice(self.site.index.values(), count))

    def article_slice(self, start: int, end: int) -> Sequence[ArticleIndex]:
        self.read(deps.slice_key(start, end))
        return list(itertools.islice(self.site.index.values(), start, end))

    def article_count(self) -> int:
        self.read(deps.ARTICLE_COUNT)
        return len(self.site.index)

    # --- Markdown, as seen from this page ----------------------------------------------

    def markdown(self, text: Text | None, inline: bool = False) -> Markup | None:
        if text is None:
            return None
        fragment = self.site.fragments[text]
        return Markup(self.fill(fragment.inline if inline else fragment.html))

    def fill(self, html: str) -> str:
        return fill(html, self.linker.root_prefix, self.wikilink)

    def plain(self, text: Text | None) -> str:
        if text is None:
            return ""
        return fill_plain(self.site.fragments[text].plain, self._title_or_none)

    def shown(self, text: str) -> str:
        """Plain text as the page shows it: each `[[id]]` as its target's title."""
        return fill_plain(text, self._title_or_none)

    def _title_or_none(self, record_id: str) -> str | None:
        return self.title_of(record_id) if self.kind_of(record_id) else None

    def wikilink(self, record_id: str) -> tuple[str, str] | None:
        kind = self.kind_of(record_id)
        if kind is None:
            return None
        return self.href(urls.page_url(kind, record_id)), self.site.title_of(record_id)
