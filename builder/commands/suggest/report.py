"""The output of `build suggest`: every draft as one YAML text, with comments saying
where each belongs."""

from __future__ import annotations

from ...model.site import Site
from .attribution import Claimants
from .candidates import Candidate, candidates
from .demonyms import NO_ENTITY_ADJECTIVES, demonyms
from .draft import TODO, dump, slug
from .facts import fact_candidates
from .names import entity_type


def suggest(site: Site, ids: list[str]) -> str:
    """The drafts as one YAML text, with comments saying where each belongs."""
    new, aliases, left_out = _sort(site, candidates(site, ids))
    out = [*_entities(new), *_aliases(site, aliases)]
    if left_out:
        out.append(f"\n# Left out: {'; '.join(left_out)}.")
    out += _facts(site, ids)
    return "\n".join(out) + "\n"


def _sort(
    site: Site, found: list[Candidate]
) -> tuple[list[Candidate], list[tuple[Candidate, str]], list[str]]:
    """New entities; (demonym, the one entity it derives from), offered as an alias;
    and why the others, demonyms of several entities or of none, are left out."""
    forms = demonyms(site.entities.values())
    new: list[Candidate] = []
    aliases: list[tuple[Candidate, str]] = []
    left_out: list[str] = []
    for candidate in found:
        text = candidate.name.text
        owners = forms.get(text, ())
        if len(owners) == 1:
            aliases.append((candidate, owners[0]))
        elif owners:
            left_out.append(f"{text} (an adjective of {' or '.join(owners)})")
        elif text in NO_ENTITY_ADJECTIVES:
            left_out.append(f"{text} (an adjective that names no entity)")
        else:
            new.append(candidate)
    return new, aliases, left_out


def _entities(new: list[Candidate]) -> list[str]:
    out = [
        "# Candidate entities: names that no entity's aliases cover.",
        "# Save each as content/entities/<id>.yaml and fill in the TODOs.",
    ]
    for candidate in new:
        kind, why = entity_type(candidate.name)
        out.append(f"\n# content/entities/{slug(candidate.name.text)}.yaml  ({_counts(candidate)})")
        comment = (
            f"  # from {why}"
            if kind != TODO
            else f"  # person, country, organization, place, group, event or other: {why}"
        )
        out.append(dump({"name": candidate.name.text}) + f"\ntype: {kind}{comment}")
    if not new:
        out.append("# (none)")
    return out


def _aliases(site: Site, aliases: list[tuple[Candidate, str]]) -> list[str]:
    if not aliases:
        return []
    out = ["\n# Candidate aliases: adjectives and demonyms of existing entities."]
    for candidate, entity_id in aliases:
        entity = site.entities[entity_id]
        out.append(
            f"\n# content/entities/{entity.path.name}: set its `aliases:` to"
            f"  ('{candidate.name.text}': {_counts(candidate)})"
        )
        out.append(dump({"aliases": [*entity.aliases, candidate.name.text]}, flow=True))
    return out


def _facts(site: Site, ids: list[str]) -> list[str]:
    claimants = Claimants(site.entities.values())
    out: list[str] = []
    for article_id in ids:
        drafts = fact_candidates(site, article_id, claimants=claimants)
        out.append(
            f"\n# Candidate facts from '{article_id}': add them to a topic's or entity's `facts:`."
        )
        out.append(dump(drafts) if drafts else "# (none)")
    return out


def _counts(candidate: Candidate) -> str:
    count, articles = candidate.mentions, candidate.articles
    return f"{count} mention{'s' * (count != 1)} in {articles} article{'s' * (articles != 1)}"
