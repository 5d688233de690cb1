"""The build, stage by stage: scan -> compile (load, validate, parse, link) -> resolve
-> check -> render -> search -> write.

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
import traceback
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .cluster import open_parallel
from .diagnostics import Diagnostics, Loc
from .executors import Parallel
from .incremental import deps
from .incremental.cache import (
    CACHE_FILE,
    build_lock,
    cache_dir,
    code_version,
    dump_file_stats,
    inputs_digest,
    last_build_key,
    load_file_stats,
)
from .incremental.history import cached_history
from .incremental.memos import LayoutMemo, QuoteMemo
from .incremental.snapshot import IndexSnapshot
from .incremental.sources import Decoded, Sources, StoredTexts, compile_sources, input_rows
from .incremental.store import InputRow, OutputRow, Store, StoreError, open_store
from .model.checks import check_quotes, check_site
from .model.figures import index_figures
from .model.freshness import stale_before
from .model.records import ArticleIndex
from .model.resolve import MentionMemo, resolve
from .model.site import Site
from .options import BuildOptions
from .output.outputs import Outputs, Report, run
from .output.pages import Page, plan_pages
from .output.render import CompiledTemplates, Templates, make_environment, theme_dirs
from .output.search import SearchIndexError, bundle_files
from .output.searchindex import settings_key, update_search
from .output.shards import IndexState, Shard, plan_shards
from .output.sizes import output_sizes, over_limit
from .output.write import Staging
from .progress import Progress
from .source.scan import Inputs, scan, tree_files


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


def build(options: BuildOptions, inputs: Inputs | None = None) -> BuildResult:
    """Build the site (`inputs`: as the no-change check found them, if it ran). A
    damaged cache is thrown away and the build done again: the cache can only ever
    cost time."""
    with collector_paused(), open_parallel(options.executor, options.jobs) as parallel:
        result = build_on(parallel, options, inputs)
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
    parallel: Parallel, options: BuildOptions, inputs: Inputs | None = None
) -> BuildResult:
    """`build`, its parallel stages on `parallel` (whatever `options.executor` says)."""
    try:
        with open_cache(options) as store:
            return Build(options, store, inputs=inputs, parallel=parallel).run()
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
    ) -> None:
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
        self.keys = deps.KeyTable({})  # what outputs read last time
        self.stored_inputs: dict[str, InputRow] = {}
        self.remembered: dict[str, InputRow] = {}  # the input rows as the cache now has them
        self.salt = b""
        self.pages: list[Page] = []
        self.shards: list[Shard] = []  # of the search index
        self.search_state = b""  # what the search index in the output folder was made from
        self.search_files = b""  # its files there, with their times and sizes

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((stage, now - self.started))
        self.started = now

    def run(self) -> BuildResult:
        model = self.model()
        if model.site is not None and self.options.write and not self.failed:
            self.write(model.site, model.sources, model.rows)
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
        rows = input_rows(inputs, self.stored_inputs)
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
        mentions = self.memory.mentions if self.memory is not None else None
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

    def write(self, site: Site, sources: Sources, rows: dict[str, InputRow]) -> None:
        out_dir = self.options.out_dir.absolute()
        same_place = self.store.meta("out_dir") == str(out_dir).encode()
        previous = self.store.outputs() if same_place else {}
        full = not previous or not out_dir.is_dir()
        self.keys = deps.KeyTable(self.store.keys() if not full else {})
        compiled = CompiledTemplates(self.store.memo)
        layouts = site.layout = LayoutMemo(self.store)
        try:
            env = make_environment(self.options.content_dir.parent, site.config.theme, compiled)
            staging = Staging(out_dir)
        except jinja2.TemplateError as exc:
            self.template_error(exc)
            return
        try:
            report = self.render(site, sources, rows, env, staging, previous, full)
            if report is not None and self.commit(staging, report, full):
                self.record_outputs(out_dir, report, full)
                self.measure(out_dir, report)
        finally:
            staging.abort()  # nothing left to remove after a commit
        self.memo_keys |= compiled.used | layouts.used
        with self.store.transaction():
            self.store.put_memo([*compiled.new.items(), *layouts.new])

    def render(
        self,
        site: Site,
        sources: Sources,
        rows: dict[str, InputRow],
        env: jinja2.Environment,
        staging: Staging,
        previous: dict[str, OutputRow],
        full: bool,
    ) -> Report | None:
        templates = Templates(env)
        pages = self.pages = list(plan_pages(site))
        self.shards = plan_shards(pages, site) if self.options.search else []
        plan = [(p.url, p.lastmod.iso if p.lastmod else "") for p in pages if p.indexed]
        fingerprints = deps.Fingerprints(site, sources.fingerprints, templates.fingerprint, plan)
        self.salt = site_salt(site, sources, self.options)
        salt_changed = self.store.meta("salt") != self.salt
        outputs = Outputs(
            site, env, templates, fingerprints, salt_changed, previous, self.keys, staging, full
        )
        digests = {name: row.digest for name, row in rows.items()}
        if self.parallel.executor is not None:  # its workers read the cache, perhaps elsewhere
            self.store.sync()
        try:
            copies = copied_files(site, self.options)
            report = run(outputs, site, pages, copies, digests, self.parallel, self.progress)
        except jinja2.TemplateError as exc:
            self.template_error(exc)
            return None
        self.lap("render")
        return report

    def commit(self, staging: Staging, report: Report, full: bool) -> bool:
        """Make the search index where it is needed, and put the new files in place."""
        written, removed = report.written_urls, report.removed_urls
        if self.options.search:
            saved = IndexState.load(self.store.meta("search"), settings_key())
            files = {} if full else load_file_stats(self.store.meta("search_files"))
            try:
                search = update_search(
                    staging, self.shards, written, saved, files, full, self.options.jobs
                )
            except SearchIndexError as exc:
                message = f"the search index failed (Pagefind): {exc}"
                self.diags.error(Loc(self.options.out_dir), message)
                return False
            self.search_state = search.state.dump()
            self.result.searched = bool(search.indexed)
            self.result.indexed = search.indexed
            written, removed = [*written, *search.written], [*removed, *search.removed]
            self.lap("search")
        else:
            removed = [*removed, *bundle_files(staging.out_dir)]  # search was turned off
        if full:
            staging.commit_full()
        else:
            staging.commit_update(written, removed)
        if self.options.search:
            self.search_files = dump_file_stats(search.files_after(files, staging.out_dir))
        self.lap("write")
        result = self.result
        result.files, result.rendered = report.total, report.rendered
        result.written, result.removed = report.written, report.removed
        return True

    def record_outputs(self, out_dir: Path, report: Report, full: bool) -> None:
        with self.store.transaction():
            self.store.set_meta("out_dir", str(out_dir).encode())
            self.store.set_meta("salt", self.salt)
            self.store.set_meta("search", self.search_state)
            self.store.set_meta("search_files", self.search_files)
            if full:
                self.store.clear_outputs()
            changed = {u: r for u, r in report.rows.items() if full or report.previous.get(u) != r}
            self.store.set_outputs(changed, report.removed_urls)
            self.store.update_keys(report.keys)

    def measure(self, out_dir: Path, report: Report) -> None:
        self.result.sizes = output_sizes(self.pages, report.rows, out_dir)
        warning = over_limit(self.result.sizes)
        if warning:
            self.result.notes.append(warning)

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
            self.store.set_meta(last_build_key(self.options.write), json.dumps(last).encode())
        self.lap("cache")

    def template_error(self, exc: jinja2.TemplateError) -> None:
        self.diags.error(_template_loc(exc, self.options), f"template error: {exc.message}")


def _index_entries(sources: Sources) -> dict[bytes, tuple[ArticleIndex, bytes]]:
    """The index row of every article, and its record's fingerprint, by cache key."""
    keys, fingerprints = sources.keys, sources.fingerprints
    return {keys[a.id]: (a, fingerprints[a.id]) for a in sources.articles}


def site_salt(site: Site, sources: Sources, options: BuildOptions) -> bytes:
    """What every output depends on: Dossier, the site's settings and the options that
    change pages (the base URL, drafts, whether there is a search index)."""
    return deps.digest(
        code_version(),
        sources.fingerprints.get("site", b""),
        site.config.base_url or "",
        str(options.drafts),
        str(site.search_index),
    )


def copied_files(site: Site, options: BuildOptions) -> dict[str, Path]:
    """url -> source file: theme assets (the site's theme over the default), then media."""
    found: dict[str, Path] = {}
    for theme in reversed(theme_dirs(options.content_dir.parent, site.config.theme)):
        found.update({url: path for path, url in tree_files(theme / "static", "static/")})
    media = options.content_dir / "media"
    found.update({url: path for path, url in tree_files(media, "media/")})
    return dict(sorted(found.items()))


def _template_loc(exc: jinja2.TemplateError, options: BuildOptions) -> Loc:
    """Where in which template: from a syntax error, or the innermost template frame of
    the traceback (Jinja maps its frames back to template lines)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Loc(Path(exc.filename), exc.lineno or 1)
    frames = traceback.extract_tb(exc.__traceback__)
    templates = [f for f in frames if f.filename.endswith(".html")]
    if templates:
        return Loc(Path(templates[-1].filename), templates[-1].lineno or 1)
    return Loc(options.content_dir.parent / "themes")
