from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder.commands.suggest import (
    Claimants,
    Name,
    as_of,
    demonym_forms,
    entity_type,
    name_runs,
    names,
    sentences,
)
from builder.model.content import Entity
from builder.model.dates import PartialDate
from tests.conftest import MINIMAL_SITE, ROOT, Run, write_files
from tests.suggest_precision import measure

DEMO_ARTICLE = "austin-confirms-north-korean-troops-in-russia"
CASES = Path(__file__).resolve().parent / "suggest_cases"
CASE_ARTICLE = "north-korean-troops-reach-kursk"  # the article of issue 12, in short
TOPIC = "content/topics/north-korean-troops-in-russia.yaml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. Defense Secretary Lloyd Austin spoke. Mr. Smith agreed! “Yes,” he said.",
            ["U.S. Defense Secretary Lloyd Austin spoke.", "Mr. Smith agreed!", "“Yes,” he said."],
        ),
        ("It rose 2.5 percent. Then it fell.", ["It rose 2.5 percent.", "Then it fell."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met the Bank of England in Rome.", ["Bank of England", "Rome"]),
        ("Yesterday it rained in Paris.", ["Paris"]),  # a capitalised sentence start is no name
        ("The Kremlin said so.", ["Kremlin"]),
        ("It was Wednesday in July.", []),
        ("See @StratcomCentre and pic.twitter.com/01Z4jZIiOe now.", []),
        ("Austin's remarks in Kyiv’s centre.", ["Kyiv"]),
        # a title splits a run: the demonym before it, the person after it
        ("He met Ukrainian Foreign Minister Dmytro Kuleba.", ["Ukrainian", "Dmytro Kuleba"]),
        ("Two Western officials spoke.", ["Western"]),
        ("It went to the General Assembly.", ["General Assembly"]),
    ],
)
def test_name_runs(text: str, expected: list[str]) -> None:
    covered = [(0, 6)] if text.startswith("Austin") else []
    assert list(name_runs(text, covered)) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("He met President Volodymyr Zelensky.", "person"),
        ("He met Mr. Smith.", "person"),
        ("He met the foreign minister Kalo Bena.", "person"),
        ("He met the Defence Ministry.", "organization"),
        ("He met the National Intelligence Service.", "organization"),
        ("He met the Bank of England.", "organization"),
        ("He read the Kyiv Independent News.", "organization"),
        ("He went to the Kursk Oblast.", "place"),
        ("He went to the Sergievsky Training Ground.", "place"),
        ("He went to Port Vila.", "place"),
        ("He went to Rome.", "TODO"),
        ("He met Kim Jong Un.", "TODO"),
    ],
)
def test_new_entity_types_come_from_clear_cues(text: str, kind: str) -> None:
    (name,) = names(text, [])
    assert entity_type(name)[0] == kind


def test_entity_type_says_why() -> None:
    assert entity_type(Name("Kursk Oblast")) == ("place", "'Oblast' in the name")
    assert entity_type(Name("Mark Rutte", "General")) == (
        "person",
        "the title 'General' before the name",
    )


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Ukraine", "Ukrainian"),
        ("North Korea", "North Korean"),
        ("Russia", "Russian"),
        ("Italy", "Italian"),
        ("Iran", "Iranian"),
        ("Israel", "Israeli"),
        ("Japan", "Japanese"),
        ("Mexico", "Mexican"),
        ("United States", "American"),
        ("Velaronland", "Velaronian"),
    ],
)
def test_demonym_forms(name: str, form: str) -> None:
    assert form in demonym_forms(name)


WEDNESDAY = PartialDate(2024, 10, 23)


@pytest.mark.parametrize(
    ("sentence", "date", "expected"),
    [
        ("Ukraine said last week that 10 were sent.", WEDNESDAY, "2024-10"),
        # the week before 2024-11-05 runs from 28 October to 3 November: only its year
        ("Ukraine said last week that 10 were sent.", PartialDate(2024, 11, 5), "2024"),
        ("Ukraine said last month that 10 were sent.", WEDNESDAY, "2024-09"),
        ("Ukraine said last month that 10 were sent.", PartialDate(2024, 1, 9), "2023-12"),
        ("Ukraine said this week that 10 were sent.", WEDNESDAY, "2024-10"),
        ("Ukraine said on Monday that 10 were sent.", WEDNESDAY, "2024-10-21"),
        ("Ukraine said on Wednesday that 10 were sent.", WEDNESDAY, "2024-10-23"),
        ("Ukraine said on Thursday that 10 were sent.", WEDNESDAY, "2024-10-17"),
        ("Ukraine said yesterday that 10 were sent.", WEDNESDAY, "2024-10-22"),
        ("U.S. officials told the Times in early October that 10 died.", WEDNESDAY, "2024-10"),
        ("Ukraine said in November that 10 were sent.", WEDNESDAY, "2023-11"),
        ("Ukraine said on October 18, 2024 that 10 were sent.", WEDNESDAY, "2024-10-18"),
        ("Ukraine said in 2023 that 10 were sent.", WEDNESDAY, "2023"),
        ("Ukraine said last year that 10 were sent.", WEDNESDAY, "2023"),
        # no time words, or none that says when the figure held: TODO, not the article's date
        ("U.S. officials believe that it may be closer to 2,500.", WEDNESDAY, None),
        ("The ministry said it had 10 complaints since October.", WEDNESDAY, None),
        ("Ukraine said 10 more would come by Monday.", WEDNESDAY, None),
        # time words that disagree, or that the article's date cannot settle
        ("Ukraine, invaded in 2022, said last week that 10 were sent.", WEDNESDAY, None),
        ("Ukraine said on Monday that 10 were sent.", PartialDate(2024, 10), None),
        ("Ukraine said in October that 10 were sent.", PartialDate(2024), None),
    ],
)
def test_as_of_from_the_sentences_own_time_words(
    sentence: str, date: PartialDate, expected: str | None
) -> None:
    assert as_of(sentence, date) == expected


def _entity(entity_id: str, name: str, kind: str, *aliases: str) -> Entity:
    return Entity(entity_id, Path(f"{entity_id}.yaml"), name, kind, aliases)


CLAIMANTS = Claimants(
    [
        _entity("ukraine", "Ukraine", "country"),
        _entity("south-korea", "South Korea", "country", "Republic of Korea"),
        _entity("north-korea", "North Korea", "country", "North Korean"),
        _entity("russia", "Russia", "country", "Moscow", "Russian"),
        _entity("united-states", "United States", "country", "U.S."),
        _entity("lloyd-austin", "Lloyd Austin", "person", "Austin"),
        _entity("the-new-york-times", "The New York Times", "organization", "the Times"),
        _entity("kyiv", "Kyiv", "place"),
    ]
)


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("Ukraine said last week that North Korea was readying 10,000 troops.", "ukraine"),
        ("South Korea’s spy agency said 1,500 troops had been sent to Russia.", "south-korea"),
        ("About 1,500 went to Russia, according to South Korea’s spy agency.", "south-korea"),
        ("Russia lost 600,000 troops, U.S. officials told the Times.", "united-states"),
        ("Austin told reporters that 3,000 North Korean troops had arrived.", "lloyd-austin"),
        ("U.S. Defense Secretary Lloyd Austin said 3,000 had arrived.", "lloyd-austin"),
        ("Moscow said 3,000 Ukrainian soldiers had been captured.", "russia"),
        ("It has 2,000 rifles, said Ukraine’s military intelligence agency.", "ukraine"),
        ("Ukraine, which has fought Russia since 2022, said 10,000 were ready.", "ukraine"),
        ("At least 200 were wounded, according to The New York Times.", "the-new-york-times"),
        ("Ukrainian intelligence estimated that 8,000 were ready.", "ukraine"),  # a demonym
        # the subject is no known entity: never the nearest name
        ("Another 7,000 North Korean troops were expected, the agency told lawmakers.", None),
        ("None reached Ukraine, intelligence officials told The New York Times.", None),
        ("Ukrainian analysts estimated that 8,000 North Korean troops were ready.", None),
        ("Ukrainian President Volodymyr Zelensky said 3,000 had reached Russia.", None),
        ("Two Western officials told reporters that 10,000 Russian troops were ready.", None),
        ("About 300 died in Ukraine, according to customs data.", None),
        ("It said 40 of them were generals.", None),
        ("Officials in Kyiv said 300 North Korean troops had died.", None),  # a place
        # several subjects, or attributions that disagree
        ("Russia and North Korea said that 500 advisers had been exchanged.", None),
        ("Austin said Ukraine estimated that 10,000 troops were ready.", None),
        # an attribution without a claimant
        ("Russia is estimated to have lost 600,000 troops.", None),
    ],
)
def test_the_claimant_is_the_subject_of_the_attribution(
    sentence: str, claimant: str | None
) -> None:
    assert CLAIMANTS.claimant(sentence) == (True, claimant)


def test_a_sentence_without_attribution_is_no_candidate() -> None:
    assert CLAIMANTS.claimant("North Korea sent 3,000 troops to Russia.") == (False, None)


def _demo(tmp_path: Path, *, facts: bool = True) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    if not facts:
        topic = yaml.safe_load((tmp_path / TOPIC).read_text())
        topic["facts"] = []
        (tmp_path / TOPIC).write_text(yaml.safe_dump(topic, allow_unicode=True))
    return tmp_path


def _facts(result: Run) -> list[dict[str, str]]:
    assert result.code == 0, result.err
    facts: list[dict[str, str]] | None = yaml.safe_load(
        result.out[result.out.index("# Candidate facts") :]
    )
    return facts or []


def _short(facts: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [(f["value"], f["claimed_by"], f["as_of"], f["quote"]) for f in facts]


def test_demo_suggests_nothing_the_site_has(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    """Every figure of the demo article is in its topic already; Rome has no entity."""
    result = run_build(_demo(tmp_path), "suggest")
    assert result.code == 0, result.err
    assert result.out == (
        "# Candidate entities: names that no entity's aliases cover.\n"
        "# Save each as content/entities/<id>.yaml and fill in the TODOs.\n"
        "\n"
        "# content/entities/rome.yaml  (1 mention in 1 article)\n"
        "name: Rome\n"
        "type: TODO  # person, country, organization, place, group, event or other: "
        "no title, organisation or place word tells\n"
        "\n"
        f"# Candidate facts from '{DEMO_ARTICLE}': add them to a topic's or entity's `facts:`.\n"
        "# (none)\n"
    )


def test_demo_figures_without_the_topics_facts(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """The demo's figures as drafts: each claimant the subject of its attribution, each
    as_of from the sentence's time words or TODO, never the article's date."""
    site = _demo(tmp_path, facts=False)
    facts = _facts(run_build(site, "suggest"))
    assert _short(facts) == [
        (
            "at least 10,000",
            "ukraine",
            "2024-10",
            "Ukraine said last week that North Korea was readying at least 10,000 troops "
            "for deployment.",
        ),
        (
            "at least 1,500",
            "south-korea",
            "2024-10",
            "South Korea said last week that at least 1,500 troops had already been deployed.",
        ),
        (
            "closer to 2,500",
            "united-states",
            "TODO",
            "U.S. officials believe that the number of deployed troops may be closer to 2,500.",
        ),
        (
            "at least 600,000",
            "united-states",
            "2024-10",
            "Russia is estimated to have lost at least 600,000 troops in the war thus far, "
            "U.S. officials told the Times in early October.",
        ),
    ]
    assert {f["label"] for f in facts} == {"TODO: what is counted"}
    assert {f["source"] for f in facts} == {DEMO_ARTICLE}
    # pasted into a topic as they are (labels and TODOs filled in), they build: the
    # quotes verify
    _paste(site, facts)
    assert run_build(site, "check").code == 0


def test_demo_claimants_against_the_topic(tmp_path: Path) -> None:
    """Precision on the demo: every figure its topic quotes, drafted with the same
    claimant as the topic's, none wrong."""
    score = measure(_demo(tmp_path) / "content")
    assert (score.right, score.wrong, score.todo, score.missed) == (4, 0, 0, 0), score.mistakes
    assert (score.other_named, score.other_todo) == (0, 0)


def test_corpus_claimants_against_its_topics(tmp_path: Path) -> None:
    """Precision on the benchmark corpus (small): its topics' `claimed_by` are the truth
    for the sentences they quote; the rest of its attributed figures have no claimant
    that is a known entity."""
    subprocess.run(
        [sys.executable, "benchmarks/corpus.py", str(tmp_path), "--articles", "60"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    score = measure(tmp_path / "dossier/content")
    assert score.wrong == 0, score.mistakes
    assert score.right > 20 and score.todo == 0 and score.missed == 0
    assert score.other_named == 0


def _paste(site: Path, facts: list[dict[str, str]]) -> None:
    pasted = []
    for number, fact in enumerate(facts):
        fact = {k: v for k, v in fact.items() if v != "TODO"} | {"label": f"Fact {number}"}
        pasted.append(fact)
    topic = {"title": "Pasted", "facts": pasted}
    (site / "content/topics/pasted.yaml").write_text(yaml.safe_dump(topic, allow_unicode=True))


def _case(tmp_path: Path) -> Path:
    site = _demo(tmp_path)
    shutil.copy(CASES / f"{CASE_ARTICLE}.md", site / "content/articles")
    return site


def test_issue_12_article(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    """The article of issue 12: claimants from the subject or TODO, dates from the
    sentence or TODO, demonyms as aliases, types from clear cues or TODO."""
    site = _case(tmp_path)
    result = run_build(site, "suggest", CASE_ARTICLE)
    facts = _facts(result)
    assert _short(facts) == [
        (
            "about 3,000",
            "south-korea",
            "2024-10-30",
            "South Korea’s spy agency said on Wednesday that about 3,000 North Korean soldiers "
            "had already arrived in Russia.",
        ),
        (
            "another 7,000",
            "TODO",
            "TODO",
            "Another 7,000 North Korean troops were expected to follow, the agency told lawmakers.",
        ),
        (
            "about 1,500",
            "south-korea",
            "2024-10",
            "About 1,500 of them were moved to Russia’s far east in October, according to "
            "South Korea’s spy agency.",
        ),
        (
            "11,000",
            "ukraine",
            "2024-10",
            "Ukraine said last week that 11,000 North Korean troops were in the Kursk region.",
        ),
        (
            "3,000",
            "TODO",
            "2024-10-31",
            "Ukrainian President Volodymyr Zelensky said yesterday that the first 3,000 had "
            "reached the front.",
        ),
        (
            "about 8,000",
            "ukraine",
            "TODO",
            "Ukrainian intelligence estimated that about 8,000 were ready to fight in Kursk "
            "Oblast, where the troops face Ukrainian positions.",
        ),
        (
            "10,000",
            "TODO",
            "2024-10-28",
            "Two Western officials told reporters on Monday that 10,000 troops were in position.",
        ),
        (
            "at least 10,000",
            "TODO",
            "2024",
            "NATO Secretary General Mark Rutte said the alliance counted at least 10,000 in 2024.",
        ),
        (
            "2,000",
            "ukraine",
            "TODO",
            "The troops have been given Russian uniforms and 2,000 rifles, said Ukraine’s "
            "military intelligence agency.",
        ),
        (
            "12,000",
            "TODO",
            "TODO",
            "North Korea is believed to have sent 12,000 troops in total.",
        ),
        (
            "500",
            "TODO",
            "TODO",
            "Russia and North Korea said in a joint statement that 500 advisers had been "
            "exchanged.",
        ),
        ("40", "TODO", "TODO", "It said 40 of them were generals."),
        (
            "at least 200",
            "the-new-york-times",
            "TODO",
            "At least 200 had been wounded, according to The New York Times.",
        ),
        (
            "8,000",
            "TODO",
            "TODO",
            "Pentagon spokesman Pat Ryder said the United States estimated that 8,000 North "
            "Korean troops were in Kursk.",
        ),
    ]
    entities = result.out[: result.out.index("# Candidate facts")]
    assert entities.split("\n\n")[1:] == [
        "# content/entities/kursk.yaml  (2 mentions in 1 article)\nname: Kursk\n"
        "type: TODO  # person, country, organization, place, group, event or other: "
        "no title, organisation or place word tells",
        "# content/entities/kursk-oblast.yaml  (1 mention in 1 article)\nname: Kursk Oblast\n"
        "type: place  # from 'Oblast' in the name",
        "# content/entities/mark-rutte.yaml  (1 mention in 1 article)\nname: Mark Rutte\n"
        "type: person  # from the title 'General' before the name",
        "# content/entities/pat-ryder.yaml  (1 mention in 1 article)\nname: Pat Ryder\n"
        "type: person  # from the title 'spokesman' before the name",
        "# content/entities/volodymyr-zelensky.yaml  (1 mention in 1 article)\n"
        "name: Volodymyr Zelensky\n"
        "type: person  # from the title 'President' before the name",
        "# Candidate aliases: adjectives and demonyms of existing entities.",
        "# content/entities/ukraine.yaml: set its `aliases:` to  "
        "('Ukrainian': 1 mention in 1 article)\naliases: [Ukrainian]",
        "# Left out: Western (an adjective that names no entity).",
        "",
    ]
    _paste(site, facts)
    assert run_build(site, "check").code == 0


def test_facts_a_topic_has_are_not_proposed_again(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """Matched after quote verification's normalisation: straight quotes for curly ones,
    spaces; a quote that is part of the sentence counts when it holds the figure."""
    site = _case(tmp_path)
    topic = yaml.safe_load((site / TOPIC).read_text())
    quotes = [
        "South Korea's spy agency said on Wednesday that about 3,000 North Korean  soldiers "
        "had already arrived in Russia.",  # the whole sentence
        "Ukraine said last week that 11,000 North Korean troops",  # a part with the figure
        "Ukrainian intelligence estimated",  # a part without the figure: not this one
    ]
    topic["facts"] += [
        {"label": "Known", "value": "x", "source": CASE_ARTICLE, "quote": q} for q in quotes
    ]
    (site / TOPIC).write_text(yaml.safe_dump(topic, allow_unicode=True))
    facts = _facts(run_build(site, "suggest", CASE_ARTICLE))
    values = [f["value"] for f in facts]
    assert "about 3,000" not in values
    assert "11,000" not in values
    assert "about 8,000" in values
    assert len(values) == 12


def test_suggest_unknown_article_is_a_usage_error(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(site_dir, "suggest", "first-stroy")
    assert result.code == 2
    assert "unknown article 'first-stroy' (did you mean 'first-story'?)" in result.err


def test_suggest_on_a_site_with_errors_reports_them(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, {**MINIMAL_SITE, "content/entities/x.yaml": "name: X\n"})
    result = run_build(tmp_path, "suggest")
    assert result.code == 1
    assert "content/entities/x.yaml:1:1: error: missing required key 'type'" in result.err


def test_a_candidate_is_counted_in_every_article_that_names_it(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """`build suggest ARTICLE` counts the article's new names across the whole site,
    reading for names only the articles that hold a name's first word: here one
    names it with two spaces inside and a possessive, one after a title, one not at
    all (and a name of that one, Tala Renn, is no candidate of this article)."""
    stories = {
        "story-one": "The minister Kalo Bena met the press in Tonipen on Monday.",
        "story-two": "Reporters asked Kalo  Bena's office for a comment.",
        "story-three": "Later, Foreign Minister Kalo Bena flew home.",
        "story-four": "Nothing here but Tala Renn and the weather.",
    }
    files = {
        f"content/articles/{name}.md": f"---\ntitle: {name}\ndate: 2024-10-2{n}\n---\n{text}\n"
        for n, (name, text) in enumerate(stories.items())
    }
    result = run_build(write_files(tmp_path, {**MINIMAL_SITE, **files}), "suggest", "story-one")
    assert result.code == 0, result.err
    headers = [line for line in result.out.splitlines() if line.startswith("# content/entities/")]
    assert headers == [
        "# content/entities/kalo-bena.yaml  (3 mentions in 3 articles)",
        "# content/entities/tonipen.yaml  (1 mention in 1 article)",
    ]
