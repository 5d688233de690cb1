"""Records as JSON bytes, for the build cache.

JSON and not pickle: a cache file is read back whatever it holds, and reading JSON
can never run code. Every value is checked on the way back: anything that does not
decode into the record types raises `DecodeError`, which the cache treats as a miss.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, TypeVar

from . import model, records
from .dates import PartialDate
from .diagnostics import Diagnostic, Loc

_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        Loc,
        Diagnostic,
        PartialDate,
        model.Ref,
        model.Text,
        model.Image,
        model.Link,
        model.Fact,
        model.Relation,
        model.TimelineEntry,
        model.Article,
        model.Entity,
        model.Topic,
        model.SiteConfig,
        records.Block,
        records.Snippet,
        records.WikiRef,
        records.Fragment,
        records.ArticleBody,
        records.Mentions,
        records.Compiled,
    )
}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _TYPES.items()}


class DecodeError(Exception):
    """Bytes that are not a record of this version of Dossier."""


def _default(value: Any) -> Any:
    if isinstance(value, Path):
        return {"/": str(value)}
    name = type(value).__name__
    if name in _FIELDS and type(value) is _TYPES[name]:
        return {"!": name, "v": [getattr(value, field) for field in _FIELDS[name]]}
    raise TypeError(f"cannot encode {name}")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)


def encode(value: Any) -> bytes:
    return _ENCODER.encode(value).encode()


def _tuples(value: Any) -> Any:
    """JSON arrays back to the tuples that the frozen records hold."""
    if type(value) is list:
        return tuple(_tuples(item) for item in value)
    return value


class _Decoder:
    def __init__(self) -> None:
        self.paths: dict[str, Path] = {}  # one Path object per file, not one per Loc

    def hook(self, obj: dict[str, Any]) -> Any:
        if "/" in obj:
            text = obj["/"]
            if type(text) is not str:
                raise DecodeError("bad path")
            path = self.paths.get(text)
            if path is None:
                path = self.paths[text] = Path(text)
            return path
        name = obj.get("!")
        values = obj.get("v")
        if type(name) is not str or name not in _TYPES or type(values) is not list:
            raise DecodeError(f"not a record: {str(obj)[:80]}")
        cls = _TYPES[name]
        if len(values) != len(_FIELDS[name]):
            raise DecodeError(f"not a {name}: {len(values)} fields")
        return cls(*[_tuples(v) for v in values])


def decode(data: bytes) -> Any:
    try:
        return _tuples(json.loads(data, object_hook=_Decoder().hook))
    except (ValueError, TypeError, RecursionError) as exc:
        raise DecodeError(str(exc)) from exc


T = TypeVar("T")


def decode_as(data: bytes, cls: type[T]) -> T:
    value = decode(data)
    if not isinstance(value, cls):
        raise DecodeError(f"expected {cls.__name__}, found {type(value).__name__}")
    return value
