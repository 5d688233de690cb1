"""The compiled record of every source file: taken from the cache where the file and
what it depends on are unchanged, compiled where not (in worker processes when there
are many), and stored for the next build.

Records go to the cache as soon as they are compiled, light and heavy parts apart:
the build keeps only the light ones in memory and reads an article's body or
snippets from the cache when a page needs them, so memory does not grow with the
site. A forked worker opens its own connection (`StoredTexts`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import codec
from .cache import code_version
from .compile import Dialect, compile_file
from .model import Entity, SiteConfig
from .records import ArticleBody, Compiled, Snippet
from .scan import Inputs, SourceFile
from .store import InputRow, Store, StoreError, digest
from .workers import parallel_map

PARALLEL_FROM = 200  # files; below that, starting workers costs more than it saves


@dataclass(frozen=True)
class Fresh:
    """A record compiled in this build, with the bytes the cache keeps of it."""

    light: Compiled  # without snippets and body
    fingerprint: bytes
    light_bytes: bytes
    heavy_bytes: bytes
    snippets: tuple[tuple[str, bytes], ...]


@dataclass
class Sources:
    units: list[Compiled] = field(default_factory=list)  # light: no snippets, no body
    fingerprints: dict[str, bytes] = field(default_factory=dict)  # id -> compiled bytes
    keys: dict[str, bytes] = field(default_factory=dict)  # id -> cache key
    compiled: int = 0  # how many were compiled in this build (not from the cache)
    config: SiteConfig | None = None
    dialect: Dialect = field(default_factory=Dialect)


def input_rows(inputs: Inputs, stored: Mapping[str, InputRow]) -> dict[str, InputRow]:
    """The stat and hash of every input; a file whose stat is unchanged is not read."""
    rows = {}
    for name, stat in inputs.stats.items():
        row = stored.get(name)
        if row is None or (row.mtime_ns, row.size) != (stat.mtime_ns, stat.size):
            try:
                row = InputRow(stat.mtime_ns, stat.size, digest(Path(name).read_bytes()))
            except OSError:
                row = InputRow(stat.mtime_ns, stat.size, b"")  # loading says why
        rows[name] = row
    return rows


Progress = Callable[[int], None]


Decoded = dict[bytes, tuple[Compiled, bytes]]  # cache key -> (light record, fingerprint)


def compile_sources(
    inputs: Inputs,
    rows: Mapping[str, InputRow],
    store: Store,
    jobs: int,
    progress: Progress,
    memory: Decoded | None = None,
) -> Sources:
    """Site, then entities and topics (their Markdown dialect is the site's), then
    articles (linked against the aliases of the entities). With `memory` (as `build
    serve` keeps one), records decoded by an earlier build are not decoded again;
    it is left holding this build's records."""
    sources = Sources()
    known: Decoded = memory if memory is not None else {}
    by_kind: dict[str, list[SourceFile]] = {"site": [], "article": [], "entity": [], "topic": []}
    for source in inputs.sources:
        by_kind[source.kind].append(source)
    stage = functools.partial(
        _stage, sources, rows=rows, store=store, jobs=jobs, known=known, progress=progress
    )
    stage(by_kind["site"], Dialect())
    sources.config = next(
        (u.record for u in sources.units if isinstance(u.record, SiteConfig)), None
    )
    allow_html = sources.config.allow_html if sources.config else False
    yaml_files = by_kind["entity"] + by_kind["topic"]
    stage(yaml_files, Dialect(allow_html))
    entities = [u.record for u in sources.units if isinstance(u.record, Entity)]
    sources.dialect = Dialect.of(allow_html, entities)
    stage(by_kind["article"], sources.dialect)
    if memory is not None:
        kept = set(sources.keys.values())
        for key in [k for k in memory if k not in kept]:
            del memory[key]
    return sources


def _stage(
    sources: Sources,
    files: list[SourceFile],
    dialect: Dialect,
    *,
    rows: Mapping[str, InputRow],
    store: Store,
    jobs: int,
    known: Decoded,
    progress: Progress,
) -> None:
    version = code_version()
    keys = [dialect.key(f.kind, f.where, rows[f.where].digest, version) for f in files]
    unknown = [k for k in keys if k not in known]
    if unknown:
        known.update(_cached(store, unknown))
    missing = [(f, k) for f, k in zip(files, keys, strict=True) if k not in known]
    known.update(_compile(missing, dialect, store, jobs, progress))
    for file, key in zip(files, keys, strict=True):
        unit, fingerprint = known[key]
        sources.units.append(unit)
        sources.fingerprints[file.id] = fingerprint
        sources.keys[file.id] = key
    sources.compiled += len(missing)
    progress(len(files) - len(missing))


def _cached(store: Store, keys: list[bytes]) -> dict[bytes, tuple[Compiled, bytes]]:
    found = {}
    for key, (fingerprint, light) in store.lights(keys).items():
        try:
            found[key] = (codec.decode_as(light, Compiled), fingerprint)
        except codec.DecodeError as exc:
            raise StoreError(f"a damaged record: {exc}") from exc
    return found


def _compile(
    missing: list[tuple[SourceFile, bytes]],
    dialect: Dialect,
    store: Store,
    jobs: int,
    progress: Progress,
) -> dict[bytes, tuple[Compiled, bytes]]:
    """Compile the files the cache does not have, and store them at once."""
    dialect.prepare()
    jobs = jobs if len(missing) >= PARALLEL_FROM else 1
    results: dict[bytes, tuple[Compiled, bytes]] = {}
    with store.transaction():
        for (_, key), fresh in zip(
            missing, parallel_map(lambda m: _fresh(m[0], dialect), missing, jobs, 32), strict=True
        ):
            store.put_records(
                [(key, fresh.fingerprint, fresh.light_bytes, fresh.heavy_bytes)],
                ((key, entity, data) for entity, data in fresh.snippets),
            )
            results[key] = (fresh.light, fresh.fingerprint)
            progress(1)
    return results


def _fresh(source: SourceFile, dialect: Dialect) -> Fresh:
    unit = compile_file(source.kind, source.id, source.path, dialect)
    light = dataclasses.replace(unit, snippets=(), body=None)
    light_bytes = codec.encode(light)
    heavy_bytes = codec.encode(unit.body) if unit.body is not None else b""
    snippets = tuple((s.entity, codec.encode(s)) for s in unit.snippets)
    fingerprint = digest(b"\0".join([light_bytes, heavy_bytes, *(s for _, s in snippets)]))
    return Fresh(light, fingerprint, light_bytes, heavy_bytes, snippets)


class StoredTexts:
    """The heavy part of compiled articles, read from the cache when a page needs it.
    Each process opens its own connection: a forked worker must not share its parent's."""

    def __init__(self, path: Path, keys: Mapping[str, bytes]) -> None:
        self.path = path
        self.keys = keys
        self._pid = -1
        self._store: Store | None = None
        self._lock = threading.Lock()  # `build serve` renders in several threads

    def _open(self) -> Store:
        if self._store is None or self._pid != os.getpid():
            self._store, self._pid = Store(self.path, readonly=True), os.getpid()
        return self._store

    def body(self, article_id: str) -> ArticleBody:
        with self._lock:
            data = self._open().heavy(self.keys[article_id])
        return _decode(data, ArticleBody)

    def snippet(self, article_id: str, entity_id: str) -> Snippet:
        with self._lock:
            data = self._open().snippet(self.keys[article_id], entity_id)
        return _decode(data, Snippet)

    def close(self) -> None:
        if self._store is not None and self._pid == os.getpid():
            self._store.close()
        self._store = None


def _decode(data: bytes, cls: type[codec.T]) -> codec.T:
    try:
        return codec.decode_as(data, cls)
    except codec.DecodeError as exc:
        raise StoreError(f"a damaged record: {exc}") from exc
