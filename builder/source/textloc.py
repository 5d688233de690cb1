"""Finding a piece of text in its source file, to give diagnostics a line and column."""

from __future__ import annotations

from ..diagnostics import Loc


def offset_of(source: str, line: int, col: int) -> int:
    """The character offset of 1-based (line, col) in `source`."""
    offset = 0
    for _ in range(line - 1):
        found = source.find("\n", offset)
        if found < 0:
            return len(source)
        offset = found + 1
    return offset + col - 1


def locate(source: str, start: Loc, needle: str, nth: int = 1) -> Loc:
    """Where the `nth` occurrence of `needle` at or after `start` stands in the file
    text `source`; `start` itself when there is no such occurrence."""
    offset = offset_of(source, start.line, start.col)
    found = -1
    for _ in range(nth):
        found = source.find(needle, offset)
        if found < 0:
            return start
        offset = found + len(needle)
    line = source.count("\n", 0, found) + 1
    col = found - (source.rfind("\n", 0, found) + 1) + 1
    return Loc(start.path, line, col)
