"""Candidate entities: capitalised names that no alias covers, counted across all
articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ...model.site import Site
from ...source.mentions import AliasMatcher
from .names import Name, names


@dataclass(frozen=True)
class Candidate:
    """A name no alias covers, with its title most often written before it."""

    name: Name
    mentions: int
    articles: int


def candidates(site: Site, ids: list[str]) -> list[Candidate]:
    """The names of the articles `ids` that no alias covers, with how often all
    articles name them, most frequent first."""
    known = {a for e in site.entities.values() for a in e.all_aliases}
    found = _names_by_article(site)
    every = [name for article_names in found.values() for name in article_names]
    mentions = Counter(name.text for name in every)
    articles = Counter(text for ns in found.values() for text in {n.text for n in ns})
    titles = _titles(every)
    named = {name.text for article_id in ids for name in found.get(article_id, [])}
    texts = sorted((n for n in named if n not in known), key=lambda n: (-mentions[n], n))
    return [Candidate(Name(n, titles.get(n)), mentions[n], articles[n]) for n in texts]


def _names_by_article(site: Site) -> dict[str, list[Name]]:
    """The names in each article's body that no entity's alias covers."""
    matcher = AliasMatcher((e.id, a) for e in site.entities.values() for a in e.all_aliases)
    found: dict[str, list[Name]] = {}
    for article_id in site.articles:
        found[article_id] = [
            name
            for block in site.texts.body(article_id).blocks
            for name in names(block.text, [(m.start, m.end) for m in matcher.find(block.text)])
        ]
    return found


def _titles(found: Iterable[Name]) -> dict[str, str]:
    """The title most often before each name that has one."""
    counts: dict[str, Counter[str]] = {}
    for name in found:
        if name.title is not None:
            counts.setdefault(name.text, Counter())[name.title] += 1
    return {text: _most_common(titles) for text, titles in counts.items()}


def _most_common(counter: Counter[str]) -> str:
    """The most frequent key; of equally frequent ones, the first in sort order, so
    that the choice does not depend on the order of the articles."""
    return min(counter, key=lambda key: (-counter[key], key))
