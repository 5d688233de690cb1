"""Checks across files, run on the resolved site: references and wikilinks point to
something, media exist, quotes occur in their sources, and what is declared is used.

A file that failed has said so already: a reference to its id is not reported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from .diagnostics import Diagnostics, Loc, did_you_mean
from .model import Article, Entity, Kind, Ref, Text
from .records import Block
from .site import Site
from .validate import check_media

QuoteFinder = Callable[[Text, str], "tuple[bool, str, str | None]"]


def check_site(site: Site, declared: set[str], content_dir: Path, diags: Diagnostics) -> None:
    """Every check that needs more than one file, except quotes (see `check_quotes`)."""
    for article in site.articles.values():
        diags.items.extend(site.mentions[article.id].diagnostics)
    check_references(site, declared, diags)
    check_wikilinks(site, declared, diags)
    records: list[Article | Entity] = [*site.articles.values(), *site.entities.values()]
    for record in records:
        check_media(content_dir, record.image, diags)
    warn_unused(site, diags)


def _refs(site: Site, drafts: dict[str, Article]) -> Iterator[tuple[Ref, Kind]]:
    for article in [*site.articles.values(), *drafts.values()]:
        yield from ((ref, "topic") for ref in article.topics)
        yield from ((ref, "entity") for ref in article.entities)
    for topic in site.topics.values():
        yield from ((ref, "entity") for ref in topic.entities)
        yield from ((ref, "topic") for ref in topic.related)
        yield from ((entry.source, "article") for entry in topic.timeline if entry.source)
    for entity in site.entities.values():
        for relation in entity.relations:
            yield relation.target, "entity"
            if relation.source:
                yield relation.source, "article"
    for fact in site.all_facts:
        if fact.claimed_by:
            yield fact.claimed_by, "entity"
        if fact.source:
            yield fact.source, "article"


def check_references(site: Site, declared: set[str], diags: Diagnostics) -> None:
    kinds: dict[str, Kind] = {a: "article" for a in site.drafts}
    kinds.update({a: "article" for a in site.articles})
    kinds.update({e: "entity" for e in site.entities})
    kinds.update({t: "topic" for t in site.topics})
    for ref, expected in _refs(site, site.drafts):
        found = kinds.get(ref.id)
        if found is None and ref.id in declared:
            continue  # its own file failed, and said so: one error is enough
        if found is None:
            same_kind = [i for i, k in kinds.items() if k == expected]
            diags.error(ref.loc, f"unknown {expected} '{ref.id}'{did_you_mean(ref.id, same_kind)}")
        elif found != expected:
            diags.error(ref.loc, f"'{ref.id}' is {_a(found)}, not {_a(expected)}")
        elif expected == "article" and ref.id not in site.articles:
            diags.warning(ref.loc, f"'{ref.id}' is a draft: it is left out without --drafts")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def check_wikilinks(site: Site, declared: set[str], diags: Diagnostics) -> None:
    wikilinks = [w for m in site.mentions.values() for w in m.wikilinks]
    wikilinks += [w for fragment in site.fragments.values() for w in fragment.wikilinks]
    if not wikilinks:
        return
    known = [*site.articles, *site.entities, *site.topics]
    for wikilink in wikilinks:
        target = wikilink.target
        if site.kind_of(target) is None and target not in declared:
            hint = did_you_mean(target, known)
            diags.error(wikilink.loc, f"unknown id '{target}' in [[...]]{hint}")


def warn_unused(site: Site, diags: Diagnostics) -> None:
    listed = {ref.id for article in site.articles.values() for ref in article.entities}
    for entity in site.entities.values():
        if entity.id not in site.mentioned_in and entity.id not in listed:
            diags.warning(Loc(entity.path), f"entity '{entity.id}' is mentioned in no article")
    for article in site.articles.values():
        if not article.topics:
            diags.warning(Loc(article.path, 2), f"article '{article.id}' is in no topic")


def quoted(site: Site) -> Iterator[tuple[Text, Ref | None]]:
    """Every quote of the site with the article it must occur in."""
    for fact in site.all_facts:
        if fact.quote:
            yield fact.quote, fact.source
    for entity in site.entities.values():
        yield from ((r.quote, r.source) for r in entity.relations if r.quote)
    for topic in site.topics.values():
        yield from ((t.quote, t.source) for t in topic.timeline if t.quote)


def check_quotes(site: Site, find: QuoteFinder, diags: Diagnostics) -> None:
    """`find(quote, article id)` -> (found, closest passage, anchor)."""
    for quote, source in quoted(site):
        if source is None or source.id not in site.articles:
            continue
        found, closest, anchor = find(quote, source.id)
        if not found:
            diags.error(
                quote.loc,
                f"quote not found in article '{source.id}'; closest passage: \"{closest}\"",
            )
        else:
            site.quote_blocks[quote] = (source.id, anchor)


def anchor_near(blocks: tuple[Block, ...], index: int) -> str | None:
    """The anchor of the block, or of the paragraph before a heading or cell."""
    for block in reversed(blocks[: index + 1]):
        if block.anchor:
            return block.anchor
    return None
