"""Validated content -> Site: references checked, bodies parsed, mentions found,
quotes verified, and the indexes that pages read (backlinks, claims, co-mentions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .diagnostics import Diagnostics, Loc, did_you_mean
from .document import Block, Document, parse_document
from .markdown import make_markdown
from .mentions import AliasMatcher, MentionLinker
from .model import Article, Content, Entity, Kind, Ref, Text, Topic
from .quotes import find_quote
from .site import Site, Snippet
from .summarize import automatic_summary
from .textloc import locate

SNIPPET_LENGTH = 160


@dataclass
class ParseCache:
    """Parsed and linked Markdown kept between builds by `build serve`: an article is
    parsed again only when its text, its `entities` or the aliases change."""

    allow_html: bool = False
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    matcher: AliasMatcher | None = None
    bodies: dict[str, tuple[object, Document, MentionLinker]] = field(default_factory=dict)
    fields: dict[Text, Document] = field(default_factory=dict)


def resolve(
    content: Content, diags: Diagnostics, drafts: bool = False, cache: ParseCache | None = None
) -> Site:
    articles = [a for a in content.articles if drafts or not a.draft]
    articles.sort(key=lambda a: a.id)
    articles.sort(key=lambda a: a.date.sort_key, reverse=True)
    entities = sorted(content.entities, key=lambda e: (e.name.casefold(), e.id))
    site = Site(
        content.config,
        make_markdown(content.config.allow_html),
        {a.id: a for a in articles},
        {e.id: e for e in entities},
        {t.id: t for t in content.topics},
    )
    check_references(site, content, diags)
    cache = cache if cache is not None else ParseCache()
    if cache.allow_html != content.config.allow_html:  # parsed with another dialect
        cache.allow_html, cache.matcher, cache.bodies, cache.fields = (
            content.config.allow_html,
            None,
            {},
            {},
        )
    parse_bodies(site, content, diags, cache)
    parse_fields(site, content, diags, cache)
    verify_quotes(site, diags)
    index_topics(site)
    site.auto_summaries = {
        t.id: automatic_summary(site, t.id) for t in site.topics.values() if t.summary is None
    }
    index_mentions(site)
    index_relations_and_claims(site)
    warn_unused(site, diags)
    return site


# --- references -------------------------------------------------------------------


def _refs(content: Content) -> Iterator[tuple[Ref, Kind]]:
    for article in content.articles:
        yield from ((ref, "topic") for ref in article.topics)
        yield from ((ref, "entity") for ref in article.entities)
    for topic in content.topics:
        yield from ((ref, "entity") for ref in topic.entities)
        yield from ((ref, "topic") for ref in topic.related)
        yield from ((entry.source, "article") for entry in topic.timeline if entry.source)
    for entity in content.entities:
        for relation in entity.relations:
            yield relation.target, "entity"
            if relation.source:
                yield relation.source, "article"
    owners: list[Topic | Entity] = [*content.topics, *content.entities]
    for fact in [f for owner in owners for f in owner.facts]:
        if fact.claimed_by:
            yield fact.claimed_by, "entity"
        if fact.source:
            yield fact.source, "article"


def check_references(site: Site, content: Content, diags: Diagnostics) -> None:
    kinds: dict[str, Kind] = {a.id: "article" for a in content.articles}
    kinds.update({e.id: "entity" for e in content.entities})
    kinds.update({t.id: "topic" for t in content.topics})
    for ref, expected in _refs(content):
        found = kinds.get(ref.id)
        if found is None and ref.id in content.declared:
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


def check_wikilinks(
    site: Site, content: Content, doc: Document, start: Loc, diags: Diagnostics
) -> None:
    source = content.sources.get(start.path, "")
    seen: Counter[str] = Counter()
    for block in doc.blocks:
        for child in block.inline.children or []:
            if child.type != "wikilink":
                continue
            raw = str(child.meta["raw"])
            seen[raw] += 1
            target = str(child.meta["id"])
            if site.kind_of(target) is None and target not in content.declared:
                loc = locate(source, start, raw, seen[raw])
                known = [*site.articles, *site.entities, *site.topics]
                diags.error(loc, f"unknown id '{target}' in [[...]]{did_you_mean(target, known)}")


# --- Markdown -----------------------------------------------------------------------


def _matcher(site: Site, cache: ParseCache) -> AliasMatcher:
    aliases = tuple((e.id, e.all_aliases) for e in site.entities.values())
    if cache.matcher is None or cache.aliases != aliases:
        cache.aliases, cache.bodies = aliases, {}
        cache.matcher = AliasMatcher((i, alias) for i, names in aliases for alias in names)
    return cache.matcher


def _linked_body(
    site: Site, article: Article, matcher: AliasMatcher, cache: ParseCache
) -> tuple[Document, MentionLinker]:
    listed = frozenset(ref.id for ref in article.entities)
    key = (article.body, listed)
    hit = cache.bodies.get(article.id)
    if hit is not None and hit[0] == key:
        return hit[1], hit[2]
    doc = parse_document(site.md, article.body.value, article.body.loc.line)
    linker = MentionLinker(matcher, listed)
    linker.run(doc)
    cache.bodies[article.id] = (key, doc, linker)
    return doc, linker


def parse_bodies(site: Site, content: Content, diags: Diagnostics, cache: ParseCache) -> None:
    matcher = _matcher(site, cache)
    for article in site.articles.values():
        doc, linker = _linked_body(site, article, matcher, cache)
        site.documents[article.id] = doc
        _record_mentions(site, article, doc, linker)
        for ambiguity in linker.ambiguities:
            line = _line_text(site, article, ambiguity.line)
            col = max(line.find(ambiguity.alias), 0) + 1
            diags.warning(
                Loc(article.path, ambiguity.line, col),
                f"ambiguous alias '{ambiguity.alias}' in article '{article.id}' could be "
                f"{', '.join(ambiguity.candidates)}: name one in the article's 'entities'",
            )
        check_wikilinks(site, content, doc, article.body.loc, diags)


def _line_text(site: Site, article: Article, line: int) -> str:
    lines = article.body.value.split("\n")
    index = line - article.body.loc.line
    return lines[index] if 0 <= index < len(lines) else ""


def _record_mentions(site: Site, article: Article, doc: Document, linker: MentionLinker) -> None:
    counts = Counter(m.entity for m in linker.mentions)
    for child_id in linker.linked:  # wikilinks to entities are mentions too
        if child_id in site.entities and child_id not in counts:
            counts[child_id] = 1
    site.mention_counts[article.id] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    first: dict[str, Snippet] = {}
    for mention in linker.mentions:
        if mention.entity not in first:
            text = doc.blocks[mention.block].text
            first[mention.entity] = _snippet(
                article.id, text, mention.start, mention.end, counts[mention.entity]
            )
    for entity_id, snippet in first.items():
        site.mentioned_in.setdefault(entity_id, []).append(snippet)


def _snippet(article_id: str, text: str, start: int, end: int, count: int) -> Snippet:
    room = max(SNIPPET_LENGTH - (end - start), 0) // 2
    left, right = max(0, start - room), min(len(text), end + room)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return Snippet(article_id, before, text[start:end], after, count)


def _markdown_fields(content: Content) -> Iterator[Text]:
    for entity in content.entities:
        yield from (t for t in (entity.summary, entity.description) if t)
    for topic in content.topics:
        if topic.summary:
            yield topic.summary
        yield from (entry.text for entry in topic.timeline)


def parse_fields(site: Site, content: Content, diags: Diagnostics, cache: ParseCache) -> None:
    fresh: dict[Text, Document] = {}
    for text in _markdown_fields(content):
        doc = cache.fields.get(text) or parse_document(
            site.md, text.value, text.loc.line, anchors=False
        )
        fresh[text] = doc
        site.fields[text] = doc.tokens
        check_wikilinks(site, content, doc, text.loc, diags)
    cache.fields = fresh


# --- quotes ---------------------------------------------------------------------------


def _quoted(site: Site) -> Iterator[tuple[Text, Ref | None]]:
    for fact in site.all_facts:
        if fact.quote:
            yield fact.quote, fact.source
    for entity in site.entities.values():
        yield from ((r.quote, r.source) for r in entity.relations if r.quote)
    for topic in site.topics.values():
        yield from ((t.quote, t.source) for t in topic.timeline if t.quote)


def verify_quotes(site: Site, diags: Diagnostics) -> None:
    for quote, source in _quoted(site):
        if source is None or source.id not in site.documents:
            continue
        blocks = site.documents[source.id].blocks
        result = find_quote(site.md, quote.value, [b.text for b in blocks])
        if result.block is None:
            diags.error(
                quote.loc,
                f"quote not found in article '{source.id}'; closest passage: \"{result.closest}\"",
            )
        else:
            site.quote_blocks[quote] = (source.id, _anchor_near(blocks, result.block))


def _anchor_near(blocks: list[Block], index: int) -> str | None:
    """The anchor of the block, or of the paragraph before a heading or cell."""
    for block in reversed(blocks[: index + 1]):
        if block.anchor:
            return block.anchor
    return None


# --- indexes --------------------------------------------------------------------------


def index_topics(site: Site) -> None:
    for article in site.articles.values():  # newest first
        for ref in article.topics:
            if ref.id in site.topics:
                site.topic_articles.setdefault(ref.id, []).append(article.id)
    for topic_id, article_ids in site.topic_articles.items():
        site.topic_updated[topic_id] = site.articles[article_ids[0]].date
    order = sorted(site.topics.values(), key=lambda t: (t.title.casefold(), t.id))
    order.sort(
        key=lambda t: (
            site.topic_updated[t.id].sort_key if t.id in site.topic_updated else (0, 0, 0, "")
        ),
        reverse=True,
    )
    site.topics = {t.id: t for t in order}


def index_mentions(site: Site) -> None:
    """Which entities each article holds, for co-mentions and entity topics."""
    for article in site.articles.values():
        counts = site.mention_counts.get(article.id, {})
        site.total_mentions.update(counts)
        present = sorted(set(counts) | {r.id for r in article.entities if r.id in site.entities})
        site.present[article.id] = tuple(present)
        for entity_id in present:
            site.entity_articles.setdefault(entity_id, []).append(article.id)
            for topic_ref in article.topics:
                _add_unique(site.entity_topics, entity_id, topic_ref.id)
    for topic in site.topics.values():
        for ref in topic.entities:
            _add_unique(site.entity_topics, ref.id, topic.id)


def _add_unique(index: dict[str, list[str]], key: str, value: str) -> None:
    values = index.setdefault(key, [])
    if value not in values:
        values.append(value)


def index_relations_and_claims(site: Site) -> None:
    for entity in site.entities.values():
        for relation in entity.relations:
            site.relations_in.setdefault(relation.target.id, []).append(relation)
    for fact in site.all_facts:
        if fact.claimed_by:
            site.claims.setdefault(fact.claimed_by.id, []).append(fact)
        if fact.source:
            site.citing.setdefault(fact.source.id, []).append(fact)


def warn_unused(site: Site, diags: Diagnostics) -> None:
    listed = {ref.id for article in site.articles.values() for ref in article.entities}
    for entity in site.entities.values():
        if entity.id not in site.mentioned_in and entity.id not in listed:
            diags.warning(Loc(entity.path), f"entity '{entity.id}' is mentioned in no article")
    for article in site.articles.values():
        if not article.topics:
            diags.warning(Loc(article.path, 2), f"article '{article.id}' is in no topic")
