"""YAML syntax errors told in an editor's words.

libyaml reports what its parser expected ("while parsing a block collection; did not
find expected '-' indicator"). An editor needs what to change: the line that is
indented wrongly, the colon that needs quotes, the quote that is never closed. Each
rule below recognises one common mistake from the parser's message and the source
lines, and says where it is; the parser's own words follow in parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Place:
    """A 0-based line and column in the YAML text."""

    line: int
    column: int


@dataclass(frozen=True)
class Explained:
    place: Place
    message: str


@dataclass(frozen=True)
class _Error:
    context: str
    problem: str
    context_at: Place | None
    problem_at: Place | None
    lines: list[str]

    def line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""


def explain(exc: yaml.YAMLError, text: str) -> Explained:
    """The place of the mistake and what to do about it."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _unreadable(exc, text)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Explained(Place(0, 0), f"invalid YAML ({exc})")
    error = _Error(
        exc.context or "",
        exc.problem or "",
        _place(exc.context_mark),
        _place(exc.problem_mark),
        text.splitlines(),
    )
    original = "; ".join(p for p in (exc.context, exc.problem) if p) or "syntax error"
    for rule in _RULES:
        found = rule(error)
        if found is not None:
            return Explained(found.place, f"{found.message} (YAML: {original})")
    place = error.problem_at or error.context_at or Place(0, 0)
    return Explained(place, f"invalid YAML: {original}")


def _place(mark: yaml.Mark | None) -> Place | None:
    return Place(mark.line, mark.column) if mark is not None else None


def _unreadable(exc: yaml.reader.ReaderError, text: str) -> Explained:
    before = text[: exc.position]
    line = before.count("\n")
    column = exc.position - (before.rfind("\n") + 1)
    return Explained(
        Place(line, column),
        f"a control character (#x{exc.character:04x}) that YAML does not allow: "
        "delete it (it is often pasted in invisibly)",
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} space{'' if count == 1 else 's'}"


def _tab(error: _Error) -> Explained | None:
    """A tab in the indentation of the line where parsing stopped (or just above)."""
    for place in (error.problem_at, error.context_at):
        if place is None:
            continue
        for index in (place.line, place.line - 1):
            line = error.line(index)
            lead = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in lead:
                return Explained(
                    Place(index, lead.index("\t")),
                    "a tab in the indentation: YAML indents with spaces only",
                )
    return None


_KEY = re.compile(r"\s*(?:-\s+)?([^\s:#][^:#]*?):(?:\s|$)")


def _colon_in_value(error: _Error) -> Explained | None:
    """`summary: Note: this` -- a second ': ' inside an unquoted value."""
    if "mapping values are not allowed" not in error.problem or error.problem_at is None:
        return None
    at = error.problem_at
    line = error.line(at.line)
    key = _KEY.match(line)
    if key is None or key.end() > at.column:
        return None
    name = key.group(1).strip()
    value = line[key.end() :].strip()
    return Explained(
        at,
        f"a colon followed by a space inside the value of '{name}': put the whole value "
        f'in quotes, as in {name}: "{value}"',
    )


def _missing_colon(error: _Error) -> Explained | None:
    """`name Iran` on the line above a `key:` line: the first line lacks its colon."""
    if "mapping values are not allowed" not in error.problem or error.problem_at is None:
        return None
    at = error.problem_at
    above = at.line - 1
    while above >= 0 and not error.line(above).strip():
        above -= 1
    previous = error.line(above)
    if above < 0 or ":" in previous or previous.lstrip().startswith(("-", "#")):
        return None
    if _indent(previous) != _indent(error.line(at.line)):
        return None
    word_end = _indent(previous) + len(previous.strip().split()[0])
    return Explained(
        Place(above, word_end),
        f"line {above + 1} has no ':' after its key: write it as 'key: value'",
    )


def _indented_too_far(error: _Error) -> Explained | None:
    """A key indented deeper than the key above it, which already has a value."""
    if "mapping values are not allowed" not in error.problem or error.problem_at is None:
        return None
    at = error.problem_at
    line = error.line(at.line)
    column = _indent(line)
    return Explained(
        Place(at.line, column),
        f"this line is indented more than the line above ({_spaces(column)}): keys of "
        "one mapping start in the same column",
    )


def _misaligned_item_key(error: _Error) -> Explained | None:
    """A key under `- type: x` that does not line up with `type`."""
    if "expected '-' indicator" not in error.problem or None in (
        error.problem_at,
        error.context_at,
    ):
        return None
    assert error.problem_at is not None and error.context_at is not None
    dash = error.context_at
    first = error.line(dash.line)
    key_column = dash.column + 1 + _indent(first[dash.column + 1 :])
    line = error.line(error.problem_at.line)
    if not line.strip() or line.lstrip().startswith("-"):
        return None
    found = _indent(line)
    return Explained(
        Place(error.problem_at.line, found),
        f"this line is indented {_spaces(found)}, but the keys of the list item above it "
        f"(line {dash.line + 1}) are indented {_spaces(key_column)}: line it up with them, "
        "or start a new item with '- '",
    )


def _not_key_nor_item(error: _Error) -> Explained | None:
    """`b` alone on a line among list items or keys: neither `key: value` nor `- item`."""
    if "could not find expected ':'" not in error.problem or error.context_at is None:
        return None
    at = error.context_at
    above = at.line - 1
    while above >= 0 and not error.line(above).strip():
        above -= 1
    if re.search(r":\s*[|>][-+0-9]*\s*$", error.line(above)):
        return Explained(
            at,
            f"the text of the block started by '|' or '>' on line {above + 1} must be "
            "indented below its key",
        )
    words = error.line(at.line).strip()
    return Explained(
        at,
        f"'{words}' is neither 'key: value' nor a list item '- value': add the ':' after "
        "the key, or '- ' before the item",
    )


def _unclosed_quote(error: _Error) -> Explained | None:
    if "quoted scalar" not in error.context or error.context_at is None:
        return None
    at = error.context_at
    mark = error.line(at.line)[at.column : at.column + 1] or '"'
    return Explained(at, f"the quote {mark} opened here is never closed: add the closing {mark}")


def _unclosed_flow(error: _Error) -> Explained | None:
    match = re.search(r"expected ',' or '([\]}])'", error.problem)
    if match is None or error.context_at is None:
        return None
    closing = match.group(1)
    opening = "[" if closing == "]" else "{"
    return Explained(
        error.context_at,
        f"the '{opening}' opened here is not closed on its line: add '{closing}', and "
        f"separate items with ', ' (or put a value that starts with '{opening}' in quotes)",
    )


def _text_after_value(error: _Error) -> Explained | None:
    """`quote: "He said" more`, `label: [draft] report`: text after a complete value."""
    if "expected key" not in error.problem or error.problem_at is None:
        return None
    at = error.problem_at
    line = error.line(at.line)
    key = _KEY.match(line)
    if key is None or at.column <= key.end() or not line[at.column :].strip():
        return None
    name = key.group(1).strip()
    start = line[key.end() :].lstrip()[:1]
    kind = {"[": "a list", "{": "a mapping", '"': "a quoted text", "'": "a quoted text"}
    return Explained(
        at,
        f"the value of '{name}' starts with {start} and is read as {kind.get(start, 'a value')} "
        f"that ends before this text: put the whole value in quotes",
    )


def _misaligned_key(error: _Error) -> Explained | None:
    if "expected key" not in error.problem or error.problem_at is None:
        return None
    at = error.problem_at
    found = _indent(error.line(at.line))
    return Explained(
        Place(at.line, found),
        f"this line is indented {_spaces(found)}, which lines up with nothing above it: "
        "the keys of one mapping, and the items of one list, start in the same column",
    )


def _bad_first_character(error: _Error) -> Explained | None:
    if error.problem_at is None:
        return None
    at = error.problem_at
    char = error.line(at.line)[at.column : at.column + 1]
    if "cannot start any token" in error.problem and char:
        reason = f"a value cannot start with '{char}'"
    elif "undefined alias" in error.problem:
        reason = "a value that starts with '*' is read as a YAML alias"
    elif "directive" in error.context:
        reason = "a line that starts with '%' is read as a YAML directive"
    else:
        return None
    return Explained(at, f"{reason}: put the value in quotes")


def _too_deep(error: _Error) -> Explained | None:
    if "nesting depth" not in error.problem or error.problem_at is None:
        return None
    return Explained(error.problem_at, "brackets nested too deeply: YAML allows fewer levels")


def _second_document(error: _Error) -> Explained | None:
    if "single document" not in error.context + error.problem or error.problem_at is None:
        return None
    return Explained(
        error.problem_at,
        "a second YAML document starts here ('---'): a file holds one; remove the line",
    )


_RULES: list[Callable[[_Error], Explained | None]] = [
    _tab,
    _unclosed_quote,
    _unclosed_flow,
    _colon_in_value,
    _missing_colon,
    _indented_too_far,
    _misaligned_item_key,
    _not_key_nor_item,
    _text_after_value,
    _misaligned_key,
    _bad_first_character,
    _second_document,
    _too_deep,
]
