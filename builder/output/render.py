"""Site -> pages. Each page is a URL, a template and a view; rendering one is a pure
function of the site, so pages can be rendered in any order or in parallel."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import jinja2
import jinja2.bccache
from jinja2 import meta
from markupsafe import Markup

from ..incremental import deps
from ..model.site import Site
from ..source.scan import DEFAULT_THEME
from . import urls
from .context import PageContext
from .jsonld import structured_data
from .pages import Page

NAV = (
    ("Home", urls.HOME),
    ("Topics", urls.TOPICS),
    ("Entities", urls.ENTITIES),
    ("Articles", urls.ARTICLES),
    ("Graph", urls.GRAPH),
)


def in_section(page_url: str, section_url: str) -> bool:
    """Whether the page is the section's index or lies under it (topics/x/ is in
    Topics; the home page only in Home)."""
    if section_url == urls.HOME:
        return page_url == urls.HOME
    return page_url.startswith(section_url.removesuffix("index.html"))


def theme_dirs(site_root: Path, theme: str) -> list[Path]:
    """The site's own theme first (it overrides template by template), then the default."""
    own = site_root / "themes" / theme
    if not own.is_dir() or own.resolve() == DEFAULT_THEME.resolve():
        return [DEFAULT_THEME]
    return [own, DEFAULT_THEME]


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by an earlier build, kept in the build cache by Jinja's own
    checksum of their source: compiling the theme costs more than a small rebuild.
    Only the process that owns the cache reads and fills it; forked workers inherit
    the templates already compiled."""

    def __init__(self, load: Callable[[bytes], bytes | None]) -> None:
        self.load = load
        self.owner = os.getpid()
        self.new: dict[bytes, bytes] = {}
        self.used: set[bytes] = set()

    def _key(self, bucket: jinja2.bccache.Bucket) -> bytes:
        return deps.digest("jinja", jinja2.__version__, sys.version, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if os.getpid() != self.owner:
            return
        key = self._key(bucket)
        self.used.add(key)
        data = self.new.get(key) or self.load(key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if os.getpid() == self.owner:
            key = self._key(bucket)
            self.used.add(key)
            self.new[key] = bucket.bytecode_to_string()


def make_environment(
    site_root: Path, theme: str, compiled: jinja2.BytecodeCache | None = None, watch: bool = False
) -> jinja2.Environment:
    """The theme's templates; `watch` (for `build serve`) reloads a template that was
    edited since it was compiled, which costs a stat of its file at each use."""
    loaders = [jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(site_root, theme)]
    default = jinja2.FileSystemLoader(str(DEFAULT_THEME / "templates"))
    loader = jinja2.ChoiceLoader(
        [*loaders, jinja2.PrefixLoader({"default": default}, delimiter=":")]
    )
    return environment(loader if watch else ReadOnce(loader), compiled, watch)


class ReadOnce(jinja2.BaseLoader):
    """The theme's loader for one build, keeping the text of each template as it was
    last read: the text Jinja compiled is the text a template's fingerprint is taken
    from. A template saved while the pages render is then seen as changed by the next
    build (read from its file when the build ends, it matched, and the pages made from
    the old text stayed). `build serve` reads the files each time: its pages are
    rendered as they are asked for, and its templates reloaded when they change."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self.loader = loader
        self.texts: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        self.texts[template] = source
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()

    def text(self, environment: jinja2.Environment, template: str) -> str:
        """The template's text as it was last read (read now if it never was)."""
        if template in self.texts:
            return self.texts[template]
        return self.get_source(environment, template)[0]


class _Environment(jinja2.Environment):
    """Views are dicts, and `view.key` in a template is looked up as an attribute first
    (a dict's methods): a raised and caught AttributeError per read, an eighth of the
    time spent rendering. A view's own keys come first here; anything else is read as
    Jinja reads it (a dict's methods, other objects' attributes)."""

    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(
    loader: jinja2.BaseLoader, compiled: jinja2.BytecodeCache | None = None, watch: bool = False
) -> jinja2.Environment:
    """The environment of `loader`'s templates; a cluster's worker makes its own from
    the loader it is sent (an environment holds compiled code, which does not pickle)."""
    return _Environment(
        bytecode_cache=compiled,
        auto_reload=watch,
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class ReferenceMemo(Protocol):
    """Which templates a template names, by its text, as earlier builds found."""

    def get(self, source: str) -> list[str] | None: ...

    def put(self, source: str, names: list[str]) -> None: ...


class Templates:
    """The theme's templates: which ones a page's template uses (through extends,
    include and import), and a fingerprint of each, for dependency tracking."""

    def __init__(
        self,
        env: jinja2.Environment,
        references: dict[str, list[str]] | None = None,
        remembered: ReferenceMemo | None = None,
    ) -> None:
        """`references`: what earlier ones found, by template text (`build serve` keeps
        it between rebuilds: parsing the templates a page uses took 30 ms a reload);
        `remembered`: what earlier builds found (a build keeps it in its cache)."""
        self.env = env
        self._references = {} if references is None else references
        self._remembered = remembered
        self._closures: dict[str, frozenset[str]] = {}

    def closure(self, name: str) -> frozenset[str]:
        """`name` and every template it reaches, as `tpl:` keys (templates do not
        change during a build; `build serve` makes a new `Templates` for each)."""
        if name not in self._closures:
            found, stack = {name}, [name]
            while stack:
                for used in self.references(stack.pop()):
                    if used not in found:
                        found.add(used)
                        stack.append(used)
            self._closures[name] = frozenset(deps.template_key(n) for n in found)
        return self._closures[name]

    def references(self, name: str) -> list[str]:
        """The templates `name` names itself ("*": one computed at render time)."""
        source = self.source(name)
        if not source:
            return []
        if source not in self._references:  # by text: an edited template is read again
            memo = self._remembered
            found = memo.get(source) if memo is not None else None
            if found is None:
                names = meta.find_referenced_templates(self.env.parse(source))
                # a name computed at render time could be any template: depend on all
                found = [n if n is not None else "*" for n in names]
                if memo is not None:
                    memo.put(source, found)
            self._references[source] = found
        return self._references[source]

    def source(self, name: str) -> str | None:
        """The template's text: as it was compiled, when it was."""
        loader = self.env.loader
        if name == "*" or loader is None:
            return None
        try:
            if isinstance(loader, ReadOnce):
                return loader.text(self.env, name)
            return loader.get_source(self.env, name)[0]
        except jinja2.TemplateNotFound:
            return None

    def fingerprint(self, name: str) -> bytes:
        if name == "*":
            return deps.digest(*sorted(self.env.list_templates()), *map(str, self._all()))
        return deps.digest(self.source(name) or "\0missing")

    def _all(self) -> list[str | None]:
        return [self.source(n) for n in sorted(self.env.list_templates())]


def render_page(
    site: Site, env: jinja2.Environment, templates: Templates, page: Page
) -> tuple[str, set[str]]:
    """The page's HTML, and the keys of everything it read."""
    root = urls.base_path(site.config.base_url) if page.absolute_links else None
    linker = urls.Linker(page.url, root)
    ctx = PageContext(site, linker)
    common = {
        "site_title": site.config.title,
        "language": site.config.language,
        "title": page.title if page.url != urls.HOME else site.config.title,
        "description": page.description,
        "canonical": _canonical(site, page),
        "home": linker.href(urls.HOME),
        "stylesheet": linker.href(urls.static_url("style.css")),
        "icon": linker.href(urls.static_url("favicon.svg")),
        "nav": [
            {"label": label, "href": linker.href(url), "current": in_section(page.url, url)}
            for label, url in NAV
        ],
        "is_home": page.url == urls.HOME,
        "jsonld": Markup(structured_data(ctx, page)),
        "feed": linker.href(urls.FEED) if site.config.base_url else None,
        "corrections": linker.href(urls.CORRECTIONS),
        "root": linker.root_prefix,
        "search": linker.href(urls.SEARCH),
        "search_script": linker.href(urls.static_url("search.js")),
        "search_enabled": site.search_index,
        **_search_fields(site, page),
    }
    text = env.get_template(page.template).render(page=common, **page.view(ctx))
    return text, ctx.reads | templates.closure(page.template)


def _search_fields(site: Site, page: Page) -> dict[str, object]:
    """What Pagefind indexes: the main content of articles, entities and topics only,
    filtered by kind (and entity type), labelled with the type shown on each result,
    with the date to sort articles."""
    if page.kind is None or page.record_id is None:
        return {"search_body": False, "search_filters": [], "search_meta": [], "date": None}
    filters = [f"kind:{page.kind}"]
    label, date = page.kind.capitalize(), None
    if page.kind == "entity":
        label = site.entities[page.record_id].type.capitalize()
        filters.append(f"type:{site.entities[page.record_id].type}")
    if page.kind == "article":
        date = site.index[page.record_id].date.iso
    meta = [f"type:{label}", *([f"date:{date}"] if date else [])]
    return {"search_body": True, "search_filters": filters, "search_meta": meta, "date": date}


def _canonical(site: Site, page: Page) -> str | None:
    if not site.config.base_url:
        return None
    return urls.absolute_url(site.config.base_url, page.url)
