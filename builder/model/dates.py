"""Dates as editors write them: a year, a month or a day, maybe with a time."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass

_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?)?)?"
)
# English whatever the machine's locale (calendar's names follow it, and look each one up
# through strftime: a tenth of a millisecond per date shown).
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MONTHS_SHORT = tuple(name[:3] for name in MONTHS)


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    time: str | None = None  # "14:05" or "14:05:00+02:00", as written

    @functools.cached_property
    def iso(self) -> str:
        """`2024-10-23`, as written (remembered: an edit build asks each page's date
        for it twice, 21,000 times at 10,000 articles)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.time is not None:
            text += f"T{self.time}"
        return text

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """The order of dates of mixed precision (docs/content.md, "Dates"): a date
        stands for the start of its period (2024-10 for 1 October 2024), and of two
        dates that start together the more precise one is the later: 2024 < 2024-01 <
        2024-01-01 < 2024-01-01T09:00 < 2024-01-02."""
        return (self.year, self.month or 0, self.day or 0, self.time or "")

    @property
    def shown(self) -> str:
        """`23 October 2024`, `October 2024` or `2024`."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @property
    def short(self) -> str:
        """`23 Oct 2024`, `Oct 2024` or `2024`: where room is scarce."""
        if self.month is None:
            return str(self.year)
        month = MONTHS_SHORT[self.month]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"

    @property
    def month_key(self) -> str:
        return f"{self.year:04d}-{self.month or 1:02d}"


def parse_date(value: object, forms: str = "YYYY, YYYY-MM or YYYY-MM-DD") -> PartialDate | str:
    """The date, or a message saying why `value` is not one (in one of `forms`)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return f"expected a date ({forms})"
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    if not match:
        return f"'{text}' is not a date (use {forms})"
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        return f"'{text}' is not a date: month {month} does not exist"
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"'{text}' is not a date: {MONTHS[month]} {year} has {last} days"
    time = match["time"]
    if time is not None:
        hour, minute = int(time[:2]), int(time[3:5])
        if hour > 23 or minute > 59:
            return f"'{text}' is not a date: {time} is not a time of day"
        time += match["zone"] or ""
    return PartialDate(year, month, day, time)
