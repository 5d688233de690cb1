"""Compact results of compiling one source file: what workers send back, what the
build cache keeps, and what the resolved site is made of.

No markdown-it tokens here: a token list costs more to pickle or to store than to
parse again. Markdown is kept rendered, with placeholders for what depends on the
page that shows it or on other files (see `markdown.Placeholders`), plus the plain
text of its blocks for quotes, snippets and summaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..diagnostics import Diagnostic, Loc
from .content import Article, Entity, SiteConfig, Text, Topic
from .dates import PartialDate


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or table cell of an article, as plain text."""

    text: str  # as the reader sees it
    line: int  # file line where the block starts
    anchor: str | None  # "p-3" for paragraphs, None for headings and cells
    heading: bool
    quoted: bool  # inside a blockquote (an embedded post, a long quotation)
    # where a `[[id]]` shows its target's title: the text with a placeholder for it
    # (`markdown.fill_plain`), as the page shows it once the title is known; else None
    shown: str | None = None


@dataclass(frozen=True)
class Snippet:
    """About 160 characters around an entity's first mention in an article."""

    entity: str
    article: str
    before: str
    mark: str
    after: str
    count: int


@dataclass(frozen=True)
class WikiRef:
    """A `[[id]]` in Markdown, and where it stands in its file."""

    target: str
    loc: Loc


@dataclass(frozen=True)
class Fragment:
    """A Markdown field rendered once for every page that shows it."""

    html: str  # with placeholders (markdown.Placeholders)
    inline: str  # a one-paragraph field without its <p>; else the same as html
    plain: str  # the text a reader sees, wikilinks as placeholders
    wikilinks: tuple[WikiRef, ...]
    images: tuple[tuple[str, Loc], ...] = ()  # images under content/, to look for


@dataclass(frozen=True)
class ArticleBody:
    """The heavy part of a compiled article: read only by the pages that need it."""

    html: str  # the body, rendered for the article's own page, with placeholders
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Mentions:
    """The light part of a compiled article: what site-wide indexes are made of."""

    counts: tuple[tuple[str, int], ...]  # entity id -> mentions, most mentioned first
    wikilinks: tuple[WikiRef, ...]
    dek: str  # the summary, or the first paragraph cut near 300 characters
    diagnostics: tuple[Diagnostic, ...]  # found while linking (ambiguous aliases)
    images: tuple[tuple[str, Loc], ...] = ()  # body images under content/, to look for


@dataclass(frozen=True)
class Compiled:
    """One source file, read, validated and (for articles) parsed and linked.

    `record` is None when the file has errors that keep it out of the site. Articles
    carry `mentions`, `snippets` and `body`; YAML files carry `fragments`, the
    rendered Markdown of their fields."""

    kind: str  # site, article, entity, topic
    id: str
    record: SiteConfig | Article | Entity | Topic | None
    diagnostics: tuple[Diagnostic, ...]
    fragments: tuple[tuple[Text, Fragment], ...] = ()
    mentions: Mentions | None = None
    snippets: tuple[Snippet, ...] = ()
    body: ArticleBody | None = None


class ArticleIndex(NamedTuple):
    """What the site-wide indexes need of an article. The cache keeps it in plain
    columns beside the whole record, so that a rebuild of a large site reads these few
    fields of every article, and decodes the whole record only of the articles that a
    changed page shows (a tuple, not a dataclass: there is one per article)."""

    id: str
    title: str
    date: PartialDate
    updated: PartialDate | None
    draft: bool
    topics: tuple[str, ...]
    entities: tuple[str, ...]  # the ids its `entities` lists
    counts: tuple[tuple[str, int], ...]  # mentions by alias per entity, most first
    links: tuple[str, ...]  # wikilink targets
    dek: str  # its summary, or its first paragraph cut near 300 characters
    publisher: str | None
    exported: bytes  # a digest of its line of the data export (`export.export_parts`)
    flagged: bool  # it has diagnostics or an image: checks read its whole record
    listed: bytes = b""  # a digest of all but its body: what lists and profiles show
    mentioned: bytes = b""  # a digest of its entities, counts and links (`sources`)
    # the rest of what its own page shows, but its body and its image (`flagged`): the
    # page does not read and decode the whole record (about 90 µs of 0.6 ms per page)
    authors: tuple[str, ...] = ()
    url: str | None = None
    license: str | None = None

    @classmethod
    def of(cls, unit: Compiled, exported: bytes) -> ArticleIndex:
        article, mentions = unit.record, unit.mentions
        assert isinstance(article, Article) and mentions is not None
        return cls(
            article.id,
            article.title,
            article.date,
            article.updated,
            article.draft,
            tuple(ref.id for ref in article.topics),
            tuple(ref.id for ref in article.entities),
            mentions.counts,
            tuple(w.target for w in mentions.wikilinks),
            mentions.dek,
            article.publisher,
            exported,
            bool(unit.diagnostics or mentions.diagnostics or article.image or mentions.images),
            authors=article.authors,
            url=article.url,
            license=article.license,
        )
