"""Every article's index row in one blob, beside the cache's table of rows.

A build needs the index row of every article. Read from the `articles` table, each
row checked against its seal and parsed from its columns, that took 0.5 s of every
rebuild of a site of 10,000 articles; from one marshalled blob, 0.2 to 0.3 s.

The blob is only a faster copy of the table. Each entry is filed under its article's
cache key, which names the exact inputs the row was made from, so an entry is never
stale; one is used only while the table still holds the article's record (a rebuild
may have forgotten it since), an entry missing is read from the table, and a blob
that cannot be read is ignored.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable
from typing import Any

from ..model.dates import PartialDate
from ..model.records import ArticleIndex
from .store import Store, StoreError

META = "article-index"
REWRITE_SHARE = 100  # rewritten when over 1 in this many entries are missing or left over
Entry = tuple[ArticleIndex, bytes]  # an index row and its record's fingerprint


class IndexSnapshot:
    """The blob of one cache, read at most once per build."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.loaded: dict[bytes, Entry] | None = None

    def rows(self, keys: Iterable[bytes]) -> dict[bytes, Entry]:
        """The entries under `keys` that the blob holds and the table still has."""
        if self.loaded is None:
            self.loaded = self._load()
        return {key: self.loaded[key] for key in keys if key in self.loaded}

    def save(self, entries: dict[bytes, Entry]) -> None:
        """Keep these entries (the articles of this build) when it would be missing or
        holding more than a few: it is written whole (0.35 s at 10,000 articles), and
        a few rows read from the table cost less (after an edit, one)."""
        held = self.loaded.keys() if self.loaded is not None else set()
        differ = len(entries.keys() - held) + len(held - entries.keys())
        if differ <= len(entries) // REWRITE_SHARE:
            return
        rows = {key: (_row(index), fingerprint) for key, (index, fingerprint) in entries.items()}
        self.store.set_meta(META, marshal.dumps(rows))

    def _load(self) -> dict[bytes, Entry]:
        try:
            data = self.store.meta(META)
            rows = marshal.loads(data) if data else {}
            kept = self.store.article_keys()
            return {key: (_index(row), fp) for key, (row, fp) in rows.items() if key in kept}
        except (StoreError, ValueError, TypeError, EOFError, AttributeError):
            return {}


def _row(index: ArticleIndex) -> tuple[object, ...]:
    """The index row in the types marshal writes: dates as tuples."""
    updated = _date_row(index.updated) if index.updated is not None else None
    return (*index[:2], _date_row(index.date), updated, *index[4:])


def _index(row: tuple[Any, ...]) -> ArticleIndex:
    """The index row back (`_make` refuses an entry of another length)."""
    date, updated = PartialDate(*row[2]), PartialDate(*row[3]) if row[3] is not None else None
    return ArticleIndex._make((*row[:2], date, updated, *row[4:]))


def _date_row(date: PartialDate) -> tuple[int, int | None, int | None, str | None]:
    return date.year, date.month, date.day, date.time
