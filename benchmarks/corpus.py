"""A deterministic synthetic news corpus, written as a Dossier site and as a Hugo site.

    python benchmarks/corpus.py OUT [--articles 10000] [--entities 200] [--topics 18]

writes

    OUT/dossier/content/   site.yaml, articles/*.md, entities/*.yaml, topics/*.yaml
    OUT/dossier/themes/bench/templates/   an empty site theme (selected in site.yaml)
    OUT/hugo/              hugo.toml, content/articles/*.md, content/topics/*/_index.md,
                           themes/minimal/ (a copy of benchmarks/hugo/)
    OUT/stats.json         words, mentions and distinct entities per article

Articles are ~600 words of news-like prose (paragraphs of 3 to 6 sentences, some
headings, lists, block quotes and links), each in one or two topics and each
mentioning several entities by name or alias. Every entity name and alias is built
from invented words that occur nowhere else, so no alias is ambiguous and none hides
inside another. Topic fact boxes and timelines quote sentences that were written into
their source articles, so every quote verifies; some fact rows are disputed.

The same arguments always give the same bytes: one fixed seed, no clock, no hash order.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

import yaml

SEED = 20_240_610
START = date(2019, 1, 7)
SPAN_DAYS = 6 * 365
HUGO_THEME = Path(__file__).resolve().parent / "hugo"
SITE_TITLE = "Bench Desk"
BASE_URL = "https://example.org/bench/"

# ---------------------------------------------------------------------------- words

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
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
)
ISSUES = (
    "the future of the border",
    "energy prices",
    "the status of refugees",
    "water rights on the river",
    "the fishing dispute",
    "grain exports",
    "the detention of journalists",
    "reconstruction funding",
    "customs checks",
    "the pension reform",
    "the electoral law",
    "military exercises near the coast",
    "the pipeline project",
    "access to the port",
    "the debt restructuring",
    "the ceasefire line",
)
ROLES = {
    "country": ("president of", "prime minister of", "foreign minister of", "defence minister of"),
    "organization": ("chair of", "spokesperson for", "director of", "founder of"),
}
ORG_KINDS = (
    "Energy Council",
    "Development Bank",
    "Workers Union",
    "Broadcasting Corporation",
    "Institute for Peace Studies",
    "Maritime Authority",
    "Relief Agency",
    "Freedom Party",
    "Herald",
    "Trade Commission",
)

SENTENCES = (
    "{P} said on {day} that {C} would not accept any agreement that left {issue} unresolved.",
    "Officials in {L} described the mood as tense but calm, with shops open and traffic "
    "moving normally by the afternoon.",
    "The talks, hosted by {O}, are expected to last at least {n} days and could be extended "
    "if both sides see progress.",
    "Critics of the plan, including several members of {O}, argue that it does little to "
    "address {issue}.",
    "{C} has repeatedly denied the accusations, calling them part of a campaign to undermine "
    "its position in the region.",
    "According to a statement released late on {day}, {P} spoke by telephone with {P2} for "
    "nearly an hour.",
    "Analysts said the move reflected growing pressure on {C} to show results before the end "
    "of the year.",
    "In {L}, residents queued for hours outside banks and petrol stations as rumours of new "
    "restrictions spread.",
    "The agreement would commit {C} to spending an additional {N} million on {issue} over "
    "the next {n} years.",
    "{O} said it had sent a team of observers to {L} to monitor the situation.",
    "Neither side has published the full text of the proposal, which was first reported by "
    "local media in {month}.",
    "{P}, who has led the negotiations since {year}, told reporters that a deal was within reach.",
    "Supporters gathered outside the parliament building in {L}, waving flags and chanting "
    "slogans in favour of the government.",
    "The dispute has strained relations between {C} and {C2}, which had until recently been "
    "close trading partners.",
    "A spokesperson for {O} declined to comment on the report, saying only that discussions "
    "were continuing.",
    "Prices for fuel and basic food have risen sharply in recent weeks, adding to public "
    "frustration over {issue}.",
    "{P} is expected to travel to {L} next week for a meeting with regional leaders.",
    "Diplomats said privately that the chances of a breakthrough remained slim.",
    "The last round of talks collapsed in {month} {year} after {C} walked out over {issue}.",
    "Local authorities in {L} ordered schools to close for the rest of the week as a precaution.",
    "More than {N} people signed an open letter calling on {P} to resign.",
    "{C2} has offered to mediate, but officials in {C} have so far shown little interest.",
    "The central bank raised its main interest rate by {n} percentage points, its largest "
    "increase in a decade.",
    "Opposition leaders accused {P} of ignoring warnings from {O} about {issue}.",
    "Satellite images published by {O} appear to show new construction near {L}.",
    "It was not immediately clear whether the decision would take effect before the summer.",
    "Asked whether {C} would retaliate, {P} said that all options remained on the table.",
    "The ministry said it had received more than {N} complaints since the beginning of {month}.",
    "Independent journalists have been barred from entering {L} since {month}, making the "
    "reports difficult to verify.",
    "{O} called the outcome a step in the right direction but warned that much work remained.",
    "For many families in {L}, the changes have meant longer working hours and fewer services.",
    "Trade between {C} and {C2} fell by roughly {n} percent last year, according to customs data.",
    "In an interview broadcast on {day}, {P} defended the government's record on {issue}.",
    "The proposal still needs the approval of parliament, where the ruling coalition holds a "
    "narrow majority.",
    "Several ambassadors were summoned to the foreign ministry in {L} to explain their "
    "governments' positions.",
    "{P} and {P2} last met in {month}, when they agreed to set up a joint working group on "
    "{issue}.",
    "Humanitarian groups warned that supplies in {L} could run out within {n} weeks.",
    "The announcement came hours after {O} published a report criticising the handling of {issue}.",
    "Markets reacted calmly, with the main stock index closing slightly higher on {day}.",
    "Residents of {L} said they had heard explosions overnight, though officials later said "
    "the blasts were controlled.",
    "{C} has deployed additional police to the border crossing at {L}, according to local "
    "officials.",
    "The plan was drafted with the help of advisers from {O} and has been revised several times.",
    "Turnout in the regional elections was the lowest in {n} years.",
    "Some economists believe the measures will cost {C} as much as {N} million a year.",
    "{P} dismissed the criticism as politically motivated and said the figures spoke for "
    "themselves.",
    "A final decision is expected by the end of {month}, officials said.",
    "The committee will hold public hearings in {L} and two other cities before publishing "
    "its findings.",
    "Relatives of the detained workers have staged a sit-in outside the offices of {O} for "
    "more than a week.",
    "{P2} said {C2} was ready to host the next round of negotiations in {L}.",
    "The government insists that the new rules are temporary and will be reviewed every {n} "
    "months.",
    "{Cadj} officials have so far refused to say how many people were detained.",
    "The {Cadj} delegation left the meeting early, according to two people who were present.",
    "Talks between {Cadj} and {O} negotiators resumed on {day} after a pause of {n} days.",
    "{P} told lawmakers that the country could not afford another winter of shortages.",
    "Farmers near {L} say the drought has cut their harvest by half.",
    "The figures could not be independently verified.",
    "Officials did not give a timetable for the next steps.",
    "The issue is expected to dominate the agenda at next month's summit.",
    "Some residents said they had stopped following the news altogether.",
    "Aid workers said conditions had worsened since the start of the month.",
    "The decision was welcomed by business groups but criticised by unions.",
    "Few details of the arrangement have been made public.",
    "Lawmakers are due to debate the measure on {day}.",
    "It is the third such incident this year.",
    "Officials said the situation was under control, but warned against travel to the area.",
    "The number of people applying for asylum has doubled since {month}.",
    "A court is due to rule on the case within {n} weeks.",
    "Both sides have accused each other of bad faith.",
    "Rail services between the two cities were suspended for several hours.",
)
OPENERS = ("Meanwhile, ", "On {day}, ", "Separately, ", "Earlier, ", "Still, ")
HEADINGS = (
    "Background",
    "What happens next",
    "Reaction",
    "A long dispute",
    "The economic cost",
    "Inside the talks",
    "On the ground",
)
LIST_INTROS = (
    "The proposal, as described by officials, includes:",
    "Among the measures announced on {day}:",
    "The main points of disagreement are:",
)
LIST_ITEMS = (
    "a ceasefire along the line near {L}",
    "the release of detainees held by {C}",
    "a joint commission chaired by {O}",
    "new funding for {issue}",
    "regular meetings between {P} and {P2}",
    "international monitoring of {issue}",
    "a timetable for talks in {L}",
)
BLOCKQUOTES = (
    "“We will not be rushed into a bad agreement,” {P} said.",
    "“The people of {L} deserve answers, not more promises,” a statement from {O} read.",
    "“This is a difficult day, but it is not the end of the road,” {P} told supporters.",
)
LINK_SENTENCES = (
    "A [summary of the findings](https://example.org/reports/{k}) was published on {day}.",
    "The full text of the statement is [available online](https://example.org/statements/{k}).",
    "An [earlier assessment](https://example.org/briefings/{k}) reached similar conclusions.",
)
HEADLINES = (
    "{C} and {C2} resume talks on {issue}",
    "{P} warns of new measures over {issue}",
    "{O} report raises questions about {issue}",
    "Protests spread in {L} over {issue}",
    "{P} and {P2} meet in {L}",
    "{C} rejects criticism from {O}",
    "Talks in {L} end without agreement on {issue}",
    "{C} announces new funding for {issue}",
    "{P} under pressure as {O} demands answers",
    "Observers from {O} arrive in {L}",
)
TOPIC_TITLES = (
    "The {C} and {C2} border dispute",
    "Energy crisis in {C}",
    "Elections in {C}",
    "The {L} water dispute",
    "Reform of the {O}",
    "Trade war between {C} and {C2}",
    "The {O} corruption inquiry",
    "Refugees from {L}",
)
FACT_LABELS = (  # label, what follows the value in the sentence, value maker
    ("Troops deployed to the border", "troops had been deployed to the border", "count"),
    ("People displaced", "people had been forced to leave their homes", "count"),
    ("Emergency aid pledged", "in emergency aid had been pledged", "money"),
    ("People detained", "people had been detained since the protests began", "count"),
    ("Grain exported", "tonnes of grain had left the ports this season", "count"),
    ("Reconstruction cost", "would be needed to rebuild the damaged towns", "money"),
    ("Protesters in the capital", "people had joined the march in the capital", "count"),
)
CLAIM_FORMS = (
    "{who} said on {day} that {value} {phrase}.",
    "According to {who}, {value} {phrase}.",
    "{who} estimated that {value} {phrase}.",
)
EVENTS = (  # timeline text, sentence written into the source article
    ("{P} meets {P2} in {L}", "{P} met {P2} in {L} on {day} for talks on {issue}."),
    ("{O} publishes its report", "{O} published its long-awaited report on {issue} on {day}."),
    (
        "{C} closes the border crossing at {L}",
        "{C} closed the border crossing at {L} on {day}, citing security concerns.",
    ),
    (
        "{C} and {C2} sign a preliminary agreement",
        "Representatives of {C} and {C2} signed a preliminary agreement in {L} on {day}.",
    ),
    (
        "Mass protest in {L}",
        "Thousands of people took to the streets of {L} on {day} to protest against {issue}.",
    ),
)
SLOT = re.compile(r"\{(\w+)\}")
ENTITY_SLOTS = {"P": "person", "P2": "person", "C": "country", "C2": "country", "O": "organization"}
ENTITY_SLOTS |= {"L": "place", "Cadj": "country"}


# ---------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    adjective: str = ""  # countries: the demonym, also an alias ("Velarian officials")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def short_slug(text: str, limit: int = 50) -> str:
    """The slug, cut at a hyphen to at most `limit` characters."""
    full = slug(text)
    return full if len(full) <= limit else full[: limit + 1].rsplit("-", 1)[0]


def vocabulary() -> set[str]:
    """Every word the prose templates use, lower case: invented names must avoid them."""
    texts = [*SENTENCES, *OPENERS, *HEADINGS, *LIST_INTROS, *LIST_ITEMS, *BLOCKQUOTES, *ISSUES]
    texts += [*LINK_SENTENCES, *HEADLINES, *TOPIC_TITLES, *DAYS, *MONTHS, *ORG_KINDS]
    return {w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)}


def invented_words(rng: Random) -> Iterator[str]:
    """Unique capitalised nonsense words of 5 to 7 letters ('Velaron', 'Toskuri').

    No word is a prefix of another, so the forms derived from one (Velaron -> Velaronia,
    Velaronian) never equal or contain another entity's word; none is an English word of
    the templates."""
    onsets, vowels, codas = "bdfgklmnprstvz", "aeiou", ("", "", "n", "r", "l", "s")
    english = vocabulary()
    words: set[str] = set()
    prefixes: set[str] = set()  # every prefix of every word so far
    while True:
        parts = [rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3))]
        word = ("".join(parts) + rng.choice(codas)).lower()
        clash = word in prefixes or any(word[:i] in words for i in range(1, len(word) + 1))
        if len(word) < 5 or clash or word in english:
            continue
        words.add(word)
        prefixes.update(word[:i] for i in range(1, len(word) + 1))
        yield word.capitalize()


def make_entities(rng: Random, count: int) -> list[Entity]:
    """People 45%, countries 15%, organizations 25%, places 15%; at least one of each."""
    words = invented_words(rng)
    kinds = ["country", "person", "organization", "place"]
    shares = {"country": 0.15, "organization": 0.25, "place": 0.15}
    quota = {k: max(1, round(count * s)) for k, s in shares.items()}
    quota["person"] = max(1, count - sum(quota.values()))
    makers: dict[str, Callable[[Random, Iterator[str], set[str]], Entity]] = {
        "country": _country,
        "person": _person,
        "organization": _organization,
        "place": _place,
    }
    taken: set[str] = set()
    entities = [makers[k](rng, words, taken) for k in kinds for _ in range(quota[k])]
    rng.shuffle(entities)
    return entities[: max(count, len(kinds))]


def _unique(entity: Entity, taken: set[str]) -> Entity:
    surfaces = [entity.name, *entity.aliases]
    assert not taken.intersection(surfaces), surfaces
    taken.update(surfaces)
    return entity


def _country(rng: Random, words: Iterator[str], taken: set[str]) -> Entity:
    stem = next(words)
    name = stem + rng.choice(("ia", "land", "a"))
    adjective = stem + "ian"
    aliases = (adjective, f"Republic of {name}")[: rng.randint(1, 2)]
    return _unique(Entity(slug(name), name, "country", aliases, adjective), taken)


def _person(rng: Random, words: Iterator[str], taken: set[str]) -> Entity:
    first, last = next(words), next(words)
    middle = rng.choice("ABDEGHJKLMNPRST")
    aliases = (last, f"{first[0]}. {last}", f"{first} {middle}. {last}")[: rng.randint(1, 3)]
    return _unique(Entity(slug(f"{first} {last}"), f"{first} {last}", "person", aliases), taken)


def _organization(rng: Random, words: Iterator[str], taken: set[str]) -> Entity:
    stem, kind = next(words), rng.choice(ORG_KINDS)
    name = f"{stem} {kind}"
    acronym = "".join(w[0] for w in name.split() if w[0].isupper())
    short = f"{stem} {kind.split()[-1]}" if " " in kind else ""
    aliases = [a for a in (acronym, short) if a and a not in taken]
    aliases = aliases or [f"The {name}"]
    return _unique(Entity(slug(name), name, "organization", tuple(aliases[:2])), taken)


def _place(rng: Random, words: Iterator[str], taken: set[str]) -> Entity:
    stem = next(words)
    name, alias = rng.choice(
        ((stem, f"{stem} City"), (f"Port {stem}", f"{stem} harbour"), (f"{stem} Valley", stem))
    )
    return _unique(Entity(slug(name), name, "place", (alias,)), taken)


# ---------------------------------------------------------------------------- plans


@dataclass
class Topic:
    id: str
    title: str
    players: list[Entity]
    issue: str
    articles: list[int] = field(default_factory=list)


@dataclass
class Insert:
    """A sentence that a topic quotes, to be written into its source article."""

    template: str
    values: dict[str, str | Entity]
    text: str = ""  # the sentence as written, filled in when the article is composed


@dataclass
class Plan:
    index: int
    id: str
    title: str
    date: date
    topics: list[Topic]
    cast: list[Entity]
    inserts: list[Insert] = field(default_factory=list)


def by_type(entities: list[Entity]) -> dict[str, list[Entity]]:
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(entity.type, []).append(entity)
    return groups


def pick(rng: Random, groups: dict[str, list[Entity]], kind: str, k: int) -> list[Entity]:
    pool = groups.get(kind) or [e for g in groups.values() for e in g]
    return rng.sample(pool, min(k, len(pool)))


def make_topics(rng: Random, count: int, groups: dict[str, list[Entity]]) -> list[Topic]:
    topics: list[Topic] = []
    used: set[str] = set()
    for index in range(count):
        players = pick(rng, groups, "country", 2) + pick(rng, groups, "person", 3)
        players += pick(rng, groups, "organization", 2) + pick(rng, groups, "place", 1)
        values = slot_values(players, rng)
        title = with_names(TOPIC_TITLES[index % len(TOPIC_TITLES)], values)
        topic_id = slug(title.removeprefix("The "))
        if topic_id in used:
            topic_id = f"{topic_id}-{index}"
        used.add(topic_id)
        topics.append(Topic(topic_id, title, players, rng.choice(ISSUES)))
    return topics


def slot_values(cast: list[Entity], rng: Random) -> dict[str, str | Entity]:
    """One entity per slot letter (P and P2 differ where the cast allows it), and the rest."""
    groups = by_type(cast)
    values: dict[str, str | Entity] = {}
    for kind, (one, two) in {"person": ("P", "P2"), "country": ("C", "C2")}.items():
        chosen = pick(rng, groups, kind, 2)
        values[one], values[two] = chosen[0], chosen[-1]
    values["Cadj"] = values["C"]
    values["O"] = pick(rng, groups, "organization", 1)[0]
    values["L"] = pick(rng, groups, "place", 1)[0]
    values["issue"] = rng.choice(ISSUES)
    values["day"] = rng.choice(DAYS)
    return values


def with_names(template: str, values: dict[str, str | Entity]) -> str:
    """Fill a template with entity names (titles and timeline text, not article prose)."""
    return SLOT.sub(lambda m: name_of(values[m[1]]), template)


def name_of(value: str | Entity) -> str:
    return value.name if isinstance(value, Entity) else value


def article_date(index: int, count: int) -> date:
    return START + timedelta(days=index * SPAN_DAYS // max(count, 1))


def plan_articles(
    rng: Random, count: int, topics: list[Topic], entities: list[Entity]
) -> list[Plan]:
    groups = by_type(entities)
    plans: list[Plan] = []
    titles: set[str] = set()
    for index in range(count):
        first = topics[index % len(topics)] if index < len(topics) else rng.choice(topics)
        chosen = [first]
        if len(topics) > 1 and rng.random() < 0.35:
            chosen.append(rng.choice([t for t in topics if t is not first]))
        cast = rng.sample(first.players, rng.randint(4, 6))
        for topic in chosen[1:]:
            cast += rng.sample(topic.players, 2)
        cast += [entities[index % len(entities)]]
        cast += [e for kind in groups for e in pick(rng, groups, kind, rng.randint(0, 1))]
        present = {e.type for e in cast}  # every slot type has someone to fill it
        cast += [pick(rng, groups, kind, 1)[0] for kind in groups if kind not in present]
        cast = list(dict.fromkeys(cast))
        title = headline(rng, cast, titles, index)
        plan = Plan(index, "", title, article_date(index, count), chosen, cast)
        plan.id = f"{short_slug(title)}-{index}"
        for topic in chosen:
            topic.articles.append(index)
        plans.append(plan)
    return plans


def headline(rng: Random, cast: list[Entity], taken: set[str], index: int) -> str:
    for _ in range(20):
        values = slot_values(cast, rng)
        title = with_names(rng.choice(HEADLINES), values)
        title = title[0].upper() + title[1:]
        if title not in taken:
            break
    else:
        title = f"{title}, report {index}"
    taken.add(title)
    return title


# ---------------------------------------------------------------------------- topic content


@dataclass
class Fact:
    label: str
    value: str
    claimant: Entity
    source: Plan
    insert: Insert


@dataclass
class Event:
    text: str
    source: Plan
    insert: Insert


def plan_facts(rng: Random, topic: Topic, plans: list[Plan]) -> list[Fact]:
    """About six facts: one label claimed three times (disputed), one twice, one once."""
    if not topic.articles:
        return []
    claimants = [p for p in topic.players if p.type != "place"]
    facts: list[Fact] = []
    for (label, phrase, kind), claims in zip(rng.sample(FACT_LABELS, 3), (3, 2, 1), strict=True):
        numbers = rng.sample(range(3, 400), claims)  # distinct: a disputed row
        for who, number in zip(rng.sample(claimants, claims), numbers, strict=True):
            value = f"${number} million" if kind == "money" else f"{number * 50:,}"
            source = plans[rng.choice(topic.articles)]
            form = rng.choice(CLAIM_FORMS)
            insert = Insert(form, {"who": who, "value": value, "phrase": phrase})
            source.inserts.append(insert)
            facts.append(Fact(label, value, who, source, insert))
    return facts


def plan_timeline(rng: Random, topic: Topic, plans: list[Plan]) -> list[Event]:
    sources = sorted(rng.sample(topic.articles, min(5, len(topic.articles))))
    events: list[Event] = []
    for number, index in enumerate(sources):
        text, sentence = EVENTS[number % len(EVENTS)]
        values = slot_values(topic.players, rng)
        insert = Insert(sentence, values)
        plans[index].inserts.append(insert)
        events.append(Event(with_names(text, values), plans[index], insert))
    return events


# ---------------------------------------------------------------------------- article bodies


class Writer:
    """Fills sentence templates for one article, counting entity mentions as it goes.

    The first mention of an entity uses its name, later ones any of its aliases; a slot
    prefers a cast member of its type that the article has not mentioned yet, so every
    member of the cast appears."""

    def __init__(self, rng: Random, plan: Plan) -> None:
        self.rng, self.plan = rng, plan
        self.groups = by_type(plan.cast)
        self.mentions = 0
        self.seen: set[str] = set()
        self.deck: list[str] = []

    def entity(self, kind: str, avoid: Entity | None) -> Entity:
        group = self.groups.get(kind) or [e for g in self.groups.values() for e in g]
        pool = [e for e in group if e is not avoid] or group
        fresh = [e for e in pool if e.id not in self.seen]
        return self.rng.choice(fresh or pool)

    def surface(self, entity: Entity, adjective: bool = False) -> str:
        self.mentions += 1
        first = entity.id not in self.seen
        self.seen.add(entity.id)
        if adjective and entity.adjective in entity.aliases:
            return entity.adjective
        if first or entity.type == "country":
            return entity.name
        return self.rng.choice((entity.name, *entity.aliases))

    def fill(self, template: str, fixed: dict[str, str | Entity] | None = None) -> str:
        chosen: dict[str, Entity] = {}

        def value(match: re.Match[str]) -> str:
            slot = match[1]
            given = (fixed or {}).get(slot)
            if isinstance(given, Entity):
                return self.surface(given, slot == "Cadj")
            if given is not None:
                return given
            if slot in ENTITY_SLOTS:
                kind = ENTITY_SLOTS[slot]
                key = "C" if slot == "Cadj" else slot
                if key not in chosen:
                    other = chosen.get({"P2": "P", "C2": "C"}.get(key, ""))
                    chosen[key] = self.entity(kind, other)
                return self.surface(chosen[key], slot == "Cadj")
            return self.misc(slot)

        return SLOT.sub(value, template)

    def misc(self, slot: str) -> str:
        rng = self.rng
        return {
            "day": lambda: rng.choice(DAYS),
            "month": lambda: rng.choice(MONTHS),
            "year": lambda: str(self.plan.date.year - rng.randint(1, 6)),
            "n": lambda: str(rng.randint(2, 12)),
            "N": lambda: f"{rng.randint(2, 900) * 10:,}",
            "issue": lambda: rng.choice(ISSUES),
            "k": lambda: str(rng.randint(100, 9999)),
        }[slot]()

    def sentence(self) -> str:
        """A sentence from a shuffled deck, so no template repeats within an article."""
        if not self.deck:
            self.deck = self.rng.sample(SENTENCES, len(SENTENCES))
        template = self.deck.pop()
        if self.rng.random() < 0.12 and not template.startswith("{"):
            opener = self.fill(self.rng.choice(OPENERS))
            return opener + self.fill(template[0].lower() + template[1:])
        return self.fill(template)


@dataclass(frozen=True)
class Body:
    text: str
    words: int
    mentions: int
    entities: frozenset[str]


def compose(rng: Random, plan: Plan, links: list[str]) -> Body:
    """The Markdown body: paragraphs, then headings, a list, a quote and links mixed in.

    Links and quoted sentences each replace a sentence of their own, so paragraphs stay
    at 3 to 6 sentences and no quoted sentence is overwritten."""
    writer = Writer(rng, plan)
    target = rng.randint(500, 590)
    paragraphs: list[list[str]] = []
    words = 0
    while words < target:
        paragraph = [writer.sentence() for _ in range(rng.randint(3, 6))]
        words += sum(len(s.split()) for s in paragraph)
        paragraphs.append(paragraph)
    extras = [writer.fill(rng.choice(LINK_SENTENCES))] if rng.random() < 0.5 else []
    extras += [rng.choice(links)] if links and rng.random() < 0.3 else []
    for insert in plan.inserts:
        insert.text = writer.fill(insert.template, insert.values)
        extras.append(insert.text)
    slots = [(p, s) for p, paragraph in enumerate(paragraphs) for s in range(len(paragraph))]
    for (p, s), sentence in zip(rng.sample(slots, len(extras)), extras, strict=True):
        paragraphs[p][s] = sentence
    blocks = [" ".join(p) for p in paragraphs]
    decorate(rng, writer, blocks)
    text = "\n\n".join(blocks) + "\n"
    return Body(text, len(text.split()), writer.mentions, frozenset(writer.seen))


def decorate(rng: Random, writer: Writer, blocks: list[str]) -> None:
    """Insert headings, a bulleted list and a block quote between paragraphs, in place."""
    places = range(2, len(blocks) - 1)
    for at in sorted(rng.sample(places, min(len(places), rng.choice((0, 1, 1, 2)))), reverse=True):
        blocks.insert(at, "## " + rng.choice(HEADINGS))
    if rng.random() < 0.3:
        intro = writer.fill(rng.choice(LIST_INTROS))
        items = [writer.fill(i) for i in rng.sample(LIST_ITEMS, rng.randint(3, 4))]
        bullets = "\n".join(f"- {i}" for i in items)
        blocks.insert(rng.randint(2, len(blocks)), f"{intro}\n\n{bullets}")
    if rng.random() < 0.3:
        blocks.insert(rng.randint(1, len(blocks)), "> " + writer.fill(rng.choice(BLOCKQUOTES)))


def wikilink_sentences(plans: list[Plan], plan: Plan) -> list[str]:
    """Hand-written links to an earlier article and to a topic (Dossier `[[id|text]]`)."""
    out = [f"Our [[{plan.topics[0].id}|explainer on the story]] sets out the background."]
    if plan.index > 0:
        earlier = plans[plan.index // 2]
        out.append(f"The dispute was first covered in [[{earlier.id}|an earlier report]].")
    return out


# ---------------------------------------------------------------------------- writing


def dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def front_matter(data: Mapping[str, object], body: str) -> str:
    return f"---\n{dump(data)}---\n{body}"


def article_meta(plan: Plan) -> dict[str, object]:
    meta: dict[str, object] = {"title": plan.title, "date": plan.date.isoformat()}
    meta["publisher"] = "Bench Wire"
    if plan.index % 3 == 0:
        meta["authors"] = [f"Staff reporter {plan.index % 7 + 1}"]
    meta["topics"] = [t.id for t in plan.topics]
    return meta


def entity_record(
    entity: Entity, rng: Random, groups: dict[str, list[Entity]]
) -> dict[str, object]:
    record: dict[str, object] = {"name": entity.name, "type": entity.type}
    record["aliases"] = list(entity.aliases)
    relation = None
    if entity.type == "person" and rng.random() < 0.6:
        kind = rng.choice(("country", "organization"))
        relation = (rng.choice(ROLES[kind]), pick(rng, groups, kind, 1)[0])
        summary = f"{relation[0].capitalize()} {relation[1].name}."
    elif entity.type in ("organization", "place") and rng.random() < 0.5:
        relation = (
            "based in" if entity.type == "organization" else "located in",
            pick(rng, groups, "country", 1)[0],
        )
        summary = f"{entity.type.capitalize()} {relation[0]} {relation[1].name}."
    else:
        summary = f"A {entity.type} in the news since {2012 + rng.randint(0, 9)}."
    record["summary"] = summary
    if relation:
        record["relations"] = [{"type": relation[0], "target": relation[1].id}]
    if rng.random() < 0.3:
        record["links"] = [
            {"title": "Official website", "url": f"https://example.org/entities/{entity.id}"}
        ]
    return record


def topic_record(topic: Topic, facts: list[Fact], events: list[Event]) -> dict[str, object]:
    one, two = topic.players[0], topic.players[2]
    summary = (
        f"[[{one.id}]] and its neighbours have been at odds over {topic.issue} for years. "
        f"This page follows the story as it develops, with the figures each side gives "
        f"and the people involved, among them [[{two.id}]]."
    )
    return {
        "title": topic.title,
        "summary": summary,
        "entities": [p.id for p in topic.players],
        "timeline": [
            {
                "date": e.source.date.isoformat(),
                "text": e.text,
                "source": e.source.id,
                "quote": e.insert.text,
            }
            for e in events
        ],
        "facts": [
            {
                "label": f.label,
                "value": f.value,
                "claimed_by": f.claimant.id,
                "as_of": f.source.date.isoformat()[: 7 if f.source.index % 2 else 10],
                "source": f.source.id,
                "quote": f.insert.text,
            }
            for f in facts
        ],
    }


WIKILINK = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]]+))?\]\]")


def hugo_body(body: str, titles: dict[str, str]) -> str:
    """Plain Markdown for Hugo: `[[id|text]]` -> text, `[[id]]` -> the target's title."""
    return WIKILINK.sub(lambda m: m[2] or titles.get(m[1], m[1]), body)


def hugo_config() -> str:
    return f"""baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
locale = "en"
theme = "minimal"
enableRobotsTXT = true
disableKinds = []

[taxonomies]
  topic = "topics"

[pagination]
  pagerSize = 50

[services.rss]
  limit = 20

[markup.goldmark.renderer]
  unsafe = false
"""


def write_dossier(
    out: Path,
    plans: list[Plan],
    bodies: list[str],
    entities: list[Entity],
    topics: list[tuple[Topic, list[Fact], list[Event]]],
    rng: Random,
) -> None:
    content = out / "content"
    for folder in ("articles", "entities", "topics"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (out / "themes" / "bench" / "templates").mkdir(parents=True, exist_ok=True)
    site = {"title": SITE_TITLE, "description": "A synthetic news desk for benchmarks."}
    (content / "site.yaml").write_text(dump(site | {"base_url": BASE_URL, "theme": "bench"}))
    for plan, body in zip(plans, bodies, strict=True):
        text = front_matter(article_meta(plan), body)
        (content / "articles" / f"{plan.id}.md").write_text(text, encoding="utf-8")
    groups = by_type(entities)
    for entity in entities:
        (content / "entities" / f"{entity.id}.yaml").write_text(
            dump(entity_record(entity, rng, groups)), encoding="utf-8"
        )
    for topic, facts, events in topics:
        (content / "topics" / f"{topic.id}.yaml").write_text(
            dump(topic_record(topic, facts, events)), encoding="utf-8"
        )


def write_hugo(out: Path, plans: list[Plan], bodies: list[str], topics: list[Topic]) -> None:
    titles = {p.id: p.title for p in plans} | {t.id: t.title for t in topics}
    (out / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(hugo_config())
    (out / "content" / "articles" / "_index.md").write_text(front_matter({"title": "Articles"}, ""))
    for plan, body in zip(plans, bodies, strict=True):
        meta = {
            "title": plan.title,
            "date": plan.date.isoformat(),
            "topics": [t.id for t in plan.topics],
        }
        text = front_matter(meta, hugo_body(body, titles))
        (out / "content" / "articles" / f"{plan.id}.md").write_text(text, encoding="utf-8")
    for topic in topics:
        folder = out / "content" / "topics" / topic.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            front_matter({"title": topic.title}, ""), encoding="utf-8"
        )
    (out / "content" / "topics" / "_index.md").write_text(front_matter({"title": "Topics"}, ""))
    theme = out / "themes" / "minimal"
    shutil.rmtree(theme, ignore_errors=True)
    shutil.copytree(HUGO_THEME, theme)


def summarise(values: list[int]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(values), 1),
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
    }


def write_corpus(out: Path, articles: int, entities: int = 200, topics: int = 18) -> None:
    """Write OUT/dossier, OUT/hugo and OUT/stats.json (see the module docstring).

    OUT is emptied first. The output depends only on the three counts."""
    if out.exists():
        shutil.rmtree(out)
    rng = Random(SEED)
    cast = make_entities(rng, entities)
    stories = make_topics(rng, max(topics, 1), by_type(cast))
    plans = plan_articles(rng, articles, stories, cast)
    boxes = [(t, plan_facts(rng, t, plans), plan_timeline(rng, t, plans)) for t in stories]
    bodies = [compose(Random(f"{SEED}:{p.index}"), p, wikilink_sentences(plans, p)) for p in plans]
    write_dossier(out / "dossier", plans, [b.text for b in bodies], cast, boxes, rng)
    write_hugo(out / "hugo", plans, [b.text for b in bodies], stories)
    mentioned = frozenset().union(*(b.entities for b in bodies))
    stats = {
        "articles": articles,
        "entities": len(cast),
        "topics": len(stories),
        "facts": sum(len(f) for _, f, _ in boxes),
        "timeline_entries": sum(len(e) for _, _, e in boxes),
        "words_per_article": summarise([b.words for b in bodies]),
        "mentions_per_article": summarise([b.mentions for b in bodies]),
        "distinct_entities_per_article": summarise([len(b.entities) for b in bodies]),
        "entities_in_no_article": len(cast) - len(mentioned),
    }
    (out / "stats.json").write_text(json.dumps(stats, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder (emptied first)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=200)
    parser.add_argument("--topics", type=int, default=18)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.entities < 4 or args.topics < 1:
        parser.error("need at least 1 article, 4 entities and 1 topic")
    write_corpus(args.out, args.articles, args.entities, args.topics)
    print((args.out / "stats.json").read_text(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
