"""`build new article|entity|topic ID`: a valid skeleton, every optional key shown
as a comment, so an editor never has to remember the fields."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from ..model.content import ENTITY_TYPES
from ..source.scan import ID_PATTERN, invalid_id

FOLDERS = {
    "article": ("articles", ".md"),
    "entity": ("entities", ".yaml"),
    "topic": ("topics", ".yaml"),
}


class ScaffoldError(Exception):
    pass


def _scalar(text: str) -> str:
    """`text` as one YAML scalar, quoted where YAML needs it."""
    return (
        yaml.safe_dump(text, allow_unicode=True, default_style=None, width=1000)
        .removesuffix("\n...\n")
        .strip()
    )


def title_from_id(record_id: str) -> str:
    return record_id.replace("-", " ").capitalize()


def article(title: str, today: datetime.date) -> str:
    return f"""---
title: {_scalar(title)}
date: {today.isoformat()}
# updated: {today.isoformat()}
# publisher: Name of the outlet
# authors: [First Author, Second Author]
# url: https://example.org/original-article
# license: Attribution or republication terms, shown at the foot of the page
# image:
#   src: media/photo.jpg
#   alt: What the picture shows
#   credit: Photographer / Agency
# topics: [topic-id]
# entities: [entity-id]
# summary: One paragraph shown in lists; by default the first paragraph.
# draft: true
---
Write the article here, in Markdown. Link any page with `[[id]]` or `[[id|text]]`;
names of entities are linked automatically.
"""


def entity(name: str, kind: str) -> str:
    return f"""name: {_scalar(name)}
type: {kind}  # one of: {", ".join(ENTITY_TYPES)}
# aliases: [Other Name, Short Name]
# summary: One line about who or what this is.
# description: |
#   Longer Markdown.
# image: {{src: media/portrait.jpg, alt: Portrait of ..., credit: Photographer}}
# facts:
#   - label: What is measured
#     value: as stated
#     claimed_by: entity-id
#     as_of: 2024-10
#     source: article-id
#     quote: The exact words of the source article.
# relations:
#   - type: leader of
#     target: entity-id
#     since: 2011
#     source: article-id
#     quote: The exact words of the source article.
# links:
#   - title: Wikipedia
#     url: https://en.wikipedia.org/wiki/...
"""


def topic(title: str) -> str:
    return f"""title: {_scalar(title)}
# summary: |
#   What the story is about, in Markdown. Without it, the page shows an automatic
#   summary made of sentences from the topic's articles.
# entities: [key-player-id, another-id]
# facts:
#   - label: What is measured
#     value: as stated
#     claimed_by: entity-id
#     as_of: 2024-10
#     source: article-id
#     quote: The exact words of the source article.
# timeline:
#   - date: 2024-10-23
#     text: What happened.
#     source: article-id
#     quote: The exact words of the source article.
# related: [other-topic-id]
"""


def create(
    content_dir: Path,
    kind: str,
    record_id: str,
    title: str | None,
    entity_type: str = "other",
    today: datetime.date | None = None,
) -> Path:
    if not ID_PATTERN.fullmatch(record_id):
        raise ScaffoldError(invalid_id(record_id))
    if entity_type not in ENTITY_TYPES:
        raise ScaffoldError(f"unknown entity type '{entity_type}'")
    taken = [
        p
        for folder, suffix in FOLDERS.values()
        if (p := content_dir / folder / f"{record_id}{suffix}").exists()
    ]
    if taken:
        raise ScaffoldError(
            f"{taken[0]} already exists; ids are shared by articles, entities and topics"
        )
    folder, suffix = FOLDERS[kind]
    path = content_dir / folder / f"{record_id}{suffix}"
    label = title or title_from_id(record_id)
    text = {
        "article": lambda: article(label, today or datetime.date.today()),
        "entity": lambda: entity(label, entity_type),
        "topic": lambda: topic(label),
    }[kind]()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never overwrite
        handle.write(text)
    return path
