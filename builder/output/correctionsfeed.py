"""The Atom feed of the corrections page (SPEC 11): the newest changes to facts that
the git history of content/ holds. Only with `base_url`, as the main feed."""

from __future__ import annotations

import datetime

from ..model.history import FactChange
from ..model.site import Site
from . import urls
from .corrections import change_text
from .feeds import escape, quoteattr

FEED_SIZE = 50


def corrections_feed(site: Site) -> str | None:
    """An Atom feed of the corrections page, newest first (only with `base_url`)."""
    base = site.config.base_url
    if base is None:
        return None
    page = urls.absolute_url(base, urls.CORRECTIONS)
    changes = site.history.changes[:FEED_SIZE]
    updated = max((c.date for c in changes), key=_moment, default="1970-01-01T00:00:00Z")
    title = f"Corrections and updates · {site.config.title}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.config.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(page)}</id>",
        f'  <link rel="self" type="application/atom+xml" '
        f"href={quoteattr(urls.absolute_url(base, urls.CORRECTIONS_FEED))}/>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(page)}/>',
        f"  <updated>{escape(updated)}</updated>",
        f"  <author><name>{escape(site.config.title)}</name></author>",
        "  <generator>Dossier</generator>",
    ]
    for change in changes:
        lines += _feed_entry(site, change, f"{page}#{change.anchor}")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _feed_entry(site: Site, change: FactChange, link: str) -> list[str]:
    owner = site.title_of(change.owner) if site.kind_of(change.owner) else change.owner
    return [
        "  <entry>",
        f"    <title>{escape(f'{owner}: {change.label}')}</title>",
        f"    <id>{escape(link)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
        f"    <updated>{escape(change.date)}</updated>",
        f"    <summary>{escape(change_text(change))}</summary>",
        "  </entry>",
    ]


def _moment(date: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(date)
