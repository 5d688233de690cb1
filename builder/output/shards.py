"""The search index in shards: which pages go in which shard, and which shards a
rebuild must index again.

Pagefind's memory grows with the pages it indexes at once (about 250 KB a page), so
the site is indexed in bounded pieces of at most about `SHARD_PAGES` pages: topics,
entities (split by a hash of the id when they are more), and articles by year
(consecutive small years together, a large year by month): fewer, fuller shards
mean fewer files for the browser to fetch per query, which queries them together
(Pagefind's `mergeIndex`). A shard is indexed again only when the text Pagefind reads from one
of its pages changed, or its pages changed: each page's indexed text is hashed, and
the hashes are kept in the build cache between builds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..incremental import deps
from ..model.site import Site
from .pages import Page
from .search import BUNDLE

SEARCHED = ("topic", "entity", "article")  # page kinds in the index, primary first
SHARD_PAGES = 2000  # pages in a shard before it is split further


@dataclass(frozen=True)
class Shard:
    name: str
    urls: tuple[str, ...]  # its pages, sorted
    primary: bool  # the bundle the browser loads first, with Pagefind's scripts

    @property
    def folder(self) -> str:
        """Where its bundle is, as a url."""
        return BUNDLE if self.primary else f"{BUNDLE}/{self.name}"


def plan_shards(pages: Iterable[Page], site: Site) -> list[Shard]:
    """The shards of the index: the first one (topics, if there are any) is primary."""
    by_kind: dict[str, list[Page]] = {kind: [] for kind in SEARCHED}
    for page in pages:
        if page.kind in SEARCHED and page.record_id is not None:
            by_kind[page.kind].append(page)
    groups = [
        *_hashed("topics", by_kind["topic"]),
        *_hashed("entities", by_kind["entity"]),
        *_by_period(by_kind["article"], site),
    ]
    return [
        Shard(name, tuple(sorted(members)), primary=number == 0)
        for number, (name, members) in enumerate(g for g in groups if g[1])
    ]


def _hashed(name: str, pages: list[Page]) -> list[tuple[str, list[str]]]:
    """One shard, or a power of two of them by a hash of the id, so that a growing
    site moves its pages to other shards only when their count doubles."""
    parts = 1
    while len(pages) > parts * SHARD_PAGES:
        parts *= 2
    if parts == 1:
        return [(name, [page.url for page in pages])]
    buckets: dict[int, list[str]] = {}
    for page in pages:
        bucket = int.from_bytes(deps.digest(page.record_id or "")[:4], "big") % parts
        buckets.setdefault(bucket, []).append(page.url)
    return [(f"{name}-{bucket + 1}", buckets[bucket]) for bucket in sorted(buckets)]


def _by_period(pages: list[Page], site: Site) -> list[tuple[str, list[str]]]:
    """Articles by year, consecutive years together while they hold at most
    SHARD_PAGES pages (new articles, in the latest year, change only the last shard),
    and a year over that by month."""
    years: dict[str, list[str]] = {}
    months: dict[str, list[str]] = {}
    for page in pages:
        month = _month(page, site)
        years.setdefault(month[:4], []).append(page.url)
        months.setdefault(month, []).append(page.url)
    groups: list[tuple[str, list[str]]] = []
    run: list[str] = []
    for year in sorted(years):
        if len(years[year]) > SHARD_PAGES:
            groups += _years(run, years)
            groups += [(f"articles-{m}", months[m]) for m in sorted(months) if m[:4] == year]
            run = []
            continue
        if run and sum(len(years[y]) for y in run) + len(years[year]) > SHARD_PAGES:
            groups += _years(run, years)
            run = []
        run.append(year)
    return groups + _years(run, years)


def _years(run: list[str], years: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    if not run:
        return []
    name = f"articles-{run[0]}" + (f"-{run[-1]}" if len(run) > 1 else "")
    return [(name, [url for year in run for url in years[year]])]


def _month(page: Page, site: Site) -> str:
    """The article's date as YYYY-MM (`00` for a year-only date)."""
    iso = site.index[page.record_id or ""].date.iso
    return (iso + "-00")[:7]


# --- what Pagefind reads ---------------------------------------------------------------

_BODY = " data-pagefind-body"
_LANGUAGE = re.compile(r'<html lang="([^"]*)"')
_ID = re.compile(r' id="[^"]*"')
_IGNORE = " data-pagefind-ignore"
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})


def indexed_document(html: str) -> str:
    """What Pagefind is given for a page: its indexed text alone in a bare document,
    without the ids of elements other than headings.

    Pagefind parses all it is given, and an entity profile is 17 KB of which 1 KB is
    indexed. It also keeps the text of every element with an id inside the page's
    fragment, which every result downloads, while its results use only the headings'
    (sub-results): our paragraphs' ids doubled each article's fragment."""
    found = _LANGUAGE.search(html, 0, 500)
    language = found.group(1) if found else "en"
    body = _ID.sub(_heading_id, indexed_text(html))
    return f'<!DOCTYPE html><html lang="{language}"><head></head><body>{body}</body></html>'


def _heading_id(match: re.Match[str]) -> str:
    """The id attribute `match` found, kept only in a heading's opening tag."""
    opening = match.string.rfind("<", 0, match.start())
    tag = match.string[opening + 1 : opening + 3]
    return match.group(0) if tag[0] in "hH" and tag[1:].isdigit() else ""


def indexed_text(html: str) -> str:
    """The part of a page Pagefind indexes: its `data-pagefind-body` element (our
    `<main>`) without the elements marked `data-pagefind-ignore`, markup included.

    A scan of our own well-formed output with `str.find`, not a parse: parsing
    20,000 pages with an HTML parser costs more than indexing the ones that changed.
    Markup is kept, so a changed link inside indexed text also counts as a change
    (never the other way)."""
    at = html.find(_BODY)
    if at < 0:
        return ""
    start = html.rfind("<", 0, at)
    end = html.find("</main>", at)
    end = end if end >= 0 else len(html)
    kept, at = [], start
    while (ignored := html.find(_IGNORE, at, end)) >= 0:
        opening = html.rfind("<", at, ignored)
        kept.append(html[at:opening])
        at = _element_end(html, opening, end)
    kept.append(html[at:end])
    return "".join(kept)


def _element_end(html: str, opening: int, limit: int) -> int:
    """Where the element that opens at `opening` ends (after its closing tag), at
    most `limit`. Tags are as we write them: lower case, `</name>` to close."""
    match = _TAG.match(html, opening)
    tag_end = html.find(">", opening, limit) + 1 or limit
    if match is None:
        return tag_end
    name = match.group(1).lower()
    if name in _VOID or html[tag_end - 2] == "/":
        return tag_end
    start, close = "<" + name, "</" + name + ">"
    depth, at = 1, tag_end
    while (closing := html.find(close, at, limit)) >= 0:
        nested = html.find(start, at, closing)
        while nested >= 0:
            depth += html[nested + len(start)] in " >\t\n\r\f\v"
            nested = html.find(start, nested + 1, closing)
        depth -= 1
        at = closing + len(close)
        if depth == 0:
            return at
    return limit


# --- what the last build indexed -----------------------------------------------------


@dataclass
class IndexState:
    """What the bundle in the output folder was made from: a digest per shard and per
    page (of its indexed text), and the Pagefind settings (`key`)."""

    key: str = ""
    shards: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, data: bytes | None, key: str) -> IndexState:
        """The state saved by the last build, or an empty one when it was made with
        other settings (or there is none)."""
        try:
            value = json.loads(data or b"{}")
        except ValueError:
            return cls(key)
        if not isinstance(value, dict) or value.get("key") != key:
            return cls(key)
        return cls(key, dict(value.get("shards", {})), dict(value.get("pages", {})))

    def dump(self) -> bytes:
        data = {"key": self.key, "shards": self.shards, "pages": self.pages}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def document_digest(document: str) -> str:
    return deps.digest(document).hex()


def shard_digest(shard: Shard, pages: dict[str, str]) -> str:
    parts = [shard.name, str(shard.primary), *(f"{url}\0{pages[url]}" for url in shard.urls)]
    return deps.digest(*parts).hex()
