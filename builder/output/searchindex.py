"""The search stage: Pagefind run over each shard that changed, one process per
shard, its bundle put into the staging folder beside the pages.

One process per shard, not Pagefind's Python API: its service answers one message
per 100 ms, so adding 10,000 pages one by one would take 17 minutes, and a shard's
memory is returned to the system when its process ends. Each shard's pages are
hard-linked into a folder of their own, which Pagefind indexes whole.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..incremental.cache import code_version
from .search import BUNDLE, SearchIndexError, make_deterministic
from .shards import IndexState, Shard, page_digest, shard_digest
from .write import Staging

MANIFEST = f"{BUNDLE}/shards.json"  # the bundles the browser merges with the primary one
# Never indexed: section headings, the topics above an article's title and the date
# and publisher under it, the license at its foot, and the titles of the sources and
# topics a claim or relation names (lists that repeat other pages are marked
# `data-pagefind-ignore` in the templates).
EXCLUDED = (
    "h2[id$='-heading']",
    ".kicker",
    ".page-header .meta",
    ".story-footer",
    ".source",
    ".owner",
)
DATA = ("pagefind-entry.json", "index", "fragment", "filter")  # a merged bundle's files
SHARD_JOBS = 2  # Pagefind processes at once: the memory of indexing is this many shards
SCRIPTS = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css")


def settings_key() -> str:
    """What every shard depends on besides its pages: Dossier and Pagefind."""
    from importlib.metadata import version  # here: a build without search never needs it

    return f"{code_version()}\0{version('pagefind')}\0{','.join(EXCLUDED)}"


@dataclass
class SearchUpdate:
    """What the search stage changed: bundle files written to the staging folder and
    bundle files to delete from the site, as urls; the state to remember."""

    state: IndexState
    indexed: list[str] = field(default_factory=list)  # shard names
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def update_search(
    staging: Staging,
    shards: list[Shard],
    written_pages: Iterable[str],
    saved: IndexState,
    full: bool,
    jobs: int,
) -> SearchUpdate:
    """Index the shards whose indexed text changed (every shard for a `full` build)."""
    out_dir = staging.out_dir
    fresh = set(written_pages)
    pages = {}
    for shard in shards:
        for url in shard.urls:
            known = saved.pages.get(url)
            if full or url in fresh or known is None:
                folder = staging.root if url in fresh else out_dir
                known = page_digest((folder / url).read_text(encoding="utf-8"))
            pages[url] = known
    state = IndexState(saved.key, {s.name: shard_digest(s, pages) for s in shards}, pages)
    stale = [
        s
        for s in shards
        if full
        or saved.shards.get(s.name) != state.shards[s.name]
        or not (out_dir / s.folder / "pagefind-entry.json").is_file()
    ]
    update = SearchUpdate(state, indexed=[s.name for s in stale])
    manifest = _manifest(shards)
    if stale or not _same(out_dir / MANIFEST, manifest):
        _index(staging, stale, fresh, jobs)
        staging.write(MANIFEST, manifest)
        update.written = _bundle_urls(staging.root)
        update.removed = _removed(out_dir, shards, stale, set(update.written))
    return update


def _manifest(shards: list[Shard]) -> bytes:
    names = [s.name for s in shards if not s.primary]
    return ("[" + ",".join(f'"{name}"' for name in names) + "]").encode()


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _index(staging: Staging, stale: list[Shard], fresh: set[str], jobs: int) -> None:
    """Run Pagefind over each stale shard (`jobs` at a time) and move its bundle in."""
    out_dir = staging.out_dir
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-search-", dir=out_dir.parent))
    try:
        for shard in stale:
            for url in shard.urls:
                _link(
                    staging.root / url if url in fresh else out_dir / url, work / shard.name / url
                )
        with ThreadPoolExecutor(max(1, min(jobs, SHARD_JOBS))) as pool:
            bundles = list(pool.map(lambda s: _run_pagefind(work / s.name), stale))
        for shard, bundle in zip(stale, bundles, strict=True):
            _keep_needed(bundle, shard.primary)
            _move_into(bundle, staging.root / shard.folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run_pagefind(site: Path) -> Path:
    """Index the pages under `site`; its bundle is made beside them, deterministic."""
    from pagefind.service import get_executable  # here: it imports asyncio

    bundle = site.with_name(site.name + ".bundle")
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("its program was not found (pip install 'pagefind[bin]')")
    command = [str(executable), "--site", str(site)]
    command += ["--output-path", str(bundle), "--silent"]
    command += ["--exclude-selectors", ", ".join(EXCLUDED)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(str(exc)) from exc
    if result.returncode != 0:
        raise SearchIndexError((result.stderr or result.stdout).strip()[-2000:])
    make_deterministic(bundle)
    return bundle


def _keep_needed(bundle: Path, primary: bool) -> None:
    """Only the primary bundle keeps the scripts the browser runs (merged bundles are
    read by the primary one's), and no bundle keeps the interfaces we do not use."""
    for path in bundle.iterdir():
        if path.name in DATA or path.suffix == ".pf_meta":
            continue
        if primary and (path.name in SCRIPTS or path.name.startswith("wasm.")):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _move_into(bundle: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in bundle.iterdir():
        os.replace(path, target / path.name)


def _bundle_urls(root: Path) -> list[str]:
    folder = root / BUNDLE
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())


def _owner(url: str) -> str | None:
    """The shard a bundle file belongs to: a folder name, "" for the primary bundle,
    None for the manifest."""
    parts = url.split("/")
    if url == MANIFEST:
        return None
    if len(parts) > 2 and parts[1] not in DATA:
        return parts[1]
    return ""


def _removed(
    out_dir: Path, shards: list[Shard], stale: list[Shard], written: set[str]
) -> list[str]:
    """Bundle files of the site that belong to a shard indexed again, or to one gone."""
    current = {s.name for s in shards if not s.primary}
    redone = {"" if s.primary else s.name for s in stale}
    removed = []
    for url in _bundle_urls(out_dir):
        owner = _owner(url)
        if url in written or owner is None:
            continue
        if owner in redone or (owner and owner not in current):
            removed.append(url)
    return removed
