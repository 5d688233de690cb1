"""How big the built site is, by kind of output: shown by `build --profile`, and a
warning when the site is over what GitHub Pages publishes (1 GB)."""

from __future__ import annotations

import os
from pathlib import Path

from ..incremental.store import OutputRow
from . import urls
from .search import BUNDLE

PAGES_LIMIT = 1_000_000_000  # bytes: GitHub Pages refuses to publish a larger site
KINDS = {"article": "article pages", "entity": "entity pages", "topic": "topic pages"}


def output_sizes(rows: dict[str, OutputRow], out_dir: Path) -> dict[str, int]:
    """Bytes by kind of output, largest first: pages by kind, other pages (indexes,
    archive, search), the search index, and the other files (data, feeds, assets)."""
    sizes: dict[str, int] = {}
    for url, row in rows.items():
        kind = kind_of(url)
        sizes[kind] = sizes.get(kind, 0) + row.size
    bundle = _folder_size(out_dir / BUNDLE)
    if bundle:
        sizes["search index"] = bundle
    return dict(sorted(sizes.items(), key=lambda item: (-item[1], item[0])))


def kind_of(url: str) -> str:
    """What an output is, from its URL alone (a build after an edit does not plan
    every page): pages are HTML, and copied files are under `static/` and `media/`."""
    record = urls.record_of(url)
    if record is not None:
        return KINDS[record[0]]
    if url.endswith(".html") and not url.startswith((urls.STATIC, urls.MEDIA)):
        return "other pages"
    return "data, feeds and assets"


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _folders, files in os.walk(folder):
        total += sum(os.stat(os.path.join(root, name)).st_size for name in files)
    return total


def over_limit(sizes: dict[str, int]) -> str | None:
    """The warning for a site GitHub Pages would not publish, naming the largest parts."""
    total = sum(sizes.values())
    if total <= PAGES_LIMIT:
        return None
    largest = ", ".join(f"{kind} {size_text(size)}" for kind, size in list(sizes.items())[:3])
    return (
        f"warning: the site is {size_text(total)}, over the 1 GB that GitHub Pages "
        f"publishes; the largest parts: {largest} (see docs/search.md)"
    )


def size_text(size: int) -> str:
    """`1.2 GB`, `12.3 MB` or `123 kB` (decimal units, as GitHub states its limits)."""
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.2f} GB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} kB"
