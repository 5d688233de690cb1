"""`build suggest`: what an editor might add next, as YAML drafts to paste.

Nothing is guessed: what the text does not settle is written as `TODO`.

- `candidates`: candidate entities, names that no alias covers (`names` finds them,
  `kinds` and `names.entity_type` say what they name, `demonyms` turns adjectives of
  existing entities into aliases);
- `facts`: candidate facts, the figures of attributed sentences, with their claimant
  (`attribution`) and their date (`when`);
- `report`: the whole output, and `draft`: how each draft is written.
"""

from __future__ import annotations

from ...source.text import sentences
from .attribution import Claimants
from .demonyms import demonym_forms
from .draft import TODO
from .facts import fact_candidates, known_quotes, quoting_fact
from .names import Name, entity_type, name_runs, names
from .report import suggest
from .when import as_of

__all__ = [
    "TODO",
    "Claimants",
    "Name",
    "as_of",
    "demonym_forms",
    "entity_type",
    "fact_candidates",
    "known_quotes",
    "name_runs",
    "names",
    "quoting_fact",
    "sentences",
    "suggest",
]
