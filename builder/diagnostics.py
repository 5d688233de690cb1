"""Source locations and the diagnostics collected over one build.

Every stage reports problems into one `Diagnostics` collector instead of raising,
so that a build shows all of its errors at once, sorted by place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]  # a note explains, it never fails a build


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a source file; `line` and `col` are 1-based."""

    path: Path
    line: int = 1
    col: int = 1

    def shown(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.col}"


def display_path(path: Path) -> str:
    """Path relative to the working directory where possible, as SPEC 9 asks."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    loc: Loc
    message: str

    def shown(self) -> str:
        return f"{self.loc.shown()}: {self.severity}: {self.message}"


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str) -> None:
        self.items.append(Diagnostic("error", loc, message))

    def warning(self, loc: Loc, message: str) -> None:
        self.items.append(Diagnostic("warning", loc, message))

    def note(self, loc: Loc, message: str) -> None:
        self.items.append(Diagnostic("note", loc, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda d: (str(d.loc.path), d.loc.line, d.loc.col, d.message))


SHORTLIST = 10  # candidates that difflib compares, of those RapidFuzz finds closest


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or an empty string when nothing is close.

    Closeness is difflib's ratio, as everywhere in Python's own messages; but difflib
    alone compares every candidate in Python: 1.6 s for one mistyped id among 10,000
    article ids, each mistyped link in a build. RapidFuzz (in C++) first keeps the
    `SHORTLIST` closest by its edit distance, which difflib's ratio approximates, and
    those as close as the last of them: difflib breaks ties by the id's order."""
    import difflib  # not needed by a build that finds nothing to say

    from rapidfuzz import fuzz, process

    choices = sorted(set(candidates))
    if len(choices) > SHORTLIST:
        ranked = process.extract(word, choices, scorer=fuzz.ratio, limit=None)
        floor = ranked[SHORTLIST - 1][1]
        choices = sorted(choice for choice, score, _ in ranked if score >= floor)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
