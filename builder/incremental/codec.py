"""Records as JSON bytes, for the build cache.

JSON and not pickle: a cache file is read back whatever it holds, and reading JSON
can never run code. A record is a JSON array of its fields in order; the decoder of
each record type is generated once from the dataclass's type hints, so reading
10,000 records back costs orjson's `loads` and one small function call per object
(orjson and not json: it encodes a compiled article in a quarter of the time, 0.05 ms
less per article of a cold build, and the bytes are the same). Anything that does not
decode into the expected type raises `DecodeError`, which the cache treats as a miss.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import orjson

from ..diagnostics import Diagnostic, Loc
from ..model import content as model
from ..model import records
from ..model.dates import PartialDate

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


def encode(value: Any) -> bytes:
    """The JSON form: a record as the array of its fields, a Path as its text; a
    record in a field that may hold several record types as [type name, fields]."""
    return orjson.dumps(_ENCODERS[type(value)](value))


def encode_all(values: Iterable[Any]) -> bytes:
    """Records (of any types) as one JSON array, each in its `encode` form."""
    return orjson.dumps([_ENCODERS[type(value)](value) for value in values])


# --- decoding ---------------------------------------------------------------------------

Decoder = Callable[[Any], Any]
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _RECORDS
}
_DECODERS: dict[type[Any], Decoder] = {}
_ENCODERS: dict[type[Any], Callable[[Any], Any]] = {}


@functools.lru_cache(maxsize=4096)
def _path(text: str) -> Path:
    """One Path object per file, not one per location in it."""
    return Path(text)


def _expression(hint: Any, value: str, namespace: dict[str, Any]) -> str:
    """Python source that turns `value`, the JSON form of a `hint`-typed value, into
    the value; helpers it needs go into `namespace`."""
    origin = typing.get_origin(hint)
    if hint in _FIELD_NAMES:
        return f"decode_{hint.__name__}({value})"
    if hint is Path:
        return f"path({value})"
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _expression(args[0], "item", namespace)
            return f"tuple({value})" if item == "item" else f"tuple([{item} for item in {value}])"
        names = [f"part{i}" for i in range(len(args))]
        parts = ", ".join(_expression(a, n, namespace) for a, n in zip(args, names, strict=True))
        return f"tuple([({parts},) for {', '.join(names)} in [{value}]][0])"
    if origin in (types.UnionType, typing.Union):
        kinds = [o for o in typing.get_args(hint) if o is not type(None)]
        if len(kinds) == 1:
            inner = _expression(kinds[0], value, namespace)
            return value if inner == value else f"(None if {value} is None else {inner})"
        if all(k in _FIELD_NAMES for k in kinds):
            name = f"tagged{len(namespace)}"
            namespace[name] = {k.__name__: k for k in kinds}
            return f"(None if {value} is None else decode_tagged({name}, {value}))"
    return value  # str, int, bool, a Literal, a union of those


def _make(cls: type[Any], namespace: dict[str, Any]) -> str:
    """The source of the decoder of `cls`: a check of the shape, then the record
    built without calling its (frozen, hence slow) __init__."""
    hints = typing.get_type_hints(cls)
    names = _FIELD_NAMES[cls]
    fields = ", ".join(
        f"{name!r}: {_expression(hints[name], f'v[{i}]', namespace)}"
        for i, name in enumerate(names)
    )
    return (
        f"def decode_{cls.__name__}(v):\n"
        f"    if type(v) is not list or len(v) != {len(names)}:\n"
        f"        raise DecodeError('not a {cls.__name__}')\n"
        f"    record = new({cls.__name__})\n"
        f"    set_dict(record, '__dict__', {{{fields}}})\n"
        f"    return record\n"
    )


def _plain_expression(hint: Any, value: str) -> str:
    """Python source that turns `value`, of type `hint`, into what JSON can hold
    (tuples of plain values are left as they are: JSON writes them as arrays)."""
    origin = typing.get_origin(hint)
    if hint in _FIELD_NAMES:
        return f"encode_{hint.__name__}({value})"
    if hint is Path:
        return f"str({value})"
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _plain_expression(args[0], "item")
            return value if item == "item" else f"[{item} for item in {value}]"
        names = [f"part{i}" for i in range(len(args))]
        parts = [_plain_expression(a, n) for a, n in zip(args, names, strict=True)]
        if parts == names:
            return value
        return f"[[{', '.join(parts)}] for {', '.join(names)} in [{value}]][0]"
    if origin in (types.UnionType, typing.Union):
        kinds = [o for o in typing.get_args(hint) if o is not type(None)]
        if len(kinds) == 1:
            inner = _plain_expression(kinds[0], value)
            return value if inner == value else f"(None if {value} is None else {inner})"
        if all(k in _FIELD_NAMES for k in kinds):
            return (
                f"(None if {value} is None else "
                f"[type({value}).__name__, ENCODERS[type({value})]({value})])"
            )
    return value


def _encoder(cls: type[Any]) -> str:
    hints = typing.get_type_hints(cls)
    fields = ", ".join(
        _plain_expression(hints[name], f"record.{name}") for name in _FIELD_NAMES[cls]
    )
    return f"def encode_{cls.__name__}(record):\n    return [{fields}]\n"


def _decode_tagged(allowed: dict[str, type[Any]], value: Any) -> Any:
    name, fields = value
    return _DECODERS[allowed[name]](fields)


def _compile_decoders() -> None:
    namespace: dict[str, Any] = {
        "DecodeError": DecodeError,
        "new": object.__new__,
        "set_dict": object.__setattr__,
        "path": _path,
        "decode_tagged": _decode_tagged,
        **{cls.__name__: cls for cls in _RECORDS},
    }
    namespace["ENCODERS"] = _ENCODERS
    source = "\n".join(_make(cls, namespace) + _encoder(cls) for cls in _RECORDS)
    exec(compile(source, "<dossier record codecs>", "exec"), namespace)  # noqa: S102
    for cls in _RECORDS:
        _DECODERS[cls] = namespace[f"decode_{cls.__name__}"]
        _ENCODERS[cls] = namespace[f"encode_{cls.__name__}"]


_compile_decoders()


def decode_as(data: bytes, cls: type[T]) -> T:
    """The record of type `cls` that `data` holds."""
    try:
        value = _DECODERS[cls](orjson.loads(data))
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise DecodeError(str(exc)) from exc
    if not isinstance(value, cls):
        raise DecodeError(f"expected {cls.__name__}")
    return value


def decode_all(data: bytes, cls: type[T]) -> list[T]:
    """The records of type `cls` that `encode_all` made `data` of."""
    try:
        found = orjson.loads(data)
        if type(found) is not list:
            raise DecodeError("not a list of records")
        values = [_DECODERS[cls](item) for item in found]
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise DecodeError(str(exc)) from exc
    if not all(isinstance(value, cls) for value in values):
        raise DecodeError(f"expected {cls.__name__}")
    return values
