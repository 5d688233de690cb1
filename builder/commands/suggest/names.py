"""Capitalised names in article text, each with the title written before it, and the
type of entity a name would be.

A new entity's `type` comes only from a clear cue: a title before the name
(`President`, `Mr.`) makes a person, an organisation or place word at its head
(`Ministry`, `Bank`, `Province`, `Base`) an organization or a place; otherwise it is
`TODO`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .draft import TODO
from .kinds import head, head_kind
from .when import MONTHS, WEEKDAYS

_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?\.?")
_CONNECTORS = {"of", "de", "du", "van", "von", "al", "bin", "la", "del", "der", "and"}
# Capitalised for opening a sentence or a headline, not for being a name.
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
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Several",
    "Few",
    "Other",
    "Another",
    "Each",
    "Every",
}
# Titles before a person's name: `President Putin`, `Mr. Smith`, `foreign minister Kuleba`.
_TITLES = {
    "President",
    "Vice",
    "Secretary",
    "Minister",
    "Prime",
    "Premier",
    "Chancellor",
    "Senator",
    "Sen",
    "Representative",
    "Rep",
    "Governor",
    "Gov",
    "Mayor",
    "General",
    "Gen",
    "Admiral",
    "Colonel",
    "Col",
    "Lieutenant",
    "Lt",
    "Captain",
    "Capt",
    "Sergeant",
    "Commander",
    "Ambassador",
    "Envoy",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Chairman",
    "Chairwoman",
    "Director",
    "Judge",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
}
# Words that end no name, and begin none but an organisation's (`Foreign Ministry`).
_NOT_NAMES = (
    {
        "Defense",
        "Defence",
        "Foreign",
        "Leader",
        "Chief",
        "Photo",
        "Image",
        "Credit",
        "Media",
        "Featured",
        "Official",
        "West",
        "East",
    }
    | _TITLES
    | _LEADING
    | set(MONTHS)
    | set(WEEKDAYS)
)
# Words that begin no name at all.
_ALWAYS_STRIPPED = _LEADING | set(MONTHS) | set(WEEKDAYS)
# Words with a `/` or `@` (handles, web addresses): no name is read inside them.
_HANDLE_OR_URL = re.compile(r"\S*[/@]\S*")


@dataclass(frozen=True)
class Name:
    """A capitalised name in the text, and the title written just before it, if any."""

    text: str
    title: str | None = None


def name_runs(text: str, covered: list[tuple[int, int]]) -> Iterator[str]:
    """Capitalised word sequences in `text` outside `covered` spans and sentence starts."""
    return (name.text for name in names(text, covered))


def names(text: str, covered: list[tuple[int, int]]) -> Iterator[Name]:
    """Like `name_runs`, with the title before each name.

    One pass over the words and the covered spans, both in order, that passes over
    lowercase words outside names at once: `build suggest` reads every article of
    the site, and at 10,000 articles testing each word against every span took most
    of its 49 s."""
    run: list[re.Match[str]] = []
    handles = _HANDLE_OR_URL.finditer(text) if "/" in text or "@" in text else ()
    spans = sorted(covered + [m.span() for m in handles])
    started, reach = 0, -1  # the spans that start before the word, and where they end at most
    for word in _WORD.finditer(text):
        if not run and not word[0][0].isupper():
            continue  # a lowercase word outside a name (most words): it starts nothing
        while started < len(spans) and spans[started][0] < word.end():
            reach = max(reach, spans[started][1])
            started += 1
        if reach > word.start():  # a covered span overlaps the word
            if run:
                yield from _split_run(text, run)
            run = []
        elif _extends(text, run, word):
            run.append(word)
        else:
            if run:
                yield from _split_run(text, run)
            run = [word] if word[0][0].isupper() else []
    if run:
        yield from _split_run(text, run)


def _extends(text: str, run: list[re.Match[str]], word: re.Match[str]) -> bool:
    """A capitalised word starts or continues a run; `of`, `de`... only continue one."""
    follows = bool(run) and text[run[-1].end() : word.start()].isspace()
    if word[0][0].isupper():
        return not run or follows
    return follows and word[0] in _CONNECTORS


def _bare(word: str) -> str:
    return word.rstrip(".")


def _split_run(text: str, run: list[re.Match[str]]) -> Iterator[Name]:
    """A run split after its last title: `Ukrainian Foreign Minister Dmytro Kuleba` ->
    `Ukrainian`, then `Dmytro Kuleba` (titled `Minister`). A title followed by an
    organisation or place word stays in the name (`General Assembly`)."""
    for at in range(len(run) - 2, -1, -1):
        if _bare(run[at][0]) in _TITLES and head_kind([m[0] for m in run[at + 1 :]]) is None:
            yield from _split_run(text, run[:at])
            yield from _clean_run(text, run[at + 1 :], _bare(run[at][0]))
            return
    yield from _clean_run(text, run, _title_before(text, run[0].start()) if run else None)


def _title_before(text: str, position: int) -> str | None:
    """`minister` in `the foreign minister Kalo Bena`: a lowercase title before a name."""
    match = re.search(r"([^\W\d_]+)\.?\s+$", text[max(0, position - 40) : position])
    word = match[1].capitalize() if match else ""
    return match[1] if match and word in _TITLES else None


def _clean_run(text: str, run: list[re.Match[str]], title: str | None) -> Iterator[Name]:
    """The name in a run, without leading `The`, titles, or a possessive `'s`."""
    while run and (run[-1][0] in _CONNECTORS or _bare(run[-1][0]) in _NOT_NAMES):
        run = run[:-1]
    # `The Foreign Ministry` keeps `Foreign`: the name is an organisation's.
    keep = head_kind([m[0] for m in run]) is not None
    while run and _bare(run[0][0]) in (_ALWAYS_STRIPPED if keep else _NOT_NAMES):
        if _bare(run[0][0]) in _TITLES:
            title = _bare(run[0][0])
        run = run[1:]
    if not run or (len(run) == 1 and _sentence_initial(text, run[0].start())):
        return
    words = [m[0] if re.fullmatch(r"(?:[A-Z]\.)+", m[0]) else _bare(m[0]) for m in run]
    name = " ".join(words).removesuffix("'s").removesuffix("’s")
    if len(name) > 1:
        yield Name(name, title)


def _sentence_initial(text: str, position: int) -> bool:
    """Whether `position` starts a sentence (not one after `Mr.` or an initial), where
    a lone capitalised word is as likely an ordinary word as a name."""
    before = text[:position].rstrip(' "“‘(')
    if before.endswith(".") and re.search(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen))\.$", before):
        return False  # `Mr. Smith`, `Lloyd J. Austin`
    return not before or before[-1] in ".!?:;–—-"


def entity_type(name: Name) -> tuple[str, str]:
    """The type of a new entity and the cue it comes from, or `TODO` and why."""
    kind, word = head(name.text.split())
    if kind is not None:
        return kind, f"'{word}' in the name"
    if name.title is not None:
        return "person", f"the title '{name.title}' before the name"
    return TODO, "no title, organisation or place word tells"
