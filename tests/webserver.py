"""A local stand-in for GitHub Pages: serves a built site under a project subpath
(`/dossier/`) on 127.0.0.1, with `404.html` and status 404 for every missing path."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.cli import main

SUBPATH = "/dossier/"
ROOT = Path(__file__).resolve().parent.parent


class PagesHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args: object, directory: str, **kwargs: object) -> None:
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # quiet tests
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = unquote(urlsplit(self.path).path)
        if path == SUBPATH.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", SUBPATH)
            self.end_headers()
            return None
        local = self._local(path)
        if local is None:
            return self._not_found()
        self.path = "/" + local
        return super().send_head()

    def _local(self, path: str) -> str | None:
        if not path.startswith(SUBPATH):
            return None
        relative = path[len(SUBPATH) :]
        target = Path(self.directory) / relative
        if target.is_dir():
            if not path.endswith("/"):
                return None
            target = target / "index.html"
            relative += "index.html"
        return relative if target.is_file() else None

    def _not_found(self):  # type: ignore[no-untyped-def]
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@dataclass
class ServedSite:
    root: Path  # the built site folder
    base: str  # http://127.0.0.1:PORT/dossier/

    def url(self, page: str) -> str:
        return self.base + page


@contextmanager
def served_demo(workdir: Path) -> Iterator[ServedSite]:
    """Build the demo content with base_url at the local server, and serve it."""
    with served_content(ROOT / "content", workdir) as site:
        yield site


@contextmanager
def served_content(content: Path, workdir: Path) -> Iterator[ServedSite]:
    """Build a copy of `content` with base_url at the local server, and serve it."""
    shutil.copytree(content, workdir / "content")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    base = f"http://127.0.0.1:{port}{SUBPATH}"
    code = main(
        ["--content", str(workdir / "content"), "--out", str(workdir / "site"), "--base-url", base]
    )
    assert code == 0
    handler = partial(PagesHandler, directory=str(workdir / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(workdir / "site", base)
    finally:
        server.shutdown()
        server.server_close()
