"""`build suggest`: what an editor might add next, as YAML drafts to paste.

Candidate entities are capitalised name sequences that no alias covers, counted
across all articles. Candidate facts are sentences with a figure and an attribution
verb; their `quote` is the sentence itself, checked to verify before it is shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import yaml

from ..model.site import Site
from ..source.markdown import make_markdown
from ..source.mentions import AliasMatcher
from ..source.quotes import find_quote
from ..source.text import sentences

_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?\.?")
_CONNECTORS = {"of", "de", "du", "van", "von", "al", "bin", "la", "del", "der", "and"}
_LEADING = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "Or",
    "In",
    "On",
    "At",
    "For",
    "From",
    "By",
    "With",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "Both",
    "All",
    "None",
    "Some",
    "Most",
    "Many",
    "It",
    "He",
    "She",
    "They",
    "We",
    "You",
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "There",
    "Here",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Exclusive",
    "Breaking",
    "Update",
}
_NOT_NAMES = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "President",
    "Secretary",
    "Minister",
    "Prime",
    "Defense",
    "Defence",
    "Foreign",
    "Chancellor",
    "Senator",
    "Governor",
    "Mayor",
    "General",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Leader",
    "Chief",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Exclusive",
    "Photo",
    "Image",
    "Credit",
    "Media",
    "Featured",
    "Official",
    "West",
    "East",
} | _LEADING
_STRONG = re.compile(
    r"\b(said|says|told|tells|according to|reported|reports|claimed|claims|announced|"
    r"confirmed|stated|noted)\b"
)
_WEAK = re.compile(
    r"(?<!is )(?<!are )(?<!was )(?<!were )(?<!been )\b(estimated|estimates|"
    r"believes?|believed)\b"
)
_HANDLE_OR_URL = re.compile(r"\S*[/@]\S*")
_FIGURE = re.compile(
    r"(?:(?:at least|more than|fewer than|less than|up to|about|around|nearly|almost|"
    r"over|closer to|some|roughly)\s+)?\$?\d(?:[\d,.]*\d)?%?(?:\s+(?:million|billion|"
    r"thousand|percent|per cent))?"
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _covered(matcher: AliasMatcher, text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matcher.find(text)]


def name_runs(text: str, covered: list[tuple[int, int]]) -> Iterator[str]:
    """Capitalised word sequences in `text` outside `covered` spans and sentence starts."""
    run: list[re.Match[str]] = []
    covered = covered + [m.span() for m in _HANDLE_OR_URL.finditer(text)]
    for word in _WORD.finditer(text):
        if any(s < word.end() and word.start() < e for s, e in covered):
            yield from _clean_run(text, run)
            run = []
            continue
        if _extends(text, run, word):
            run.append(word)
        else:
            yield from _clean_run(text, run)
            run = [word] if word[0][0].isupper() else []
    yield from _clean_run(text, run)


def _extends(text: str, run: list[re.Match[str]], word: re.Match[str]) -> bool:
    """A capitalised word starts or continues a run; `of`, `de`... only continue one."""
    follows = bool(run) and text[run[-1].end() : word.start()].isspace()
    if word[0][0].isupper():
        return not run or follows
    return follows and word[0] in _CONNECTORS


def _clean_run(text: str, run: list[re.Match[str]]) -> Iterator[str]:
    """The name in a run, without leading `The`, titles, or a possessive `'s`."""
    while run and (run[-1][0] in _CONNECTORS or run[-1][0].rstrip(".") in _NOT_NAMES):
        run = run[:-1]
    while run and run[0][0].rstrip(".") in _NOT_NAMES:
        run = run[1:]
    if not run or (len(run) == 1 and _sentence_initial(text, run[0].start())):
        return
    words = [m[0] if re.fullmatch(r"(?:[A-Z]\.)+", m[0]) else m[0].rstrip(".") for m in run]
    name = " ".join(words).removesuffix("'s").removesuffix("’s")
    if len(name) > 1:
        yield name


def _sentence_initial(text: str, position: int) -> bool:
    before = text[:position].rstrip(' "“‘(')
    return not before or before[-1] in ".!?:;–—-"


def entity_candidates(site: Site, ids: list[str]) -> list[tuple[str, int, int]]:
    """(name, mentions, articles) of names no alias covers, most frequent first."""
    matcher = AliasMatcher((e.id, a) for e in site.entities.values() for a in e.all_aliases)
    known = {a for e in site.entities.values() for a in e.all_aliases}
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    in_named: set[str] = set()
    for article_id in site.articles:
        found = Counter(
            name
            for block in site.texts.body(article_id).blocks
            for name in name_runs(block.text, _covered(matcher, block.text))
        )
        mentions.update(found)
        articles.update(found.keys())
        if article_id in ids:
            in_named |= set(found)
    names = [n for n in in_named if n not in known]
    names.sort(key=lambda n: (-mentions[n], n))
    return [(n, mentions[n], articles[n]) for n in names]


def _figure(sentence: str) -> str | None:
    for match in _FIGURE.finditer(sentence):
        number = re.sub(r"^\D+", "", match[0])
        if _YEAR.fullmatch(number.strip()):
            continue
        return match[0].strip()
    return None


def fact_candidates(site: Site, article_id: str) -> list[dict[str, str]]:
    blocks = site.texts.body(article_id).blocks
    texts = [b.text for b in blocks]
    md = make_markdown(site.config.allow_html)
    article = site.articles[article_id]
    matcher = AliasMatcher((e.id, a) for e in site.entities.values() for a in e.all_aliases)
    drafts = []
    for block in blocks:
        for sentence in sentences(block.text):
            figure = _figure(sentence)
            verb = _STRONG.search(sentence) or _WEAK.search(sentence)
            if figure is None or verb is None:
                continue
            if find_quote(md, sentence, texts).block is None:
                continue
            draft = {"label": "TODO: what is counted", "value": figure}
            claimant = _claimant(matcher, sentence, verb.start())
            if claimant:
                draft["claimed_by"] = claimant
            draft |= {"as_of": article.date.iso, "source": article_id, "quote": sentence}
            drafts.append(draft)
    return drafts


def _claimant(matcher: AliasMatcher, sentence: str, verb_at: int) -> str | None:
    """The entity named closest before the attribution verb (`Ukraine said ...`), or
    after it (`..., U.S. officials told the Times`)."""
    matches = matcher.find(sentence)
    before = [m for m in matches if m.end <= verb_at and len(m.candidates) == 1]
    after = [m for m in matches if m.start >= verb_at and len(m.candidates) == 1]
    chosen = before[-1] if before else after[0] if after else None
    return chosen.candidates[0] if chosen else None


def suggest(site: Site, ids: list[str]) -> str:
    """The drafts as one YAML text, with comments saying where each belongs."""
    out = [
        "# Candidate entities: names that no entity's aliases cover.",
        "# Save each as content/entities/<id>.yaml and fill in the TODOs.",
    ]
    candidates = entity_candidates(site, ids)
    for name, count, articles in candidates:
        out.append(
            f"\n# content/entities/{_slug(name)}.yaml  "
            f"({count} mention{'s' * (count != 1)} in {articles} "
            f"article{'s' * (articles != 1)})"
        )
        out.append(
            yaml.safe_dump({"name": name}, allow_unicode=True, sort_keys=False).rstrip()
            + "\ntype: other  # TODO: person, country, organization, place, "
            "group, event or other"
        )
    if not candidates:
        out.append("# (none)")
    for article_id in ids:
        drafts = fact_candidates(site, article_id)
        out.append(
            f"\n# Candidate facts from '{article_id}': add them to a topic's or entity's `facts:`."
        )
        out.append(
            yaml.safe_dump(drafts, allow_unicode=True, sort_keys=False, width=1000).rstrip()
            if drafts
            else "# (none)"
        )
    return "\n".join(out) + "\n"


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug if slug and slug[0].isalpha() else f"entity-{slug}"
