"""`build schema DIR`: JSON Schemas of the content files, made from `source/shapes.py`,
the definitions the validator reads values through, so the two cannot disagree.

Editors' YAML tools (the YAML language server behind VS Code's YAML extension and
others) read them for completion, hover text and red squiggles while typing. Draft 7,
which those tools know best. What a schema cannot say (a quote must occur in its
article, an id must name a file) only `build check` finds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..source.shapes import ARTICLE, ENTITY, ID_RULE, SITE, TOPIC, Field, Shape

DRAFT = "http://json-schema.org/draft-07/schema#"
NOT_BLANK = r"\S"
DATE = (
    r"^\s*\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)
DAY = (  # an article's date: a whole day, and a time only with its offset
    r"^\s*\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}))?\s*$"
)
URL = r"^https?://[^\s/?#]+[^\s]*$"
FILES = {  # file name -> (shape, what the file is)
    "site.schema.json": (SITE, "content/site.yaml"),
    "article.schema.json": (ARTICLE, "the front matter of content/articles/<id>.md"),
    "entity.schema.json": (ENTITY, "content/entities/<id>.yaml"),
    "topic.schema.json": (TOPIC, "content/topics/<id>.yaml"),
}


def schemas() -> dict[str, dict[str, Any]]:
    """Each file name with its schema."""
    return {name: document(shape, what) for name, (shape, what) in FILES.items()}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    return written


def document(shape: Shape, what: str) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    schema = {
        "$schema": DRAFT,
        "title": f"Dossier: {what}",
        "description": f"Dossier {__version__}; `build check` checks what a schema cannot.",
        **mapping(shape, definitions),
    }
    if definitions:
        schema["definitions"] = dict(sorted(definitions.items()))
    return schema


def mapping(shape: Shape, definitions: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.key: value(f, definitions) for f in shape.fields},
        "additionalProperties": False,
    }
    required = [f.key for f in shape.fields if f.required]
    if required:
        schema["required"] = required
    if shape.needs:
        schema["dependencies"] = {rule.key: [rule.needs] for rule in shape.needs}
    if shape.any_of:
        schema["anyOf"] = [{"required": [key]} for key in shape.any_of]
    return schema


UNFINISHED = {"type": "string", "pattern": r"\bTODO\b"}  # a warning, not an error


def value(field: Field, definitions: dict[str, Any]) -> dict[str, Any]:
    if field.required:
        return {"description": field.doc, **kind(field, definitions)}
    choices = [kind(field, definitions), {"type": "null"}]  # `key:` alone: no value
    if field.kind in ("id", "date", "day", "url", "choice"):
        choices.append(UNFINISHED)  # a text field takes TODO anyway
    return {"description": field.doc, "anyOf": choices}


def kind(field: Field, definitions: dict[str, Any]) -> dict[str, Any]:
    identifier = {"type": "string", "pattern": f"^{ID_RULE}$"}
    if field.kind in ("text", "markdown"):
        if field.pattern is not None:
            return {"type": "string", "pattern": f"^(?:{field.pattern.pattern})$"}
        return {"type": ["string", "number"], "pattern": NOT_BLANK}
    if field.kind == "date":
        return {
            "anyOf": [
                {"type": "string", "pattern": DATE},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    if field.kind == "day":
        return {"type": "string", "pattern": DAY}
    if field.kind == "url":
        return {"type": "string", "pattern": URL}
    if field.kind == "id":
        return identifier
    if field.kind == "ids":
        return {"type": "array", "items": identifier}
    if field.kind == "texts":
        return {"type": "array", "items": {"type": "string", "pattern": NOT_BLANK}}
    if field.kind == "flag":
        return {"type": "boolean"}
    if field.kind == "number":
        return {"type": "number"}
    if field.kind == "choice":
        return {"enum": list(field.choices)}
    assert field.shape is not None, field.key
    name = field.shape.what.replace(" ", "_")
    definitions.setdefault(name, mapping(field.shape, definitions))
    reference = {"$ref": f"#/definitions/{name}"}
    return {"type": "array", "items": reference} if field.kind == "items" else reference
