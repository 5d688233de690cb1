"""Automatic mentions (SPEC 6): every alias of every entity, found in article text.

Matching is case-sensitive, on word boundaries (Unicode letters and digits are word
characters), leftmost-longest. An Aho-Corasick automaton finds all alias
occurrences in one pass over a text, whatever the number of aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick
from markdown_it.token import Token

from .document import Block, Document
from .markdown import inline_text


class Match(NamedTuple):  # a tuple: a long article has hundreds of candidate matches
    start: int
    end: int
    alias: str
    candidates: tuple[str, ...]  # entity ids that have this alias, sorted


class Mention(NamedTuple):  # a tuple, as `Match`: an article has dozens
    entity: str
    block: int  # index into Document.blocks
    start: int  # offsets in the block's plain text
    end: int
    linked: bool


@dataclass(frozen=True)
class Ambiguity:
    alias: str
    candidates: tuple[str, ...]
    line: int


class AliasMatcher:
    def __init__(self, aliases: Iterable[tuple[str, str]]) -> None:
        """`aliases`: (entity id, alias) pairs."""
        owners: dict[str, set[str]] = {}
        for entity_id, alias in aliases:
            if alias.strip():
                owners.setdefault(alias, set()).add(entity_id)
        self.automaton = ahocorasick.Automaton()
        for alias, ids in owners.items():
            self.automaton.add_word(alias, (alias, tuple(sorted(ids))))
        self.empty = not owners
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        if self.empty:
            return []
        found = []
        for end_index, (alias, ids) in self.automaton.iter(text):
            start, end = end_index - len(alias) + 1, end_index + 1
            if _boundary(text, start - 1) and _boundary(text, end):
                found.append(Match(start, end, alias, ids))
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, -m.end))
        chosen: list[Match] = []
        for match in found:
            if not chosen or match.start >= chosen[-1].end:
                chosen.append(match)
        return chosen


def _boundary(text: str, index: int) -> bool:
    """True when position `index` is outside `text` or holds no word character."""
    if index < 0 or index >= len(text):
        return True
    char = text[index]
    return not (char.isalnum() or char == "_")


class MentionLinker:
    """Finds the mentions of one article and links the first of each entity."""

    def __init__(self, matcher: AliasMatcher, listed: frozenset[str]) -> None:
        self.matcher = matcher
        self.listed = listed  # the article's `entities`, to settle ambiguous aliases
        self.mentions: list[Mention] = []
        self.ambiguities: list[Ambiguity] = []
        self.linked: set[str] = set()

    def run(self, doc: Document) -> None:
        for index, block in enumerate(doc.blocks):
            block.inline.children = self._block(index, block)

    def _block(self, index: int, block: Block) -> list[Token]:
        result: list[Token] = []
        offset = 0
        in_link = 0
        for child in block.inline.children or []:
            kind = child.type
            if kind == "text" and not in_link:
                result.extend(self._text(child, index, block, offset))
                offset += len(child.content)
                continue
            in_link += _LINK_DEPTH.get(kind, 0)
            if kind == "html_inline":  # `<a href>` written in HTML (allow_html: true)
                in_link += _raw_link_depth(child.content)
            if kind == "wikilink":
                self.linked.add(str(child.meta["id"]))
            result.append(child)
            offset += len(child.content) if kind == "text" else _plain_length(child)
        return result

    def _text(self, token: Token, index: int, block: Block, offset: int) -> list[Token]:
        """Record every mention in `token`; split out only the ones to link."""
        pieces: list[Token] = []
        cursor = 0
        for match in self.matcher.find(token.content):
            entity = self._resolve(match, block)
            if entity is None:
                continue
            link = not block.heading and entity not in self.linked
            self.mentions.append(
                Mention(entity, index, offset + match.start, offset + match.end, link)
            )
            if not link:
                continue
            self.linked.add(entity)
            pieces.append(_text_token(token.content[cursor : match.start]))
            mention = Token("mention", "a", 0, content=match.alias)
            mention.meta = {"entity": entity}
            pieces.append(mention)
            cursor = match.end
        if not pieces:
            return [token]
        pieces.append(_text_token(token.content[cursor:]))
        return [p for p in pieces if p.type != "text" or p.content]

    def _resolve(self, match: Match, block: Block) -> str | None:
        if len(match.candidates) == 1:
            return match.candidates[0]
        listed = [c for c in match.candidates if c in self.listed]
        if len(listed) == 1:
            return listed[0]
        self.ambiguities.append(Ambiguity(match.alias, match.candidates, block.line))
        return None


_LINK_DEPTH = {"link_open": 1, "link_close": -1}
_RAW_LINK_OPEN = re.compile(r"<a(?:\s|>|/>)", re.IGNORECASE)
_RAW_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _raw_link_depth(html: str) -> int:
    """+1 for an HTML `<a ...>`, -1 for `</a>`: no mention link may nest in a link."""
    return len(_RAW_LINK_OPEN.findall(html)) - len(_RAW_LINK_CLOSE.findall(html))


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _plain_length(token: Token) -> int:
    return len(inline_text([token]))
