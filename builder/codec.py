"""Records as JSON bytes, for the build cache.

JSON and not pickle: a cache file is read back whatever it holds, and reading JSON
can never run code. A record is a JSON array of its fields in order; the decoder of
each record type is generated once from the dataclass's type hints, so reading
10,000 records back costs a C-speed `json.loads` and one small function call per
object. Anything that does not decode into the expected type raises `DecodeError`,
which the cache treats as a miss.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import model, records
from .dates import PartialDate
from .diagnostics import Diagnostic, Loc

T = TypeVar("T")
_RECORDS: tuple[type[Any], ...] = (
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


class DecodeError(Exception):
    """Bytes that are not a record of this version of Dossier."""


# --- encoding ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """The JSON form: a record as the array of its fields, a Path as its text; a
    record in a field that may hold several record types as [type name, fields]."""
    if isinstance(value, Path):
        return str(value)
    if type(value) in _FIELD_NAMES:
        fields = [_plain(getattr(value, name)) for name in _FIELD_NAMES[type(value)]]
        return [type(value).__name__, fields] if type(value) in _TAGGED else fields
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def encode(value: Any) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode()


# --- decoding ---------------------------------------------------------------------------

Decoder = Callable[[Any], Any]
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _RECORDS
}
_TAGGED: set[type[Any]] = set()  # record types that appear in a union of record types
_DECODERS: dict[type[Any], Decoder] = {}


def _same(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=4096)
def _path(text: str) -> Path:
    """One Path object per file, not one per location in it."""
    return Path(text)


def _decoder_for(hint: Any) -> Decoder:
    """A function from the JSON form of a `hint`-typed value to the value."""
    origin = typing.get_origin(hint)
    if hint in _FIELD_NAMES:
        return lambda value: _DECODERS[hint](value)
    if hint is Path:
        return _path
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder_for(args[0])
            if item is _same:
                return tuple
            return lambda value: tuple(map(item, value))
        parts = [_decoder_for(a) for a in args]
        return lambda value: tuple(d(v) for d, v in zip(parts, value, strict=True))
    if origin in (types.UnionType, typing.Union):
        return _union(typing.get_args(hint))
    return _same  # str, int, bool, a Literal


def _union(options: tuple[Any, ...]) -> Decoder:
    kinds = [o for o in options if o is not type(None)]
    if len(kinds) == 1:
        inner = _decoder_for(kinds[0])
        return lambda value: None if value is None else inner(value)
    if all(k in _FIELD_NAMES for k in kinds):
        _TAGGED.update(kinds)
        allowed = {k.__name__: k for k in kinds}

        def tagged(value: Any) -> Any:
            if value is None:
                return None
            name, fields = value
            return _DECODERS[allowed[name]](fields)

        return tagged
    return _same  # unions of scalars (str | None)


def _make(cls: type[Any]) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = _FIELD_NAMES[cls]
    parts = [(name, _decoder_for(hints[name])) for name in names]
    new = object.__new__

    def decode_record(value: Any) -> Any:
        if type(value) is not list or len(value) != len(parts):
            raise DecodeError(f"not a {cls.__name__}")
        record = new(cls)
        record.__dict__.update(
            {name: part(item) for (name, part), item in zip(parts, value, strict=True)}
        )
        return record

    return decode_record


for _cls in _RECORDS:
    _DECODERS[_cls] = _make(_cls)


def decode_as(data: bytes, cls: type[T]) -> T:
    """The record of type `cls` that `data` holds."""
    try:
        value = _DECODERS[cls](json.loads(data))
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise DecodeError(str(exc)) from exc
    if not isinstance(value, cls):
        raise DecodeError(f"expected {cls.__name__}")
    return value
