"""A parsed Markdown body: its tokens and its text blocks (paragraphs, headings, cells).

Blocks are what mentions are linked in and what quotes are verified against; each
paragraph gets a stable anchor `p-N` (SPEC 7) so facts can link to it. A parsed
document lives only while its file is compiled; what outlives it is `records.Block`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import records
from .markdown import inline_text


@dataclass
class Block:
    inline: Token  # the `inline` token holding the block's text
    text: str  # plain text, as the reader sees it
    line: int  # file line where the block starts
    anchor: str | None  # "p-3" for paragraphs, None for headings and table cells
    heading: bool
    quoted: bool = False  # inside a blockquote (an embedded post, a long quotation)
    shown: str | None = None  # `text` with placeholders for `[[id]]` (see records.Block)


@dataclass
class Document:
    tokens: list[Token]
    blocks: list[Block]

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.anchor is not None]

    def compact(self) -> tuple[records.Block, ...]:
        """The blocks without their tokens, as the build keeps them."""
        return tuple(
            records.Block(b.text, b.line, b.anchor, b.heading, b.quoted, b.shown)
            for b in self.blocks
        )


def parse_document(md: MarkdownIt, text: str, first_line: int, anchors: bool = True) -> Document:
    """Parse `text`, whose first line is line `first_line` of its file.

    `anchors`: give paragraphs their `p-N` ids (article bodies only: a field shown
    on several pages must not repeat ids)."""
    tokens = md.parse(text, {})
    blocks: list[Block] = []
    count = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
        if token.type != "inline":
            continue
        opener = tokens[index - 1] if index else None
        anchor = None
        if anchors and opener is not None and opener.type == "paragraph_open":
            count += 1
            anchor = f"p-{count}"
            _anchor_target(tokens, index - 1).attrSet("id", anchor)
        line = first_line + (token.map[0] if token.map else 0)
        heading = opener is not None and opener.type == "heading_open"
        children = token.children or []
        text = inline_text(children)
        named = any(c.type == "wikilink" and not c.meta["text"] for c in children)
        shown = inline_text(children, placeholders=True) if named else None
        blocks.append(Block(token, text, line, anchor, heading, depth > 0, shown))
    return Document(tokens, blocks)


def _anchor_target(tokens: list[Token], index: int) -> Token:
    """The paragraph token, or its list item when a tight list hides the `<p>` of a
    paragraph that opens the item. A hidden paragraph further in the item (after a
    heading, say) is shown as a `<p>`: its id needs an element."""
    paragraph = tokens[index]
    if paragraph.hidden and index and tokens[index - 1].type == "list_item_open":
        return tokens[index - 1]
    if paragraph.hidden:
        paragraph.hidden = False
        tokens[index + 2].hidden = False  # its paragraph_close, after the inline token
    return paragraph
