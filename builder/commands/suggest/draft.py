"""How a draft is written: `TODO` where the text does not settle a value, and YAML
that pastes as it is into a content file."""

from __future__ import annotations

import re

import yaml

TODO = "TODO"


def dump(data: object, flow: bool = False) -> str:
    """Block YAML; with `flow`, the values' lists in brackets (`aliases: [A, B]`)."""
    style = None if flow else False
    text = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=style
    )
    return text.rstrip()


def slug(name: str) -> str:
    """An entity id for a name; ids start with a letter."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text if text and text[0].isalpha() else f"entity-{text}"
