"""The least a Python build of the benchmark corpus can cost: a lower bound for Dossier.

    python benchmarks/floor.py CONTENT OUT [--jobs N]

Each article is read, its front matter parsed (PyYAML's CSafeLoader), its Markdown
rendered (markdown-it-py, CommonMark), put in a Jinja2 page like the Hugo theme's
article page and written to OUT/articles/<id>/index.html; then the archive is written,
50 articles a page. Articles are shared among N forked workers (default: one per
core), as Dossier shares them. Nothing else: no mention links, no checks, no entity
or topic pages, no cache. `run.py --floor` times it beside Dossier and Hugo on cold
builds: what Dossier spends above it is what its features and its cache cost.
"""

from __future__ import annotations

import argparse
import os
import sys
from multiprocessing import get_context
from pathlib import Path

import yaml
from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

PER_PAGE = 50
SUMMARY = 300
_ENV = Environment(autoescape=True)
PAGE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · Bench Desk</title>
<meta name="description" content="{{ summary }}">
<link rel="stylesheet" href="../../style.css"></head>
<body><header><a href="../../">Bench Desk</a></header>
<main id="main"><article><h1>{{ title }}</h1>
<p><time datetime="{{ date }}">{{ date }}</time>
{%- for topic in topics %} · <a href="../../topics/{{ topic }}/">{{ topic }}</a>{% endfor %}</p>
<div class="body">{{ body }}</div></article></main></body></html>
"""
)
ARCHIVE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Articles, page {{ number }}</title></head>
<body><main><ul>{% for a in articles %}
<li><a href="../../articles/{{ a.id }}/">{{ a.title }}</a> <time>{{ a.date }}</time>
<p>{{ a.summary }}</p></li>{% endfor %}</ul></main></body></html>
"""
)


def build_article(path: Path, out: Path, md: MarkdownIt) -> dict[str, str]:
    """Write one article's page; return what the archive lists of it."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    summary = body.strip().split("\n\n", 1)[0][:SUMMARY]
    html = PAGE.render(
        title=meta["title"],
        date=str(meta["date"]),
        topics=meta.get("topics") or [],
        summary=summary,
        body=Markup(md.render(body)),
    )
    folder = out / "articles" / path.stem
    folder.mkdir()
    (folder / "index.html").write_bytes(html.encode())
    return {"id": path.stem, "title": meta["title"], "date": str(meta["date"]), "summary": summary}


def build_share(share: tuple[list[Path], Path]) -> list[dict[str, str]]:
    paths, out = share
    md = MarkdownIt("commonmark")
    return [build_article(path, out, md) for path in paths]


def build(content: Path, out: Path, jobs: int) -> int:
    """Build the floor site; the number of pages written."""
    paths = sorted((content / "articles").glob("*.md"))
    (out / "articles").mkdir(parents=True)
    shares = [(paths[i :: jobs * 8], out) for i in range(jobs * 8)]
    with get_context("fork").Pool(jobs) as pool:
        listed = [row for rows in pool.map(build_share, shares) for row in rows]
    listed.sort(key=lambda row: (row["date"], row["id"]), reverse=True)
    pages = range(0, len(listed), PER_PAGE)
    for number, start in enumerate(pages, 1):
        folder = out / "archive" / str(number)
        folder.mkdir(parents=True)
        html = ARCHIVE.render(number=number, articles=listed[start : start + PER_PAGE])
        (folder / "index.html").write_bytes(html.encode())
    return len(paths) + len(pages)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("content", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args(argv)
    if args.out.exists():
        p.error(f"{args.out} exists: the floor is a cold build")
    print(f"{build(args.content, args.out, max(args.jobs, 1))} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
