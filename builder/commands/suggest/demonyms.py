"""Adjectives and demonyms of places: `Ukrainian`, `North Korean`.

A candidate name that is the demonym of one existing entity is offered as an alias of
that entity instead of as a new entity; one that derives from no entity (`Western`) is
left out. An attribution's subject may name its claimant by one (`Ukrainian
intelligence`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...model.content import Entity

# Adjectives that look like a demonym but name no single entity.
NO_ENTITY_ADJECTIVES = {
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "Westerner",
    "Westerners",
}
# Demonyms that no suffix rule derives from their country's name.
_IRREGULAR_DEMONYMS = {
    "United States": ("American",),
    "United States of America": ("American",),
    "America": ("American",),
    "United Kingdom": ("British",),
    "Britain": ("British",),
    "Great Britain": ("British",),
    "France": ("French",),
    "Netherlands": ("Dutch",),
    "Switzerland": ("Swiss",),
    "China": ("Chinese",),
    "Wales": ("Welsh",),
    "Scotland": ("Scottish",),
    "England": ("English",),
    "Greece": ("Greek",),
    "Denmark": ("Danish",),
    "Sweden": ("Swedish",),
    "Finland": ("Finnish",),
    "Norway": ("Norwegian",),
    "Spain": ("Spanish",),
    "Portugal": ("Portuguese",),
    "Philippines": ("Filipino", "Philippine"),
    "Afghanistan": ("Afghan",),
    "Kazakhstan": ("Kazakh",),
    "Uzbekistan": ("Uzbek",),
    "Tajikistan": ("Tajik",),
    "Kyrgyzstan": ("Kyrgyz",),
    "Turkmenistan": ("Turkmen",),
    "Czech Republic": ("Czech",),
    "Czechia": ("Czech",),
    "Saudi Arabia": ("Saudi",),
    "United Arab Emirates": ("Emirati",),
    "Thailand": ("Thai",),
    "Peru": ("Peruvian",),
    "Argentina": ("Argentine", "Argentinian"),
    "Belarus": ("Belarusian",),
    "Chechnya": ("Chechen",),
    "Turkey": ("Turkish",),
    "Türkiye": ("Turkish",),
    "Poland": ("Polish",),
    "Ireland": ("Irish",),
    "Cyprus": ("Cypriot",),
    "Lebanon": ("Lebanese",),
    "Kurdistan": ("Kurdish",),
}
_DEMONYM_TYPES = {"country", "place"}


def demonym_forms(name: str) -> set[str]:
    """Adjectives a place name may have: Ukraine -> Ukrainian, North Korea -> North
    Korean, Israel -> Israeli, Japan -> Japanese, plus the irregular ones."""
    forms = set(_IRREGULAR_DEMONYMS.get(name, ()))
    *prefix, last = name.split(" ")
    if not last[:1].isupper() or not last.isalpha():
        return forms
    stems = {last}
    if last[-1] in "aeoy":
        stems.add(last[:-1])
    if last.endswith("um"):
        stems.add(last[:-2])
    if last.endswith("land"):
        stems.add(last[:-4])
    endings = ("n", "an", "ian", "i", "ese", "ish")
    for stem in stems:
        forms |= {" ".join([*prefix, stem + ending]) for ending in endings}
    return forms - {name}


def demonyms(entities: Iterable[Entity]) -> dict[str, tuple[str, ...]]:
    """Each demonym form -> the ids of the entities (countries, places) it derives from."""
    owners: dict[str, set[str]] = {}
    for entity in entities:
        if entity.type not in _DEMONYM_TYPES:
            continue
        for alias in entity.all_aliases:
            for form in demonym_forms(alias):
                owners.setdefault(form, set()).add(entity.id)
    return {form: tuple(sorted(ids)) for form, ids in owners.items()}
