"""The build, stage by stage: scan -> compile (load, validate, parse, link) -> resolve
-> check, then the write stage (`publish.py`): render -> search -> write.

Every stage after the scan works on what changed: compiled records come from the
cache where their inputs are unchanged (`sources.py`), and outputs are rendered and
written only when what they read changed (`outputs.py`). A build without the cache
(`cache=False`) uses a throwaway one, so that there is one path through the code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .cluster import open_parallel
from .diagnostics import Diagnostics
from .executors import Parallel
from .incremental.cache import (
    CACHE_FILE,
    build_lock,
    cache_dir,
    inputs_digest,
    last_build_key,
)
from .incremental.history import cached_history
from .incremental.memos import QuoteMemo, save_mentions, stored_mentions
from .incremental.snapshot import IndexSnapshot
from .incremental.sources import Decoded, Sources, compile_sources, input_rows
from .incremental.store import InputRow, Store, StoreError, open_store
from .incremental.texts import StoredTexts
from .model.checks import check_quotes, check_site
from .model.figures import index_figures
from .model.freshness import stale_before
from .model.records import ArticleIndex
from .model.resolve import MentionMemo, resolve
from .model.site import Site
from .options import BuildOptions
from .progress import Progress
from .publish import Publish
from .source.compile import compile_file
from .source.scan import Inputs, scan


@dataclass
class BuildResult:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    site: Site | None = None
    files: int = 0  # files in the output folder (search bundle aside)
    compiled: int = 0  # source files compiled, not taken from the cache
    rendered: int = 0
    written: int = 0
    removed: int = 0
    searched: bool = False  # whether any shard of the search index was made again
    indexed: list[str] = field(default_factory=list)  # the shards made again
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of the site by kind
    timings: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said on stderr, not diagnostics
    executor: str = ""  # what the tasks sent to a cluster cost, for --profile
    inputs: dict[str, InputRow] = field(default_factory=dict)  # as the cache now has them

    def failed(self, strict: bool) -> bool:
        diags = self.diagnostics
        return bool(diags.errors or (strict and diags.warnings))


def build(
    options: BuildOptions,
    inputs: Inputs | None = None,
    outputs_as_left: Callable[[Store], bool] | None = None,
) -> BuildResult:
    """Build the site (`inputs` and `outputs_as_left`: as the no-change check found
    them, if it ran). A damaged cache is thrown away and the build done again: the
    cache can only ever cost time."""
    with collector_paused(), open_parallel(options.executor, options.jobs) as parallel:
        result = build_on(parallel, options, inputs, outputs_as_left)
        result.executor = parallel.summary()
    return result


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a build runs (and in the workers it forks).

    Nearly all a build allocates lives until it ends (the model, the plan, the rows of
    the cache), and the collector walked it all again each time it grew by a quarter:
    0.3 to 0.6 s of a 2.5 s rebuild after an edit at 10,000 articles. Its memory is
    the same without (a cold build's peak 171 MiB against 169: it makes next to no
    cyclic garbage). `build serve`, which runs for hours, keeps the collector on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_on(
    parallel: Parallel,
    options: BuildOptions,
    inputs: Inputs | None = None,
    outputs_as_left: Callable[[Store], bool] | None = None,
) -> BuildResult:
    """`build`, its parallel stages on `parallel` (whatever `options.executor` says)."""
    try:
        with open_cache(options) as store:
            return Build(
                options, store, inputs=inputs, parallel=parallel, outputs_as_left=outputs_as_left
            ).run()
    except StoreError as exc:
        note = f"note: the build cache was damaged ({exc}); it was made anew"
    with contextlib.suppress(OSError):
        os.remove(cache_dir(options.content_dir) / CACHE_FILE)
    try:
        with open_cache(options) as store:
            result = Build(options, store, parallel=parallel).run()
    except StoreError:
        with open_cache(dataclasses.replace(options, cache=False)) as store:
            result = Build(options, store, parallel=parallel).run()
    result.notes.append(note)
    return result


@dataclass
class Memory:
    """What `build serve` keeps between rebuilds: the records decoded from the cache,
    and the mention indexes of the last site resolved."""

    decoded: Decoded = field(default_factory=dict)
    mentions: MentionMemo = field(default_factory=MentionMemo)


def build_model(
    options: BuildOptions,
    memory: Memory | None = None,
    inputs: Inputs | None = None,
    stored: dict[str, InputRow] | None = None,
    show: Callable[[Model, BuildResult], Collection[bytes]] | None = None,
) -> tuple[Model, BuildResult]:
    """Scan, compile, resolve and check, without writing the site: for `build serve`
    and for `build suggest`. Records go to the site's cache.

    `build serve` gives its `memory`, the `inputs` it knows of, the input rows it
    stored last time, and `show`: it serves the model (or, when it has errors, keeps
    serving the last good one) before the cache forgets the records this build
    replaced, and returns the records of the site it serves, which the cache keeps."""
    with open_cache(options, create=options.cache) as store:
        run = Build(options, store, memory, inputs, stored)
        model = run.model()
        run.remember(model, show(model, run.result) if show is not None else ())
    run.result.inputs = run.remembered
    return model, run.result


@contextlib.contextmanager
def open_cache(options: BuildOptions, create: bool | None = None) -> Iterator[Store]:
    """The site's cache, locked for this build, or a throwaway one. By default a
    build that writes the site creates the cache, `build check` only uses one that a
    build made: it creates nothing."""
    folder = cache_dir(options.content_dir)
    create = options.write if create is None else create
    use = options.cache and (create or (folder / CACHE_FILE).is_file())
    with contextlib.ExitStack() as stack:
        if create or use:
            stack.enter_context(build_lock(folder))
        path = folder / CACHE_FILE
        if not use:
            temporary = stack.enter_context(tempfile.TemporaryDirectory(prefix="dossier-"))
            path = Path(temporary) / CACHE_FILE
        store = open_store(path)
        stack.callback(store.close)
        yield store


@dataclass
class Model:
    """The site as this build sees it, and what it was made from."""

    inputs: Inputs
    rows: dict[str, InputRow]
    sources: Sources
    site: Site | None


class Build:
    """One run of the pipeline over one cache. `memory`: what `build serve` keeps
    between runs."""

    def __init__(
        self,
        options: BuildOptions,
        store: Store,
        memory: Memory | None = None,
        inputs: Inputs | None = None,
        stored: dict[str, InputRow] | None = None,
        parallel: Parallel | None = None,
        outputs_as_left: Callable[[Store], bool] | None = None,
    ) -> None:
        """`outputs_as_left`: what the no-change check found of the outputs, if it ran."""
        self.options = options
        self.parallel = parallel or Parallel(options.jobs)
        self.inputs = inputs
        self.stored = stored
        self.store = store
        self.memory = memory
        # `build serve` has decoded the rows of all but the edited articles: the blob,
        # read whole, would cost more than the table's few rows
        self.snapshot = IndexSnapshot(store) if memory is None else None
        self.result = BuildResult()
        self.diags = self.result.diagnostics
        self.progress = Progress(options.progress)
        self.started = time.perf_counter()
        self.memo_keys: set[bytes] = set()  # memoised results this build used
        self.stored_inputs: dict[str, InputRow] = {}
        self.remembered: dict[str, InputRow] = {}  # the input rows as the cache now has them
        self.mentions: MentionMemo | None = None  # read from the cache, when not in `memory`
        self.outputs_as_left = outputs_as_left

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((stage, now - self.started))
        self.started = now

    def run(self) -> BuildResult:
        model = self.model()
        if model.site is not None and self.options.write and not self.failed:
            publish = Publish(
                self.options, self.store, self.parallel, self.progress, self.result, self.lap
            )
            publish.write(model.site, model.sources, model.rows, self.outputs_as_left)
            self.memo_keys |= publish.memo_keys
        self.progress.done()
        self.remember(model)
        return self.result

    @property
    def failed(self) -> bool:
        return self.result.failed(self.options.strict)

    def model(self) -> Model:
        """Scan, compile, resolve and check."""
        options = self.options
        inputs = self.inputs or scan(options.content_dir, options.content_dir.parent)
        self.diags.items.extend(inputs.diagnostics)
        self.stored_inputs = self.stored if self.stored is not None else self.store.inputs()
        rows = input_rows(inputs, self.stored_inputs, options.jobs)
        self.lap("scan")
        self.progress.stage("compiling", len(inputs.sources))
        decoded = self.memory.decoded if self.memory is not None else None
        sources = compile_sources(
            inputs, rows, self.store, self.parallel, self.progress.advance, decoded, self.snapshot
        )
        self.result.compiled = sources.compiled
        texts = StoredTexts(self.store.path, sources.keys)
        for unit in sources.units:
            self.diags.items.extend(unit.diagnostics)
        for row in sources.articles:
            if row.flagged:
                self.diags.items.extend(texts.record(row.id).diagnostics)
        for source in inputs.set_aside:  # out of the site: only what is wrong inside it
            unit = compile_file(source.kind, source.id, source.path, sources.dialect)
            self.diags.items.extend(unit.diagnostics)
        self.lap("compile")
        site = self.resolve(sources, inputs, texts) if sources.config else None
        self.result.site = site
        return Model(inputs, rows, sources, site)

    def resolve(self, sources: Sources, inputs: Inputs, texts: StoredTexts) -> Site:
        config = sources.config
        assert config is not None
        if self.options.base_url:
            base_url = self.options.base_url.rstrip("/") + "/"
            config = dataclasses.replace(config, base_url=base_url)
        if self.memory is not None:
            mentions = self.memory.mentions
        else:
            mentions = self.mentions = stored_mentions(self.store)
        drafts = self.options.drafts
        site = resolve(config, sources.units, sources.articles, texts, drafts, mentions)
        site.search_index = self.options.search and self.options.write
        index_figures(site, sources.dialect.matcher.find)
        self.add_history(site)
        self.lap("resolve")
        check_site(site, inputs, self.diags)
        quotes = QuoteMemo(self.store, sources, site)
        check_quotes(site, quotes.find, inputs, self.diags)
        quotes.save()
        self.memo_keys |= quotes.used
        self.lap("check")
        return site

    def add_history(self, site: Site) -> None:
        """The reference date of `stale_after`, and the facts' history from git."""
        options = self.options
        site.stale_before = stale_before(site.config, options.reference_date)
        site.history, key = cached_history(self.store, options.content_dir, options.history)
        self.memo_keys |= {key} if key else set()

    def remember(self, model: Model, keep: Collection[bytes] = ()) -> None:
        """What the next build can reuse, and what this one said (said again by a
        build that finds nothing changed). The records under `keep` stay too."""
        last = {
            "options": self.options.fingerprint(),
            "inputs": inputs_digest(model.inputs.stats),
            "out_dir": str(self.options.out_dir.absolute()),
            "files": self.result.files,
            "diagnostics": [
                [d.severity, str(d.loc.path), d.loc.line, d.loc.col, d.message]
                for d in self.result.diagnostics.sorted()
            ],
        }
        by_path = model.sources.by_path
        rows = {
            path: row
            if row.record == by_path.get(path, b"")
            else row._replace(record=by_path.get(path, b""))
            for path, row in model.rows.items()
        }
        replaced = {r.record for p, r in self.stored_inputs.items() if rows.get(p) != r}
        replaced -= {*model.sources.by_path.values(), *keep}
        self.remembered = rows
        with self.store.transaction():
            self.store.update_inputs(self.stored_inputs, rows)
            self.store.forget_records(replaced - {b""})
            self.store.keep_records([*model.sources.keys.values(), *keep])
            self.store.keep_memo(self.memo_keys)
            if self.snapshot is not None:
                self.snapshot.save(_index_entries(model.sources))
            if self.mentions is not None:
                save_mentions(self.store, self.mentions)
            self.store.set_meta(last_build_key(self.options.write), json.dumps(last).encode())
        self.lap("cache")


def _index_entries(sources: Sources) -> dict[bytes, tuple[ArticleIndex, bytes]]:
    """The index row of every article, and its record's fingerprint, by cache key."""
    keys, fingerprints = sources.keys, sources.fingerprints
    return {keys[a.id]: (a, fingerprints[a.id]) for a in sources.articles}
