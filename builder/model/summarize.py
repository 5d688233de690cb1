"""Automatic extractive summaries of topics (SPEC 5), for topics without a `summary`.

TextRank: sentences are nodes, weighted by word overlap (Mihalcea and Tarau, 2004),
ranked by PageRank; the best 3 to 5 are shown in source order, each one a verbatim
sentence of an article and linked to its paragraph. Deterministic: no randomness,
ties broken by position.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..source.text import sentences
from .site import Site


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of an automatic summary, and the paragraph it comes from."""

    text: str
    article: str
    anchor: str
    position: tuple[int, int, int]  # article (oldest first), block, sentence


_WORDS = re.compile(r"[^\W_]+")
STOPWORDS = frozenset(
    _WORDS.findall(
        "a an and are as at be been but by for from had has have he her his in is it its of on "
        "or she that the their they this to was were which who will with would not no so than "
        "then there these those we you your our also into over after before about said says "
        "told"
    )
)
MIN_WORDS = 6
MAX_ARTICLES = 30  # the newest; older news rarely belongs in today's summary
MAX_SENTENCES = 200  # keeps the O(n^2) ranking well under a second


def _candidates(site: Site, topic_id: str) -> list[SummarySentence]:
    found = []
    newest = site.topic_articles.get(topic_id, [])[:MAX_ARTICLES]
    per_article = max(MAX_SENTENCES // max(len(newest), 1), 1)
    for order, article_id in enumerate(reversed(newest)):
        taken = 0
        for block_index, block in enumerate(site.texts.body(article_id).blocks):
            if block.anchor is None or block.quoted or taken >= per_article:
                continue
            for index, text in enumerate(sentences(block.shown or block.text)):
                if len(_WORDS.findall(text)) >= MIN_WORDS and taken < per_article:
                    taken += 1
                    found.append(
                        SummarySentence(text, article_id, block.anchor, (order, block_index, index))
                    )
    return found


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)} - STOPWORDS


def _similarity(a: set[str], b: set[str]) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def pagerank(
    weights: list[list[float]], damping: float = 0.85, iterations: int = 50
) -> list[float]:
    """Weighted PageRank by power iteration over the sparse similarity graph."""
    count = len(weights)
    totals = [sum(row) for row in weights]
    inbound = [
        [(j, weights[j][i] / totals[j]) for j in range(count) if weights[j][i]]
        for i in range(count)
    ]
    scores = [1.0 / count] * count
    for _ in range(iterations):
        scores = [
            (1 - damping) / count + damping * sum(w * scores[j] for j, w in links)
            for links in inbound
        ]
    return scores


def automatic_summary(site: Site, topic_id: str, limit: int = 5) -> list[SummarySentence]:
    candidates = _candidates(site, topic_id)
    if not candidates:
        return []
    words = [_words(c.text) for c in candidates]
    weights = [
        [_similarity(a, b) if i != j else 0.0 for j, b in enumerate(words)]
        for i, a in enumerate(words)
    ]
    scores = pagerank(weights)
    size = max(3, min(limit, len(candidates) // 4))
    ranked = sorted(range(len(candidates)), key=lambda i: (-round(scores[i], 12), i))
    return sorted((candidates[i] for i in ranked[:size]), key=lambda c: c.position)
