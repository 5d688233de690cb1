"""`build serve`: the site on 127.0.0.1 while you edit it.

The last good build is kept in memory and pages are rendered when the browser asks
for them, so a change costs one rebuild of the model plus the pages actually viewed.
Open pages reload through server-sent events; a build with errors shows them in an
overlay and the last good site keeps being served. Nothing is written to disk.
"""

from __future__ import annotations

import json
import mimetypes
import signal
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import watchfiles

from ..incremental import deps
from ..incremental.store import InputRow
from ..model.site import Site
from ..options import BuildOptions
from ..output import urls
from ..output.generated import generated_files
from ..output.outputs import plan_digest
from ..output.pages import Page, index_pages, plan_pages, record_page, told_apart
from ..output.render import Templates, make_environment, render_page
from ..pipeline import BuildResult, Memory, Model, build_model
from ..publish import copied_files, site_salt
from ..source.scan import Inputs, rescan, stat_of

CLIENT_PREFIX = "__dossier/"
RELOAD_SCRIPT = Path(__file__).parent / "serve-client.js"


class Plan:
    """The site's pages, planned as they are asked for: the page of an article, entity
    or topic alone, the others all at once the first time one of them is (planning the
    10,726 pages of a 10,000-article site took 0.12 to 0.26 s of every reload)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._all: dict[str, Page] | None = None
        self._titles: dict[str, str] | None = None  # of the pages that share a title

    def get(self, url: str) -> Page | None:
        if self._titles is None:
            self._titles = told_apart(self.site, index_pages(self.site))
        page = record_page(self.site, url, self._titles)
        if page is not None:
            return page
        if self._all is None:
            self._all = {page.url: page for page in plan_pages(self.site)}
        return self._all.get(url)


@dataclass(frozen=True)
class Rendered:
    """A page as served, and what decides whether a later build may serve it again."""

    data: bytes
    plan: bytes  # `plan_digest` of its page
    reads: dict[str, bytes]  # the fingerprint of each key it read, when it was rendered


@dataclass
class Snapshot:
    """One good build: the model and what to serve from it. Pages are rendered when
    first asked for; a page rendered before a rebuild is served again as long as
    nothing it read has changed and its plan is the same (the checks `build` makes,
    `deps.py`)."""

    site: Site
    env: jinja2.Environment
    templates: Templates
    pages: Plan
    files: dict[str, Path]
    fingerprints: deps.Fingerprints
    salt: bytes
    records: frozenset[bytes]  # the keys of the records its pages read in the cache
    assets: str  # a stamp of `files`: open pages reload when it changes (the client)
    rendered: dict[str, Rendered] = field(default_factory=dict)
    kept: dict[str, Rendered] = field(default_factory=dict)  # from earlier snapshots

    def render(self, page: Page, base_path: str) -> bytes:
        """The page, with the reload script."""
        url = page.url
        if url not in self.rendered:
            plan, kept = plan_digest(page), self.kept.get(url)
            if kept is not None and kept.plan == plan:
                self.rendered[url] = kept
            else:
                html, read = render_page(self.site, self.env, self.templates, page)
                # now, not at the next rebuild: a template's fingerprint is read from
                # its file, which may have been edited by then
                reads = {key: self.fingerprints(key) for key in sorted(read)}
                self.rendered[url] = Rendered(_with_client(html, base_path).encode(), plan, reads)
        return self.rendered[url].data

    def carry_over(self, earlier: Snapshot) -> None:
        """Keep the pages of `earlier` that nothing has changed since they were
        rendered; each is served again once its plan is found to be the same."""
        if earlier.salt != self.salt:
            return
        for url, rendered in {**earlier.kept, **earlier.rendered}.items():
            if all(self.fingerprints(key) == fp for key, fp in rendered.reads.items()):
                self.kept[url] = rendered


class Preview:
    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.snapshot: Snapshot | None = None
        self.errors: list[str] = []
        self.version = 0
        self.changed = threading.Condition()
        self.stopping = False
        self.lock = threading.Lock()
        self.memory = Memory()  # what earlier rebuilds decoded and indexed
        self.env: jinja2.Environment | None = None  # compiled templates, kept
        self.inputs: Inputs | None = None  # what the last rebuild read
        self.stored: dict[str, InputRow] = {}  # and the input rows it left in the cache
        self.theme = ""
        self.references: dict[str, list[str]] = {}  # the templates each one names, by text

    def rebuild(self, modified: Iterable[str] = ()) -> float:
        """Build the model again, after an edit of the `modified` files (when that is
        all that happened); returns the seconds it took."""
        started = time.perf_counter()
        inputs = rescan(self.inputs, modified) if self.inputs and modified else None
        stored = self.stored if inputs else None
        model, result = build_model(self.options, self.memory, inputs, stored, self.show)
        self.inputs, self.stored = model.inputs, result.inputs
        return time.perf_counter() - started

    def show(self, model: Model, result: BuildResult) -> frozenset[bytes]:
        """Serve what a rebuild made, or its errors, and tell the open pages; the
        records the site now served reads (the last good one, after errors)."""
        site = model.site
        if site is None or result.failed(self.options.strict):
            self.errors = [
                d.shown()
                for d in result.diagnostics.sorted()
                if d.severity == "error" or self.options.strict
            ]
        else:
            self.publish(self.snapshot_of(site, model))
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        return self.snapshot.records if self.snapshot is not None else frozenset()

    def snapshot_of(self, site: Site, model: Model) -> Snapshot:
        if self.env is None or self.theme != site.config.theme:  # it reloads what changes
            root, theme = self.options.content_dir.parent, site.config.theme
            self.env = make_environment(root, theme, watch=True)
            self.theme = site.config.theme
        env = self.env
        templates = Templates(env, self.references)
        fingerprints = deps.Fingerprints(site, model.sources.fingerprints, templates.fingerprint)
        salt = site_salt(site, model.sources, self.options)
        files = copied_files(site, self.options)
        records = frozenset(model.sources.keys.values())
        assets = assets_stamp(files)
        plan = Plan(site)
        return Snapshot(site, env, templates, plan, files, fingerprints, salt, records, assets)

    def publish(self, snapshot: Snapshot) -> None:
        with self.lock:
            if self.snapshot is not None:
                snapshot.carry_over(self.snapshot)
            self.snapshot, self.errors = snapshot, []

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version differs from `seen`, a stop, or the timeout."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopping, timeout)
            return self.version

    def status(self) -> dict[str, Any]:
        assets = self.snapshot.assets if self.snapshot is not None else ""
        return {"version": self.version, "errors": self.errors, "assets": assets}

    def file(self, url: str) -> tuple[bytes, str] | None:
        """The bytes and content type of `url`, or None if there is no such file."""
        with self.lock:
            snapshot = self.snapshot
        if snapshot is None:
            return None
        if url == "" or url.endswith("/"):
            url += "index.html"
        page = snapshot.pages.get(url) if url.endswith(".html") else None  # what pages are
        if page is not None:
            return snapshot.render(page, self.base_path), "text/html; charset=utf-8"
        if url in snapshot.files:
            kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
            return snapshot.files[url].read_bytes(), kind
        for file in generated_files(snapshot.site):
            if file.url == url:
                text = file.make()
                kind = mimetypes.guess_type(url)[0] or "text/plain"
                return None if text is None else (text.encode(), kind)
        return None

    @property
    def base_path(self) -> str:
        snapshot = self.snapshot
        return urls.base_path(snapshot.site.config.base_url if snapshot else None)

    def not_found(self) -> bytes:
        found = self.file(urls.NOT_FOUND)
        return found[0] if found else b"Not found"


def assets_stamp(files: dict[str, Path]) -> str:
    """The url, time and size of every file pages load besides themselves: the
    stylesheets, scripts and images of the theme, and media. An open page is updated
    in place after a rebuild, unless one of them changed: then it reloads."""
    stats = [f"{url}\0{stat_of(path)}" for url, path in files.items()]
    return deps.digest(*stats).hex()


def _with_client(html: str, base_path: str) -> str:
    tag = f'<script src="{base_path}{CLIENT_PREFIX}client.js"></script>\n'
    return html.replace("</body>", tag + "</body>", 1)


def _error_page(preview: Preview) -> bytes:
    """Shown until a first build succeeds; the client script shows the errors."""
    html = (
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Build failed</title>"
        "<body><h1>The site does not build yet</h1><p>Fix the errors below; this page "
        "reloads by itself.</p></body></html>"
    )
    return _with_client(html, preview.base_path).encode()


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            path = unquote(urlsplit(self.path).path)
            base = preview.base_path
            if path + "/" == base:
                return self.redirect(base)
            if path == "/":  # the site lives under base_url's path, as on GitHub Pages
                return self.redirect(base, status=302)  # not cached: the path may change
            if not path.startswith(base):
                return self.send(404, preview.not_found(), "text/html; charset=utf-8")
            url = path[len(base) :]
            if url.startswith(CLIENT_PREFIX):
                return self.client(url[len(CLIENT_PREFIX) :])
            if preview.snapshot is None:
                return self.send(503, _error_page(preview), "text/html; charset=utf-8")
            found = preview.file(url)
            if found is None and not url.endswith("/") and preview.file(url + "/"):
                return self.redirect(path + "/")
            if found is None:
                return self.send(404, preview.not_found(), "text/html; charset=utf-8")
            self.send(200, *found)

        def redirect(self, location: str, status: int = 301) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def client(self, name: str) -> None:
            if name == "client.js":
                return self.send(200, RELOAD_SCRIPT.read_bytes(), "text/javascript")
            if name == "status":
                return self.send(200, json.dumps(preview.status()).encode(), "application/json")
            if name == "events":
                return self.events()
            self.send(404, b"", "text/plain")

        def events(self) -> None:
            """The status now, then after each rebuild: a rebuild that ends between the
            page's first look at the status and this stream is not missed (the page
            kept showing what it had, errors or not)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen: int | None = None
            try:
                while not preview.stopping:
                    if seen is not None and preview.wait_for_change(seen, 10) == seen:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        status = preview.status()
                        seen = status["version"]
                        data = json.dumps(status)
                        self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(options: BuildOptions, host: str, port: int) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(options)
    seconds = preview.rebuild()
    server = ThreadingHTTPServer((host, port), make_handler(preview))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://{host}:{server.server_address[1]}{preview.base_path}"
    print(f"serving {address} (built in {seconds:.2f}s); Ctrl-C stops", flush=True)
    _report(preview)
    watched = [
        str(p) for p in (options.content_dir, options.content_dir.parent / "themes") if p.is_dir()
    ]
    try:
        for changes in watchfiles.watch(
            *watched, debounce=40, step=20, rust_timeout=500, yield_on_timeout=False
        ):
            edits = [path for change, path in changes if change == watchfiles.Change.modified]
            seconds = preview.rebuild(edits if len(edits) == len(changes) else ())
            print(f"{len(changes)} change(s): rebuilt in {seconds:.2f}s", flush=True)
            _report(preview)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stopping = True
        with preview.changed:
            preview.changed.notify_all()
        server.shutdown()
        server.server_close()
    print("stopped", flush=True)
    return 0


def _report(preview: Preview) -> None:
    for line in preview.errors:
        print(line, file=sys.stderr, flush=True)
