"""Candidate facts: the figures of sentences with an attribution.

A draft's `quote` is the sentence itself, checked to verify before it is shown. A figure
that a fact already quotes (same source, the quote found in the sentence after quote
verification's normalisation) is not proposed again.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ...model.content import Fact
from ...model.site import Site
from ...source.markdown import make_markdown
from ...source.quotes import find_quote, normalize, split_pieces, strip_markup
from ...source.text import sentences
from .attribution import Claimants
from .draft import TODO
from .when import MONTH_NAMES, as_of

_FIGURE = re.compile(
    r"(?<![\w.,-])(?:(?:at least|more than|fewer than|less than|up to|about|around|nearly|"
    r"almost|over|closer to|some|roughly|another|as many as|as much as)\s+)?\$?\d(?:[\d,.]*\d)?"
    r"%?(?:\s+(?:million|billion|thousand|percent|per cent))?(?![\w])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def figures(sentence: str) -> list[str]:
    """The figures of a sentence, without years and the days of dates (`October 18`)."""
    found = [m[0].strip() for m in _FIGURE.finditer(sentence) if _counts(sentence, m)]
    return list(dict.fromkeys(value[0].lower() + value[1:] for value in found))


def _counts(sentence: str, match: re.Match[str]) -> bool:
    """Whether a number counts something: it is no year, day of a date or time of day."""
    number = re.sub(r"^\D+", "", match[0]).strip()
    if _YEAR.fullmatch(number):
        return False
    before, after = sentence[: match.start()], sentence[match.end() :]
    if re.search(rf"\b(?:{MONTH_NAMES})\s+$", before) or re.match(
        rf"\s+(?:{MONTH_NAMES})\b", after
    ):
        return False
    return not (re.match(r"[:.]\d", after) or re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", after))


def fact_candidates(
    site: Site, article_id: str, *, skip_known: bool = True, claimants: Claimants | None = None
) -> list[dict[str, str]]:
    """Drafts of the facts an article gives: one per figure of each attributed
    sentence, without those a fact already quotes (unless `skip_known` is False).
    `claimants`: made once for many articles of a site."""
    blocks = site.texts.body(article_id).blocks
    texts = [b.text for b in blocks]
    md = make_markdown(site.config.allow_html)
    article = site.articles[article_id]
    claimants = (claimants or Claimants(site.entities.values())).of_article(article)
    known = known_quotes(md, site, article_id) if skip_known else []
    drafts: list[dict[str, str]] = []
    for sentence in (s for block in blocks for s in sentences(block.text)):
        values = figures(sentence)
        if not values:
            continue
        attributed, claimant = claimants.claimant(sentence)
        if not attributed or find_quote(md, sentence, texts).block is None:
            continue
        when = as_of(sentence, article.date)
        drafts += [
            _draft(article_id, sentence, value, claimant, when)
            for value in values
            if quoting_fact(known, sentence, value) is None
        ]
    return drafts


def _draft(
    article_id: str, sentence: str, value: str, claimant: str | None, when: str | None
) -> dict[str, str]:
    return {
        "label": "TODO: what is counted",
        "value": value,
        "claimed_by": claimant or TODO,
        "as_of": when or TODO,
        "source": article_id,
        "quote": sentence,
    }


def known_quotes(md: MarkdownIt, site: Site, article_id: str) -> list[tuple[Fact, list[str]]]:
    """The facts that cite the article, with the normalised pieces of their quotes."""
    return [
        (fact, [normalize(strip_markup(md, piece)) for piece in split_pieces(fact.quote.value)])
        for fact in site.citing.get(article_id, [])
        if fact.quote is not None and fact.source is not None and fact.source.id == article_id
    ]


def quoting_fact(known: list[tuple[Fact, list[str]]], sentence: str, value: str) -> Fact | None:
    """The fact that already quotes this figure: the sentence is within its quote, or
    its quote is within the sentence and holds the figure."""
    text = normalize(sentence)
    figure = re.compile(rf"(?<![\d,.]){re.escape(normalize(value))}(?!\d)")
    for fact, pieces in known:
        if any(text in piece for piece in pieces):
            return fact
        if pieces and all(p in text for p in pieces) and any(figure.search(p) for p in pieces):
            return fact
    return None
