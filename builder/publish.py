"""The write stage of a build: render the outputs whose inputs changed, index them
for search, put the new files in place, and record what was written for the next
build (`pipeline.py` runs it once the model is made and checked)."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .diagnostics import Loc
from .executors import Parallel
from .incremental import deps
from .incremental.cache import code_version, dump_file_stats, load_file_stats
from .incremental.memos import LayoutMemo, TemplateReferences, TitlesMemo
from .incremental.sources import Sources
from .incremental.store import InputRow, OutputRow, Store
from .model.site import Site
from .options import BuildOptions
from .output import urls
from .output.outputs import Outputs, Report, run, run_changed
from .output.pages import Page, plan_pages
from .output.render import CompiledTemplates, Templates, make_environment, theme_dirs
from .output.search import SearchIndexError, bundle_files
from .output.searchindex import settings_key, update_search
from .output.shards import IndexState, Shard, plan_shards
from .output.sizes import output_sizes, over_limit
from .output.write import Staging
from .progress import Progress
from .source.scan import tree_files

if TYPE_CHECKING:
    from .pipeline import BuildResult


class Publish:
    """One build's write stage over its cache; what it finds goes into `result`, and
    the memoised results it used into `memo_keys`."""

    def __init__(
        self,
        options: BuildOptions,
        store: Store,
        parallel: Parallel,
        progress: Progress,
        result: BuildResult,
        lap: Callable[[str], None],
    ) -> None:
        self.options = options
        self.store = store
        self.parallel = parallel
        self.progress = progress
        self.result = result
        self.diags = result.diagnostics
        self.lap = lap
        self.memo_keys: set[bytes] = set()
        self.keys = deps.KeyTable({})  # what outputs read last time
        self.salt = b""
        self.pages: list[Page] | None = None  # planned when needed (`planned`)
        self.structure = b""  # of the site, as `Fingerprints.structure` gives it
        self.references = TemplateReferences(store)  # which templates each one names
        self.titles = TitlesMemo(store)  # the titles that tell pages apart
        self.shards: list[Shard] = []  # of the search index
        self.search_state = b""  # what the search index in the output folder was made from
        self.search_files = b""  # its files there, with their times and sizes

    def write(
        self,
        site: Site,
        sources: Sources,
        rows: dict[str, InputRow],
        outputs_as_left: Callable[[Store], bool] | None = None,
    ) -> None:
        """Render, index and put in place what changed, in a staging folder beside the
        output folder: a template error or a failed index leaves the site as it was.
        `outputs_as_left`: what the no-change check found of the outputs, if it ran."""
        out_dir = self.options.out_dir.absolute()
        same_place = self.store.meta("out_dir") == str(out_dir).encode()
        previous = self.store.outputs() if same_place else {}
        full = not previous or not out_dir.is_dir()
        as_left = not full and outputs_as_left is not None and outputs_as_left(self.store)
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
            report = self.render(site, sources, rows, env, staging, previous, full, as_left)
            if report is not None and self.commit(staging, report, full):
                self.record_outputs(out_dir, report, full)
                self.measure(out_dir, report)
        finally:
            staging.abort()  # nothing left to remove after a commit
        memos = (layouts, self.references, self.titles)
        self.memo_keys |= compiled.used.union(*(memo.used for memo in memos))
        with self.store.transaction():
            self.store.put_memo([*compiled.new.items(), *(row for m in memos for row in m.new)])

    def render(
        self,
        site: Site,
        sources: Sources,
        rows: dict[str, InputRow],
        env: jinja2.Environment,
        staging: Staging,
        previous: dict[str, OutputRow],
        full: bool,
        as_left: bool,
    ) -> Report | None:
        """`as_left`: the no-change check found every output as the last build left it."""
        templates = Templates(env, remembered=self.references)
        fingerprints = deps.Fingerprints(
            site, sources.fingerprints, templates.fingerprint, lambda: self.sitemap(site)
        )
        self.salt = site_salt(site, sources, self.options)
        salt_changed = self.store.meta("salt") != self.salt
        copies = copied_files(site, self.options)
        self.structure = fingerprints.structure(self.salt, copies.items())
        same = not full and self.store.meta("structure") == self.structure
        outputs = Outputs(
            site,
            env,
            templates,
            fingerprints,
            salt_changed,
            previous,
            self.keys,
            staging,
            full,
            same_structure=same,
            as_left=as_left,
        )
        digests = {name: row.digest for name, row in rows.items()}
        if self.parallel.executor is not None:  # its workers read the cache, perhaps elsewhere
            self.store.sync()
        parallel, progress = self.parallel, self.progress
        try:
            report = None
            if same:
                titles = functools.partial(self.titles, self.structure, site)
                report = run_changed(outputs, site, copies, digests, parallel, progress, titles)
            if report is None:
                report = run(outputs, site, self.planned(site), copies, digests, parallel, progress)
        except jinja2.TemplateError as exc:
            self.template_error(exc)
            return None
        self.shards = plan_shards(self.planned(site), site) if self.options.search else []
        self.lap("render")
        return report

    def planned(self, site: Site) -> list[Page]:
        """Every page of the site, planned when first asked for: a build after an edit
        to an article's prose renders that article's page without it."""
        if self.pages is None:
            self.pages = list(plan_pages(site))
        return self.pages

    def sitemap(self, site: Site) -> list[tuple[str, str]]:
        """(url, date of last change) of every page in the sitemap."""
        pages = self.planned(site)
        return [(p.url, p.lastmod.iso if p.lastmod else "") for p in pages if p.indexed]

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
            self.store.set_meta("structure", self.structure)
            self.store.set_meta("search", self.search_state)
            self.store.set_meta("search_files", self.search_files)
            if full:
                self.store.clear_outputs()
            changed = {u: r for u, r in report.rows.items() if full or report.previous.get(u) != r}
            self.store.set_outputs(changed, report.removed_urls)
            self.store.update_keys(report.keys)

    def measure(self, out_dir: Path, report: Report) -> None:
        self.result.sizes = output_sizes(report.rows, out_dir)
        warning = over_limit(self.result.sizes)
        if warning:
            self.result.notes.append(warning)

    def template_error(self, exc: jinja2.TemplateError) -> None:
        self.diags.error(_template_loc(exc, self.options), f"template error: {exc.message}")


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
        found.update({url: path for path, url in tree_files(theme / "static", urls.STATIC)})
    media = options.content_dir / "media"
    found.update({url: path for path, url in tree_files(media, urls.MEDIA)})
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
