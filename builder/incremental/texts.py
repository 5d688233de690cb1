"""What pages and checks read back from the cache when they need it, and the forms the
cache keeps it in: an article's whole record, its body (the HTML apart from the rest,
`body_bytes`), its snippets (one value per article) and its line of the data export.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Mapping
from pathlib import Path

from ..model.records import ArticleBody, Compiled, Snippet
from . import codec
from .store import Store, StoreError


class StoredTexts:
    """The whole record of an article and its heavy part, read from the cache when a
    page or a check needs them. Each process opens its own connection: a forked
    worker must not share its parent's."""

    def __init__(self, path: Path, keys: Mapping[str, bytes]) -> None:
        self.path = path
        self.keys = keys
        self._owner = os.getpid()
        self._pid = -1
        self._store: Store | None = None
        self._lock = threading.Lock()  # `build serve` renders in several threads

    def _open(self) -> Store:
        if self._store is None or self._pid != os.getpid():
            # a worker forked to render reads while nobody writes: no locks needed
            frozen = os.getpid() != self._owner
            self._store, self._pid = Store(self.path, readonly=True, frozen=frozen), os.getpid()
        return self._store

    def __getstate__(self) -> dict[str, object]:
        """Sent to a cluster's workers as the path of the cache: each opens its own."""
        return {"path": self.path, "keys": self.keys, "_owner": self._owner}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _pid=-1, _store=None, _lock=threading.Lock())

    def record(self, record_id: str) -> Compiled:
        with self._lock:
            data = self._open().light(self.keys[record_id])
        return decode(data, Compiled)

    def body(self, article_id: str) -> ArticleBody:
        return decode_body(self._body(article_id))

    def body_html(self, article_id: str) -> str:
        return body_parts(self._body(article_id))[0]

    def _body(self, article_id: str) -> bytes:
        with self._lock:
            return self._open().heavy(self.keys[article_id])

    def snippets(self, entity_id: str, article_ids: list[str]) -> list[Snippet]:
        """The snippets of an entity's first mention in each of `article_ids`."""
        keys = [self.keys[a] for a in article_ids]
        with self._lock:
            found = self._open().snippets(keys)
        return [_snippet_of(entity_id, found[key]) for key in keys]

    def export(self, article_ids: list[str]) -> dict[str, str]:
        """The export line parts of articles (see `export.export_parts`)."""
        by_key = {self.keys[a]: a for a in article_ids}
        with self._lock:
            found = self._open().exports(by_key)
        return {by_key[key]: text for key, text in found.items()}

    def close(self) -> None:
        if self._store is not None and self._pid == os.getpid():
            self._store.close()
        self._store = None


def body_bytes(body: ArticleBody) -> bytes:
    """What the cache keeps of an article's body: the length of its HTML (4 bytes),
    the HTML, then the rest as JSON. Its page reads the HTML alone, without decoding
    the blocks (or reading the HTML as a JSON string): 37 µs less per article."""
    html = body.html.encode()
    return len(html).to_bytes(4, "big") + html + codec.encode(dataclasses.replace(body, html=""))


def body_parts(data: bytes) -> tuple[str, bytes]:
    """The HTML of `body_bytes`, and the rest still encoded."""
    size = int.from_bytes(data[:4], "big")
    if len(data) < 4 + size:
        raise StoreError("a damaged body")
    try:
        return data[4 : 4 + size].decode(), data[4 + size :]
    except UnicodeDecodeError as exc:
        raise StoreError(f"a damaged body: {exc}") from exc


def _snippet_of(entity_id: str, data: bytes) -> Snippet:
    """The snippet of `entity_id` among the snippets of one article."""
    try:
        snippets = codec.decode_all(data, Snippet)
    except codec.DecodeError as exc:
        raise StoreError(f"damaged snippets: {exc}") from exc
    found = next((s for s in snippets if s.entity == entity_id), None)
    if found is None:
        raise StoreError("a snippet is missing")
    return found


def decode_body(data: bytes) -> ArticleBody:
    html, rest = body_parts(data)
    return ArticleBody(html, decode(rest, ArticleBody).blocks)


def decode(data: bytes, cls: type[codec.T]) -> codec.T:
    """The record of type `cls` in `data`; a damaged cache if it is not one."""
    try:
        return codec.decode_as(data, cls)
    except codec.DecodeError as exc:
        raise StoreError(f"a damaged record: {exc}") from exc
