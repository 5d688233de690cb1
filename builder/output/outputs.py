"""The output stage: every file of the site, rendered and written only when what it
was made from changed, then committed to the output folder at once.

Each output remembers (in the cache) the hash of its bytes and the fingerprint of
everything it read (`deps.py`). A page whose fingerprint is unchanged is not
rendered; a page rendered to the same bytes as before is not written; a file that
was edited or deleted by hand in the output folder is written again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import os
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..executors import Parallel
from ..incremental import deps
from ..incremental.memos import LayoutMemo, LayoutsMade
from ..incremental.store import OutputRow
from ..model.site import Site
from ..progress import Progress
from ..workers import aside
from . import urls
from .generated import Generated, generated_files
from .pages import Page, record_page
from .render import Templates, environment, render_page
from .write import Staging, check_urls

PARALLEL_FROM = 200  # pages to render; below that, starting workers costs more
NO_KEYS: array[int] = array("I")


@dataclass(frozen=True)
class Made:
    """What became of one output in this build: its row for the cache, and for an
    output rendered in this build (in any process) the keys it read."""

    url: str
    row: OutputRow
    rendered: bool
    written: bool
    reads: tuple[str, ...] = ()
    data: bytes | None = None  # rendered by a worker that cannot see the staging folder


@dataclass
class Report:
    rendered: int = 0
    written: int = 0
    removed: int = 0
    total: int = 0
    rows: dict[str, OutputRow] = field(default_factory=dict)
    keys: list[tuple[int, str, bytes]] = field(default_factory=list)  # new or changed
    previous: dict[str, OutputRow] = field(default_factory=dict)  # the last build's rows
    written_urls: list[str] = field(default_factory=list)
    removed_urls: list[str] = field(default_factory=list)


class Outputs:
    """One build's outputs against the previous build's (`previous`, empty for a
    first build or after `--no-cache`)."""

    def __init__(
        self,
        site: Site,
        env: jinja2.Environment,
        templates: Templates,
        fingerprints: deps.Fingerprints,
        salt_changed: bool,
        previous: dict[str, OutputRow],
        keys: deps.KeyTable,
        staging: Staging,
        full: bool,
        same_structure: bool = False,
        as_left: bool = False,
    ) -> None:
        """`previous`: the outputs of the last build, `keys`: the keys they read (both
        empty for a first build, or after `--no-cache`). `same_structure`: the site's
        structure is the last build's (`Fingerprints.structure`), so only the keys that
        read bodies can have changed. `as_left`: every output is as it was written
        (the no-change check looked), so none is statted again."""
        self.site = site
        self.env = env
        self.templates = templates
        self.fps = fingerprints
        self.salt_changed = salt_changed  # settings or options that change every page
        self.previous = previous
        self.keys = keys
        self.changed = keys.changed(fingerprints, bodies_only=same_structure)
        read: set[int] = set().union(*(row.reads for row in previous.values()))
        self.changed |= read - set(keys.ids.values())  # not known to be unchanged: changed
        self.staging = staging
        self.full = full  # every output is written: the staging folder becomes the site
        self.out_prefix = str(staging.out_dir) + os.sep
        self.force: set[str] = set()  # changed by hand in the output folder: write again
        self.as_left = as_left
        self.sees_staging = True  # False on a cluster's worker without a shared --out

    def __getstate__(self) -> dict[str, object]:
        """What a cluster's worker needs to render pages: not the dependency keys, and
        the theme as its loader (the worker compiles the templates once)."""
        state = dict(self.__dict__)
        for name in ("templates", "fps", "keys", "changed"):
            del state[name]
        state["env"] = self.env.loader
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.env = environment(state["env"])
        self.templates = Templates(self.env)
        self.sees_staging = self.staging.root.is_dir()  # --out on storage it shares

    def up_to_date(self, url: str, plan: bytes | None) -> bool:
        """Whether `url` can stay as it is: it exists as written, and nothing it read
        last time has changed (`plan` None: its plan is known to be the same)."""
        row = self.previous.get(url)
        if self.full or row is None:
            return False
        if not self.as_left and not self.as_written(url, row):
            self.force.add(url)
            return False
        same_plan = plan is None or row.plan == plan
        return not self.salt_changed and same_plan and self.changed.isdisjoint(row.reads)

    def as_written(self, url: str, row: OutputRow) -> bool:
        try:
            info = os.stat(self.out_prefix + url)
        except OSError:
            return False
        return (info.st_mtime_ns, info.st_size) == (row.mtime_ns, row.size)

    def keep(self, url: str) -> Made:
        return Made(url, self.previous[url], rendered=False, written=False)

    def put(self, url: str, data: bytes, plan: bytes, read: Iterable[str]) -> Made:
        """Write `data` unless the same bytes are already there. (Key numbers are given
        by the parent process, in `run`: a worker only lists the keys.)"""
        reads = tuple(sorted(set(read)))
        digest = deps.digest(data)
        row = self.previous.get(url)
        if not self.full and url not in self.force and row is not None and row.digest == digest:
            kept = OutputRow(digest, row.mtime_ns, row.size, plan, NO_KEYS)
            return Made(url, kept, rendered=True, written=False, reads=reads)
        if not self.sees_staging:  # the build's own process writes it (`landed`)
            unwritten = OutputRow(digest, 0, 0, plan, NO_KEYS)
            return Made(url, unwritten, rendered=True, written=True, reads=reads, data=data)
        info = self.staging.write(url, data)
        written = OutputRow(digest, info.st_mtime_ns, info.st_size, plan, NO_KEYS)
        return Made(url, written, rendered=True, written=True, reads=reads)

    def landed(self, made: Made) -> Made:
        """`made`, written to the staging folder if a worker sent its bytes back."""
        if made.data is None:
            return made
        info = self.staging.write(made.url, made.data)
        row = made.row._replace(mtime_ns=info.st_mtime_ns, size=info.st_size)
        return dataclasses.replace(made, row=row, data=None)

    # --- pages -------------------------------------------------------------------------

    def page(self, page: Page, plan: bytes) -> Made:
        text, reads = render_page(self.site, self.env, self.templates, page)
        return self.put(page.url, text.encode(), plan, reads)

    def made(
        self, pages: list[Page], generated: list[Generated], parallel: Parallel
    ) -> Generator[Made, None, None]:
        """Every page, in order but for the site graph's, which comes last; then every
        generated file. The pages are rendered on the workers (`parallel`) but for the
        graph's, which is drawn with the generated files in a process of its own beside
        them (`aside`): its force layout and the site's data file took 0.8 s of a cold
        build at 10,000 articles, with one core idle."""
        plans = {page.url: plan_digest(page) for page in pages}
        stale = [page for page in pages if not self.up_to_date(page.url, plans[page.url])]
        fresh = {page.url for page in stale}
        graph = next((page for page in stale if page.url == urls.GRAPH), None)
        rest = [(page, plans[page.url]) for page in stale if page is not graph]
        self.compile_templates({page.template for page in stale})
        worth_it = graph is not None or len(rest) >= PARALLEL_FROM
        forks = worth_it and (parallel.jobs > 1 or parallel.executor is not None)
        with aside(functools.partial(self.made_aside, graph, plans, generated), forks) as took:
            # one at a time as the workers send them, in the order of `pages`: holding
            # them all until the last came (with the keys each read, as text) took 30 MiB
            # at 10,000 articles
            rendered = parallel.map(_render, self, rest, 16, PARALLEL_FROM)
            try:
                for page in pages:
                    if page is not graph:
                        fresh_page = page.url in fresh
                        yield self.landed(next(rendered)) if fresh_page else self.keep(page.url)
            finally:
                rendered.close()
            graph_made, layouts, files = took()
        if isinstance(self.site.layout, LayoutMemo):
            self.site.layout.take_over(layouts)
        for made in [graph_made, *files] if graph_made else files:
            yield self.landed(made)

    def made_aside(
        self, graph: Page | None, plans: dict[str, bytes], generated: list[Generated]
    ) -> tuple[Made | None, LayoutsMade, list[Made]]:
        """The site graph's page (if it is to be made), what the layout memo made for
        it, and the generated files. In a forked process, the memo is a copy that the
        cache would never see: the build's own process takes over what it made."""
        graph_made = self.page(graph, plans[graph.url]) if graph is not None else None
        files = list(self.generated(generated))
        memo = self.site.layout
        return graph_made, memo.hand_over() if isinstance(memo, LayoutMemo) else ([], set()), files

    def compile_templates(self, names: Iterable[str]) -> None:
        """Compile these templates and all they use here, before any worker forks: the
        workers inherit them compiled, and the compiled code goes to the build cache,
        which only this process fills (a template first compiled in a worker was
        compiled again by every later build). Each is loaded before its references are
        read, so that a syntax error is reported with its file."""
        todo, seen = sorted(names), set()
        while todo:
            name = todo.pop()
            if name in seen or name == "*":
                continue
            seen.add(name)
            try:
                self.env.get_template(name)
            except jinja2.TemplateNotFound:  # rendering will say so, where it is used
                continue
            todo += self.templates.references(name)

    # --- generated files and copies ------------------------------------------------

    def generated(self, files: Iterable[Generated]) -> Iterator[Made]:
        for file in files:
            plan = deps.digest(file.url)
            if self.up_to_date(file.url, plan):
                yield self.keep(file.url)
                continue
            text = file.make()
            if text is not None:
                yield self.put(file.url, text.encode(), plan, file.reads)

    def copies(self, copies: dict[str, Path], digests: dict[str, bytes]) -> Iterator[Made]:
        """Theme assets and media: copied when their source changed."""
        for url, source in copies.items():
            digest = digests.get(str(source), b"")
            plan = deps.digest(url, str(source), digest)
            if self.up_to_date(url, plan):
                yield self.keep(url)
                continue
            info = self.staging.copy(source, url)
            row = OutputRow(digest, info.st_mtime_ns, info.st_size, plan, NO_KEYS)
            yield Made(url, row, rendered=False, written=True)


def _render(outputs: Outputs, planned: tuple[Page, bytes]) -> Made:
    return outputs.page(*planned)


def plan_digest(page: Page) -> bytes:
    """What the plan of the site says about a page, besides what its view reads."""
    lastmod = page.lastmod.iso if page.lastmod else ""
    text = (
        f"{page.url}\0{page.template}\0{page.title}\0{page.description}\0"
        f"{page.absolute_links}\0{page.kind}\0{page.record_id}\0{lastmod}\0{page.indexed}\0"
    )
    return hashlib.blake2b((text + "\0".join(page.items)).encode(), digest_size=16).digest()


def run(
    outputs: Outputs,
    site: Site,
    pages: list[Page],
    copies: dict[str, Path],
    digests: dict[str, bytes],
    parallel: Parallel,
    progress: Progress,
) -> Report:
    """Render and write what changed; the caller commits the staging folder."""
    generated = generated_files(site)
    made_urls = {p.url for p in pages} | {g.url for g in generated}
    copies = {url: path for url, path in copies.items() if url not in made_urls}
    check_urls([*(p.url for p in pages), *(g.url for g in generated), *copies])
    report = Report(previous=outputs.previous)
    _make(report, outputs, pages, generated, copies, digests, parallel, progress)
    report.removed_urls = sorted(set(outputs.previous) - set(report.rows))
    report.removed = len(report.removed_urls)
    return report


def run_changed(
    outputs: Outputs,
    site: Site,
    copies: dict[str, Path],
    digests: dict[str, bytes],
    parallel: Parallel,
    progress: Progress,
    titles: Callable[[], Mapping[str, str]],
) -> Report | None:
    """`run` for a site whose structure is the last build's (`Fingerprints.structure`,
    which covers `copies`): the same outputs with the same plans, so only those that
    read a changed key or were changed by hand are looked at, without planning every
    page. None when one of them is a page that cannot be planned alone (an index):
    the caller plans them all and calls `run`. `titles`: `pages.told_apart`'s."""
    generated = generated_files(site)
    others = {g.url for g in generated} | set(copies)
    stale = [url for url in outputs.previous if url not in others]
    stale = [url for url in stale if not outputs.up_to_date(url, None)]
    told = titles() if stale else {}
    pages = [record_page(site, url, told) for url in stale]
    planned = [page for page in pages if page is not None]
    if len(planned) < len(pages):
        return None
    report = Report(rows=dict(outputs.previous), previous=outputs.previous)
    _make(report, outputs, planned, generated, copies, digests, parallel, progress)
    return report


def _make(
    report: Report,
    outputs: Outputs,
    pages: list[Page],
    generated: list[Generated],
    copies: dict[str, Path],
    digests: dict[str, bytes],
    parallel: Parallel,
    progress: Progress,
) -> None:
    """Render, write or copy what changed of these outputs, into `report`."""
    progress.stage("rendering", len(pages) + len(generated))
    read: set[str] = set()
    made = outputs.made(pages, generated, parallel)
    with contextlib.closing(made):  # on an error: its workers are stopped at once
        for output in itertools.chain(progress.each(made), outputs.copies(copies, digests)):
            _add(report, outputs, output, read)
    changed = {key for key, number in outputs.keys.ids.items() if number in outputs.changed}
    report.keys = outputs.keys.rows(outputs.fps, read | changed)
    report.written = len(report.written_urls)
    report.total = len(report.rows)


def _add(report: Report, outputs: Outputs, made: Made, read: set[str]) -> None:
    """Count `made` in the report, the keys it read as their numbers. The fingerprint
    of a key is worked out when a page first reads it, while the workers render: once
    they were done, that took 2.5 s of one core at 100,000 articles."""
    row = made.row
    if made.rendered:
        row = row._replace(reads=outputs.keys.ids_of(made.reads))
        for key in made.reads:
            if key not in read:
                read.add(key)
                outputs.fps(key)
    report.rows[made.url] = row
    report.rendered += made.rendered
    if made.written:
        report.written_urls.append(made.url)
