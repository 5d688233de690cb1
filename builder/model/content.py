"""The validated content: plain frozen records, no I/O.

Every record and every reference carries the `Loc` it came from, so that later
stages can point a diagnostic at the exact key or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..diagnostics import Loc
from .dates import PartialDate

ENTITY_TYPES = ("person", "country", "organization", "place", "group", "event", "other")
Kind = Literal["article", "entity", "topic"]


@dataclass(frozen=True)
class Ref:
    """A reference by id to an article, entity or topic; checked in `resolve`."""

    id: str
    loc: Loc


@dataclass(frozen=True)
class Text:
    """A Markdown (or plain) string and where it starts in its file."""

    value: str
    loc: Loc


@dataclass(frozen=True)
class Image:
    src: str | None  # relative to content/; checked to exist when the site is resolved
    alt: str | None
    credit: str | None
    loc: Loc
    src_loc: Loc | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Fact:
    owner: str  # id of the topic or entity whose box holds the fact
    label: str
    value: str
    claimed_by: Ref | None
    as_of: PartialDate | None
    source: Ref | None
    quote: Text | None
    note: str | None
    loc: Loc
    editorial: bool = False  # the editor vouches for it without the quote's support
    id: Text | None = None  # stable within its topic or entity (SPEC 7)
    supersedes: Text | None = None  # the id of the older claim this one replaces
    correction: bool = False  # it may supersede another claimant's claim
    reported_by: Ref | None = None  # who relayed a second-hand claim
    number: float | None = None  # the value as a number ...
    low: float | None = None  # ... or as a range
    high: float | None = None
    unit: str | None = None

    @property
    def span(self) -> tuple[float, float] | None:
        """The value on a number line: (number, number), (low, high) or None."""
        if self.number is not None:
            return (self.number, self.number)
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
        return None


@dataclass(frozen=True)
class Relation:
    subject: str  # id of the entity whose file declares it
    type: str
    target: Ref
    since: PartialDate | None
    until: PartialDate | None
    source: Ref | None
    quote: Text | None
    loc: Loc
    editorial: bool = False  # the editor vouches for it without the quote's support


@dataclass(frozen=True)
class TimelineEntry:
    date: PartialDate
    text: Text
    source: Ref | None
    quote: Text | None
    loc: Loc


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    title: str
    date: PartialDate
    updated: PartialDate | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    license: str | None = None
    image: Image | None = None
    topics: tuple[Ref, ...] = ()
    entities: tuple[Ref, ...] = ()
    summary: str | None = None
    draft: bool = False


@dataclass(frozen=True)
class Entity:
    id: str
    path: Path
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    summary: Text | None = None
    description: Text | None = None
    image: Image | None = None
    facts: tuple[Fact, ...] = ()
    relations: tuple[Relation, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def all_aliases(self) -> tuple[str, ...]:
        """The name first, then the other aliases, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True)
class Topic:
    id: str
    path: Path
    title: str
    summary: Text | None = None
    entities: tuple[Ref, ...] = ()
    facts: tuple[Fact, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    related: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    title: str
    path: Path
    description: str | None = None
    base_url: str | None = None
    language: str = "en"
    theme: str = "default"
    cname: str | None = None
    allow_html: bool = False
    base_url_loc: Loc | None = None  # where site.yaml gives it
    theme_loc: Loc | None = None  # where site.yaml names a theme
    stale_after: int | None = None  # days after which a claim may be out of date
    stale_after_loc: Loc | None = None
