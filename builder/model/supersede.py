"""Claims that replace older ones (`supersedes`, SPEC 7): a fact box shows the current
claims, each with the chain of claims it replaced folded under it, and only current
claims count towards a dispute or a spread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .content import Fact


@dataclass(frozen=True)
class Chain:
    current: Fact
    earlier: tuple[Fact, ...]  # the claims it replaced, the most recently replaced first


def chains(facts: Iterable[Fact]) -> list[Chain]:
    """The current claims in the order given, each with what it superseded."""
    facts = list(facts)
    by_id = {fact.id.value: fact for fact in facts if fact.id}
    replaced = {
        fact.supersedes.value
        for fact in facts
        if fact.supersedes and by_id.get(fact.supersedes.value) not in (None, fact)
    }
    current = [f for f in facts if f.id is None or f.id.value not in replaced]
    return [Chain(fact, _earlier(fact, by_id)) for fact in current]


def _earlier(fact: Fact, by_id: dict[str, Fact]) -> tuple[Fact, ...]:
    found: list[Fact] = []
    seen = {id(fact)}
    older = by_id.get(fact.supersedes.value) if fact.supersedes else None
    while older is not None and id(older) not in seen:
        found.append(older)
        seen.add(id(older))
        older = by_id.get(older.supersedes.value) if older.supersedes else None
    return tuple(found)


def superseded(facts: Iterable[Fact]) -> list[tuple[Fact, Fact]]:
    """(older, the current claim that replaced it) for every replaced claim."""
    return [(older, chain.current) for chain in chains(facts) for older in chain.earlier]
