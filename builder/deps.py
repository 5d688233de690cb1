"""What an output depends on, and whether that changed since the last build.

A page records the keys it read while its view was built (`context.PageContext`):
a record (`a:<id>`, `e:<id>`, `t:<id>`, `?:<id>` for an id that names nothing), an
index of the site (`m:<entity>` the articles that mention an entity, `ta:<topic>` a
topic's articles, ...), a template (`tpl:<name>`). Every key has a fingerprint in the
current build, computed from the records when first asked, and the cache keeps those
of the last build. An output is up to date when no key it read last time has a new
fingerprint and its plan is unchanged: the "verifying trace" of build systems à la
carte, checked key by key so that a build touches only the keys, not every output.
Early cutoff comes with it: a record that compiles to the same bytes as before keeps
its fingerprint, so nothing downstream of it is rendered again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping

from .model import Kind
from .site import Site

TOPICS = "topics"  # every topic, in order, with its articles
TOPIC_MEMBERS = "topic-members"  # which entities each topic names
ENTITIES = "entities"  # every entity, in order
ARTICLE_COUNT = "article-count"
EVERYTHING = "all"  # every record (site.json, the site-wide graph)
_PREFIX: dict[Kind | None, str] = {"article": "a:", "entity": "e:", "topic": "t:", None: "?:"}


def record_key(kind: Kind | None, record_id: str) -> str:
    return _PREFIX[kind] + record_id


def mentions_key(entity_id: str) -> str:
    return f"m:{entity_id}"


def topic_articles_key(topic_id: str) -> str:
    return f"ta:{topic_id}"


def relations_key(entity_id: str) -> str:
    return f"ri:{entity_id}"


def claims_key(entity_id: str) -> str:
    return f"cl:{entity_id}"


def citing_key(article_id: str) -> str:
    return f"ci:{article_id}"


def latest_key(count: int) -> str:
    return f"latest:{count}"


def slice_key(start: int, end: int) -> str:
    return f"slice:{start}:{end}"


def template_key(name: str) -> str:
    return f"tpl:{name}"


def file_key(path: str) -> str:
    return f"file:{path}"


def digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.digest()


ABSENT = b"absent"


class Fingerprints:
    """The fingerprint of every key in this build, computed when first asked.

    `records` holds the fingerprint of each compiled record by id (its compiled
    bytes); `templates` gives that of a template by name."""

    def __init__(
        self, site: Site, records: dict[str, bytes], templates: Callable[[str], bytes]
    ) -> None:
        self.site = site
        self.records = records
        self.known: dict[str, bytes] = {}
        self._derived: dict[str, Callable[[str], bytes]] = {
            "a": lambda i: self._record("article", i),
            "e": lambda i: self._record("entity", i),
            "t": lambda i: self._record("topic", i),
            "?": lambda i: digest(str(site.kind_of(i))),
            "m": lambda i: self._of_articles(site.entity_articles.get(i, [])),
            "ta": lambda i: self._of_articles(site.topic_articles.get(i, [])),
            "ri": lambda i: self._of_ids(r.subject for r in site.relations_in.get(i, [])),
            "cl": lambda i: self._of_ids(f.owner for f in site.claims.get(i, [])),
            "ci": lambda i: self._of_ids(f.owner for f in site.citing.get(i, [])),
            "latest": lambda n: self._of_articles(self.order[: int(n)]),
            "slice": self._slice,
            "tpl": templates,
        }

    def __call__(self, key: str) -> bytes:
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._compute(key)
        return found

    def _compute(self, key: str) -> bytes:
        site = self.site
        if key == TOPICS:
            parts = [self(f"t:{t}") + self(f"ta:{t}") for t in site.topics]
            return digest(*site.topics, *parts)
        if key == TOPIC_MEMBERS:
            return digest(
                *(f"{t.id}:{','.join(r.id for r in t.entities)}" for t in site.topics.values())
            )
        if key == ENTITIES:
            return digest(*site.entities, *(self.records[e] for e in site.entities))
        if key == ARTICLE_COUNT:
            return digest(str(len(site.index)))
        if key == EVERYTHING:
            return digest(*(i + fp.hex() for i, fp in sorted(self.records.items())))
        prefix, _, rest = key.partition(":")
        derive = self._derived.get(prefix)
        return derive(rest) if derive else ABSENT  # a template or file that is gone

    def _record(self, kind: Kind, record_id: str) -> bytes:
        if self.site.kind_of(record_id) != kind:
            return ABSENT
        return self.records[record_id]

    @functools.cached_property
    def order(self) -> list[str]:
        return list(self.site.index)

    def _of_articles(self, article_ids: list[str]) -> bytes:
        return digest(*article_ids, *(self.records[a] for a in article_ids))

    def _of_ids(self, record_ids: Iterable[str]) -> bytes:
        ids = sorted(set(record_ids))
        return digest(*ids, *(self.records.get(i, ABSENT) for i in ids))

    def _slice(self, bounds: str) -> bytes:
        start, end = (int(n) for n in bounds.split(":"))
        return self._of_articles(self.order[start:end])


def changed(old: Mapping[str, bytes], new: Callable[[str], bytes]) -> set[str]:
    """The keys whose fingerprint in this build (`new`) differs from the last one's."""
    return {key for key, fingerprint in old.items() if new(key) != fingerprint}
