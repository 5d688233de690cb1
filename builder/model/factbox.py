"""Fact boxes (SPEC 7): facts sharing a label form one row; differing values dispute it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .content import Fact


@dataclass(frozen=True)
class FactRow:
    label: str
    facts: tuple[Fact, ...]  # newest `as_of` first; undated last, in the order given

    @property
    def disputed(self) -> bool:
        return len({fact.value.strip() for fact in self.facts}) > 1


def fact_rows(facts: Iterable[Fact]) -> list[FactRow]:
    """Rows in the order their labels first appear."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.label.strip(), []).append(fact)
    return [FactRow(label, tuple(_newest_first(group))) for label, group in groups.items()]


def _newest_first(facts: list[Fact]) -> list[Fact]:
    dated = [(f.as_of.sort_key, f) for f in facts if f.as_of is not None]
    undated = [f for f in facts if f.as_of is None]
    dated.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties keep their order
    return [f for _, f in dated] + undated
