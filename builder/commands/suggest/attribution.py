"""Who gives a figure: the claimant of a sentence's attribution (`said`, `told`,
`according to`, `estimated`...).

The claimant is the subject of the attribution, never the nearest name: `South Korea's
spy agency said` -> South Korea, `according to X` -> X, `U.S. officials told the Times`
-> the United States. A subject that is no known entity, a pronoun, several entities,
or attributions that disagree give no claimant (`claimed_by: TODO`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...model.content import Article, Entity
from ...source.mentions import AliasMatcher, Match
from .demonyms import demonyms

_VERB = re.compile(
    r"\b(said|says|told|tells|according to|reported|reports|claimed|claims|announced|"
    r"confirmed|stated|noted|estimated|estimates|believes?|believed)\b",
    re.IGNORECASE,
)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")
_NOUN_BEFORE = re.compile(
    r"\b(?:the|these|those|its|their|his|her|our|such|media|news|unconfirmed|recent|"
    r"earlier|new|initial)\s+$",
    re.IGNORECASE,
)
_INVERTED = {"said", "says"}
# Where the clause of an attribution's subject starts, going back from the verb.
_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:that|and|but|while|as|because|when|after|before|since|"
    r"if|though|although|whereas|so|then|where|said|says|told|tells|reported|announced|"
    r"confirmed|stated|noted|estimated|estimates|believes?|believed|claimed|claims|reports)\b",
    re.IGNORECASE,
)
_END_OF_PHRASE = re.compile(r"[,;:()\[\]“”\"—–]|\s-\s|\b(?:that|who|which|whose)\b")
_RELATIVE = re.compile(r",\s*(?:who|which)\b[^,]*,\s*$")
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "one", "both"}
_NOT_IN_SUBJECT = {
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "did",
    "do",
    "does",
    "not",
    "who",
    "which",
    "and",
    "or",
    "nor",
    "but",
}
_PREPOSITIONS = {"of", "for", "from", "at", "in", "on", "with", "to", "close", "near", "inside"}
# Heads of a subject that speak for what qualifies them: `U.S. officials` speak for the
# United States, `South Korea's spy agency` for South Korea. `Ukrainian analysts` do not.
_OFFICIAL = {
    "official",
    "officials",
    "government",
    "authorities",
    "authority",
    "ministry",
    "agency",
    "military",
    "army",
    "navy",
    "forces",
    "command",
    "intelligence",
    "service",
    "services",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "spokespeople",
    "minister",
    "president",
    "leader",
    "chief",
    "head",
    "director",
    "commander",
    "office",
    "embassy",
    "ambassador",
    "envoy",
    "delegation",
    "statement",
    "department",
    "administration",
    "cabinet",
    "staff",
    "headquarters",
    "prosecutors",
    "police",
}
_WORDS = re.compile(r"[\w'’.-]+")


@dataclass(frozen=True)
class Found:
    """An entity named in a sentence: where, and which it may be."""

    start: int
    end: int
    candidates: tuple[str, ...]


class Claimants:
    """Reads who gives a figure from the attributions of its sentence."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        entities = list(entities)
        self.matcher = AliasMatcher((e.id, a) for e in entities for a in e.all_aliases)
        self.demonyms = demonyms(entities)
        self.demonym_matcher = AliasMatcher(
            (entity_id, form) for form, ids in self.demonyms.items() for entity_id in ids
        )
        self.listed: frozenset[str] = frozenset()  # the article's `entities`
        self.places = {e.id for e in entities if e.type == "place"}

    def of_article(self, article: Article) -> Claimants:
        """The same, settling ambiguous aliases with the article's `entities`."""
        claimants = copy.copy(self)
        claimants.listed = frozenset(ref.id for ref in article.entities)
        return claimants

    def found(self, sentence: str) -> list[Found]:
        """Entities named in the sentence: by alias, or by a demonym no alias covers."""
        matches: list[Match] = self.matcher.find(sentence)
        spans = [(m.start, m.end) for m in matches]
        extra = [
            m
            for m in self.demonym_matcher.find(sentence)
            if not any(s < m.end and m.start < e for s, e in spans)
        ]
        found = [Found(m.start, m.end, m.candidates) for m in [*matches, *extra]]
        return sorted(found, key=lambda f: f.start)

    def claimant(self, sentence: str) -> tuple[bool, str | None]:
        """Whether the sentence attributes at all, and the one entity its attributions
        name as their subject (None when there is none, or they disagree)."""
        found = self.found(sentence)
        verbs = list(_VERB.finditer(sentence))
        votes = {
            self._resolve(sentence, _subject(sentence, verb), found)
            for verb in verbs
            if not _unclaimed(sentence, verb)
        }
        return bool(verbs), (votes.pop() if len(votes) == 1 else None)

    def _resolve(
        self, sentence: str, span: tuple[int, int] | None, found: list[Found]
    ) -> str | None:
        """The entity a subject phrase stands for: its head when that is a name
        (`U.S. Defense Secretary Lloyd Austin`), else the one entity that qualifies an
        official head (`U.S. officials`, `a spokesperson for the Council`)."""
        if span is None:
            return None
        start, end = span
        words = [m for m in _WORDS.finditer(sentence, start, end) if m[0].strip(".'’-")]
        if not words or len(words) > 8:
            return None
        lowered = [m[0].lower().rstrip(".") for m in words]
        if len(words) == 1 and lowered[0] in _PRONOUNS:
            return None
        inside = [f for f in found if f.start < end and start < f.end]
        named = {i for i, w in enumerate(words) for f in inside if _overlap(f, w)}
        if not _noun_phrase(words, lowered, named):
            return None  # the subject was not found
        cut = next(
            (i for i, w in enumerate(lowered) if i > 0 and i not in named and w in _PREPOSITIONS),
            len(words),
        )
        return self._speaker(words[cut - 1], inside)

    def _speaker(self, head: re.Match[str], inside: list[Found]) -> str | None:
        """The entity a subject's head names, or the one entity that qualifies a head
        that speaks for another (`officials`, `agency`...)."""
        owner = next((f for f in inside if _overlap(f, head)), None)
        if owner is not None:
            return self._one(owner.candidates)
        word = head[0].lower().removesuffix("'s").removesuffix("’s")
        if word not in _OFFICIAL:
            return None
        ids = {self._one(f.candidates) for f in inside}
        return ids.pop() if len(ids) == 1 else None

    def _one(self, candidates: tuple[str, ...]) -> str | None:
        """The entity an alias names (settled by the article's `entities` when several
        share it); None for a place: `Kyiv said`, `officials in Kyiv` speak for a
        government, not for the place."""
        listed = [c for c in candidates if c in self.listed]
        chosen = candidates if len(candidates) == 1 else listed
        if len(chosen) != 1 or chosen[0] in self.places:
            return None
        return chosen[0]


def _unclaimed(sentence: str, verb: re.Match[str]) -> bool:
    """An attribution with no claimant: `is estimated`, `media reports`."""
    before = sentence[: verb.start()]
    word = verb[1].lower()
    return word != "according to" and bool(
        _PASSIVE.search(before)
        or (word in {"reports", "claims", "estimates"} and _NOUN_BEFORE.search(before))
    )


def _noun_phrase(words: list[re.Match[str]], lowered: list[str], named: set[int]) -> bool:
    """Whether a subject's lowercase words, outside names, are those of a noun phrase:
    no verb, auxiliary, relative pronoun or conjunction."""
    for index, word in enumerate(lowered):
        if index in named or not word[:1].isalpha() or not words[index][0][0].islower():
            continue
        if word in _NOT_IN_SUBJECT or (
            re.search(r"(?:ed|ing)$", word) and word not in {"armed", "unnamed", "ruling"}
        ):
            return False
    return True


def _overlap(found: Found, word: re.Match[str]) -> bool:
    return found.start < word.end() and word.start() < found.end


def _subject(sentence: str, verb: re.Match[str]) -> tuple[int, int] | None:
    """Where the subject of an attribution verb is: the noun phrase after `according
    to`, or just before the verb (`South Korea's spy agency said`), past a relative
    clause (`X, who..., said`), or after it when inverted (`..., said Ukraine's defence
    minister`)."""
    if verb[1].lower() == "according to":
        return _phrase_after(sentence, verb.end())
    before = sentence[: verb.start()]
    relative = _RELATIVE.search(before)
    if relative:
        before = before[: relative.start()]
    boundaries = list(_BOUNDARY.finditer(before))
    start = boundaries[-1].end() if boundaries else 0
    if boundaries and boundaries[-1][0].lower() in {"and", "or", "as"}:
        previous = before[: boundaries[-1].start()].split()
        if previous and (previous[-1][:1].isupper() or previous[-1].lower() == "such"):
            return None  # `Ukraine and South Korea said`, `such as`: more than one subject
    if before[start:].strip():
        start += len(before[start:]) - len(before[start:].lstrip())
        return start, len(before.rstrip())
    if verb[1].lower() in _INVERTED and not relative:
        return _phrase_after(sentence, verb.end())
    return None


def _phrase_after(sentence: str, position: int) -> tuple[int, int] | None:
    """The noun phrase after `according to` or an inverted `said`, up to the next
    punctuation, relative pronoun or `that`."""
    rest = sentence[position:]
    end = _END_OF_PHRASE.search(rest)
    text = rest[: end.start() if end else len(rest)].rstrip(" .")
    if not text.strip():
        return None
    offset = len(text) - len(text.lstrip())
    return position + offset, position + len(text)
