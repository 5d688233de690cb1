"""What the git history of `content/` says about each fact (SPEC 11): the earlier
values, quotes and sources it had, with the commit that changed them. Read by
`source/githistory.py`; matched to the facts of the current content here."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from .content import Fact


@dataclass(frozen=True)
class FactVersion:
    """A fact as one commit had it (text as written in the YAML file)."""

    value: str
    quote: str | None
    source: str | None
    as_of: str | None


@dataclass(frozen=True)
class FactChange:
    """One commit's change to one fact of one topic or entity file."""

    owner: str  # the topic or entity id (its file name)
    fact_id: str | None  # the fact's `id` after the change
    label: str
    claimed_by: str | None
    commit: str
    date: str  # the commit date, ISO 8601 with its offset
    message: str  # the first line of the commit message
    before: FactVersion
    after: FactVersion

    @property
    def anchor(self) -> str:
        """A fragment id for the change on the corrections page, stable across builds."""
        where = "\0".join((self.commit, self.owner, self.fact_id or "", self.label))
        return "c-" + hashlib.blake2b(where.encode(), digest_size=6).hexdigest()

    @property
    def day(self) -> str:
        return self.date[:10]

    def matches(self, fact: Fact) -> bool:
        """By `id` where both have one, else by label and claimant."""
        if fact.id is not None and self.fact_id is not None:
            return fact.id.value == self.fact_id
        claimant = fact.claimed_by.id if fact.claimed_by else None
        return self.label == fact.label.strip() and self.claimed_by == claimant


@dataclass(frozen=True)
class History:
    changes: tuple[FactChange, ...] = ()  # newest first
    read: bool = False  # whether there was a git history to read
    shallow: bool = False  # a shallow clone: older commits are not there
    since: str | None = None  # the date of the oldest commit read

    @functools.cached_property
    def by_owner(self) -> dict[str, list[FactChange]]:
        found: dict[str, list[FactChange]] = {}
        for change in self.changes:
            found.setdefault(change.owner, []).append(change)
        return found

    def of_owner(self, owner: str) -> list[FactChange]:
        return self.by_owner.get(owner, [])

    def of_fact(self, fact: Fact) -> list[FactChange]:
        return [c for c in self.of_owner(fact.owner) if c.matches(fact)]
