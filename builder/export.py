"""`data/site.json`: the whole model, machine-readable (SPEC 8)."""

from __future__ import annotations

import json
from typing import Any

from . import urls
from .dates import PartialDate
from .model import Fact, Image, Ref, Relation, Text
from .site import Site


def _date(date: PartialDate | None) -> str | None:
    return None if date is None else date.iso


def _id(ref: Ref | None) -> str | None:
    return None if ref is None else ref.id


def _text(text: Text | None) -> str | None:
    return None if text is None else text.value


def _image(image: Image | None) -> dict[str, Any] | None:
    if image is None:
        return None
    return {"src": image.src, "alt": image.alt, "credit": image.credit}


def fact_data(site: Site, fact: Fact) -> dict[str, Any]:
    anchor = site.quote_blocks.get(fact.quote) if fact.quote else None
    return {
        "owner": fact.owner,
        "label": fact.label,
        "value": fact.value,
        "claimed_by": _id(fact.claimed_by),
        "as_of": _date(fact.as_of),
        "source": _id(fact.source),
        "quote": _text(fact.quote),
        "note": fact.note,
        "paragraph": anchor[1] if anchor else None,
    }


def relation_data(relation: Relation) -> dict[str, Any]:
    return {
        "subject": relation.subject,
        "type": relation.type,
        "target": relation.target.id,
        "since": _date(relation.since),
        "until": _date(relation.until),
        "source": _id(relation.source),
        "quote": _text(relation.quote),
    }


def site_data_json(site: Site) -> str:
    """The export, one record per line: readable, diffable, and written by the C
    encoder (an indented dump takes the pure-Python path, ten times slower)."""
    data = site_data(site)
    lines = ["{"]
    for index, key in enumerate(sorted(data)):
        value = data[key]
        comma = "," if index < len(data) - 1 else ""
        if isinstance(value, list) and value:
            items = [_compact(item) for item in value]
            lines.append(f'"{key}": [')
            lines += [f"  {item}," for item in items[:-1]] + [f"  {items[-1]}"]
            lines.append(f"]{comma}")
        else:
            lines.append(f'"{key}": {_compact(value)}{comma}')
    return "\n".join(lines) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def site_data(site: Site) -> dict[str, Any]:
    config = site.config
    return {
        "site": {
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "language": config.language,
        },
        "articles": [
            {
                "id": a.id,
                "url": urls.page_url("article", a.id),
                "title": a.title,
                "date": a.date.iso,
                "updated": _date(a.updated),
                "publisher": a.publisher,
                "authors": list(a.authors),
                "original_url": a.url,
                "license": a.license,
                "image": _image(a.image),
                "summary": a.summary,
                "topics": [r.id for r in a.topics],
                "entities": [r.id for r in a.entities],
                "mentions": site.mention_counts.get(a.id, {}),
            }
            for a in site.articles.values()
        ],
        "entities": [
            {
                "id": e.id,
                "url": urls.page_url("entity", e.id),
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "summary": _text(e.summary),
                "description": _text(e.description),
                "image": _image(e.image),
                "links": [{"title": link.title, "url": link.url} for link in e.links],
            }
            for e in site.entities.values()
        ],
        "topics": [
            {
                "id": t.id,
                "url": urls.page_url("topic", t.id),
                "title": t.title,
                "summary": _text(t.summary),
                "entities": [r.id for r in t.entities],
                "related": [r.id for r in t.related],
                "updated": _date(site.topic_updated.get(t.id)),
                "articles": site.topic_articles.get(t.id, []),
                "timeline": [
                    {
                        "date": e.date.iso,
                        "text": e.text.value,
                        "source": _id(e.source),
                        "quote": _text(e.quote),
                    }
                    for e in t.timeline
                ],
            }
            for t in site.topics.values()
        ],
        "facts": [fact_data(site, f) for f in site.all_facts],
        "relations": [relation_data(r) for e in site.entities.values() for r in e.relations],
    }
