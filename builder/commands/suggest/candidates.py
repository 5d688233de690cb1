"""Candidate entities: capitalised names that no alias covers, counted across all
articles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...model.records import Block
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
    matcher = AliasMatcher((e.id, a) for e in site.entities.values() for a in e.all_aliases)
    own = {article_id: _names_in(site, matcher, article_id) for article_id in ids}
    wanted = {name.text for names_in in own.values() for name in names_in} - known
    found = _names_by_article(site, matcher, wanted, own)
    every = [name for article_names in found.values() for name in article_names]
    mentions = Counter(name.text for name in every)
    articles = Counter(text for ns in found.values() for text in {n.text for n in ns})
    titles = _titles(every)
    texts = sorted(wanted, key=lambda n: (-mentions[n], n))
    return [Candidate(Name(n, titles.get(n)), mentions[n], articles[n]) for n in texts]


def _names_in(site: Site, matcher: AliasMatcher, article_id: str) -> list[Name]:
    return _names_in_blocks(site.texts.body(article_id).blocks, matcher)


def _names_in_blocks(blocks: Sequence[Block], matcher: AliasMatcher) -> list[Name]:
    """The names in an article's body that no entity's alias covers."""
    return [
        name
        for block in blocks
        for name in names(block.text, [(m.start, m.end) for m in matcher.find(block.text)])
    ]


def _names_by_article(
    site: Site, matcher: AliasMatcher, wanted: set[str], known: dict[str, list[Name]]
) -> dict[str, list[Name]]:
    """The names of `wanted` in each article (`known`: of some articles, already found).

    Only articles holding the first word of a wanted name are read for names: a name's
    words are the words of the text (less a final dot or `'s`), so no other article
    can name it. `build suggest ARTICLE` at 10,000 articles read them all: 19 s."""
    firsts = sorted({text.split(" ")[0] for text in wanted}, key=lambda w: (-len(w), w))
    holds = re.compile("|".join(map(re.escape, firsts))).search if firsts else None
    found: dict[str, list[Name]] = {}
    for article_id in site.articles:
        names_in = known.get(article_id)
        if names_in is None and holds is not None:
            blocks = site.texts.body(article_id).blocks
            if any(holds(block.text) for block in blocks):
                names_in = _names_in_blocks(blocks, matcher)
        if names_in is not None:
            found[article_id] = [name for name in names_in if name.text in wanted]
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
