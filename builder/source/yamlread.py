"""YAML read with a location on every key and value.

Composition is done by libyaml (`CSafeLoader`: fast, and it keeps node marks); the
node tree is then turned into plain values here, which lets us refuse what a
safe-but-silent loader would accept: duplicate keys, non-string keys, unknown tags.
Timestamps stay strings: `dates.py` parses them with our own rules and messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Loc
from .yamlerrors import explain

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}
_MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")


class YMap(dict[str, Any]):
    """A YAML mapping; `key_locs`/`value_locs` say where each key and value stands."""

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Loc] = {}
        self.value_locs: dict[str, Loc] = {}
        self.rejected: set[str] = set()  # keys whose value was an error (held as None)
        self.written: dict[str, str] = {}  # a number's text as written (`2.50`, `0x10`)

    def key_loc(self, key: str) -> Loc:
        return self.key_locs.get(key, self.loc)

    def value_loc(self, key: str) -> Loc:
        return self.value_locs.get(key, self.loc)


class YList(list[Any]):
    """A YAML sequence; `item_locs[i]` says where item i stands."""

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs: list[Loc] = []


class _Converter:
    def __init__(self, path: Path, line_offset: int, diags: Diagnostics) -> None:
        self.path = path
        self.line_offset = line_offset
        self.diags = diags
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0

    def loc(self, node: yaml.Node) -> Loc:
        mark = node.start_mark
        return Loc(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def convert(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _TooLarge(self.loc(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node)
        return self.scalar(node)

    def unsupported(self, node: yaml.Node) -> None:
        self.diags.error(self.loc(node), f"unsupported YAML tag '{node.tag}'")

    def mapping(self, node: yaml.MappingNode) -> YMap | None:
        if node.tag != _TAG + "map":
            self.unsupported(node)
            return None
        result = YMap(self.loc(node))
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in result:
                first = result.key_locs[key]
                self.diags.error(
                    self.loc(key_node),
                    f"duplicate key '{key}' (first given at line {first.line})",
                )
                continue
            result[key] = value = self.convert(value_node)
            if value is None and value_node.tag != _TAG + "null":  # said already
                result.rejected.add(key)
            elif type(value) in (int, float) and isinstance(value_node, yaml.ScalarNode):
                result.written[key] = value_node.value
            result.key_locs[key] = self.loc(key_node)
            result.value_locs[key] = self.loc(value_node)
        return result

    def key(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            _TAG + "str",
            _TAG + "bool",
            _TAG + "int",
            _TAG + "null",
        ):
            return str(node.value)
        self.diags.error(self.loc(node), "a key must be a plain string")
        return None

    def sequence(self, node: yaml.SequenceNode) -> YList | None:
        if node.tag != _TAG + "seq":
            self.unsupported(node)
            return None
        result = YList(self.loc(node))
        for item in node.value:
            result.append(self.convert(item))
            result.item_locs.append(self.loc(item))
        return result

    def scalar(self, node: yaml.Node) -> Any:
        short = node.tag.removeprefix(_TAG)
        if not node.tag.startswith(_TAG) or short not in _SCALAR_TAGS:
            self.unsupported(node)
            return None
        if short in ("str", "timestamp"):
            return str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            return str(node.value)


class _TooLarge(Exception):
    def __init__(self, loc: Loc) -> None:
        self.loc = loc


def read_yaml(text: str, path: Path, diags: Diagnostics, line_offset: int = 0) -> Any:
    """Parse one YAML document; on a syntax error report it and return None.

    `line_offset` is added to every line (front matter starts below its `---`).
    """
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        explained = explain(exc, text)
        place = explained.place
        diags.error(Loc(path, place.line + 1 + line_offset, place.column + 1), explained.message)
        return None
    except RecursionError:
        diags.error(Loc(path, 1 + line_offset, 1), "invalid YAML: nested too deeply")
        return None
    if node is None:
        return None
    converter = _Converter(path, line_offset, diags)
    try:
        return converter.convert(node)
    except _TooLarge as exc:
        diags.error(exc.loc, "YAML expands to too many values (aliases nested too deeply?)")
    except RecursionError:
        diags.error(Loc(path, 1 + line_offset, 1), "YAML nested too deeply")
    return None
