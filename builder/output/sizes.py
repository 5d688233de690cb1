"""How big the built site is, by kind of output: shown by `build --profile`, and a
warning when the site is over what GitHub Pages publishes (1 GB)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..incremental.store import OutputRow
from .pages import Page
from .search import BUNDLE

PAGES_LIMIT = 1_000_000_000  # bytes: GitHub Pages refuses to publish a larger site
KINDS = {"article": "article pages", "entity": "entity pages", "topic": "topic pages"}


def output_sizes(
    pages: Iterable[Page], rows: dict[str, OutputRow], out_dir: Path
) -> dict[str, int]:
    """Bytes by kind of output, largest first: pages by kind, other pages (indexes,
    archive, search), the search index, and the other files (data, feeds, assets)."""
    kinds = {page.url: KINDS.get(page.kind or "", "other pages") for page in pages}
    sizes: dict[str, int] = {}
    for url, row in rows.items():
        kind = kinds.get(url, "data, feeds and assets")
        sizes[kind] = sizes.get(kind, 0) + row.size
    bundle = _folder_size(out_dir / BUNDLE)
    if bundle:
        sizes["search index"] = bundle
    return dict(sorted(sizes.items(), key=lambda item: (-item[1], item[0])))


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
