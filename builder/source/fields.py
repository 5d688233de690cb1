"""Typed reading of one YAML mapping, reporting every problem at its location.

`Fields` wraps a mapping with its `Shape` (see `shapes.py`); each getter checks one
key's type and returns None (after a diagnostic) when the value is wrong, so that
validation goes on and reports every error of the file at once.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, Loc, did_you_mean
from ..model.content import Ref, Text
from ..model.dates import PartialDate, parse_date
from .scan import ID_PATTERN, invalid_id
from .shapes import Kind, Shape
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


TODO_MARK = re.compile(r"\bTODO\b")


class Fields:
    """One mapping read through its `Shape`: unknown keys, missing required keys,
    keys given without the key they need, and values of the wrong type are reported;
    a getter returns None for a value it could not take."""

    def __init__(self, data: Any, loc: Loc, shape: Shape, diags: Diagnostics) -> None:
        self.shape = shape
        self.diags = diags
        self.unfinished_ok = False  # a draft may still hold TODO markers
        self.is_mapping = isinstance(data, YMap)  # if not, said once: nothing follows it
        if isinstance(data, YMap):
            self.data = data
        else:
            what = shape.what
            diags.error(loc, f"{what} must be a mapping of keys to values, not {type_name(data)}")
            self.data = YMap(loc)
        for key in self.data:
            if key not in shape.keys:
                hint = did_you_mean(key, shape.keys)
                diags.error(self.data.key_loc(key), f"unknown key '{key}' in {shape.what}{hint}")
        self._check_needs()

    def _check_needs(self) -> None:
        for rule in self.shape.needs:
            if rule.key in self.data and rule.needs not in self.data:
                if rule.message:
                    self.diags.error(self.value_loc(rule.key), rule.message)
                else:
                    self._missing(rule.needs)
        absent = not any(key in self.data for key in self.shape.any_of)
        if self.shape.any_of and absent and self.is_mapping:
            self.diags.error(self.loc, self.shape.any_of_message)

    @property
    def loc(self) -> Loc:
        return self.data.loc

    def value_loc(self, key: str) -> Loc:
        return self.data.value_loc(key)

    def _missing(self, key: str) -> None:
        if not self.is_mapping:
            return
        self.diags.error(self.loc, f"missing required key '{key}' in {self.shape.what}")

    def raw(self, key: str, *kinds: Kind) -> Any:
        """The value of `key`, after saying so if a required one is missing."""
        field = self.shape.field(key)
        assert not kinds or field.kind in kinds, f"{key} is read as {kinds}, not {field.kind}"
        value = self.data.get(key)
        if value is None and field.required and key not in self.data.rejected:
            if key in self.data:
                self.diags.error(self.data.key_loc(key), f"'{key}' needs a value")
            else:
                self._missing(key)
        return value

    def unfinished(self, key: str, value: Any) -> bool:
        """Whether `value` still holds a TODO marker (said as a warning; as an error
        for a required value that cannot be read as what it must be)."""
        if not isinstance(value, str) or not TODO_MARK.search(value):
            return False
        loc, field = self.value_loc(key), self.shape.field(key)
        if field.required and field.kind not in ("text", "markdown"):
            self.diags.error(loc, f"'{key}' is still TODO, and {self.shape.what} needs it")
        elif not self.unfinished_ok:
            self.diags.warning(loc, f"'{key}' still holds TODO: finish it before publishing")
        return True

    def wrong(self, key: str, expected: str) -> None:
        found = type_name(self.data.get(key))
        self.diags.error(self.value_loc(key), f"'{key}' must be {expected}, not {found}")

    def string(self, key: str) -> str | None:
        value = self.raw(key, "text", "markdown", "choice")
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = self.data.written.get(key, str(value))  # as stated: `2.50`, not 2.5
        if not isinstance(value, str):
            self.wrong(key, "text")
            return None
        if not value.strip():
            self.diags.error(self.value_loc(key), f"'{key}' is empty")
            return None
        self.unfinished(key, value)
        field = self.shape.field(key)
        if field.pattern is not None and not field.pattern.fullmatch(value):
            self.diags.error(
                self.value_loc(key), f"'{key}' must be {field.pattern_name}, not '{value}'"
            )
            return None
        return value

    def text(self, key: str) -> Text | None:
        value = self.string(key)
        return None if value is None else Text(value, self.value_loc(key))

    def choice(self, key: str) -> str | None:
        """One of the field's choices; TODO counts as not chosen yet."""
        value = self.string(key)
        if value is None or TODO_MARK.search(value):
            return None
        choices = self.shape.field(key).choices
        if value not in choices:
            self.diags.error(
                self.value_loc(key),
                f"unknown {self.shape.what} {key} '{value}': use one of {', '.join(choices)}"
                + did_you_mean(value, choices),
            )
            return None
        return value

    def flag(self, key: str) -> bool | None:
        value = self.raw(key, "flag")
        if value is None or isinstance(value, bool):
            return value
        self.wrong(key, "true or false")
        return None

    def number(self, key: str) -> float | None:
        value = self.raw(key, "number")
        if value is None or self.unfinished(key, value):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.wrong(key, "a number (digits, no thousands separators or units)")
            return None
        try:
            number = float(value)
        except OverflowError:  # a whole number past the largest float
            number = math.inf
        if not math.isfinite(number):
            self.diags.error(self.value_loc(key), f"'{key}' must be a finite number")
            return None
        return number

    def date(self, key: str) -> PartialDate | None:
        value = self.raw(key, "date", "day")
        if value is None or self.unfinished(key, value):
            return None
        day = self.shape.field(key).kind == "day"
        parsed = parse_date(value, DAY_FORM) if day else parse_date(value)
        if day and not isinstance(parsed, str):
            parsed = _whole_day(parsed, str(value).strip())
        if isinstance(parsed, str):
            self.diags.error(self.value_loc(key), f"'{key}': {parsed}")
            return None
        return parsed

    def url(self, key: str) -> str | None:
        value = self.raw(key, "url")
        if value is None or self.unfinished(key, value):
            return None
        if isinstance(value, str) and not value.strip():
            self.diags.error(self.value_loc(key), f"'{key}' is empty")
            return None
        if not isinstance(value, str) or not is_web_url(value):
            self.diags.error(self.value_loc(key), f"'{key}' must be an http(s) URL, not '{value}'")
            return None
        return value

    def ref(self, key: str) -> Ref | None:
        value = self.raw(key, "id")
        if value is None or self.unfinished(key, value):
            return None
        return self._ref(value, self.value_loc(key), key)

    def _ref(self, value: Any, loc: Loc, key: str) -> Ref | None:
        if not isinstance(value, str):
            self.diags.error(loc, f"'{key}' must be an id, not {type_name(value)}")
            return None
        if not ID_PATTERN.fullmatch(value):
            self.diags.error(loc, invalid_id(value))
            return None
        return Ref(value, loc)

    def items(self, key: str) -> list[tuple[Any, Loc]]:
        value = self.raw(key, "items", "ids", "texts")
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

    def nested(self, key: str) -> Fields | None:
        value = self.raw(key, "mapping")
        if value is None:
            return None
        shape = self.shape.field(key).shape
        assert shape is not None
        nested = Fields(value, self.value_loc(key), shape, self.diags)
        nested.unfinished_ok = self.unfinished_ok
        return nested


_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
DAY_FORM = "YYYY-MM-DD; a time with its offset may follow, as 2024-10-23T14:05+02:00"


def _whole_day(date: PartialDate, text: str) -> PartialDate | str:
    """An article's date: a day (SPEC 3), and a time only with its offset from UTC,
    without which it names no moment."""
    if date.day is None:
        return f"'{text}' is not a whole date (use {DAY_FORM})"
    if date.time is not None and not _OFFSET.search(date.time):
        return (
            f"'{text}' gives a time without its offset from UTC: add it "
            f"({date.iso}Z, or +02:00 for two hours ahead of UTC)"
        )
    return date
