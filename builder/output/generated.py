"""The files a site has besides its pages and copies: the data export, the feeds,
the sitemap, robots.txt, the name shards of the quick jump, and what GitHub Pages
reads (.nojekyll, CNAME); each with the keys it reads, so that a build makes again
only those whose keys changed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from ..incremental import deps
from ..model.site import Site
from ..source.markdown import wikilink_targets
from . import urls
from .correctionsfeed import corrections_feed
from .export import site_data_json
from .feeds import FEED_SIZE, atom_feed, robots, sitemap
from .search import name_shards


@dataclass(frozen=True)
class Generated:
    """A file made from the model that is not a page (feed, sitemap, data export)."""

    url: str
    reads: frozenset[str]
    make: Callable[[], str | None]  # None: not made in this build (e.g. no base_url)


def feed_reads(site: Site) -> frozenset[str]:
    """The newest articles, and the titles that their summaries' `[[id]]`s show."""
    newest = list(itertools.islice(site.index.values(), FEED_SIZE))
    targets = {t for row in newest for t in wikilink_targets(row.dek)}
    return frozenset(
        {deps.latest_key(FEED_SIZE), *(deps.listing_key(site.kind_of(t), t) for t in targets)}
    )


def generated_files(site: Site) -> list[Generated]:
    """Every file of `site` that is neither a page nor a copy, with what it reads."""
    files = [
        Generated(urls.SITE_JSON, frozenset({deps.EXPORT}), lambda: site_data_json(site)),
        Generated(urls.FEED, feed_reads(site), lambda: atom_feed(site)),
        Generated(
            urls.CORRECTIONS_FEED,
            frozenset({deps.CORRECTIONS, deps.TOPICS, deps.ENTITIES}),  # and their titles
            lambda: corrections_feed(site),
        ),
        Generated(urls.SITEMAP, frozenset({deps.SITEMAP}), lambda: sitemap(site)),
        Generated(urls.ROBOTS, frozenset(), lambda: robots(site)),
        Generated(".nojekyll", frozenset(), lambda: ""),
    ]
    if site.config.cname:
        cname = site.config.cname
        files.append(Generated("CNAME", frozenset(), lambda: cname + "\n"))
    names = frozenset({deps.ENTITIES, deps.TOPICS})
    for url, text in name_shards(site):
        files.append(Generated(url, names, lambda text=text: text))  # type: ignore[misc]
    return files
