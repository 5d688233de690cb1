"""One source file -> one compact record (`records.Compiled`).

Read, validated, and for an article parsed, linked and rendered. The result is a
pure function of the file's bytes, the Markdown dialect and, for an article, the
alias set it is linked against: it can be computed in any worker process and kept
in the build cache under a hash of exactly these inputs (`Dialect.key`).
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from ..diagnostics import Diagnostic, Diagnostics, Loc
from ..model.content import Article, Entity, Text, Topic
from ..model.records import ArticleBody, Compiled, Fragment, Mentions, Snippet, WikiRef
from .document import Document, parse_document
from .load import RawFile, read_raw
from .markdown import (
    NO_PLACEHOLDERS,
    inline_text,
    is_local,
    make_markdown,
    outside_content,
    render,
    wikilink_spans,
)
from .mentions import AliasMatcher, MentionLinker
from .textloc import locate
from .validate import Validator

SNIPPET_LENGTH = 160
SUMMARY_LENGTH = 300


@dataclass
class Dialect:
    """Everything besides a file's bytes that compiling it depends on."""

    allow_html: bool = False
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # alias -> entity ids, sorted
    _matcher: AliasMatcher | None = field(default=None, repr=False, compare=False)
    _md: MarkdownIt | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, allow_html: bool, entities: Iterable[Entity] = ()) -> Dialect:
        owners: dict[str, set[str]] = {}
        for entity in entities:
            for alias in entity.all_aliases:
                if alias.strip():
                    owners.setdefault(alias, set()).add(entity.id)
        return cls(allow_html, tuple(sorted((a, tuple(sorted(i))) for a, i in owners.items())))

    def __getstate__(self) -> dict[str, object]:
        """Sent to a cluster's workers without its parser and automaton: each worker
        builds them once from the aliases, which are smaller to send."""
        return {**self.__dict__, "_matcher": None, "_md": None}

    def prepare(self) -> None:
        """Build the parser and the alias automaton now (before workers fork), not
        once in every worker."""
        _ = self.md, self.matcher

    @property
    def md(self) -> MarkdownIt:
        if self._md is None:
            self._md = make_markdown(self.allow_html)
        return self._md

    @property
    def matcher(self) -> AliasMatcher:
        if self._matcher is None:
            self._matcher = AliasMatcher((i, a) for a, ids in self.aliases for i in ids)
        return self._matcher

    def key(self, kind: str, path: str, digest: bytes, version: str) -> bytes:
        """The cache key of a file's record: Dossier's `version`, the file's bytes
        (`digest`), where it is, and the dialect; articles also depend on the aliases,
        the other files only on HTML."""
        parts = [version, kind, path, digest.hex(), str(self.allow_html)]
        if kind == "article":
            parts.append(self.aliases_digest)
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()

    @functools.cached_property
    def aliases_digest(self) -> str:
        text = "\n".join(f"{alias}\0{' '.join(ids)}" for alias, ids in self.aliases)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def compile_file(kind: str, file_id: str, path: Path, dialect: Dialect) -> Compiled:
    diags = Diagnostics()
    raw = read_raw(kind, file_id, path, diags)
    record = Validator(diags).record(raw) if raw is not None else None
    if raw is None or record is None:
        return Compiled(kind, file_id, None, tuple(diags.items))
    if isinstance(record, Article):
        return _article(raw, record, tuple(diags.items), dialect)
    fragments: tuple[tuple[Text, Fragment], ...] = ()
    if isinstance(record, (Entity, Topic)):
        fields = _fields(record)
        fragments = tuple((text, fragment(dialect.md, text, raw.text, diags)) for text in fields)
    return Compiled(kind, file_id, record, tuple(diags.items), fragments)


def _fields(record: Entity | Topic) -> Iterable[Text]:
    """The Markdown fields of an entity or topic (a quote is verified, not rendered)."""
    if isinstance(record, Entity):
        yield from (t for t in (record.summary, record.description) if t)
    else:
        if record.summary:
            yield record.summary
        yield from (entry.text for entry in record.timeline)


def fragment(md: MarkdownIt, text: Text, source: str, diags: Diagnostics) -> Fragment:
    doc = parse_document(md, text.value, text.loc.line, anchors=False)
    diags.items.extend(path_errors(doc, text.loc, source))
    tokens = doc.tokens
    html = render(md, tokens)
    one_paragraph = len(tokens) == 3 and tokens[0].type == "paragraph_open"
    inline = render(md, tokens[1:2]) if one_paragraph else html
    plain = " ".join(
        inline_text(t.children or [], placeholders=True) for t in tokens if t.type == "inline"
    )
    images = local_images(doc, text.loc, source)
    return Fragment(html, inline, plain, wikirefs(doc, text.loc, source), images)


def path_errors(doc: Document, start: Loc, source: str) -> Iterable[Diagnostic]:
    """Each link or image of a parsed text whose path leaves `content/`."""
    seen: Counter[str] = Counter()
    for token in doc.tokens:
        for child in token.children or []:
            name = {"image": "src", "link_open": "href"}.get(child.type)
            url = child.attrGet(name) if name else None
            problem = outside_content(url) if isinstance(url, str) else None
            if problem is not None:
                seen[str(url)] += 1
                yield Diagnostic("error", _where(source, start, str(url), seen[str(url)]), problem)


def local_images(doc: Document, start: Loc, source: str) -> tuple[tuple[str, Loc], ...]:
    """The path under `content/` of each image of a parsed text (not one that leaves
    it: `path_errors` says so), with its place: checked to exist with the site."""
    seen: Counter[str] = Counter()
    found = []
    for token in doc.tokens:
        for child in token.children or []:
            src = child.attrGet("src") if child.type == "image" else None
            if isinstance(src, str) and is_local(src) and outside_content(src) is None:
                seen[src] += 1
                path = unquote(src.split("#", 1)[0].split("?", 1)[0])
                found.append((path, _where(source, start, src, seen[src])))
    return tuple(found)


def _where(source: str, start: Loc, url: str, nth: int) -> Loc:
    """Where the `nth` link to `url` stands: after its `(` (not at a `..` elsewhere on
    the line), as written or as the parser percent-encoded it; else where its text starts."""
    for needle, shift in ((f"({url}", 1), (f"({unquote(url)}", 1), (url, 0), (unquote(url), 0)):
        found = locate(source, start, needle, nth) if needle in source else start
        if found != start:
            return Loc(found.path, found.line, found.col + shift)
    return start


def wikirefs(doc: Document, start: Loc, source: str) -> tuple[WikiRef, ...]:
    """Every wikilink of a parsed text with its place in the file `source`."""
    seen: Counter[str] = Counter()
    found = []
    for block in doc.blocks:
        for child in block.inline.children or []:
            if child.type == "wikilink":
                raw = str(child.meta["raw"])
                seen[raw] += 1
                found.append(WikiRef(str(child.meta["id"]), locate(source, start, raw, seen[raw])))
    return tuple(found)


def _article(
    raw: RawFile, article: Article, diagnostics: tuple[Diagnostic, ...], dialect: Dialect
) -> Compiled:
    md = dialect.md
    doc = parse_document(md, raw.body, raw.body_line)
    linker = MentionLinker(dialect.matcher, frozenset(ref.id for ref in article.entities))
    linker.run(doc)
    counts = Counter(m.entity for m in linker.mentions)
    mentions = Mentions(
        tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        wikirefs(doc, Loc(raw.path, raw.body_line), raw.text),
        dek(article, doc),
        tuple(_ambiguities(raw, article, linker)),
        local_images(doc, Loc(raw.path, raw.body_line), raw.text),
    )
    body = ArticleBody(render(md, doc.tokens), doc.compact())
    snippets = tuple(_first_mentions(article.id, doc, linker, counts))
    diagnostics += tuple(path_errors(doc, Loc(raw.path, raw.body_line), raw.text))
    return Compiled("article", article.id, article, diagnostics, (), mentions, snippets, body)


def _ambiguities(raw: RawFile, article: Article, linker: MentionLinker) -> Iterable[Diagnostic]:
    lines = raw.body.split("\n")
    for ambiguity in linker.ambiguities:
        index = ambiguity.line - raw.body_line
        line = lines[index] if 0 <= index < len(lines) else ""
        col = max(line.find(ambiguity.alias), 0) + 1
        yield Diagnostic(
            "warning",
            Loc(raw.path, ambiguity.line, col),
            f"ambiguous alias '{ambiguity.alias}' in article '{article.id}' could be "
            f"{', '.join(ambiguity.candidates)}: name one in the article's 'entities'",
        )


def _first_mentions(
    article_id: str, doc: Document, linker: MentionLinker, counts: Counter[str]
) -> Iterable[Snippet]:
    seen: set[str] = set()
    for mention in linker.mentions:
        if mention.entity not in seen:
            seen.add(mention.entity)
            block = doc.blocks[mention.block]
            count = counts[mention.entity]
            yield snippet(
                mention.entity,
                article_id,
                block.text,
                mention.start,
                mention.end,
                count,
                block.shown,
            )


def snippet(
    entity_id: str,
    article_id: str,
    text: str,
    start: int,
    end: int,
    count: int,
    shown: str | None = None,
) -> Snippet:
    """About 160 characters of `text` around [start, end), cut at words; taken from
    `shown` (the same text with placeholders for `[[id]]`s) when the block has one."""
    room = max(SNIPPET_LENGTH - (end - start), 0) // 2
    left, right = max(0, start - room), min(len(text), end + room)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    if shown is not None:
        at = _offsets_in(text, shown)
        left, start, end, right, text = at(left, -1), at(start, 0), at(end, 0), at(right, 1), shown
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return Snippet(entity_id, article_id, before, text[start:end], after, count)


def _offsets_in(text: str, shown: str) -> Callable[[int, int], int]:
    """Where an offset of `text` stands in `shown`, which has a longer placeholder for
    each `[[id]]` whose id `text` has; an offset inside an id moves to the start of its
    placeholder (`widen` < 0) or past its end."""
    spans = []  # each id's start and end in `text`; how far `shown` is ahead before, after
    ahead = 0
    for start, end, target in wikilink_spans(shown):
        begins = start - ahead
        after = ahead + (end - start) - len(target)
        spans.append((begins, begins + len(target), ahead, after))
        ahead = after

    def at(offset: int, widen: int) -> int:
        shift = 0
        for start, end, before, after in spans:
            if offset <= start:
                return offset + before
            if offset < end:
                return start + before if widen < 0 else end + after
            shift = after
        return offset + shift

    return at


def dek(article: Article, doc: Document) -> str:
    """The article's summary, or its first paragraph cut near 300 characters; an
    `[[id]]` in it as a placeholder for its target's title (`markdown.fill_plain`)."""
    if article.summary:  # as written; what only placeholders hold is not theirs to hold
        return article.summary.strip().translate(NO_PLACEHOLDERS)
    paragraphs = doc.paragraphs
    first = paragraphs[0] if paragraphs else None
    text = (first.shown or first.text).strip() if first else ""
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text.rfind(" ", 0, SUMMARY_LENGTH)
    kept = text[: cut if cut > 0 else SUMMARY_LENGTH]
    if kept.count("\x00") % 2:  # inside a placeholder: before it
        kept = kept[: kept.rfind("\x00")]
    return kept.rstrip(" ,;:") + "…"
