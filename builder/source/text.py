"""Text utilities shared by the build (automatic summaries) and the authoring
commands (`suggest`, `import`)."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|"
    r"No|Jan|Feb|Aug|Sept|Oct|Nov|Dec|vs|etc)\.)$"
)


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; `U.S.` or `Dr.` do not end one."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if _ABBREVIATION.search(candidate):
            continue
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]
