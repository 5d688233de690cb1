"""Raw records -> typed model: every key checked against the schema of SPEC 2-5, 7."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Loc
from ..model.content import (
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
from ..model.freshness import period_days
from .factids import check_fact_ids
from .fields import Fields
from .load import RawFile
from .shapes import ARTICLE, ENTITY, FACT, LINK, RELATION, SITE, TIMELINE_ENTRY, TOPIC

TODO_COMMENT = re.compile(r"^\s*[^\s#].*?\s#.*?(?P<todo>\bTODO\b)")


class Validator:
    """Checks one raw record against its schema; needs nothing but the file itself."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def record(self, raw_file: RawFile) -> SiteConfig | Article | Entity | Topic | None:
        readers = {"site": self.site, "article": self.article, "entity": self.entity}
        record = readers.get(raw_file.kind, self.topic)(raw_file)
        data = raw_file.data
        draft = isinstance(record, Article) and record.draft
        if not draft and not (isinstance(data, dict) and data.get("draft") is True):
            self.todo_comments(raw_file)
        return record

    def todo_comments(self, raw_file: RawFile) -> None:
        """`key: value  # TODO ...`: a value that `build import` or an editor marked
        unfinished. (A comment on a line of its own is a note, not a marker.)"""
        lines = raw_file.text.split("\n")
        first, last = (1, raw_file.body_line - 2) if raw_file.kind == "article" else (0, len(lines))
        for number in range(first, last):
            match = TODO_COMMENT.search(lines[number])
            if match:
                self.diags.warning(
                    Loc(raw_file.path, number + 1, match.start("todo") + 1),
                    "a TODO is left on this line: finish the value, then remove the comment",
                )

    def site(self, raw_file: RawFile) -> SiteConfig | None:
        f = Fields(raw_file.data, Loc(raw_file.path), SITE, self.diags)
        title = f.string("title")
        base_url = f.url("base_url")
        language = f.string("language") or "en"
        cname = f.string("cname")
        theme = f.ref("theme")
        stale_after = f.string("stale_after")
        if title is None:
            return None
        return SiteConfig(
            title=title,
            path=raw_file.path,
            description=f.string("description"),
            base_url=base_url if base_url is None or base_url.endswith("/") else base_url + "/",
            language=language,
            theme=theme.id if theme else "default",
            theme_loc=theme.loc if theme else None,
            cname=cname,
            allow_html=bool(f.flag("allow_html")),
            base_url_loc=f.value_loc("base_url") if f.data.get("base_url") else None,
            stale_after=period_days(stale_after) if stale_after else None,
            stale_after_loc=f.value_loc("stale_after") if stale_after else None,
        )

    def article(self, raw_file: RawFile) -> Article | None:
        f = Fields(raw_file.data, Loc(raw_file.path, 2), ARTICLE, self.diags)
        draft = bool(f.flag("draft"))
        f.unfinished_ok = draft  # an imported draft is full of TODOs, and unpublished
        title = f.string("title")
        date = f.date("date")
        url, original_url = f.url("url"), f.url("original_url")
        if "url" in f.data and "original_url" in f.data:
            self.diags.error(
                f.value_loc("original_url"), "give 'url' or 'original_url', not both: they are one"
            )
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
            url=url or original_url,
            license=f.string("license"),
            image=self.image(f),
            topics=f.refs("topics"),
            entities=f.refs("entities"),
            summary=f.string("summary"),
            draft=draft,
        )

    def entity(self, raw_file: RawFile) -> Entity | None:
        f = Fields(raw_file.data, Loc(raw_file.path), ENTITY, self.diags)
        name = f.string("name")
        kind = f.choice("type")
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
        f = Fields(raw_file.data, Loc(raw_file.path), TOPIC, self.diags)
        title = f.string("title")
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
        facts = tuple(
            fact for item, loc in parent.items("facts") if (fact := self.fact(item, loc, owner))
        )
        check_fact_ids(facts, self.diags)
        return facts

    def fact(self, data: Any, loc: Loc, owner: str) -> Fact | None:
        f = Fields(data, loc, FACT, self.diags)
        label = f.string("label")
        value = f.string("value")
        source = f.ref("source")
        quote = f.text("quote")
        unsourced = f.is_mapping and "source" not in f.data
        if unsourced and "quote" not in f.data:  # a quote without it is an error already
            self.diags.warning(f.loc, f"fact '{label}' has no 'source'")
        number, low, high = f.number("number"), f.number("low"), f.number("high")
        if number is not None and "low" in f.data:
            self.diags.error(f.value_loc("low"), "give 'number' or 'low' and 'high', not both")
        if low is not None and high is not None and low > high:
            self.diags.error(f.value_loc("low"), f"'low' ({low:g}) is above 'high' ({high:g})")
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
            bool(f.flag("editorial")),
            id=f.text("id"),
            supersedes=f.text("supersedes"),
            correction=bool(f.flag("correction")),
            reported_by=f.ref("reported_by"),
            number=number,
            low=low,
            high=high,
            unit=f.string("unit"),
        )

    def relation(self, data: Any, loc: Loc, subject: str) -> Relation | None:
        f = Fields(data, loc, RELATION, self.diags)
        kind = f.string("type")
        target = f.ref("target")
        source = f.ref("source")
        quote = f.text("quote")
        since, until, editorial = f.date("since"), f.date("until"), f.flag("editorial")
        if kind is None or target is None:
            return None
        return Relation(subject, kind, target, since, until, source, quote, f.loc, bool(editorial))

    def timeline(self, data: Any, loc: Loc) -> TimelineEntry | None:
        f = Fields(data, loc, TIMELINE_ENTRY, self.diags)
        date = f.date("date")
        text = f.text("text")
        source = f.ref("source")
        quote = f.text("quote")
        if date is None or text is None:
            return None
        return TimelineEntry(date, text, source, quote, f.loc)

    def link(self, data: Any, loc: Loc) -> Link | None:
        f = Fields(data, loc, LINK, self.diags)
        title = f.string("title")
        url = f.url("url")
        return Link(title, url) if title and url else None

    def image(self, parent: Fields) -> Image | None:
        f = parent.nested("image")
        if f is None:
            return None
        src, alt, credit = f.string("src"), f.string("alt"), f.string("credit")
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
