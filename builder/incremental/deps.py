"""What an output depends on, and whether that changed since the last build.

A page records the keys it read while its view was built (`context.PageContext`):
a record (`a:<id>`, `e:<id>`, `t:<id>`, `?:<id>` for an id that names nothing), all of
an article but its body (`r:<id>`: what lists and profiles show of it, so that an
edit further down an article renders its own page again, not every list), an
index of the site (`m:<entity>` the articles that mention an entity, `ta:<topic>` a
topic's articles, ...), a template (`tpl:<name>`). Every key has a fingerprint in the
current build, computed from the records when first asked, and the cache keeps those
of the last build. An output is up to date when no key it read last time has a new
fingerprint and its plan is unchanged: the "verifying trace" of build systems à la
carte, checked key by key so that a build touches only the keys, not every output.
Early cutoff comes with it: a record that compiles to the same bytes as before keeps
its fingerprint, so nothing downstream of it is rendered again.

Most edits change an article's prose and nothing else. `Fingerprints.structure` is a
digest of all a build reads but the bodies of articles and what checks find in them:
while it equals the last build's, every page has the plan it had and only the keys
that `reads_bodies` names can have changed, so a build looks at those keys and at the
outputs that read them, not at every page of the site (`outputs.run_changed`).
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..model.content import Kind
from ..model.history import FactChange
from ..model.site import Site

TOPICS = "topics"  # every topic, in order, with how many articles, as of when
SITEMAP = "sitemap"  # every page and when it last changed
TOPIC_MEMBERS = "topic-members"  # which entities each topic names
ENTITIES = "entities"  # every entity, in order
ARTICLE_COUNT = "article-count"
EVERYTHING = "all"  # every record
MENTION_GRAPH = "mention-graph"  # which entities each article holds, how often
EXPORT = "export"  # what the data export holds
STALE = "stale"  # the day before which claims may be out of date (`stale_after`)
CORRECTIONS = "corrections"  # every change to a fact in the git history
_PREFIX: dict[Kind | None, str] = {"article": "a:", "entity": "e:", "topic": "t:", None: "?:"}


def record_key(kind: Kind | None, record_id: str) -> str:
    return _PREFIX[kind] + record_id


def listing_key(kind: Kind | None, record_id: str) -> str:
    """A record as pages other than its own read it: an article without its body."""
    return f"r:{record_id}" if kind == "article" else record_key(kind, record_id)


def mentions_key(entity_id: str) -> str:
    return f"m:{entity_id}"


def topic_articles_key(topic_id: str) -> str:
    return f"ta:{topic_id}"


def topic_size_key(topic_id: str) -> str:
    """How many articles a topic has, and the date of the newest."""
    return f"tn:{topic_id}"


def relations_key(entity_id: str) -> str:
    return f"ri:{entity_id}"


def claims_key(entity_id: str) -> str:
    return f"cl:{entity_id}"


def figures_key(entity_id: str) -> str:
    """The facts elsewhere that name the entity (SPEC 7: an entity's figures)."""
    return f"fi:{entity_id}"


def citing_key(article_id: str) -> str:
    return f"ci:{article_id}"


def passages_key(article_id: str) -> str:
    """The quoted passages marked on an article's page."""
    return f"pa:{article_id}"


def history_key(owner_id: str) -> str:
    """The git history of the facts of a topic or entity."""
    return f"h:{owner_id}"


def latest_key(count: int) -> str:
    return f"latest:{count}"


def slice_key(start: int, end: int) -> str:
    return f"slice:{start}:{end}"


def template_key(name: str) -> str:
    return f"tpl:{name}"


def file_key(path: str) -> str:
    return f"file:{path}"


def digest(*parts: bytes | str) -> bytes:
    joined = b"\0".join(p.encode() if isinstance(p, str) else p for p in parts)
    return hashlib.blake2b(joined, digest_size=16).digest()


# the keys whose fingerprint reads the bodies of articles, or what the quote checks
# found in them (a body's words, the passages its page marks, the export's anchors)
BODY_PREFIXES = ("a:", "pa:")
BODY_KEYS = frozenset({EXPORT, EVERYTHING})


def reads_bodies(key: str) -> bool:
    return key.startswith(BODY_PREFIXES) or key in BODY_KEYS


ABSENT = b"absent"
NONE = b"none"  # an index entry with nothing in it
NO_PASSAGES = digest()


class Fingerprints:
    """The fingerprint of every key in this build, computed when first asked.

    `records` holds the fingerprint of each compiled record by id (its compiled
    bytes); `templates` gives that of a template by name."""

    def __init__(
        self,
        site: Site,
        records: dict[str, bytes],
        templates: Callable[[str], bytes],
        plan: Callable[[], Iterable[tuple[str, str]]] = tuple,
    ) -> None:
        """`plan`: (url, date of last change) of every page in the sitemap, asked for
        only when a key needs it (planning every page costs 0.1 s at 10,000 articles)."""
        self.site = site
        self.records = records
        self.plan = plan
        self.known: dict[str, bytes] = {}
        self._derived: dict[str, Callable[[str], bytes]] = {
            "a": lambda i: self._record("article", i),
            "e": lambda i: self._record("entity", i),
            "t": lambda i: self._record("topic", i),
            "?": lambda i: digest(str(site.kind_of(i))),
            "m": lambda i: self._of_articles(site.entity_articles.get(i, [])),
            "ta": lambda i: self._of_articles(site.topic_articles.get(i, [])),
            "tn": self._topic_size,
            "ri": lambda i: self._of_ids(r.subject for r in site.relations_in.get(i, [])),
            "cl": lambda i: self._of_ids(f.owner for f in site.claims.get(i, [])),
            "ci": lambda i: self._of_ids(f.owner for f in site.citing.get(i, [])),
            "fi": lambda i: digest(*(repr((f.owner, f.loc)) for f in site.figures.get(i, []))),
            "pa": lambda i: digest(*sorted(map(str, site.passages.get(i, {}).values()))),
            "h": lambda i: self._history(site.history.of_owner(i)),
            "latest": lambda n: self._of_articles(self.order[: int(n)]),
            "slice": self._slice,
            "tpl": templates,
        }

    def __call__(self, key: str) -> bytes:
        found = self.known.get(key)
        if found is None:
            prefix = key[:2]
            if prefix == "a:":  # most keys: an article, whole or as lists show it
                found = self.records[key[2:]] if key[2:] in self.site.index else ABSENT
            elif prefix == "r:":
                row = self.site.index.get(key[2:])
                found = row.listed if row is not None else ABSENT
            elif prefix == "ci" and key[3:] not in self.site.citing:  # most articles:
                found = NONE  # no fact cites them, and none of their passages is quoted
            elif prefix == "pa" and key[3:] not in self.site.passages:
                found = NO_PASSAGES
            else:
                found = self._compute(key)
            self.known[key] = found
        return found

    def structure(self, salt: bytes, copies: Iterable[tuple[str, Path]]) -> bytes:
        """All this build reads but the bodies of articles and what is found in them:
        `salt` (Dossier, the settings, the options), every article's index row in
        order (`listed` digests all of it but the body, snippets included), every
        other record, the templates, the history of facts, the stale date and which
        files are copied (url, source). What a page's plan, or a key that
        `reads_bodies` does not name, reads is in it."""
        site = self.site
        others = sorted(i for i in self.records if i not in site.index and i not in site.drafts)
        return digest(
            salt,
            "\n".join(site.index),
            b"".join([row.listed for row in site.index.values()]),
            "\n".join(site.drafts),
            b"".join([row.listed for row in site.drafts.values()]),
            *(i + self.records[i].hex() for i in others),
            self("tpl:*"),
            self(CORRECTIONS),
            str(site.stale_before),
            *(f"{url}\0{source}" for url, source in copies),
        )

    def of_bodies(self) -> None:
        """Work out the `a:` and `pa:` keys of every article at once, as `__call__` would
        one by one (a build after an edit to prose checks 20,000 at 10,000 articles)."""
        index, records, passages = self.site.index, self.records, self.site.passages
        self.known.update({f"a:{i}": records[i] for i in index})
        self.known.update({f"pa:{i}": NO_PASSAGES for i in index if i not in passages})

    def _compute(self, key: str) -> bytes:
        site = self.site
        if key == TOPICS:
            parts = [self(f"t:{t}") + self(f"tn:{t}") for t in site.topics]
            return digest(*site.topics, *parts)
        if key == TOPIC_MEMBERS:
            return digest(
                *(f"{t.id}:{','.join(r.id for r in t.entities)}" for t in site.topics.values())
            )
        if key == ENTITIES:
            return digest(*site.entities, *(self.records[e] for e in site.entities))
        if key == ARTICLE_COUNT:
            return digest(str(len(site.index)))
        if key == MENTION_GRAPH:
            return digest(b"".join([a.mentioned for a in site.index.values()]))
        if key == EXPORT:
            return self._export()
        if key == STALE:
            return digest(str(site.stale_before))
        if key == CORRECTIONS:
            return self._history(list(site.history.changes))
        if key == SITEMAP:
            return digest(*(f"{url} {lastmod}" for url, lastmod in self.plan()))
        if key == EVERYTHING:
            return digest(*(i + fp.hex() for i, fp in sorted(self.records.items())))
        prefix, _, rest = key.partition(":")
        derive = self._derived.get(prefix)
        return derive(rest) if derive else ABSENT  # a template or file that is gone

    def _record(self, kind: Kind, record_id: str) -> bytes:
        if self.site.kind_of(record_id) != kind:
            return ABSENT
        return self.records[record_id]

    def _topic_size(self, topic_id: str) -> bytes:
        updated = self.site.topic_updated.get(topic_id)
        count = len(self.site.topic_articles.get(topic_id, []))
        return digest(str(count), updated.iso if updated else "")

    def _export(self) -> bytes:
        """The records, but of articles only their line of the export (not their body),
        with what the site adds: mention counts, topic articles, quoted paragraphs."""
        site = self.site
        parts = [self(ENTITIES).hex(), str(site.config)]
        for topic in site.topics.values():
            articles = ",".join(site.topic_articles.get(topic.id, []))
            parts += [topic.id, self(f"t:{topic.id}").hex(), articles, self(f"tn:{topic.id}").hex()]
        parts.append(b"".join([a.exported + a.mentioned for a in site.index.values()]).hex())
        parts += [f"{q.value} {q.loc} {found}" for q, found in site.quote_blocks.items()]
        return digest(*parts)

    def _history(self, changes: list[FactChange]) -> bytes:
        history = self.site.history
        return digest(repr(changes), str(history.shallow), str(history.since))

    @functools.cached_property
    def order(self) -> list[str]:
        return list(self.site.index)

    def _of_articles(self, article_ids: list[str]) -> bytes:
        """The articles in order, and all of each but its body (`listing_key`)."""
        index = self.site.index
        return digest("\n".join(article_ids), b"".join([index[a].listed for a in article_ids]))

    def _of_ids(self, record_ids: Iterable[str]) -> bytes:
        ids = sorted(set(record_ids))
        if not ids:
            return NONE
        return digest(*ids, *(self.records.get(i, ABSENT) for i in ids))

    def _slice(self, bounds: str) -> bytes:
        start, end = (int(n) for n in bounds.split(":"))
        return self._of_articles(self.order[start:end])


class KeyTable:
    """The keys that outputs read, each with a number (outputs keep lists of numbers:
    compact, and checked against the changed ones in C) and its fingerprint in the
    last build."""

    def __init__(self, rows: Mapping[str, tuple[int, bytes]]) -> None:
        self.ids = {key: number for key, (number, _) in rows.items()}
        self.fingerprints = {key: fp for key, (_, fp) in rows.items()}
        self.next = max(self.ids.values(), default=0) + 1
        self.new: dict[str, int] = {}

    def id(self, key: str) -> int:
        number = self.ids.get(key)
        if number is None:
            number = self.ids[key] = self.new[key] = self.next
            self.next += 1
        return number

    def ids_of(self, keys: Iterable[str]) -> array[int]:
        return array("I", sorted(map(self.id, keys)))

    def changed(self, now: Fingerprints, bodies_only: bool = False) -> set[int]:
        """The numbers of the keys whose fingerprint is not what it was; `bodies_only`:
        only the keys that `reads_bodies` names may have changed (the others are not
        looked at), and those of every article's body are worked out in bulk."""
        old = self.fingerprints
        if bodies_only:
            old = {key: fp for key, fp in old.items() if reads_bodies(key)}
            now.of_bodies()
        known = now.known
        differ = [key for key, fp in old.items() if known.get(key) != fp]
        return {self.ids[key] for key in differ if now(key) != old[key]}

    def rows(
        self, now: Callable[[str], bytes], keys: Iterable[str]
    ) -> list[tuple[int, str, bytes]]:
        """What to store of `keys`: new ones, and those with a new fingerprint."""
        found = []
        for key in keys:
            fingerprint = now(key)
            if key in self.new or self.fingerprints.get(key) != fingerprint:
                found.append((self.ids[key], key, fingerprint))
        return found
