"""Files for feed readers and crawlers: Atom feed, sitemap, robots.txt (SPEC 8).

Feed and sitemap need absolute URLs, so they are made only with `base_url`. Dates
come from the content, never from the clock, so the same input gives the same files.
"""

from __future__ import annotations

import re

from ..model.dates import PartialDate
from ..model.site import Site
from . import urls
from .context import site_shown
from .pages import plan_pages

FEED_SIZE = 20


def escape(text: str) -> str:
    """Text for XML content (xml.sax.saxutils would import urllib.request with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes."""
    return '"' + escape(text).replace('"', "&quot;") + '"'


_TIME = re.compile(r"(?P<hm>\d\d:\d\d)(?P<seconds>:\d\d(?:\.\d+)?)?(?P<zone>Z|[+-]\d\d:?\d\d)?")


def rfc3339(date: PartialDate) -> str:
    """A full timestamp for Atom: midnight UTC where only a day is known."""
    day = lastmod(date)
    match = _TIME.fullmatch(date.time or "")
    if match is None:
        return f"{day}T00:00:00Z"
    zone = match["zone"] or "Z"
    if len(zone) == 5:  # +0200
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{day}T{match['hm']}{match['seconds'] or ':00'}{zone}"


def lastmod(date: PartialDate) -> str:
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}"


def atom_feed(site: Site) -> str | None:
    base = site.config.base_url
    articles = [site.articles[a] for a in list(site.index)[:FEED_SIZE]]
    if base is None:
        return None
    updated = max((a.updated or a.date for a in articles), key=lambda d: d.sort_key, default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.config.language)}>',
        f"  <title>{escape(site.config.title)}</title>",
    ]
    if site.config.description:
        lines.append(f"  <subtitle>{escape(site.config.description)}</subtitle>")
    lines += [
        f"  <id>{escape(base)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f"  <updated>{rfc3339(updated) if updated else '1970-01-01T00:00:00Z'}</updated>",
        f"  <author><name>{escape(site.config.title)}</name></author>",
        "  <generator>Dossier</generator>",
    ]
    for article in articles:
        url = urls.absolute_url(base, urls.page_url("article", article.id))
        lines += [
            "  <entry>",
            f"    <title>{escape(article.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{rfc3339(article.date)}</published>",
            f"    <updated>{rfc3339(article.updated or article.date)}</updated>",
        ]
        for name in article.authors or ([article.publisher] if article.publisher else []):
            lines.append(f"    <author><name>{escape(name)}</name></author>")
        summary = site_shown(site, site.index[article.id].dek)
        lines += [f"    <summary>{escape(summary)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(site: Site) -> str | None:
    base = site.config.base_url
    if base is None:
        return None
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for page in plan_pages(site):
        if page.indexed:
            date = f"<lastmod>{lastmod(page.lastmod)}</lastmod>" if page.lastmod else ""
            loc = escape(urls.absolute_url(base, page.url))
            lines.append(f"  <url><loc>{loc}</loc>{date}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: Site) -> str:
    text = "User-agent: *\nAllow: /\n"
    if site.config.base_url:
        text += f"Sitemap: {site.config.base_url}sitemap.xml\n"
    return text
