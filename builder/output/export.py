"""`data/site.json`: the whole model, machine-readable (SPEC 8)."""

from __future__ import annotations

from typing import Any

import orjson

from ..model.content import Article, Fact, Image, Ref, Relation, Text
from ..model.dates import PartialDate
from ..model.site import Site
from . import urls


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
    found = site.quote_blocks.get(fact.quote) if fact.quote else None
    passage = site.passages.get(found[0], {}).get(found[1] or "") if found else None
    return {
        "owner": fact.owner,
        "label": fact.label,
        "value": fact.value,
        "claimed_by": _id(fact.claimed_by),
        "reported_by": _id(fact.reported_by),
        "number": fact.number,
        "low": fact.low,
        "high": fact.high,
        "unit": fact.unit,
        "as_of": _date(fact.as_of),
        "source": _id(fact.source),
        "quote": _text(fact.quote),
        "note": fact.note,
        "editorial": fact.editorial,
        "id": _text(fact.id),
        "supersedes": _text(fact.supersedes),
        "correction": fact.correction,
        "paragraph": passage.block if passage else found[1] if found else None,
        "passage": passage.id if passage else None,
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
        "editorial": relation.editorial,
    }


def site_data_json(site: Site) -> str:
    """The export, one record per line: readable, diffable, and written by orjson a
    record at a time (an indented dump takes json's pure-Python path, ten times
    slower). Each article's line is made when it is compiled (`export_parts`), with a
    place for the counts of its mentions, which depend on the whole site."""
    data = site_data(site)
    parts = site.texts.export(list(site.index))
    data["articles"] = [
        _with_mentions(parts[a], site.mention_counts.get(a, {})) for a in site.index
    ]
    lines = ["{"]
    for number, key in enumerate(sorted(data)):
        value = data[key]
        comma = "," if number < len(data) - 1 else ""
        if isinstance(value, list) and value:
            items = [item if key == "articles" else _compact(item) for item in value]
            lines.append(f'"{key}": [')
            lines += [f"  {item}," for item in items[:-1]] + [f"  {items[-1]}"]
            lines.append(f"]{comma}")
        else:
            lines.append(f'"{key}": {_compact(value)}{comma}')
    return "\n".join(lines) + "\n}\n"


def export_parts(article: Article) -> str:
    """An article's line of the export, but for its mentions: the JSON of the keys
    before "mentions" and of those after, split by a NUL."""
    record = {
        "id": article.id,
        "url": urls.page_url("article", article.id),
        "title": article.title,
        "date": article.date.iso,
        "updated": _date(article.updated),
        "publisher": article.publisher,
        "authors": list(article.authors),
        "original_url": article.url,
        "license": article.license,
        "image": _image(article.image),
        "summary": article.summary,
        "topics": [r.id for r in article.topics],
        "entities": [r.id for r in article.entities],
    }
    before = {k: v for k, v in record.items() if k < "mentions"}
    after = {k: v for k, v in record.items() if k > "mentions"}
    return _compact(before)[1:-1] + "\0" + _compact(after)[1:-1]


def _with_mentions(parts: str, mentions: dict[str, int]) -> str:
    before, after = parts.split("\0")
    return f'{{{before},"mentions":{_compact(mentions)},{after}}}'


def _compact(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def site_data(site: Site) -> dict[str, Any]:
    config = site.config
    return {
        "site": {
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "language": config.language,
        },
        "articles": [],  # see site_data_json
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
