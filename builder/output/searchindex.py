"""The search stage: Pagefind run over each shard that changed, one process per
shard, its bundle put into the staging folder beside the pages.

One process per shard, not Pagefind's Python API: its service parses the pages it
is sent one at a time (and its Python client answers one message per 100 ms), and a
shard's memory is returned to the system when its process ends. Each process is
sized to its share of the cores (`pagefind_environment`). Pagefind reads a
copy of each page cut to what it indexes (`indexed_document`), written to a scratch
folder in memory where there is one (/dev/shm): on this project's benchmark machine,
creating 20,000 folders and files on disk takes 15 s, in memory 2 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..incremental.cache import code_version, touched
from .search import BUNDLE, SearchIndexError, bundle_files, make_deterministic
from .shards import IndexState, Shard, document_digest, indexed_document, shard_digest
from .write import Staging, make_folder

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
SCRATCH = "dossier-search"  # the scratch folders' names: dossier-search-<pid>-<random>
SCRATCH_ROOM = 512 * 2**20  # free space /dev/shm needs for them to go there
FileStat = tuple[int, int]  # a file's mtime_ns and size
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

    def files_after(self, saved: dict[str, FileStat], out_dir: Path) -> dict[str, FileStat]:
        """The bundle files in the output folder once this update is in place, with the
        size and time each has there."""
        removed = set(self.removed)
        files = {url: stat for url, stat in saved.items() if url not in removed}
        for url in self.written:
            info = os.stat(out_dir / url)
            files[url] = (info.st_mtime_ns, info.st_size)
        return files


def update_search(
    staging: Staging,
    shards: list[Shard],
    written_pages: Iterable[str],
    saved: IndexState,
    saved_files: dict[str, FileStat],
    full: bool,
    jobs: int,
) -> SearchUpdate:
    """Index the shards whose indexed text changed (every shard for a `full` build), or
    whose bundle in the output folder is not as the last build left it (`saved_files`)."""
    out_dir = staging.out_dir
    pages = PageReader(staging, set(written_pages))
    digests = {} if full else _digests(shards, pages, saved)
    damaged = _damaged(out_dir, saved_files)
    stale = [
        s
        for s in shards
        if full
        or saved.shards.get(s.name) != shard_digest(s, digests)
        or f"{s.folder}/pagefind-entry.json" not in saved_files
        or ("" if s.primary else s.name) in damaged
    ]
    update = SearchUpdate(IndexState(saved.key), indexed=[s.name for s in stale])
    manifest = _manifest(shards)
    if stale or not _same(out_dir / MANIFEST, manifest):
        _index(staging, stale, pages, digests, jobs)
        staging.write(MANIFEST, manifest)
        update.written = bundle_files(staging.root)
        update.removed = _removed(out_dir, shards, stale, set(update.written))
    shard_digests = {s.name: shard_digest(s, digests) for s in shards}
    update.state = IndexState(saved.key, shard_digests, digests)
    return update


@dataclass
class PageReader:
    """The pages of this build as Pagefind is to read them: a page written by this
    build from the staging folder, any other from the site."""

    staging: Staging
    fresh: set[str]

    def document(self, url: str) -> str:
        folder = self.staging.root if url in self.fresh else self.staging.out_dir
        with open(os.path.join(folder, url), encoding="utf-8") as page:
            return indexed_document(page.read())


def _digests(shards: list[Shard], pages: PageReader, saved: IndexState) -> dict[str, str]:
    """The digest of each page's indexed document: remembered, or read again when the
    page was written by this build or is new to the index."""
    digests = {}
    for shard in shards:
        for url in shard.urls:
            known = None if url in pages.fresh else saved.pages.get(url)
            digests[url] = known or document_digest(pages.document(url))
    return digests


def _damaged(out_dir: Path, files: dict[str, FileStat]) -> set[str | None]:
    """The shards (as `_owner` names them) with a bundle file missing or changed."""
    return {_owner(url) for url in touched(out_dir, ((u, *stat) for u, stat in files.items()))}


def _manifest(shards: list[Shard]) -> bytes:
    names = [s.name for s in shards if not s.primary]
    return ("[" + ",".join(f'"{name}"' for name in names) + "]").encode()


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _index(
    staging: Staging, stale: list[Shard], pages: PageReader, digests: dict[str, str], jobs: int
) -> None:
    """Run Pagefind over each stale shard (`jobs` at a time) and move its bundle in;
    the digests of the pages it read go into `digests`."""
    out_dir = staging.out_dir
    bundles = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-search-", dir=out_dir.parent))
    scratch = _scratch_folder()

    def index(shard: Shard) -> Path:
        site = scratch / shard.name
        folders: set[str] = set()
        try:
            with copying:
                for url in shard.urls:
                    document = pages.document(url)
                    digests[url] = document_digest(document)
                    _write(site, url, document, folders)
        except OSError as exc:
            shutil.rmtree(site, ignore_errors=True)
            raise SearchIndexError(f"cannot copy the pages it reads into {site}: {exc}") from exc
        try:
            return _run_pagefind(site, bundles / shard.name, environment)
        finally:
            shutil.rmtree(site, ignore_errors=True)

    at_once = max(1, min(jobs, SHARD_JOBS, len(stale)))
    environment = pagefind_environment(max(1, jobs // at_once))
    copying = threading.Lock()  # one thread at a time: two would fight for the GIL
    try:
        with ThreadPoolExecutor(at_once) as pool:
            made = list(pool.map(index, stale))
        for shard, bundle in zip(stale, made, strict=True):
            _keep_needed(bundle, shard.primary)
            _move_into(bundle, staging.root / shard.folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(bundles, ignore_errors=True)


def _scratch_folder() -> Path:
    """A new folder for the documents Pagefind reads. Folders left by a build that was
    killed are removed first."""
    root = _scratch_root()
    for leftover in root.glob(f"{SCRATCH}-*-*"):
        pid = leftover.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH}-{os.getpid()}-", dir=root))


def _scratch_root() -> Path:
    """The shared-memory folder if there is one with room to spare (Docker gives it
    64 MB; two shards of long articles take about 50), else the temporary folder."""
    memory = "/dev/shm"
    try:
        room = os.statvfs(memory)
        if os.access(memory, os.W_OK) and room.f_bavail * room.f_frsize >= SCRATCH_ROOM:
            return Path(memory)
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's
    return True


def _write(site: Path, url: str, text: str, folders: set[str]) -> None:
    """Write the copy of `url` under `site`; `folders`: those made there so far."""
    make_folder(site, os.path.dirname(url), folders)
    with open(os.path.join(site, url), "w", encoding="utf-8") as copy:
        copy.write(text)


def pagefind_environment(threads: int) -> dict[str, str]:
    """The environment of a Pagefind process that has `threads` cores to itself.

    Pagefind sizes its thread pools (Rayon's, Tokio's) to every core of the machine: two
    processes at once on two cores then spin and wait on each other. And its allocator,
    jemalloc, hands freed memory back to the system as it goes, to fault it in again:
    a process lives for one shard, so it keeps its memory, in huge pages where the
    system allows them. On the project's synthetic site (20,000 pages, 2 cores) the
    search stage took 20.2 s instead of 22.0 s (medians of 11 and 9 runs, taking
    turns), with less system time and 15% less memory (docs/search.md). The bundle is
    the same byte for byte. A setting already in the environment is kept."""
    environment = dict(os.environ)
    environment.setdefault("RAYON_NUM_THREADS", str(threads))
    environment.setdefault("TOKIO_WORKER_THREADS", str(threads))
    memory = f"thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:{threads}"
    environment.setdefault("_RJEM_MALLOC_CONF", memory)  # the prefix of Rust's jemalloc
    return environment


def _run_pagefind(site: Path, bundle: Path, environment: dict[str, str]) -> Path:
    """Index the pages under `site` into `bundle`, deterministic."""
    from pagefind.service import get_executable  # here: it imports asyncio

    executable = get_executable()
    if executable is None:
        raise SearchIndexError("its program was not found (pip install 'pagefind[bin]')")
    command = [str(executable), "--site", str(site)]
    command += ["--output-path", str(bundle), "--silent"]
    command += ["--exclude-selectors", ", ".join(EXCLUDED)]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=3600, env=environment
        )
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
    for url in bundle_files(out_dir):
        owner = _owner(url)
        if url in written or owner is None:
            continue
        if owner in redone or (owner and owner not in current):
            removed.append(url)
    return removed
