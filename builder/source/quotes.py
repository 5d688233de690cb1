"""Quote verification (SPEC 7): a quote must occur in its source article's text.

Both sides are compared after NFKC, with white space collapsed, curly quotes made
straight and dashes made hyphens; the article side is already free of Markdown
markup (it is the text of parsed blocks) and the quote's own markup is removed
the same way. A quote may leave words out with `...`, `…` or `[...]`: each piece
must then occur, in order, within one paragraph.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from .markdown import inline_text

_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")
TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def strip_markup(md: MarkdownIt, text: str) -> str:
    tokens = md.parseInline(text, {})
    return inline_text(tokens[0].children or []) if tokens else text


@dataclass(frozen=True)
class QuoteResult:
    block: int | None  # index of the block where the quote starts; None when not found
    closest: str  # the closest passage of the source, when not found
    pieces: tuple[str, ...] = field(default=(), compare=False)  # normalised, when all
    # of them are in that one block: what the article page marks (output/passages.py)


def split_pieces(quote: str) -> list[str]:
    """The parts of a quote between its ellipses (before normalisation, as `…` is NFKC'd)."""
    return [piece for piece in _ELLIPSIS.split(quote) if piece.strip()]


def find_quote(md: MarkdownIt, quote: str, blocks: list[str]) -> QuoteResult:
    """Where `quote` occurs among the plain-text `blocks` of an article."""
    pieces = [normalize(strip_markup(md, piece)) for piece in split_pieces(quote)]
    texts = [normalize(block) for block in blocks]
    if not pieces:
        return QuoteResult(None, "")
    for index, text in enumerate(texts):
        if _in_order(pieces, text):
            return QuoteResult(index, "", tuple(pieces))
    if len(pieces) == 1:
        joined = " ".join(texts)
        position = joined.find(pieces[0])
        if position >= 0:
            return QuoteResult(_block_at(texts, position), "")
    return QuoteResult(None, closest_passage(" ... ".join(pieces), texts))


def _in_order(pieces: list[str], text: str) -> bool:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _block_at(texts: list[str], position: int) -> int:
    for index, text in enumerate(texts):
        if position <= len(text):
            return index
        position -= len(text) + 1
    return len(texts) - 1


def closest_passage(quote: str, texts: list[str]) -> str:
    """The window of a block, as long as the quote, that resembles it most."""
    best, best_score = "", -1.0
    for text in texts:
        matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
        match = matcher.find_longest_match(0, len(text), 0, len(quote))
        start = max(0, match.a - match.b)
        window = _widen_to_words(text, start, start + len(quote))
        score = difflib.SequenceMatcher(None, window, quote, autojunk=False).ratio()
        if score > best_score:
            best, best_score = window, score
    return best


def _widen_to_words(text: str, start: int, end: int) -> str:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()
