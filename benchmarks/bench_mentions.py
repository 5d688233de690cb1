"""Mention linking at scale (issue: entity intelligence).

Links the mentions of N synthetic 700-word articles against M entities with 10
aliases each (defaults: 10,000 articles, 10,000 entities = 100,000 aliases), on one
core, and reports the time per article. The peer, measured in the same run on the
same articles, is markdown-it's own parse of each article: linking should cost less
than parsing. Target: under 2 ms per article; the exit code is 1 when it is missed.

    python benchmarks/bench_mentions.py [--articles N] [--entities M] [--target-ms MS]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from builder.source.document import parse_document
from builder.source.markdown import make_markdown
from builder.source.mentions import AliasMatcher, MentionLinker

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ru",
    "sen",
    "ta",
    "vo",
    "zel",
    "an",
    "bor",
    "dri",
    "ek",
    "fa",
    "gun",
    "hel",
    "is",
    "jo",
    "kur",
    "lev",
    "mar",
    "nov",
    "or",
    "pet",
    "qu",
]
WORDS = (  # noqa: SIM905 (a word list reads better as prose)
    "the a of to and in that said officials troops war on for with as by was were "
    "minister country talks border forces report week estimated according least "
    "government army city region deal sanctions support meeting"
).split()


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_entities(count: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    entities = []
    for index in range(count):
        first, last = name(rng), name(rng)
        aliases = [
            f"{first} {last}",
            last,
            f"{first[0]}. {last}",
            f"{last} Group",
            f"{first} {last} Jr",
            f"{last} Institute",
            f"President {last}",
            f"{first}{index}",
            f"{last}{index} Org",
            f"the {last} office",
        ]
        entities.append((f"e{index}", aliases))
    return entities


def make_article(entities: list[tuple[str, list[str]]], rng: random.Random) -> str:
    paragraphs = []
    for _ in range(7):
        words = [rng.choice(WORDS) for _ in range(100)]
        for _ in range(4):  # about 28 mentions per article
            words[rng.randrange(100)] = rng.choice(rng.choice(entities)[1])
        sentence = " ".join(words)
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    return "\n\n".join(paragraphs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument(
        "--target-ms", type=float, default=2.0, help="time per article to stay under (ms)"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    entities = make_entities(args.entities, rng)
    articles = [make_article(entities, rng) for _ in range(args.articles)]
    words = sum(len(a.split()) for a in articles) / len(articles)

    started = time.perf_counter()
    matcher = AliasMatcher((e, alias) for e, aliases in entities for alias in aliases)
    automaton_seconds = time.perf_counter() - started

    md = make_markdown()
    parse_seconds = link_seconds = 0.0
    mentions = 0
    for text in articles:
        t0 = time.perf_counter()
        doc = parse_document(md, text, 1)
        t1 = time.perf_counter()
        linker = MentionLinker(matcher, frozenset())
        linker.run(doc)
        t2 = time.perf_counter()
        parse_seconds += t1 - t0
        link_seconds += t2 - t1
        mentions += len(linker.mentions)

    per_link = link_seconds / len(articles) * 1000
    per_parse = parse_seconds / len(articles) * 1000
    print(
        f"entities: {len(entities):,}, aliases: {len(entities) * 10:,} "
        f"(automaton built in {automaton_seconds:.2f} s)"
    )
    print(
        f"articles: {len(articles):,} of {words:.0f} words, {mentions / len(articles):.1f} "
        "mentions each"
    )
    print(f"link mentions: {per_link:.3f} ms per article (target < {args.target_ms:g} ms)")
    print(f"peer, markdown-it parse: {per_parse:.3f} ms per article")
    print(f"ratio link/parse: {per_link / per_parse:.2f}")
    if per_link < args.target_ms:
        print("PASS")
        return 0
    print(f"FAIL: over {args.target_ms:g} ms per article")
    return 1


if __name__ == "__main__":
    sys.exit(main())
