"""An entity's figures (its profile's "Figures about" section): the facts of other
boxes whose label, value or quote names it, found with the same alias matching that
links mentions in articles. An alias that several entities share names none of them
here, as there is no article's `entities` list to settle it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from .site import Site


class Named(Protocol):
    @property
    def candidates(self) -> tuple[str, ...]:
        """The entities that have the alias that matched."""


def index_figures(site: Site, find: Callable[[str], Iterable[Named]]) -> None:
    for fact in site.all_facts:
        texts = [fact.label, fact.value, fact.quote.value if fact.quote else ""]
        named = {m.candidates[0] for t in texts for m in find(t) if len(m.candidates) == 1}
        for entity_id in sorted(named):
            if entity_id != fact.owner:
                site.figures.setdefault(entity_id, []).append(fact)
