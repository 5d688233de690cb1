"""Checks across files, run on the resolved site: references and wikilinks point to
something, media exist, quotes occur in their sources, and what is declared is used.

A file that failed has said so already: a reference to its id is not reported again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, Loc, did_you_mean
from ..source.scan import Inputs
from ..source.validate import check_media
from . import support
from .content import (
    Article,
    Fact,
    Image,
    Kind,
    Ref,
    Relation,
    SiteConfig,
    Text,
    TimelineEntry,
)
from .freshness import check_freshness
from .records import Block
from .site import Passage, Site


class QuoteAnswer(NamedTuple):
    found: bool
    closest: str  # the closest passage of the article, when not found
    anchor: str | None  # where links to the quote lead: its passage, else its paragraph
    passage: Passage | None  # the quoted words, to mark on the article's page


QuoteFinder = Callable[[Text, str], QuoteAnswer]


def check_site(site: Site, inputs: Inputs, diags: Diagnostics) -> None:
    """Every check that needs more than one file, except quotes (see `check_quotes`)."""
    content_dir, declared = inputs.content_dir, inputs.declared
    check_base_url(site.config, diags)
    check_theme(site.config, content_dir.parent / "themes", diags)
    for row in site.index.values():
        if row.flagged:  # ambiguous aliases found while linking, and an image to look for
            unit = site.texts.record(row.id)
            diags.items.extend(unit.mentions.diagnostics if unit.mentions else ())
            assert isinstance(unit.record, Article)
            check_media(content_dir, unit.record.image, diags)
            check_images(content_dir, unit.mentions.images if unit.mentions else (), diags)
    check_references(site, declared, diags)
    check_wikilinks(site, declared, diags)
    for entity in site.entities.values():
        check_media(content_dir, entity.image, diags)
    for fragment in site.fragments.values():
        check_images(content_dir, fragment.images, diags)
    warn_unused(site, failed_files(site, inputs), diags)
    check_freshness(site, diags)


def check_base_url(config: SiteConfig, diags: Diagnostics) -> None:
    """The published address: missing, or still the placeholder of a template."""
    if config.base_url is None:  # neither in site.yaml nor given with --base-url
        if config.base_url_loc is not None:  # given, but not a URL: an error already
            return
        message = "no 'base_url': canonical links and absolute URLs are left out"
        diags.warning(Loc(config.path), message)
        return
    host = urlsplit(config.base_url).hostname or ""
    if "example" in host.split("."):  # example.github.io, www.example.com, x.example
        diags.warning(
            config.base_url_loc or Loc(config.path),
            f"'base_url' is a placeholder ({host}): set the address the site is published "
            "at, or build with --base-url URL (the Pages workflow passes it)",
        )


def check_images(content_dir: Path, images: Iterable[tuple[str, Loc]], diags: Diagnostics) -> None:
    """The images of Markdown texts: each a file under content/, as a lead image is."""
    for src, loc in images:
        check_media(content_dir, Image(src, None, None, loc, loc), diags)


def check_theme(config: SiteConfig, themes: Path, diags: Diagnostics) -> None:
    """A theme named in site.yaml is a folder of `themes/` beside `content/` (the
    default theme ships with Dossier): a misspelt name must not fall back silently."""
    if config.theme == "default" or (themes / config.theme).is_dir():
        return
    found = sorted(p.name for p in themes.iterdir() if p.is_dir()) if themes.is_dir() else []
    diags.error(
        config.theme_loc or Loc(config.path),
        f"no theme '{config.theme}': there is no folder themes/{config.theme}/ beside "
        f"content/{did_you_mean(config.theme, [*found, 'default'])}",
    )


def _article_refs(site: Site) -> Iterator[tuple[str, str, Kind]]:
    """(article, id, kind) of what articles name, drafts included."""
    for article in [*site.index.values(), *site.drafts.values()]:
        yield from ((article.id, topic, "topic") for topic in article.topics)
        yield from ((article.id, entity, "entity") for entity in article.entities)


def _refs(site: Site) -> Iterator[tuple[Ref, Kind]]:
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
        if fact.reported_by:
            yield fact.reported_by, "entity"
        if fact.source:
            yield fact.source, "article"


def check_references(site: Site, declared: set[str], diags: Diagnostics) -> None:
    kinds: dict[str, Kind] = {a: "article" for a in site.drafts}
    kinds.update({a: "article" for a in site.index})
    kinds.update({e: "entity" for e in site.entities})
    kinds.update({t: "topic" for t in site.topics})

    @functools.cache  # once per unknown id: a deleted one may be named thousands of times
    def hint(unknown: str, expected: Kind) -> str:
        return did_you_mean(unknown, [i for i, k in kinds.items() if k == expected])

    for ref, expected in _refs(site):
        _check_ref(site, kinds, declared, ref, expected, hint, diags)
    for article_id, target, expected in _article_refs(site):
        if kinds.get(target) != expected:
            for ref in _refs_of(site, article_id, target):  # where it is written
                _check_ref(site, kinds, declared, ref, expected, hint, diags)


def _refs_of(site: Site, article_id: str, target: str) -> list[Ref]:
    record = site.texts.record(article_id).record
    assert isinstance(record, Article)
    return [ref for ref in (*record.topics, *record.entities) if ref.id == target]


def _check_ref(
    site: Site,
    kinds: dict[str, Kind],
    declared: set[str],
    ref: Ref,
    expected: Kind,
    hint: Callable[[str, Kind], str],
    diags: Diagnostics,
) -> None:
    found = kinds.get(ref.id)
    if found is None and ref.id in declared:
        return  # its own file failed, and said so: one error is enough
    if found is None:
        diags.error(ref.loc, f"unknown {expected} '{ref.id}'{hint(ref.id, expected)}")
    elif found != expected:
        diags.error(ref.loc, f"'{ref.id}' is {_a(found)}, not {_a(expected)}")
    elif expected == "article" and ref.id not in site.index:
        diags.warning(ref.loc, f"'{ref.id}' is a draft: it is left out without --drafts")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def check_wikilinks(site: Site, declared: set[str], diags: Diagnostics) -> None:
    def known(target: str) -> bool:
        return site.kind_of(target) is not None or target in declared

    wikilinks = [w for fragment in site.fragments.values() for w in fragment.wikilinks]
    for article in site.index.values():
        if not all(known(target) for target in article.links):
            mentions = site.texts.record(article.id).mentions
            wikilinks += mentions.wikilinks if mentions else ()
    everything = [*site.index, *site.entities, *site.topics]

    @functools.cache  # once per unknown id, as in `check_references`
    def hint(target: str) -> str:
        return did_you_mean(target, everything)

    for wikilink in wikilinks:
        if not known(wikilink.target):
            message = f"unknown id '{wikilink.target}' in [[...]]{hint(wikilink.target)}"
            diags.error(wikilink.loc, message)


def failed_files(site: Site, inputs: Inputs) -> dict[str, Path]:
    """The first file of each kind that failed ('article', 'entity', 'topic'): one
    that gave no record, or one that could not even be given an id."""
    resolved = {
        "article": site.index.keys() | site.drafts.keys(),
        "entity": site.entities.keys(),
        "topic": site.topics.keys(),
    }
    failed: dict[str, Path] = {}
    for source in inputs.sources:
        if source.kind in resolved and source.id not in resolved[source.kind]:
            failed.setdefault(source.kind, source.path)
    for diagnostic in inputs.diagnostics:
        kind = FOLDER_KINDS.get(diagnostic.loc.path.parent.name)
        in_content = diagnostic.loc.path.parent.parent == inputs.content_dir
        if kind is not None and in_content and diagnostic.severity == "error":
            failed.setdefault(kind, diagnostic.loc.path)
    return failed


FOLDER_KINDS = {"articles": "article", "entities": "entity", "topics": "topic"}


def warn_unused(site: Site, failed: dict[str, Path], diags: Diagnostics) -> None:
    """Entities no article mentions, articles in no topic. Not when a file they depend
    on failed: what it would have mentioned or listed is unknown (said once); nor for
    a file with an error of its own (its `topics` or `aliases` may be the error)."""
    erred = {d.loc.path for d in diags.items if d.severity == "error"}
    if "article" in failed:
        message = "which entities no article mentions is not checked while this article fails"
        diags.note(Loc(failed["article"]), message)
    else:
        for entity in site.entities.values():  # by a name, a wikilink or `entities`
            if entity.id not in site.entity_articles and entity.path not in erred:
                diags.warning(Loc(entity.path), f"entity '{entity.id}' is mentioned in no article")
    if "topic" in failed:
        message = "which articles are in no topic is not checked while this topic fails"
        diags.note(Loc(failed["topic"]), message)
        return
    for article in site.index.values():
        if article.topics:
            continue
        path = site.articles[article.id].path
        if path not in erred:
            diags.warning(Loc(path, 2), f"article '{article.id}' is in no topic")


Quoted = Fact | Relation | TimelineEntry


def quoted(site: Site) -> Iterator[tuple[Text, Ref | None, Quoted]]:
    """Every quote of the site with the article it must occur in and what it supports."""
    for fact in site.all_facts:
        if fact.quote:
            yield fact.quote, fact.source, fact
    for entity in site.entities.values():
        yield from ((r.quote, r.source, r) for r in entity.relations if r.quote)
    for topic in site.topics.values():
        yield from ((t.quote, t.source, t) for t in topic.timeline if t.quote)


def check_quotes(site: Site, find: QuoteFinder, inputs: Inputs, diags: Diagnostics) -> None:
    """`find(quote, article id)` says where the quote is; a quote found must hold
    the figures it is cited for (`support.py`). Quotes from an article that
    failed are not checked; its file says so once."""
    unchecked: dict[str, int] = {}
    for quote, source, claim in quoted(site):
        if source is None or source.id not in site.index:
            if source is not None:
                unchecked[source.id] = unchecked.get(source.id, 0) + 1
            continue
        answer = find(quote, source.id)
        if not answer.found:
            diags.error(
                quote.loc,
                f"quote not found in article '{source.id}'; closest passage: \"{answer.closest}\"",
            )
            continue
        site.quote_blocks[quote] = (source.id, answer.anchor)
        if answer.passage is not None:
            site.passages.setdefault(source.id, {})[answer.passage.id] = answer.passage
        if isinstance(claim, Fact):
            support.check_fact(claim, diags)
        elif isinstance(claim, Relation):
            support.check_relation(claim, diags)
    for article in inputs.sources:
        quotes = unchecked.get(article.id, 0) if article.kind == "article" else 0
        if quotes and article.id not in site.drafts:
            plural = "s" if quotes > 1 else ""
            message = f"{quotes} quote{plural} from this article not checked while it fails"
            diags.note(Loc(article.path), message)


def anchor_near(blocks: tuple[Block, ...], index: int) -> str | None:
    """The anchor of the block, or of the paragraph before a heading or cell."""
    for block in reversed(blocks[: index + 1]):
        if block.anchor:
            return block.anchor
    return None
