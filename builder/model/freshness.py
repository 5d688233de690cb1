"""Claims that may be out of date (SPEC 11): `stale_after` in site.yaml against a
reference date (`build --today`, by default the day of the build), and topic
summaries that still state a figure that a newer claim replaced."""

from __future__ import annotations

import calendar
import datetime

from ..diagnostics import Diagnostics
from .content import Fact, SiteConfig, Topic
from .dates import PartialDate
from .site import Site
from .supersede import chains, superseded
from .support import numbers

DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def period_days(text: str) -> int:
    """`90d`, `12w`, `6m` (30 days each), `1y` (365 days) -> days; a period longer
    than any date can go back is as long as a time span can be."""
    return min(int(text[:-1]) * DAYS[text[-1]], datetime.timedelta.max.days)


def stale_before(config: SiteConfig, today: datetime.date) -> datetime.date | None:
    """Claims whose `as_of` ends before this day may be out of date (None: no limit)."""
    if config.stale_after is None:
        return None
    try:
        return today - datetime.timedelta(days=config.stale_after)
    except OverflowError:  # further back than any date: no claim is that old
        return None


def last_day(date: PartialDate) -> datetime.date:
    """The last day a partial date can mean: 2024-10 -> 2024-10-31."""
    month = date.month or 12
    day = date.day or calendar.monthrange(date.year, month)[1]
    return datetime.date(date.year, month, day)


def is_stale(fact: Fact, cutoff: datetime.date | None) -> bool:
    return cutoff is not None and fact.as_of is not None and last_day(fact.as_of) < cutoff


def check_freshness(site: Site, diags: Diagnostics) -> None:
    """Current claims older than `stale_after`, each as a warning at the claim; and
    topic summaries that state a superseded figure."""
    for topic in site.topics.values():
        check_summary(topic, diags)
    cutoff, period = site.stale_before, site.config.stale_after
    if cutoff is None or period is None:
        return
    today = cutoff + datetime.timedelta(days=period)
    boxes = [t.facts for t in site.topics.values()] + [e.facts for e in site.entities.values()]
    for chain in (c for facts in boxes for c in chains(facts)):
        fact = chain.current
        if is_stale(fact, cutoff) and fact.as_of is not None:
            diags.warning(
                fact.loc,
                f"'{fact.label}: {fact.value}' is as of {fact.as_of.iso}, more than "
                f"{period} days before {today.isoformat()} (stale_after): it may be "
                "out of date; look for a newer figure",
            )


def check_summary(topic: Topic, diags: Diagnostics) -> None:
    """A topic summary that states a figure a newer claim of its fact box replaced."""
    if topic.summary is None:
        return
    stated = numbers(topic.summary.value)
    current = {n for chain in chains(topic.facts) for n in numbers(chain.current.value)}
    for older, newer in superseded(topic.facts):
        for digits in (stated.keys() & numbers(older.value).keys()) - current:
            by = f" by {newer.claimed_by.id}" if newer.claimed_by else ""
            diags.warning(
                topic.summary.loc,
                f"the summary states {stated[digits]}, but '{older.label}' is now "
                f"{newer.value}{by}: the claim of {older.value} was superseded",
            )
