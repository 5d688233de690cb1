"""The build, stage by stage: load -> validate -> resolve -> render -> write."""

from __future__ import annotations

import dataclasses
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .diagnostics import Diagnostics, Loc
from .load import FileCache, load
from .render import render_all, theme_dirs
from .resolve import ParseCache, resolve
from .search import SearchIndexError, index_site
from .site import Site
from .validate import validate
from .write import tree_files, write_site


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    write: bool = True  # False for `build check`
    search: bool = True  # run Pagefind after the pages are written
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # render processes


@dataclass
class BuildResult:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    site: Site | None = None
    files_written: int = 0

    def failed(self, strict: bool) -> bool:
        diags = self.diagnostics
        return bool(diags.errors or (strict and diags.warnings))


@dataclass
class BuildCache:
    """What `build serve` keeps between rebuilds: unchanged files are not read again,
    unchanged articles not parsed again."""

    files: FileCache = field(default_factory=dict)
    parsed: ParseCache = field(default_factory=ParseCache)


def build(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    result = BuildResult()
    diags = result.diagnostics
    raw = load(options.content_dir, diags, cache.files if cache else None)
    content = validate(raw, diags)
    if content is None:
        return result
    if options.base_url:
        config = dataclasses.replace(content.config, base_url=options.base_url.rstrip("/") + "/")
        content = dataclasses.replace(content, config=config)
    result.site = resolve(content, diags, options.drafts, cache.parsed if cache else None)
    result.site.search_index = options.search and options.write
    if result.failed(options.strict) or not options.write:
        return result
    try:
        files = list(render_all(result.site, options.content_dir.parent, options.jobs))
    except jinja2.TemplateError as exc:
        diags.error(_template_loc(exc, options), f"template error: {exc.message}")
        return result
    copies = [(path, url) for url, path in copied_files(result.site, options).items()]
    finish = index_site if options.search else None
    try:
        result.files_written = write_site(options.out_dir, files, copies, finish)
    except SearchIndexError as exc:
        diags.error(Loc(options.out_dir), f"the search index failed (Pagefind): {exc}")
    return result


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
