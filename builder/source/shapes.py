"""What each content file may hold: the one definition of every key (SPEC 2-5, 7).

The validator reads values through these definitions (which keys exist, which are
required, what type each has) and `jsonschema.py` turns the same definitions into
the JSON Schemas that editors' YAML tools use, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..model.content import ENTITY_TYPES

Kind = Literal[
    "text",  # one line or paragraph; a number is taken as its text
    "markdown",  # text with Markdown and [[wikilinks]]
    "date",  # YYYY, YYYY-MM or YYYY-MM-DD
    "day",  # YYYY-MM-DD, a time with its offset from UTC may follow (SPEC 3)
    "url",  # http(s)
    "id",  # the id of an article, entity or topic
    "ids",  # a list of ids
    "texts",  # a list of texts
    "flag",  # true or false
    "number",  # an integer or a decimal number
    "choice",  # one of `choices`
    "items",  # a list of mappings of `shape`
    "mapping",  # one mapping of `shape`
]

ID_RULE = r"[a-z][a-z0-9-]*"
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
PERIOD = re.compile(r"[1-9][0-9]*[dwmy]")
HOSTNAME = re.compile(
    r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    doc: str
    required: bool = False
    shape: Shape | None = None  # of "items" and "mapping"
    choices: tuple[str, ...] = ()  # of "choice"
    pattern: re.Pattern[str] | None = None  # a further rule for a text
    pattern_name: str = ""  # what the pattern accepts, for messages


@dataclass(frozen=True)
class Needs:
    """`key` given without `needs` is an error (said with `message`, or as a missing
    required key)."""

    key: str
    needs: str
    message: str | None = None


@dataclass(frozen=True)
class Shape:
    what: str  # as messages name it: "unknown key 'x' in {what}"
    fields: tuple[Field, ...]
    needs: tuple[Needs, ...] = ()
    any_of: tuple[str, ...] = ()  # at least one of these keys
    any_of_message: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(field.key for field in self.fields)

    def field(self, key: str) -> Field:
        return next(field for field in self.fields if field.key == key)


QUOTE_NEEDS_SOURCE = Needs("quote", "source", "a 'quote' needs a 'source' (the article id)")
SOURCE_DOC = "id of the article the quote comes from"
QUOTE_DOC = "the exact words of the source article that support this (checked)"
EDITORIAL_DOC = "true: the editor vouches for this without the source; shown as an editor's note"

FACT_ID = re.compile(ID_RULE)
FACT_ID_NAME = "a fact id (lowercase a-z, 0-9 and '-', starting with a letter)"
FACT_ID_DOC = "a stable name for the fact, unique in its file: for 'supersedes' and its history"
SUPERSEDES_DOC = "id of the older claim (same claimant) that this one replaces"
CORRECTION_DOC = "true: this replaces another claimant's figure ('supersedes') as a correction"

IMAGE = Shape(
    "image",
    (
        Field("src", "text", "path of the picture under content/, e.g. media/photo.jpg"),
        Field("alt", "text", "what the picture shows, for readers who cannot see it"),
        Field("credit", "text", "photographer or agency"),
    ),
    needs=(Needs("src", "alt"),),
    any_of=("src", "credit"),
    any_of_message="an image needs 'src' (with 'alt') or a 'credit'",
)
LINK = Shape(
    "link",
    (
        Field("title", "text", "what the link is called", required=True),
        Field("url", "url", "where it leads", required=True),
    ),
)
FACT = Shape(
    "fact",
    (
        Field("label", "text", "what is measured or stated", required=True),
        Field("value", "text", "the figure or statement, as the claimant gives it", required=True),
        Field("claimed_by", "id", "id of the entity that makes the claim"),
        Field("as_of", "date", "when the claim holds (the editor's dating)"),
        Field("source", "id", SOURCE_DOC),
        Field("quote", "markdown", QUOTE_DOC),
        Field("note", "text", "a remark shown under the fact"),
        Field("editorial", "flag", EDITORIAL_DOC),
        Field("reported_by", "id", "id of the entity that relayed a second-hand claim"),
        Field("number", "number", "the value as a number, for the row's spread and chart"),
        Field("low", "number", "the lower end, when the value is a range (with 'high')"),
        Field("high", "number", "the upper end, when the value is a range (with 'low')"),
        Field("unit", "text", "what the number counts, e.g. troops or 'million euros'"),
        Field("id", "text", FACT_ID_DOC, pattern=FACT_ID, pattern_name=FACT_ID_NAME),
        Field("supersedes", "text", SUPERSEDES_DOC, pattern=FACT_ID, pattern_name=FACT_ID_NAME),
        Field("correction", "flag", CORRECTION_DOC),
    ),
    needs=(
        QUOTE_NEEDS_SOURCE,
        Needs("low", "high", "a range needs both 'low' and 'high'"),
        Needs("high", "low", "a range needs both 'low' and 'high'"),
        Needs("correction", "supersedes", "'correction' needs 'supersedes': the claim it corrects"),
    ),
)
RELATION = Shape(
    "relation",
    (
        Field("type", "text", "how the entity relates to the target, e.g. 'leader of'", True),
        Field("target", "id", "id of the entity it relates to", required=True),
        Field("since", "date", "when the relation began"),
        Field("until", "date", "when it ended"),
        Field("source", "id", SOURCE_DOC),
        Field("quote", "markdown", QUOTE_DOC),
        Field("editorial", "flag", EDITORIAL_DOC),
    ),
    needs=(QUOTE_NEEDS_SOURCE,),
)
TIMELINE_ENTRY = Shape(
    "timeline entry",
    (
        Field("date", "date", "when it happened", required=True),
        Field("text", "markdown", "what happened", required=True),
        Field("source", "id", SOURCE_DOC),
        Field("quote", "markdown", QUOTE_DOC),
    ),
    needs=(QUOTE_NEEDS_SOURCE,),
)
SITE = Shape(
    "site.yaml",
    (
        Field("title", "text", "the site's name", required=True),
        Field("description", "text", "one sentence about the site"),
        Field("base_url", "url", "absolute URL where the site is published"),
        Field(
            "language",
            "text",
            "language of the content (default: en)",
            pattern=LANGUAGE_TAG,
            pattern_name="a BCP 47 language tag",
        ),
        Field("theme", "id", "folder under themes/ (default: default)"),
        Field(
            "cname", "text", "custom domain for GitHub Pages", pattern=HOSTNAME,
            pattern_name="a domain name",
        ),
        Field("allow_html", "flag", "true: raw HTML in Markdown is kept (default: escaped)"),
        Field(
            "stale_after", "text", "age after which a claim may be out of date, e.g. 90d",
            pattern=PERIOD, pattern_name="a period such as 90d, 12w, 6m or 1y",
        ),
    ),
)  # fmt: skip
ARTICLE = Shape(
    "front matter",
    (
        Field("title", "text", "the headline", required=True),
        Field("date", "day", "date of publication", required=True),
        Field("updated", "day", "date of the last update"),
        Field("publisher", "text", "the outlet that published it"),
        Field("authors", "texts", "bylines"),
        Field("url", "url", "address of the original article"),
        Field(
            "original_url",
            "url",
            "where the article was first published (the same as 'url'; give one of them)",
        ),
        Field("license", "text", "attribution or republication terms"),
        Field("image", "mapping", "the lead picture", shape=IMAGE),
        Field("topics", "ids", "ids of the topics it belongs to"),
        Field("entities", "ids", "ids of entities it concerns, besides those it names"),
        Field("summary", "text", "one paragraph for lists (default: the first one)"),
        Field("draft", "flag", "true: left out unless built with --drafts"),
    ),
)
ENTITY = Shape(
    "entity",
    (
        Field("name", "text", "the name shown on pages", required=True),
        Field("type", "choice", "what the entity is", required=True, choices=ENTITY_TYPES),
        Field("aliases", "texts", "other names, linked in articles like the name"),
        Field("summary", "markdown", "one line about who or what this is"),
        Field("description", "markdown", "a longer text"),
        Field("image", "mapping", "a portrait or emblem", shape=IMAGE),
        Field("facts", "items", "figures and statements about the entity", shape=FACT),
        Field("relations", "items", "how it relates to other entities", shape=RELATION),
        Field("links", "items", "pages elsewhere", shape=LINK),
    ),
)
TOPIC = Shape(
    "topic",
    (
        Field("title", "text", "the story's name", required=True),
        Field("summary", "markdown", "what the story is about (default: made from articles)"),
        Field("entities", "ids", "the key players, in order"),
        Field("facts", "items", "the fact box", shape=FACT),
        Field("timeline", "items", "dated events", shape=TIMELINE_ENTRY),
        Field("related", "ids", "ids of related topics"),
    ),
)
