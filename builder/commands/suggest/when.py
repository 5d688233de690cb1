"""`as_of` from a sentence's own time words (`last week`, `on Monday`, `in October`,
`in 2023`...), read against the article's date; what they do not settle stays `TODO`.

Also the month and weekday names that finding names and figures must skip.
"""

from __future__ import annotations

import calendar
import datetime
import re

from ...model.dates import PartialDate

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}
MONTH_NAMES = "|".join(MONTHS)  # a regular expression's alternatives
_DAY_NAMES = "|".join(WEEKDAYS)
_TIME = re.compile(
    r"(?P<prefix>\b(?:since|by|until|till|through|before|after|from|next|within|over)\s+"
    r"(?:the\s+)?(?:(?:early|mid|late|end|beginning|start)\s*-?\s*(?:of\s+)?)?)?"
    r"(?:(?P<rel>\b(?:yesterday|today|tonight|(?:earlier\s+)?this\s+(?:week|month|year)|"
    r"last\s+(?:week|month|year)))"
    rf"|(?P<dm>\b(?P<d1>\d{{1,2}})\s+(?-i:(?P<m1>{MONTH_NAMES}))(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<md>\b(?-i:(?P<m2>{MONTH_NAMES}))(?:\s+(?P<d2>\d{{1,2}})(?!\d|,\d))?"
    r"(?:,?\s+(?P<y2>\d{4}))?)"
    rf"|(?P<weekday>\b(?:last\s+)?(?-i:{_DAY_NAMES}))"
    r"|(?P<year>\bin\s+(?:(?:early|mid|late)[\s-]+)?(?P<y3>(?:1[89]|20)\d\d)))\b",
    re.IGNORECASE,
)


def as_of(sentence: str, date: PartialDate) -> str | None:
    """The date a sentence's own time words give, read against the article's `date`;
    None when it has none, several that disagree, or one the date cannot settle."""
    values: set[str | None] = set()
    for match in _TIME.finditer(sentence):
        if match["prefix"]:
            continue  # `since October`, `by Monday`, `over the last week`: not when
        values.add(_when(match, date))
    return values.pop() if len(values) == 1 else None


def _when(match: re.Match[str], date: PartialDate) -> str | None:
    """The date one time expression gives (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    day = _day(date)
    if match["rel"]:
        return _relative(match["rel"].lower().split(), date, day)
    if match["weekday"]:
        return _weekday(match["weekday"].split(), day)
    if match["year"]:
        return match["y3"]
    return _month_day(match, date)


def _day(date: PartialDate) -> datetime.date | None:
    """The article's day, when its date names one."""
    if date.month is None or date.day is None:
        return None
    return datetime.date(date.year, date.month, date.day)


def _weekday(words: list[str], day: datetime.date | None) -> str | None:
    """`Monday`: the latest Monday up to the article's day; `last Monday`: the latest
    before it."""
    if day is None:
        return None
    wanted = WEEKDAYS[words[-1]]
    back = (day.weekday() - wanted) % 7 or (7 if len(words) > 1 else 0)
    return (day - datetime.timedelta(days=back)).isoformat()


def _month_day(match: re.Match[str], date: PartialDate) -> str | None:
    """`October`, `October 18`, `18 October 2024`...: a month, or a day if it exists."""
    month = MONTHS[match["m1"] or match["m2"]]
    number = match["d1"] or match["d2"]
    year_text = match["y1"] or match["y2"]
    if year_text:
        year = int(year_text)
    elif date.month is None:
        return None
    else:  # the most recent such month, not after the article's
        year = date.year if month <= date.month else date.year - 1
    if number is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= int(number) <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{int(number):02d}"


def _relative(words: list[str], date: PartialDate, day: datetime.date | None) -> str | None:
    """`yesterday`, `this week`, `last month`, `last year`...: the day, the month (a week
    only when it lies within one month, else its year) or the year."""
    unit, last = words[-1], words[0] == "last"
    if unit == "year":
        return str(date.year - last)
    if unit == "month":
        return _month(date, last)
    if day is None:
        return None
    if unit in {"yesterday", "today", "tonight"}:
        return (day - datetime.timedelta(days=unit == "yesterday")).isoformat()
    return _week(day, last)


def _month(date: PartialDate, last: bool) -> str | None:
    """`this month` or `last month` of the article's date."""
    if date.month is None:
        return None
    year, month = date.year, date.month - last
    if month == 0:
        year, month = year - 1, 12
    return f"{year:04d}-{month:02d}"


def _week(day: datetime.date, last: bool) -> str | None:
    """`this week` or `last week`: its month when the week lies within one, else its
    year when it lies within one, else None."""
    monday = day - datetime.timedelta(days=day.weekday())
    first, end = monday, day  # this week: from its Monday to the article's day
    if last:  # the calendar week before the article's
        first, end = monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1)
    if (first.year, first.month) == (end.year, end.month):
        return f"{first.year:04d}-{first.month:02d}"
    return str(first.year) if first.year == end.year else None
