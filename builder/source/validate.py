"""Raw records -> typed model: every key checked against the schema of SPEC 2-5, 7."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Loc, did_you_mean
from ..model.content import (
    ENTITY_TYPES,
    Article,
    Entity,
    Fact,
    Image,
    Link,
    Relation,
    SiteConfig,
    TimelineEntry,
    Topic,
)
from .load import RawFile
from .schema import HOSTNAME, LANGUAGE_TAG, Fields

SITE_KEYS = ("title", "description", "base_url", "language", "theme", "cname", "allow_html")
ARTICLE_KEYS = (
    "title",
    "date",
    "updated",
    "publisher",
    "authors",
    "url",
    "license",
    "image",
    "topics",
    "entities",
    "summary",
    "draft",
)
ENTITY_KEYS = (
    "name",
    "type",
    "aliases",
    "summary",
    "description",
    "image",
    "facts",
    "relations",
    "links",
)
TOPIC_KEYS = ("title", "summary", "entities", "facts", "timeline", "related")
FACT_KEYS = ("label", "value", "claimed_by", "as_of", "source", "quote", "note")
RELATION_KEYS = ("type", "target", "since", "until", "source", "quote")
TIMELINE_KEYS = ("date", "text", "source", "quote")
IMAGE_KEYS = ("src", "alt", "credit")
LINK_KEYS = ("title", "url")


class Validator:
    """Checks one raw record against its schema; needs nothing but the file itself."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def record(self, raw_file: RawFile) -> SiteConfig | Article | Entity | Topic | None:
        if raw_file.kind == "site":
            return self.site(raw_file)
        if raw_file.kind == "article":
            return self.article(raw_file)
        if raw_file.kind == "entity":
            return self.entity(raw_file)
        return self.topic(raw_file)

    def site(self, raw_file: RawFile) -> SiteConfig | None:
        f = Fields(raw_file.data, Loc(raw_file.path), SITE_KEYS, "site.yaml", self.diags)
        title = f.string("title", required=True)
        base_url = f.url("base_url")
        language = f.string("language") or "en"
        if not LANGUAGE_TAG.fullmatch(language):
            self.diags.error(f.value_loc("language"), f"'{language}' is not a BCP 47 language tag")
        cname = f.string("cname")
        if cname is not None and not HOSTNAME.fullmatch(cname):
            self.diags.error(f.value_loc("cname"), f"'cname' must be a domain name, not '{cname}'")
        theme = f.ref("theme")
        if title is None:
            return None
        return SiteConfig(
            title=title,
            path=raw_file.path,
            description=f.string("description"),
            base_url=base_url if base_url is None or base_url.endswith("/") else base_url + "/",
            language=language,
            theme=theme.id if theme else "default",
            cname=cname,
            allow_html=bool(f.flag("allow_html")),
        )

    def article(self, raw_file: RawFile) -> Article | None:
        f = Fields(raw_file.data, Loc(raw_file.path, 2), ARTICLE_KEYS, "front matter", self.diags)
        title = f.string("title", required=True)
        date = f.date("date", required=True)
        if title is None or date is None:
            return None
        return Article(
            id=raw_file.id,
            path=raw_file.path,
            title=title,
            date=date,
            updated=f.date("updated"),
            publisher=f.string("publisher"),
            authors=f.strs("authors"),
            url=f.url("url"),
            license=f.string("license"),
            image=self.image(f),
            topics=f.refs("topics"),
            entities=f.refs("entities"),
            summary=f.string("summary"),
            draft=bool(f.flag("draft")),
        )

    def entity(self, raw_file: RawFile) -> Entity | None:
        f = Fields(raw_file.data, Loc(raw_file.path), ENTITY_KEYS, "entity", self.diags)
        name = f.string("name", required=True)
        kind = f.string("type", required=True)
        if kind is not None and kind not in ENTITY_TYPES:
            self.diags.error(
                f.value_loc("type"),
                f"unknown entity type '{kind}': use one of {', '.join(ENTITY_TYPES)}"
                + did_you_mean(kind, ENTITY_TYPES),
            )
            kind = None
        facts = self.facts(f, raw_file.id)
        relations = tuple(
            r for item, loc in f.items("relations") if (r := self.relation(item, loc, raw_file.id))
        )
        links = tuple(link for item, loc in f.items("links") if (link := self.link(item, loc)))
        if name is None or kind is None:
            return None
        return Entity(
            id=raw_file.id,
            path=raw_file.path,
            name=name,
            type=kind,
            aliases=f.strs("aliases"),
            summary=f.text("summary"),
            description=f.text("description"),
            image=self.image(f),
            facts=facts,
            relations=relations,
            links=links,
        )

    def topic(self, raw_file: RawFile) -> Topic | None:
        f = Fields(raw_file.data, Loc(raw_file.path), TOPIC_KEYS, "topic", self.diags)
        title = f.string("title", required=True)
        facts = self.facts(f, raw_file.id)
        timeline = tuple(t for item, loc in f.items("timeline") if (t := self.timeline(item, loc)))
        if title is None:
            return None
        return Topic(
            id=raw_file.id,
            path=raw_file.path,
            title=title,
            summary=f.text("summary"),
            entities=f.refs("entities"),
            facts=facts,
            timeline=timeline,
            related=f.refs("related"),
        )

    def facts(self, parent: Fields, owner: str) -> tuple[Fact, ...]:
        return tuple(
            fact for item, loc in parent.items("facts") if (fact := self.fact(item, loc, owner))
        )

    def fact(self, data: Any, loc: Loc, owner: str) -> Fact | None:
        f = Fields(data, loc, FACT_KEYS, "fact", self.diags)
        label = f.string("label", required=True)
        value = f.string("value", required=True)
        source = f.ref("source")
        quote = f.text("quote")
        self.check_quote_source(f, quote is not None, source is not None)
        if source is None and "source" not in f.data:
            self.diags.warning(f.loc, f"fact '{label}' has no 'source'")
        if label is None or value is None:
            return None
        return Fact(
            owner,
            label,
            value,
            f.ref("claimed_by"),
            f.date("as_of"),
            source,
            quote,
            f.string("note"),
            f.loc,
        )

    def relation(self, data: Any, loc: Loc, subject: str) -> Relation | None:
        f = Fields(data, loc, RELATION_KEYS, "relation", self.diags)
        kind = f.string("type", required=True)
        target = f.ref("target", required=True)
        source = f.ref("source")
        quote = f.text("quote")
        self.check_quote_source(f, quote is not None, source is not None)
        if kind is None or target is None:
            return None
        return Relation(
            subject, kind, target, f.date("since"), f.date("until"), source, quote, f.loc
        )

    def timeline(self, data: Any, loc: Loc) -> TimelineEntry | None:
        f = Fields(data, loc, TIMELINE_KEYS, "timeline entry", self.diags)
        date = f.date("date", required=True)
        text = f.text("text", required=True)
        source = f.ref("source")
        quote = f.text("quote")
        self.check_quote_source(f, quote is not None, source is not None)
        if date is None or text is None:
            return None
        return TimelineEntry(date, text, source, quote, f.loc)

    def check_quote_source(self, f: Fields, has_quote: bool, has_source: bool) -> None:
        if has_quote and not has_source and "source" not in f.data:
            self.diags.error(f.value_loc("quote"), "a 'quote' needs a 'source' (the article id)")

    def link(self, data: Any, loc: Loc) -> Link | None:
        f = Fields(data, loc, LINK_KEYS, "link", self.diags)
        title = f.string("title", required=True)
        url = f.url("url")
        if "url" not in f.data:
            f.raw("url", required=True)
        return Link(title, url) if title and url else None

    def image(self, parent: Fields) -> Image | None:
        f = parent.nested("image", IMAGE_KEYS, "image")
        if f is None:
            return None
        src, alt, credit = f.string("src"), f.string("alt"), f.string("credit")
        if src is not None and alt is None:
            f.raw("alt", required=True)
        if src is None and credit is None:
            self.diags.error(f.loc, "an image needs 'src' (with 'alt') or a 'credit'")
        return Image(src, alt, credit, f.loc, f.value_loc("src") if src is not None else None)


def check_media(content_dir: Path, image: Image | None, diags: Diagnostics) -> None:
    """A media path must name a file inside content/, also after symlinks. Checked
    when the site is resolved, as the answer depends on other files than the record's."""
    if image is None or image.src is None:
        return
    src, loc = image.src, image.src_loc or image.loc
    root = content_dir.resolve()
    candidate = Path(src)
    if candidate.is_absolute() or "\\" in src or ":" in src:
        diags.error(loc, f"'{src}' must be a path relative to content/")
        return
    target = (content_dir / candidate).resolve()
    if not target.is_relative_to(root):
        diags.error(loc, f"'{src}' leaves content/: media must stay inside it")
    elif not target.is_file():
        diags.error(loc, f"'{src}' does not exist under content/")
