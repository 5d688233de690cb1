"""Write a synthetic Dossier site of any size, for benchmarks and scale checks.

    python benchmarks/synthetic.py OUT_DIR [--articles 10000] [--entities 10000] [--topics 100]
                                           [--paragraphs 7]

Articles are ~700 words (`--paragraphs`, `size` here, of 100 words, and a claim) with
~20 mentions of entities (3 a paragraph), each in one or two topics;
every topic has a fact box whose quotes come from its articles, so they verify.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

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
    "the a of to and in that officials troops war on for with as by was were minister "
    "country talks border forces report week government army city region deal "
    "sanctions support meeting"
).split()
TYPES = ["person", "country", "organization", "place", "group"]


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def write_site(out: Path, articles: int, entities: int, topics: int, size: int = 7) -> None:
    rng = random.Random(11)
    content = out / "content"
    for folder in ("articles", "entities", "topics"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        "title: Synthetic desk\nbase_url: https://example.org/synthetic/\n"
    )
    people = []
    for index in range(entities):
        first, last = name(rng), name(rng)
        full = f"{first} {last} {index}"
        people.append(full)
        (content / "entities" / f"e{index}.yaml").write_text(
            f"name: {full}\ntype: {TYPES[index % len(TYPES)]}\n"
            f"aliases: [{last} {index}, {first[0]}. {last} {index}]\n"
            f"summary: Synthetic entity number {index}.\n"
        )
    quotes: dict[int, list[tuple[str, str]]] = {t: [] for t in range(topics)}
    for index in range(articles):
        topic = index % topics
        paragraphs = []
        for _ in range(size):
            words = [rng.choice(WORDS) for _ in range(100)]
            for _ in range(3):
                words[rng.randrange(100)] = rng.choice(people)
            paragraphs.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        figure = f"{rng.randint(2, 900) * 100:,}"
        claim = f"Officials said that {figure} troops crossed the border in week {index}."
        paragraphs.insert(1, claim)
        if len(quotes[topic]) < 6:
            quotes[topic].append((f"a{index}", claim))
        day = 1 + index % 28
        month = 1 + (index // 28) % 12
        year = 2020 + index // (28 * 12)
        (content / "articles" / f"a{index}.md").write_text(
            f"---\ntitle: Synthetic story {index}\ndate: {year}-{month:02d}-{day:02d}\n"
            f"topics: [t{topic}]\n---\n" + "\n\n".join(paragraphs) + "\n"
        )
    for topic in range(topics):
        facts = "".join(
            f"  - label: Troops crossing\n    value: as reported\n    claimed_by: e{topic}\n"
            f'    source: {source}\n    quote: "{quote}"\n'
            for source, quote in quotes[topic]
        )
        (content / "topics" / f"t{topic}.yaml").write_text(
            f"title: Synthetic topic {topic}\nsummary: Topic {topic}.\n"
            f"entities: [e{topic}]\nfacts:\n{facts}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--paragraphs", type=int, default=7, help="of 100 words, per article")
    args = parser.parse_args()
    write_site(args.out, args.articles, args.entities, args.topics, args.paragraphs)


if __name__ == "__main__":
    main()
