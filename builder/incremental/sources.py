"""The compiled record of every source file: taken from the cache where the file and
what it depends on are unchanged, compiled where not (in worker processes when there
are many), and stored for the next build.

Records go to the cache as soon as they are compiled, in four parts: the light one
(the validated record), the heavy one (an article's body and blocks), its snippets,
and for an article its index row (`ArticleIndex`), kept in plain columns. A build
reads every index row and every entity and topic, and decodes an article's whole
record only when a page or a check needs it: the model of a site of 10,000 articles
is read in a few hundredths of a second, and memory does not grow with the site.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..executors import Parallel
from ..model.content import Article, Entity, SiteConfig
from ..model.dates import PartialDate, parse_date
from ..model.records import ArticleIndex, Compiled
from ..output.export import export_parts
from ..source.compile import Dialect, compile_file
from ..source.scan import Inputs, SourceFile
from ..workers import parallel_map
from . import codec
from .cache import code_version
from .snapshot import IndexSnapshot
from .store import InputRow, Store, StoreError, digest
from .texts import body_bytes, decode

PARALLEL_FROM = 200  # files; below that, starting workers costs more than it saves
Known = Compiled | ArticleIndex
Decoded = dict[bytes, tuple[Known, bytes]]  # cache key -> (record or index row, fingerprint)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Fresh:
    """A record compiled in this build, with the bytes the cache keeps of it."""

    known: Known  # the index row of an article that compiled, else the light record
    fingerprint: bytes
    light_bytes: bytes
    heavy_bytes: bytes
    snippets_bytes: bytes  # of its mentions of each entity, the first
    article_row: tuple[object, ...] | None  # the index columns and the export


@dataclass
class Sources:
    units: list[Compiled] = field(default_factory=list)  # site, entities, topics, failures
    articles: list[ArticleIndex] = field(default_factory=list)  # articles that compiled
    fingerprints: dict[str, bytes] = field(default_factory=dict)  # id -> compiled bytes
    keys: dict[str, bytes] = field(default_factory=dict)  # id -> cache key
    by_path: dict[str, bytes] = field(default_factory=dict)  # file -> cache key
    compiled: int = 0  # how many were compiled in this build (not from the cache)
    config: SiteConfig | None = None
    dialect: Dialect = field(default_factory=Dialect)


def input_rows(inputs: Inputs, stored: Mapping[str, InputRow], jobs: int) -> dict[str, InputRow]:
    """The stat and hash of every input; a file whose stat is unchanged is not read.
    Many are hashed in `jobs` local processes (a first build, a checkout that touched
    them all: 0.24 s at 10,000 articles in one)."""
    changed = [
        (name, stat)
        for name, stat in inputs.stats.items()
        if (row := stored.get(name)) is None or (row.mtime_ns, row.size) != stat
    ]
    jobs = jobs if len(changed) >= PARALLEL_FROM else 1
    hashed = parallel_map(_file_digest, [name for name, _ in changed], jobs, 256)
    made = {
        name: InputRow(stat.mtime_ns, stat.size, found)
        for (name, stat), found in zip(changed, hashed, strict=True)
    }
    return {name: made[name] if name in made else stored[name] for name in inputs.stats}


def _file_digest(name: str) -> bytes:
    """The hash of a file's bytes; b"" if it cannot be read (loading says why)."""
    try:
        return digest(Path(name).read_bytes())
    except OSError:
        return b""


def compile_sources(
    inputs: Inputs,
    rows: Mapping[str, InputRow],
    store: Store,
    parallel: Parallel,
    progress: Progress,
    memory: Decoded | None = None,
    snapshot: IndexSnapshot | None = None,
) -> Sources:
    """Site, then entities and topics (their Markdown dialect is the site's), then
    articles (linked against the aliases of the entities). With `memory` (as `build
    serve` keeps one), what an earlier build read is not read again; it is left
    holding this build's records. The index rows of articles are read from the
    `snapshot` where it has them."""
    sources = Sources()
    known: Decoded = memory if memory is not None else {}
    by_kind: dict[str, list[SourceFile]] = {"site": [], "article": [], "entity": [], "topic": []}
    for source in inputs.sources:
        by_kind[source.kind].append(source)
    stage = functools.partial(
        _stage,
        sources,
        rows=rows,
        store=store,
        parallel=parallel,
        known=known,
        progress=progress,
        snapshot=snapshot,
    )
    stage(by_kind["site"], Dialect())
    sources.config = next(
        (u.record for u in sources.units if isinstance(u.record, SiteConfig)), None
    )
    allow_html = sources.config.allow_html if sources.config else False
    stage(by_kind["entity"] + by_kind["topic"], Dialect(allow_html))
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
    parallel: Parallel,
    known: Decoded,
    progress: Progress,
    snapshot: IndexSnapshot | None,
) -> None:
    version = code_version()
    keys = [dialect.key(f.kind, f.where, rows[f.where].digest, version) for f in files]
    unknown = [k for k in keys if k not in known]
    if unknown:
        articles = any(f.kind == "article" for f in files)
        known.update(_cached(store, unknown, articles, snapshot))
    missing = [(f, k) for f, k in zip(files, keys, strict=True) if k not in known]
    known.update(_compile(missing, dialect, store, parallel, progress))
    for file, key in zip(files, keys, strict=True):
        found, fingerprint = known[key]
        if isinstance(found, ArticleIndex):
            sources.articles.append(found)
        else:
            sources.units.append(found)
        sources.fingerprints[file.id] = fingerprint
        sources.keys[file.id] = key
        sources.by_path[file.where] = key
    sources.compiled += len(missing)
    progress(len(files) - len(missing))


def _cached(
    store: Store, keys: list[bytes], articles: bool, snapshot: IndexSnapshot | None
) -> Decoded:
    """What the cache holds under `keys`: index rows of articles, else light records."""
    found: Decoded = {}
    if articles:
        found.update(snapshot.rows(keys) if snapshot is not None else {})
        missing = [k for k in keys if k not in found]
        for key, (fingerprint, row) in store.article_rows(missing).items() if missing else ():
            found[key] = (index_from_row(row), fingerprint)
    rest = [k for k in keys if k not in found]
    for key, (fingerprint, light) in store.lights(rest).items() if rest else ():
        found[key] = (decode(light, Compiled), fingerprint)
    return found


def _compile(
    missing: list[tuple[SourceFile, bytes]],
    dialect: Dialect,
    store: Store,
    parallel: Parallel,
    progress: Progress,
) -> Decoded:
    """Compile the files the cache does not have, and store them at once."""
    dialect.prepare()
    results: Decoded = {}
    files = [source for source, _ in missing]
    compiled = parallel.map(_fresh_in, dialect, files, 32, PARALLEL_FROM)
    batch: list[tuple[bytes, Fresh]] = []
    with store.transaction():
        for (_, key), fresh in zip(missing, compiled, strict=True):
            batch.append((key, fresh))
            if len(batch) == 256:
                _store(store, batch)
            results[key] = (fresh.known, fresh.fingerprint)
            progress(1)
        _store(store, batch)
    return results


def _store(store: Store, batch: list[tuple[bytes, Fresh]]) -> None:
    """Put compiled records in the cache, and empty `batch`."""
    store.put_records(
        [(k, f.fingerprint, f.light_bytes, f.heavy_bytes, f.snippets_bytes) for k, f in batch],
        [(k, f.fingerprint, *f.article_row) for k, f in batch if f.article_row],
    )
    batch.clear()


def _fresh_in(dialect: Dialect, source: SourceFile) -> Fresh:
    """Compile one file (in a worker): its record and the bytes the cache keeps."""
    unit = compile_file(source.kind, source.id, source.path, dialect)
    light = dataclasses.replace(unit, snippets=(), body=None)
    light_bytes = codec.encode(light)
    heavy_bytes = body_bytes(unit.body) if unit.body is not None else b""
    snippets = codec.encode_all(unit.snippets)  # one value: 87,652 rows at 10,000 articles
    fingerprint = digest(b"\0".join([light_bytes, heavy_bytes, snippets]))
    if isinstance(unit.record, Article):
        exported = export_parts(unit.record)
        listed = digest(b"\0".join([light_bytes, snippets]))
        index = ArticleIndex.of(unit, digest(exported.encode()))._replace(listed=listed)
        columns = row_from_index(index)
        index = index._replace(mentioned=mention_digest(*columns[6:9]))
        row = (*columns, exported)
        return Fresh(index, fingerprint, light_bytes, heavy_bytes, snippets, row)
    return Fresh(light, fingerprint, light_bytes, heavy_bytes, snippets, None)


# --- index rows in columns ---------------------------------------------------------


def row_from_index(index: ArticleIndex) -> tuple[object, ...]:
    """The columns of an index row: ids joined by spaces (ids have none), wikilink
    targets by newlines (they have none), counts as `id count` pairs, authors as a
    JSON array."""
    return (
        index.id,
        index.title,
        index.date.iso,
        index.updated.iso if index.updated else None,
        int(index.draft),
        " ".join(index.topics),
        " ".join(index.entities),
        " ".join(f"{entity} {count}" for entity, count in index.counts),
        "\n".join(index.links),
        index.dek,
        index.publisher,
        index.exported,
        int(index.flagged),
        index.listed,
        json.dumps(index.authors, ensure_ascii=False),
        index.url,
        index.license,
    )


def index_from_row(row: tuple[Any, ...]) -> ArticleIndex:
    """An index row from its columns (as SQLite gives them: str, int, bytes, None)."""
    article_id, title, date, updated, draft, topics, entities, counts, links, dek, *rest = row
    by, exported, flag, listed, authors, url, license = rest
    pairs = counts.split()
    return ArticleIndex(
        article_id,
        title,
        _date(date),
        _date(updated) if updated is not None else None,
        draft == 1,
        tuple(topics.split()),
        tuple(entities.split()),
        tuple(zip(pairs[0::2], map(int, pairs[1::2]), strict=True)),
        tuple(links.split("\n")) if links else (),
        dek,
        by,
        exported,
        flag == 1,
        listed,
        mention_digest(entities, counts, links),
        tuple(json.loads(authors)),
        url,
        license,
    )


def mention_digest(entities: object, counts: object, links: object) -> bytes:
    """A digest of what an article holds of entities, from its index columns."""
    return digest(f"{entities}\n{counts}\n{links}".encode())


@functools.lru_cache(maxsize=8192)
def _date(iso: str) -> PartialDate:
    """Many articles share a date: parsed once."""
    found = parse_date(iso)
    if isinstance(found, str):
        raise StoreError(f"a damaged date: {iso}")
    return found
