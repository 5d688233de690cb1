"""Results the cache remembers by their exact input, across builds: the site graph's
force layout, where each quote stands in its source article, which templates each
template names, the titles that tell pages apart, and the mention indexes of the
last site. A memo keeps the keys a build used, so the cache can forget the others,
and saves the new ones at the end (the mention indexes: one copy, in the meta table)."""

from __future__ import annotations

import hashlib
import json
import marshal
from typing import Any

import jinja2

from ..model.checks import QuoteAnswer, anchor_near
from ..model.content import Text
from ..model.graph import force_layout
from ..model.resolve import MentionMemo
from ..model.site import Passage, Site
from ..output.pages import index_pages, told_apart
from ..source.markdown import fill_plain
from ..source.quotes import find_quote
from . import deps
from .cache import code_version
from .sources import Sources
from .store import Store, StoreError

MENTIONS = "mentions"  # the name of the mention indexes in the cache's meta table
LayoutsMade = tuple[list[tuple[bytes, bytes]], set[bytes]]  # new memo rows, keys used


class LayoutMemo:
    """The site graph's force layout, remembered in the cache by its exact input."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.new: list[tuple[bytes, bytes]] = []
        self.used: set[bytes] = set()

    def __call__(
        self, nodes: list[str], edges: dict[tuple[str, str], float], size: int
    ) -> dict[str, tuple[float, float]]:
        given = json.dumps([nodes, sorted(edges.items()), size])
        key = deps.digest("layout", code_version(), given)
        self.used.add(key)
        cached = self.store.memo(key)
        if cached is not None:
            return {node: (x, y) for node, x, y in json.loads(cached)}
        positions = force_layout(nodes, edges, size)
        self.new.append((key, json.dumps([[n, *positions[n]] for n in nodes]).encode()))
        return positions

    def hand_over(self) -> LayoutsMade:
        """What this memo made and used so far, given up: the graph page may be drawn
        in a forked process, whose memo is a copy that the cache never sees."""
        made: LayoutsMade = (self.new, self.used)
        self.new, self.used = [], set()
        return made

    def take_over(self, made: LayoutsMade) -> None:
        """What `hand_over` gave, here or in a forked process."""
        self.new += made[0]
        self.used |= made[1]


def stored_mentions(store: Store) -> MentionMemo:
    """The mention indexes that the last build made, as the cache keeps them (none if
    it has none this version of Dossier made, or cannot read them): read back in 20 ms
    at 10,000 articles, where making them takes 70 ms."""
    try:
        data = store.meta(MENTIONS)
        loaded: Any = marshal.loads(data) if data else None
    except (StoreError, ValueError, TypeError, EOFError):
        return MentionMemo()
    if not (isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == code_version()):
        return MentionMemo()
    _, key, indexes = loaded
    shaped = isinstance(indexes, tuple) and len(indexes) == 5
    if not isinstance(key, bytes) or not shaped or not all(isinstance(i, dict) for i in indexes):
        return MentionMemo()
    return MentionMemo(key, indexes)


def save_mentions(store: Store, memo: MentionMemo) -> None:
    """Keep the indexes for the next build, if this one made them anew."""
    if memo.made and memo.indexes is not None:
        store.set_meta(MENTIONS, marshal.dumps((code_version(), memo.key, memo.indexes)))


class TemplateReferences:
    """Which templates each template names, remembered in the cache by its text (and
    Jinja's version): parsing the templates that the pages rendered again use took
    20 ms of a build after an edit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.new: list[tuple[bytes, bytes]] = []
        self.used: set[bytes] = set()

    def get(self, source: str) -> list[str] | None:
        key = self._key(source)
        self.used.add(key)
        cached = self.store.memo(key)
        if cached is None:
            return None
        names = json.loads(cached)
        return names if isinstance(names, list) and all(isinstance(n, str) for n in names) else None

    def put(self, source: str, names: list[str]) -> None:
        self.new.append((self._key(source), json.dumps(names).encode()))

    def _key(self, source: str) -> bytes:
        return deps.digest("references", jinja2.__version__, source)


class TitlesMemo:
    """The titles that tell pages apart (`pages.told_apart`), remembered in the cache
    for the site's structure they were worked out for (`Fingerprints.structure`): 25
    ms at 10,000 articles, in a build after an edit to prose."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.new: list[tuple[bytes, bytes]] = []
        self.used: set[bytes] = set()

    def __call__(self, structure: bytes, site: Site) -> dict[str, str]:
        key = deps.digest("titles", structure)
        self.used.add(key)
        cached = self.store.memo(key)
        if cached is not None:
            return dict(json.loads(cached))
        titles = told_apart(site, index_pages(site))
        self.new.append((key, json.dumps(titles, sort_keys=True).encode()))
        return titles


class QuoteMemo:
    """Quote verification, remembered in the cache by quote, source and dialect."""

    def __init__(self, store: Store, sources: Sources, site: Site) -> None:
        self.store = store
        self.sources = sources
        self.site = site
        self.new: list[tuple[bytes, bytes]] = []
        self.used: set[bytes] = set()

    def find(self, quote: Text, article_id: str) -> QuoteAnswer:
        dialect = self.sources.dialect
        row = self.site.index.get(article_id) or self.site.drafts.get(article_id)
        titles = [f"{i}\0{self.site.title_or_none(i) or ''}" for i in (row.links if row else ())]
        key = deps.digest(
            "quote",
            code_version(),
            str(dialect.allow_html),
            quote.value,
            self.sources.fingerprints[article_id],
            *titles,  # an `[[id]]` reads as its target's title
        )
        self.used.add(key)
        cached = self.store.memo(key)
        if cached is not None:
            found, closest, anchor, passage = json.loads(cached)
            marked = Passage(passage[0], passage[1], tuple(passage[2])) if passage else None
            return QuoteAnswer(bool(found), str(closest), anchor, marked)
        answer = self.locate(quote, article_id)
        self.new.append((key, json.dumps(answer).encode()))
        return answer

    def locate(self, quote: Text, article_id: str) -> QuoteAnswer:
        blocks = self.site.texts.body(article_id).blocks
        title = self.site.title_or_none
        texts = [fill_plain(b.shown, title) if b.shown else b.text for b in blocks]
        located = find_quote(self.sources.dialect.md, quote.value, texts)
        if located.block is None:
            return QuoteAnswer(False, located.closest, None, None)
        paragraph = anchor_near(blocks, located.block)
        block = blocks[located.block].anchor
        if block is None or not located.pieces:  # a heading, a cell, across paragraphs
            return QuoteAnswer(True, "", paragraph, None)
        where = "\n".join((block, *located.pieces))
        passage = Passage("q-" + hashlib.blake2b(where.encode(), digest_size=4).hexdigest(),
                          block, located.pieces)  # fmt: skip
        return QuoteAnswer(True, "", passage.id, passage)

    def save(self) -> None:
        if self.new:
            with self.store.transaction():
                self.store.put_memo(self.new)
