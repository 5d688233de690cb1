"""Typed reading of one YAML mapping, reporting every problem at its location.

`Fields` wraps a mapping with the keys it may hold; each getter checks one key's
type and returns None (after a diagnostic) when the value is wrong, so that
validation goes on and reports every error of the file at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, Loc, did_you_mean
from ..model.content import Ref, Text
from ..model.dates import PartialDate, parse_date
from .scan import ID_PATTERN
from .yamlread import YList, YMap


def type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


class Fields:
    def __init__(
        self, data: Any, loc: Loc, allowed: Sequence[str], what: str, diags: Diagnostics
    ) -> None:
        self.what = what
        self.diags = diags
        self.allowed = allowed
        if isinstance(data, YMap):
            self.data = data
        else:
            diags.error(loc, f"{what} must be a mapping of keys to values, not {type_name(data)}")
            self.data = YMap(loc)
        for key in self.data:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                diags.error(self.data.key_loc(key), f"unknown key '{key}' in {what}{hint}")

    @property
    def loc(self) -> Loc:
        return self.data.loc

    def value_loc(self, key: str) -> Loc:
        return self.data.value_loc(key)

    def raw(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            if key in self.data:
                self.diags.error(self.data.key_loc(key), f"'{key}' needs a value")
            else:
                self.diags.error(self.loc, f"missing required key '{key}' in {self.what}")
        return value

    def wrong(self, key: str, expected: str) -> None:
        found = type_name(self.data.get(key))
        self.diags.error(self.value_loc(key), f"'{key}' must be {expected}, not {found}")

    def string(self, key: str, required: bool = False) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.wrong(key, "text")
            return None
        if not value.strip():
            self.diags.error(self.value_loc(key), f"'{key}' is empty")
            return None
        return value

    def text(self, key: str, required: bool = False) -> Text | None:
        value = self.string(key, required)
        return None if value is None else Text(value, self.value_loc(key))

    def flag(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is None or isinstance(value, bool):
            return value
        self.wrong(key, "true or false")
        return None

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        value = self.raw(key, required)
        if value is None:
            return None
        parsed = parse_date(value)
        if isinstance(parsed, str):
            self.diags.error(self.value_loc(key), f"'{key}': {parsed}")
            return None
        return parsed

    def url(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not is_web_url(value):
            self.diags.error(self.value_loc(key), f"'{key}' must be an http(s) URL, not '{value}'")
            return None
        return value

    def ref(self, key: str, required: bool = False) -> Ref | None:
        value = self.raw(key, required)
        if value is None:
            return None
        return self._ref(value, self.value_loc(key), key)

    def _ref(self, value: Any, loc: Loc, key: str) -> Ref | None:
        if not isinstance(value, str):
            self.diags.error(loc, f"'{key}' must be an id, not {type_name(value)}")
            return None
        if not ID_PATTERN.fullmatch(value):
            self.diags.error(loc, f"'{value}' is not a valid id (lowercase a-z, 0-9 and '-')")
            return None
        return Ref(value, loc)

    def items(self, key: str) -> list[tuple[Any, Loc]]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, YList):
            self.wrong(key, "a list")
            return []
        return list(zip(value, value.item_locs, strict=True))

    def refs(self, key: str) -> tuple[Ref, ...]:
        found = (self._ref(item, loc, key) for item, loc in self.items(key))
        return tuple(ref for ref in found if ref is not None)

    def strs(self, key: str) -> tuple[str, ...]:
        result = []
        for item, loc in self.items(key):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.diags.error(
                    loc, f"each of '{key}' must be non-empty text, not {type_name(item)}"
                )
        return tuple(result)

    def nested(self, key: str, allowed: Sequence[str], what: str) -> Fields | None:
        value = self.raw(key)
        if value is None:
            return None
        return Fields(value, self.value_loc(key), allowed, what, self.diags)


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
HOSTNAME = re.compile(
    r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
