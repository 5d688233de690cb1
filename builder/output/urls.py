"""The one place that maps a page to its URL and output file, and links between pages.

URLs are paths relative to the site root and always name the file
(`entities/iran/index.html`), so that the site also works from `file://`.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model.content import Kind

_FOLDER: dict[Kind, str] = {"article": "articles", "entity": "entities", "topic": "topics"}
HOME = "index.html"
TOPICS = "topics/index.html"
ENTITIES = "entities/index.html"
ARTICLES = "articles/index.html"
GRAPH = "graph/index.html"
SEARCH = "search/index.html"
CORRECTIONS = "corrections/index.html"
CORRECTIONS_FEED = "corrections/feed.xml"
NOT_FOUND = "404.html"
SITE_JSON = "data/site.json"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STATIC = "static/"  # the theme's assets, copied
MEDIA = "media/"  # content/media/, copied


@functools.cache
def page_url(kind: Kind, record_id: str) -> str:
    """The page of a record. Cached, so that each is one string however many lists
    name it: the site's plan named articles 131,000 times at 10,000 articles (14 MiB)."""
    return f"{_FOLDER[kind]}/{record_id}/index.html"


def record_of(url: str) -> tuple[Kind, str] | None:
    """The kind and id of the record whose page is at `url` (`page_url` read back);
    None for any other page."""
    parts = url.split("/")
    if len(parts) != 3 or parts[2] != "index.html":
        return None
    kind = _KINDS.get(parts[0])
    return (kind, parts[1]) if kind is not None else None


_KINDS: dict[str, Kind] = {folder: kind for kind, folder in _FOLDER.items()}


def names_shard(key: str) -> str:
    """A shard of the quick-jump index of names (see search.py)."""
    return f"data/names/{key}.json"


def archive_page(number: int) -> str:
    """Page `number` of the article archive; the first is articles/index.html. Later
    pages live outside articles/ so that no article id can collide with them."""
    return ARTICLES if number == 1 else f"archive/{number}/index.html"


def mentions_page(entity_id: str, number: int) -> str:
    """Page `number` of every article that mentions an entity (its profile shows the
    newest few)."""
    folder = f"{_FOLDER['entity']}/{entity_id}/articles/"
    return folder + ("index.html" if number == 1 else f"{number}/index.html")


def directory_page(kind: str, letter: str) -> str:
    """The entities of one type and initial, when the directory is too long for one page."""
    return f"directory/{kind}/{letter}/index.html"


def static_url(name: str) -> str:
    return STATIC + name


def absolute_url(base_url: str, url: str) -> str:
    """`https://host/repo/entities/iran/` for `entities/iran/index.html`."""
    pretty = url.removesuffix("index.html")
    return base_url + pretty


def base_path(base_url: str | None) -> str:
    """The path part of `base_url` (`/repo/`), or `/`."""
    if not base_url:
        return "/"
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


@dataclass(frozen=True)
class Linker:
    """Links from one page. Relative everywhere, except on pages like 404.html that
    are served at unknown depths: those get `root` set to an absolute path."""

    page: str
    root: str | None = None

    def href(self, url: str, fragment: str | None = None) -> str:
        if url == self.page and self.root is None:
            target = posixpath.basename(url)  # a link to the page itself
        else:
            target = self.root_prefix + url
        return f"{target}#{fragment}" if fragment else target

    @functools.cached_property  # asked for by every link a page makes
    def root_prefix(self) -> str:
        if self.root is not None:
            return self.root
        return "../" * self.page.count("/")
