"""Fact ids and `supersedes` within one file (SPEC 7): ids are unique, a newer claim
names an older one of the same file, by the same claimant unless it is marked as a
correction, and no claim is replaced twice or, through a chain, by itself."""

from __future__ import annotations

from ..diagnostics import Diagnostics, did_you_mean
from ..model.content import Fact


def check_fact_ids(facts: tuple[Fact, ...], diags: Diagnostics) -> None:
    by_id: dict[str, Fact] = {}
    for fact in facts:
        if fact.id is None:
            continue
        first = by_id.setdefault(fact.id.value, fact)
        if first is not fact:
            assert first.id is not None
            diags.error(
                fact.id.loc,
                f"fact id '{fact.id.value}' is already used on line {first.id.loc.line}: "
                "each fact of a topic or entity needs its own",
            )
    replaced: dict[str, Fact] = {}
    for fact in facts:
        older = _superseded(fact, by_id, diags)
        if older is None or fact.supersedes is None:
            continue
        newer = replaced.setdefault(fact.supersedes.value, fact)
        if newer is not fact:
            diags.error(
                fact.supersedes.loc,
                f"'{fact.supersedes.value}' is already superseded by the claim on line "
                f"{newer.loc.line}: supersede the newest claim of the chain instead",
            )
        elif _in_cycle(fact, by_id):
            diags.error(fact.supersedes.loc, "these claims supersede each other in a circle")


def _superseded(fact: Fact, by_id: dict[str, Fact], diags: Diagnostics) -> Fact | None:
    """The claim `fact` supersedes, after checking that it may."""
    if fact.supersedes is None:
        return None
    name, loc = fact.supersedes.value, fact.supersedes.loc
    older = by_id.get(name)
    if older is None:
        hint = did_you_mean(name, by_id)
        diags.error(loc, f"'supersedes': no fact with id '{name}' in this file{hint}")
        return None
    if older is fact:
        diags.error(loc, "a claim cannot supersede itself")
        return None
    if _claimant(older) != _claimant(fact) and not fact.correction:
        diags.error(
            loc,
            f"'{name}' is claimed by {_claimant(older) or 'no one'}, this claim by "
            f"{_claimant(fact) or 'no one'}: a newer claim replaces its own claimant's; "
            "mark it `correction: true` if it corrects another's",
        )
        return None
    return older


def _claimant(fact: Fact) -> str | None:
    return fact.claimed_by.id if fact.claimed_by else None


def _in_cycle(fact: Fact, by_id: dict[str, Fact]) -> bool:
    seen: set[int] = set()
    current: Fact | None = fact
    while current is not None and current.supersedes is not None:
        if id(current) in seen:
            return True
        seen.add(id(current))
        current = by_id.get(current.supersedes.value)
        if current is fact:
            return True
    return False
