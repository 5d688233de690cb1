"""Quoted passages marked in an article's HTML: `<span class="passage" id="q-…">`
around exactly the words a fact, relation or timeline entry quotes, so that its link
lands on them and `:target` highlights them, not the whole paragraph.

The quote was found in the paragraph's plain text (`source/quotes.py`); here the same
normalisation runs over the text of the paragraph's HTML, character by character,
keeping where each character came from. The span is then widened, if needed, to the
nearest boundaries that keep the HTML well nested (a quote that starts in plain text
and ends inside a link encloses the whole link). Should a passage not be found, an
empty span with its id opens the paragraph, so that every link has its target.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.site import Passage
from ..source.quotes import TRANSLATE

_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>|&#?\w+;|[^<&]|[<&]")
_VOID = {"br", "img", "hr", "wbr", "input", "source", "col", "area", "meta", "link"}


@dataclass
class _Text:
    """The visible text of an element's content, normalised, with the HTML offsets of
    each character and the element stack at every offset."""

    chars: list[str]
    starts: list[int]
    ends: list[int]
    stacks: dict[int, tuple[int, ...]]  # offset -> offsets of the open tags around it
    closers: dict[int, int]  # offset of an opening tag -> offset after its closing tag


def mark_passages(body: str, passages: Sequence[Passage]) -> str:
    spans: list[tuple[int, int, str]] = []
    for passage in passages:
        region = _element_content(body, passage.block)
        if region is None:
            spans.append((0, 0, passage.id))
            continue
        found = _find(body, region, passage.pieces)
        spans.append((*(found or (region[0], region[0])), passage.id))
    return _insert(body, spans)


def _element_content(body: str, anchor: str) -> tuple[int, int] | None:
    """Offsets of the content of the element with `id="anchor"`."""
    opening = re.search(rf'<([a-z0-9]+)\b[^>]*\bid="{re.escape(anchor)}"[^>]*>', body)
    if opening is None:
        return None
    depth = 1
    for token in _TOKEN.finditer(body, opening.end()):
        closing, name, self_closing = token.group(1, 2, 3)
        if name is None or self_closing or name.lower() in _VOID:
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return opening.end(), token.start()
    return None


def _scan(body: str, region: tuple[int, int]) -> _Text:
    text = _Text([], [], [], {}, {})
    stack: list[int] = []
    for token in _TOKEN.finditer(body, region[0], region[1]):
        closing, name, self_closing = token.group(1, 2, 3)
        text.stacks[token.start()] = tuple(stack)
        if name is not None:
            if self_closing or name.lower() in _VOID:
                continue
            if closing and stack:
                text.closers[stack.pop()] = token.end()
            elif not closing:
                stack.append(token.start())
            continue
        _add(text, html_lib.unescape(token.group()), token.start(), token.end())
    text.stacks[region[1]] = tuple(stack)
    return text


def _add(text: _Text, char: str, start: int, end: int) -> None:
    """One character of the page, as `quotes.normalize` sees it."""
    for normal in unicodedata.normalize("NFKC", char).translate(TRANSLATE):
        if normal.isspace():
            if not text.chars or text.chars[-1] == " ":
                continue
            normal = " "
        text.chars.append(normal)
        text.starts.append(start)
        text.ends.append(end)


def _find(body: str, region: tuple[int, int], pieces: tuple[str, ...]) -> tuple[int, int] | None:
    """HTML offsets around the pieces, found in order, widened to keep nesting."""
    text = _scan(body, region)
    joined = "".join(text.chars)
    first = last = -1
    position = 0
    for piece in pieces:
        found = joined.find(piece, position)
        if found < 0 or not piece:
            return None
        first = found if first < 0 else first
        position = last = found + len(piece)
    return _nest(text, text.starts[first], text.ends[last - 1])


def _nest(text: _Text, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the element both ends share: open tags between them
    must close between them."""
    before, after = text.stacks[start], _stack_at(text, end)
    shared = 0
    while shared < min(len(before), len(after)) and before[shared] == after[shared]:
        shared += 1
    if len(before) > shared:
        start = before[shared]
    if len(after) > shared:
        end = text.closers.get(after[shared], end)
    return start, end


def _stack_at(text: _Text, offset: int) -> tuple[int, ...]:
    if offset in text.stacks:
        return text.stacks[offset]
    return text.stacks[max(o for o in text.stacks if o < offset)]


def _insert(body: str, spans: list[tuple[int, int, str]]) -> str:
    """The spans, outer before inner where they start together; one that crosses
    another is widened to enclose it."""
    spans = sorted({span[2]: span for span in spans}.values(), key=lambda s: (s[0], -s[1], s[2]))
    placed: list[tuple[int, int, str]] = []
    for start, end, name in spans:
        for other_start, other_end, _ in placed:
            if other_start < start < other_end < end:
                start = other_start
        placed.append((start, end, name))
    events: list[tuple[int, int, int, str]] = []
    for start, end, name in placed:
        opening = f'<span class="passage" id="{name}">'
        if start == end:  # a target with no words: the passage was not found
            events.append((start, 1, 0, opening + "</span>"))
            continue
        events.append((start, 1, -end, opening))
        events.append((end, 0, -start, "</span>"))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, cursor = [], 0
    for offset, _, _, tag in events:
        out += [body[cursor:offset], tag]
        cursor = offset
    return "".join(out) + body[cursor:]
