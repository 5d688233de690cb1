"""Full-text search (Pagefind): the quick-jump index of names, and Pagefind's bundle
made deterministic.

Pagefind runs over the finished pages, shard by shard (`searchindex.py`), as a build
stage before the new site is committed; it indexes only `data-pagefind-body` (the
main content of articles, entities and topics, never navigation), with filters for
the page kind and entity type, and the type and date as metadata. The quick-jump
index is a set of small JSON shards, one per first letter, mapping names and aliases
to pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cbor2

from ..model.site import Site
from . import urls

BUNDLE = "pagefind"


class SearchIndexError(Exception):
    pass


SHARD_KEYS = sorted("abcdefghijklmnopqrstuvwxyz0123456789_")


def shard_of(text: str) -> str:
    """The shard a name falls in: its first letter without accents, `_` for the rest."""
    first = unicodedata.normalize("NFKD", text.strip().lower())[:1]
    return first if first.isascii() and first.isalnum() else "_"


def name_shards(site: Site) -> Iterator[tuple[str, str]]:
    """(url, JSON) of each quick-jump shard: entries [label, name, url, kind]."""
    shards: dict[str, list[list[str]]] = {}
    for entity in site.entities.values():
        url = urls.page_url("entity", entity.id)
        for label in entity.all_aliases:
            shards.setdefault(shard_of(label), []).append([label, entity.name, url, entity.type])
    for topic in site.topics.values():
        url = urls.page_url("topic", topic.id)
        shards.setdefault(shard_of(topic.title), []).append(
            [topic.title, topic.title, url, "topic"]
        )
    for key in SHARD_KEYS:  # every one, empty or not: the browser asks for any of them
        entries = sorted(shards.get(key, []), key=lambda e: (e[0].casefold(), e[2]))
        yield urls.names_shard(key), json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


_SIGNATURE = b"pagefind_dcd"


def _read_chunk(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path.name}: not a Pagefind chunk")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write_chunk(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write `value` as a chunk named after its content; returns the name's hash part."""
    data = _SIGNATURE + cbor2.dumps(value)
    digest = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{digest}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return digest


def make_deterministic(bundle: Path) -> None:
    """Pagefind writes filter values in hash-map order, different on every run (its
    issue #638), which breaks our byte-identical output. Sort them, name the chunks
    after their new content, and point the metadata and entry files at them."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text())
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        prefix = language["hash"].split("_")[0] + "_"
        filters = []
        for name, digest in meta[3]:
            chunk_path = bundle / "filter" / f"{digest}.pf_filter"
            key, values = _read_chunk(chunk_path)
            chunk_path.unlink()
            canonical = [key, sorted(values, key=lambda v: v[0])]
            filters.append(
                [name, _write_chunk(bundle / "filter", prefix, ".pf_filter", canonical, 7)]
            )
        meta[3] = sorted(filters)
        meta_path.unlink()
        language["hash"] = _write_chunk(
            bundle, "pagefind." + prefix, ".pf_meta", meta, 10
        ).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def bundle_files(root: Path) -> list[str]:
    """The files of the search bundle under `root` (the site or its staging folder),
    as urls, sorted."""
    urls = []
    for folder, _, files in os.walk(root / BUNDLE):
        prefix = Path(folder).relative_to(root).as_posix()
        urls += [f"{prefix}/{name}" for name in files]
    return sorted(urls)
