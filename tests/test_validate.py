"""The validator turns each key of a well-formed file into the record's field, with its
defaults and its locations: every key of every kind of file, read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics, Loc
from builder.model.content import Article, Entity, SiteConfig, Topic
from builder.model.dates import PartialDate
from builder.source.load import read_raw
from builder.source.validate import Validator


def validate(tmp_path: Path, kind: str, name: str, text: str) -> tuple[object, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    raw = read_raw(kind, path.stem, path, diags)
    assert raw is not None, [d.shown() for d in diags.items]
    record = Validator(diags).record(raw)
    assert [d.loc.path for d in diags.items] == [path] * len(diags.items)  # all in this file
    return record, [f"{d.loc.line}:{d.loc.col} {d.severity}: {d.message}" for d in diags.items]


def where(loc: Loc | None) -> tuple[int, int] | None:
    return None if loc is None else (loc.line, loc.col)


def test_site_with_every_key(tmp_path: Path) -> None:
    site, problems = validate(
        tmp_path,
        "site",
        "site.yaml",
        "title: Desk\n"
        "description: One sentence.\n"
        "base_url: https://newsroom.github.io/desk\n"
        "language: uk\n"
        "theme: house\n"
        "cname: news.newsroom.org\n"
        "allow_html: true\n",
    )
    assert problems == []
    assert isinstance(site, SiteConfig)
    assert site.title == "Desk"
    assert site.description == "One sentence."
    assert site.base_url == "https://newsroom.github.io/desk/"  # the slash is added
    assert site.language == "uk"
    assert site.theme == "house"
    assert site.cname == "news.newsroom.org"
    assert site.allow_html is True
    assert site.path == tmp_path / "site.yaml"


def test_site_defaults(tmp_path: Path) -> None:
    site, problems = validate(tmp_path, "site", "site.yaml", "title: Desk\n")
    assert problems == []
    assert isinstance(site, SiteConfig)
    assert (site.description, site.base_url, site.cname) == (None, None, None)
    assert (site.language, site.theme, site.allow_html) == ("en", "default", False)
    site, _ = validate(tmp_path, "site", "site.yaml", "title: Desk\nbase_url: https://a.org/b/\n")
    assert isinstance(site, SiteConfig) and site.base_url == "https://a.org/b/"


@pytest.mark.parametrize("tag", ["en", "uk", "en-GB", "zh-Hant-TW", "sr-Latn", "de-CH-1996"])
def test_language_tags_that_are_accepted(tmp_path: Path, tag: str) -> None:
    _, problems = validate(tmp_path, "site", "site.yaml", f"title: Desk\nlanguage: {tag}\n")
    assert problems == []


@pytest.mark.parametrize(
    "tag", ["e", "en_GB", "en-", "english language", "123", "en-toolongsubtag"]
)
def test_language_tags_that_are_refused(tmp_path: Path, tag: str) -> None:
    _, problems = validate(tmp_path, "site", "site.yaml", f"title: Desk\nlanguage: {tag}\n")
    assert len(problems) == 1 and problems[0].startswith("2:11 error: ")
    assert tag in problems[0] and "BCP 47" in problems[0]


@pytest.mark.parametrize("cname", ["news.example.org", "a.bc", "x-1.news.org"])
def test_domain_names_that_are_accepted(tmp_path: Path, cname: str) -> None:
    _, problems = validate(tmp_path, "site", "site.yaml", f"title: Desk\ncname: {cname}\n")
    assert problems == []


@pytest.mark.parametrize(
    "cname",
    ["localhost", "news.example.org/", "-a.org", "a-.org", "a..org", "news.org.1", "a b.org"],
)
def test_domain_names_that_are_refused(tmp_path: Path, cname: str) -> None:
    _, problems = validate(tmp_path, "site", "site.yaml", f"title: Desk\ncname: {cname}\n")
    assert problems == [f"2:8 error: 'cname' must be a domain name, not '{cname}'"]


ARTICLE = """\
---
title: A story
date: 2024-10-23T14:05+02:00
updated: 2024-10-24
publisher: The Wire
authors: [Ann Writer, Bo Reporter]
url: https://wire.example.net/story
license: CC BY 4.0
image: {src: media/lead.jpg, alt: The lead image, credit: Photo by Cy}
topics: [big-story, other-story]
entities: [alice-example]
summary: A dek.
draft: true
---
Body.
"""


def test_article_with_every_key(tmp_path: Path) -> None:
    article, problems = validate(tmp_path, "article", "a-story.md", ARTICLE)
    assert problems == []
    assert isinstance(article, Article)
    assert (article.id, article.path) == ("a-story", tmp_path / "a-story.md")
    assert article.title == "A story"
    assert article.date == PartialDate(2024, 10, 23, "14:05+02:00")
    assert article.updated == PartialDate(2024, 10, 24)
    assert article.publisher == "The Wire"
    assert article.authors == ("Ann Writer", "Bo Reporter")
    assert article.url == "https://wire.example.net/story"
    assert article.license == "CC BY 4.0"
    image = article.image
    assert image is not None
    assert (image.src, image.alt, image.credit) == (
        "media/lead.jpg",
        "The lead image",
        "Photo by Cy",
    )
    assert (where(image.loc), where(image.src_loc)) == ((9, 8), (9, 14))
    assert [(r.id, where(r.loc)) for r in article.topics] == [
        ("big-story", (10, 10)),
        ("other-story", (10, 21)),
    ]
    assert [(r.id, where(r.loc)) for r in article.entities] == [("alice-example", (11, 12))]
    assert article.summary == "A dek."
    assert article.draft is True


def test_article_defaults(tmp_path: Path) -> None:
    article, problems = validate(
        tmp_path, "article", "a.md", "---\ntitle: T\ndate: 2024-05-06\n---\nBody.\n"
    )
    assert problems == []
    assert isinstance(article, Article)
    assert article.date == PartialDate(2024, 5, 6)
    assert (article.updated, article.publisher, article.url, article.license) == (None,) * 4
    assert (article.image, article.summary, article.draft) == (None, None, False)
    assert (article.authors, article.topics, article.entities) == ((), (), ())


def test_an_image_with_a_credit_only(tmp_path: Path) -> None:
    text = ARTICLE.replace(
        "image: {src: media/lead.jpg, alt: The lead image, credit: Photo by Cy}",
        "image: {credit: Photo by Cy}",
    )
    article, problems = validate(tmp_path, "article", "a.md", text)
    assert problems == []
    assert isinstance(article, Article) and article.image is not None
    image = article.image
    assert (image.src, image.alt, image.credit, image.src_loc) == (None, None, "Photo by Cy", None)


ENTITY = """\
name: Alice Example
type: person
aliases: [Alice, A. Example]
summary: A person in the story.
description: |
  Longer *Markdown*.
image: {src: media/alice.png, alt: A portrait}
facts:
  - label: Age
    value: "52"
    claimed_by: board-of-things
    as_of: 2024-10
    source: first-story
    quote: Alice, 52, said
    note: As reported.
relations:
  - type: member of
    target: board-of-things
    since: 2020
    until: 2024-06
    source: first-story
    quote: Alice Example met the Board
links:
  - title: Profile
    url: https://example.net/alice
"""


def test_entity_with_every_key(tmp_path: Path) -> None:
    entity, problems = validate(tmp_path, "entity", "alice-example.yaml", ENTITY)
    assert problems == []
    assert isinstance(entity, Entity)
    assert (entity.id, entity.name, entity.type) == ("alice-example", "Alice Example", "person")
    assert entity.aliases == ("Alice", "A. Example")
    assert entity.summary is not None and entity.summary.value == "A person in the story."
    assert where(entity.summary.loc) == (4, 10)
    assert entity.description is not None and entity.description.value == "Longer *Markdown*.\n"
    assert entity.image is not None and entity.image.src == "media/alice.png"
    (fact,) = entity.facts
    assert (fact.owner, fact.label, fact.value, fact.note) == (
        "alice-example",
        "Age",
        "52",
        "As reported.",
    )
    assert fact.claimed_by is not None and fact.claimed_by.id == "board-of-things"
    assert fact.as_of == PartialDate(2024, 10)
    assert fact.source is not None and where(fact.source.loc) == (13, 13)
    assert fact.quote is not None and fact.quote.value == "Alice, 52, said"
    assert where(fact.quote.loc) == (14, 12)
    assert where(fact.loc) == (9, 5)
    (relation,) = entity.relations
    assert (relation.subject, relation.type) == ("alice-example", "member of")
    assert relation.target.id == "board-of-things"
    assert (relation.since, relation.until) == (PartialDate(2020), PartialDate(2024, 6))
    assert relation.source is not None and relation.source.id == "first-story"
    assert relation.quote is not None and relation.quote.value == "Alice Example met the Board"
    assert where(relation.loc) == (17, 5)
    assert [(link.title, link.url) for link in entity.links] == [
        ("Profile", "https://example.net/alice")
    ]


TOPIC = """\
title: The big story
summary: What happened.
entities: [alice-example, board-of-things]
facts:
  - label: Board members
    value: "12"
timeline:
  - date: 2024-10-23
    text: The board met.
    source: first-story
    quote: The board said
  - date: 2024
    text: Later.
related: [other-story]
"""


def test_topic_with_every_key(tmp_path: Path) -> None:
    topic, problems = validate(tmp_path, "topic", "big-story.yaml", TOPIC)
    assert problems == ["5:5 warning: fact 'Board members' has no 'source'"]
    assert isinstance(topic, Topic)
    assert (topic.id, topic.title) == ("big-story", "The big story")
    assert topic.path == tmp_path / "big-story.yaml"
    assert topic.summary is not None and topic.summary.value == "What happened."
    assert [r.id for r in topic.entities] == ["alice-example", "board-of-things"]
    assert [(f.owner, f.label, f.value, f.source) for f in topic.facts] == [
        ("big-story", "Board members", "12", None)
    ]
    first, second = topic.timeline
    assert first.date == PartialDate(2024, 10, 23) and first.text.value == "The board met."
    assert first.source is not None and first.source.id == "first-story"
    assert first.quote is not None and first.quote.value == "The board said"
    assert where(first.loc) == (8, 5) and where(first.text.loc) == (9, 11)
    assert second.date == PartialDate(2024) and (second.source, second.quote) == (None, None)
    assert [r.id for r in topic.related] == ["other-story"]


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("  - type: member of\n", "7:5 error: missing required key 'target' in relation"),
        ("  - target: board-of-things\n", "7:5 error: missing required key 'type' in relation"),
        (
            "  - type: member of\n    target: board-of-things\n    quote: x\n",
            "9:12 error: a 'quote' needs a 'source' (the article id)",
        ),
        (
            "  - type: x\n    target: board-of-things\n    since: 2024-13\n",
            "9:12 error: 'since': '2024-13' is not a date: month 13 does not exist",
        ),
    ],
)
def test_a_broken_relation(tmp_path: Path, item: str, problem: str) -> None:
    text = "name: Alice Example\ntype: person\n"
    text += "summary: x\ndescription: y\nimage: {credit: c}\nrelations:\n" + item
    entity, problems = validate(tmp_path, "entity", "alice-example.yaml", text)
    assert problems == [problem]
    assert isinstance(entity, Entity)
    assert len(entity.relations) == (0 if "missing" in problem else 1)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("  - text: Later.\n", "3:5 error: missing required key 'date' in timeline entry"),
        ("  - date: 2024\n", "3:5 error: missing required key 'text' in timeline entry"),
        (
            "  - date: 2024\n    text: Later.\n    quote: x\n",
            "5:12 error: a 'quote' needs a 'source' (the article id)",
        ),
    ],
)
def test_a_broken_timeline_entry(tmp_path: Path, item: str, problem: str) -> None:
    topic, problems = validate(tmp_path, "topic", "t.yaml", "title: T\ntimeline:\n" + item)
    assert problems == [problem]
    assert isinstance(topic, Topic)
    assert len(topic.timeline) == (0 if "missing" in problem else 1)


def test_a_broken_link(tmp_path: Path) -> None:
    text = "name: A\ntype: person\nlinks:\n  - url: https://a.org/\n  - title: B\n    url: ftp://b.org/\n"
    entity, problems = validate(tmp_path, "entity", "a.yaml", text)
    assert problems == [
        "4:5 error: missing required key 'title' in link",
        "6:10 error: 'url' must be an http(s) URL, not 'ftp://b.org/'",
    ]
    assert isinstance(entity, Entity) and entity.links == ()


@pytest.mark.parametrize(
    "url",
    [
        "https://a.org/x",
        "http://a.org",
        "HTTPS://A.ORG/",
        "https://a.org:8080/x?y=1#z",
    ],
)
def test_web_urls(tmp_path: Path, url: str) -> None:
    text = f"name: A\ntype: person\nlinks:\n  - title: B\n    url: '{url}'\n"
    entity, problems = validate(tmp_path, "entity", "a.yaml", text)
    assert problems == []
    assert isinstance(entity, Entity) and entity.links[0].url == url


@pytest.mark.parametrize(
    "url", ["https://", "https:///x", "a.org/x", "//a.org/x", "https://a.org/a b", "mailto:x@a.org"]
)
def test_urls_that_are_not_web_urls(tmp_path: Path, url: str) -> None:
    text = f"name: A\ntype: person\nlinks:\n  - title: B\n    url: '{url}'\n"
    _, problems = validate(tmp_path, "entity", "a.yaml", text)
    assert problems == [f"5:10 error: 'url' must be an http(s) URL, not '{url}'"]


def test_editorial_claims(tmp_path: Path) -> None:
    text = (
        "name: A\ntype: person\n"
        "facts:\n  - {label: Age, value: '52', source: s, editorial: true}\n"
        "  - {label: Height, value: '2 m', source: s}\n"
        "relations:\n  - {type: member of, target: b, editorial: true}\n"
        "  - {type: chair of, target: b}\n"
    )
    entity, problems = validate(tmp_path, "entity", "a.yaml", text)
    assert problems == []
    assert isinstance(entity, Entity)
    assert [fact.editorial for fact in entity.facts] == [True, False]
    assert [relation.editorial for relation in entity.relations] == [True, False]


def test_a_sourced_fact_without_a_quote_is_no_warning(tmp_path: Path) -> None:
    text = "title: T\nfacts:\n  - label: Members\n    value: '12'\n    source: first-story\n"
    topic, problems = validate(tmp_path, "topic", "t.yaml", text)
    assert problems == []
    assert isinstance(topic, Topic) and topic.facts[0].source is not None


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("  - value: '12'\n    source: s\n", "3:5 error: missing required key 'label' in fact"),
        ("  - label: L\n    source: s\n", "3:5 error: missing required key 'value' in fact"),
    ],
)
def test_a_fact_without_label_or_value_is_left_out(tmp_path: Path, item: str, problem: str) -> None:
    topic, problems = validate(tmp_path, "topic", "t.yaml", "title: T\nfacts:\n" + item)
    assert problems == [problem]
    assert isinstance(topic, Topic) and topic.facts == ()


@pytest.mark.parametrize(
    ("kind", "name", "text", "problem"),
    [
        (
            "article",
            "a.md",
            "---\n- title\n- date\n---\nBody.\n",
            "2:1 error: front matter must be a mapping of keys to values, not a list",
        ),
        (
            "site",
            "site.yaml",
            "- title\n",
            "1:1 error: site.yaml must be a mapping of keys to values, not a list",
        ),
        (
            "topic",
            "t.yaml",
            "title\n",
            "1:1 error: topic must be a mapping of keys to values, not text",
        ),
        (
            "entity",
            "a.yaml",
            "name: A\ntype: person\nrelations:\n  - member of b\n",
            "4:5 error: relation must be a mapping of keys to values, not text",
        ),
        (
            "entity",
            "a.yaml",
            "name: A\ntype: person\nlinks:\n  - https://a.org/\n",
            "4:5 error: link must be a mapping of keys to values, not text",
        ),
        (
            "topic",
            "t.yaml",
            "title: T\ntimeline:\n  - [2024, Later.]\n",
            "3:5 error: timeline entry must be a mapping of keys to values, not a list",
        ),
    ],
)
def test_what_is_not_a_mapping_is_said_where_it_stands(
    tmp_path: Path, kind: str, name: str, text: str, problem: str
) -> None:
    _, problems = validate(tmp_path, kind, name, text)
    assert problems == [problem]


def test_an_entity_without_a_valid_type_is_left_out(tmp_path: Path) -> None:
    entity, problems = validate(tmp_path, "entity", "a.yaml", "name: A\ntype: persn\n")
    assert entity is None
    assert problems == [
        "2:7 error: unknown entity type 'persn': use one of person, country, organization, "
        "place, group, event, other (did you mean 'person'?)"
    ]


def test_a_draft_may_hold_todo(tmp_path: Path) -> None:
    text = "---\ntitle: T\ndate: 2024-05-06\nsummary: TODO a dek\ndraft: true\n---\nBody.\n"
    article, problems = validate(tmp_path, "article", "a.md", text)
    assert problems == []
    assert isinstance(article, Article) and article.draft
    _, problems = validate(tmp_path, "article", "a.md", text.replace("true", "false"))
    assert problems == ["4:10 warning: 'summary' still holds TODO: finish it before publishing"]


TODO_LEFT = "warning: a TODO is left on this line: finish the value, then remove the comment"


def test_todo_comments_are_looked_for_in_yaml_only(tmp_path: Path) -> None:
    text = "name: A  # TODO check\ntype: person\n# TODO: a note on a line of its own\n"
    _, problems = validate(tmp_path, "entity", "a.yaml", text)
    assert problems == [f"1:12 {TODO_LEFT}"]  # the first line too
    text = "---\ntitle: T  # TODO\ndate: 2024-05-06\n---\nBody text # TODO is text here.\n"
    _, problems = validate(tmp_path, "article", "a.md", text)
    assert problems == [f"2:13 {TODO_LEFT}"]  # not in the Markdown body


def test_a_draft_that_fails_is_not_warned_about_its_todo_comments(tmp_path: Path) -> None:
    text = "---\ntitle:\ndate: 2024-05-06  # TODO the day\ndraft: true\n---\nBody.\n"
    article, problems = validate(tmp_path, "article", "a.md", text)
    assert article is None
    assert problems == ["2:1 error: 'title' needs a value"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("aliases: true", "3:10 error: 'aliases' must be a list, not true/false"),
        ("aliases: [~]", "3:11 error: each of 'aliases' must be non-empty text, not nothing"),
        ("aliases: 12", "3:10 error: 'aliases' must be a list, not a number"),
        ("summary: [x]", "3:10 error: 'summary' must be text, not a list"),
    ],
)
def test_a_value_of_the_wrong_type_is_named(tmp_path: Path, line: str, problem: str) -> None:
    _, problems = validate(tmp_path, "entity", "a.yaml", f"name: A\ntype: person\n{line}\n")
    assert problems == [problem]


@pytest.mark.parametrize(
    ("kind", "name", "text", "problem"),
    [
        (
            "article",
            "a.md",
            "---\ntitle: T\ndate: 2024-05-06\nurl: TODO\n---\nBody.\n",
            "4:6 warning: 'url' still holds TODO: finish it before publishing",
        ),
        (
            "site",
            "site.yaml",
            "title: T\ntheme: 12\n",
            "2:8 error: 'theme' must be an id, not a number",
        ),
        (
            "entity",
            "a.yaml",
            "name: A\ntype: person\nimage: a portrait\n",
            "3:8 error: image must be a mapping of keys to values, not text",
        ),
    ],
)
def test_the_getters_say_which_key_and_where(
    tmp_path: Path, kind: str, name: str, text: str, problem: str
) -> None:
    _, problems = validate(tmp_path, kind, name, text)
    assert problems == [problem]


def test_a_draft_image_may_hold_todo(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\ndate: 2024-05-06\nimage: {credit: TODO who took it}\ndraft: true\n---\nB.\n"
    )
    article, problems = validate(tmp_path, "article", "a.md", text)
    assert problems == []
    assert isinstance(article, Article) and article.image is not None


def test_a_key_without_a_value_is_said_at_the_key(tmp_path: Path) -> None:
    _, problems = validate(tmp_path, "entity", "a.yaml", "name: A\n  # a note\ntype:\n")
    assert problems == ["3:1 error: 'type' needs a value"]


def test_todo_in_a_required_text_is_a_warning(tmp_path: Path) -> None:
    text = "title: T\ntimeline:\n  - date: 2024\n    text: TODO what happened\n"
    topic, problems = validate(tmp_path, "topic", "t.yaml", text)
    assert problems == ["4:11 warning: 'text' still holds TODO: finish it before publishing"]
    assert isinstance(topic, Topic) and len(topic.timeline) == 1


def test_a_number_given_as_text_stays_as_written(tmp_path: Path) -> None:
    """SPEC 7: a fact's `value` is the figure as stated. Unquoted, YAML reads `2.50`
    as 2.5 and `0x10` as 16: text fields keep what the editor wrote."""
    text = (
        "name: Board of Things\ntype: organization\nfacts:\n"
        "  - label: Price\n    value: 2.50\n"
        "  - label: Code\n    value: 0x10\n"
        "  - label: Count\n    value: 1_000\n"
        "  - label: Time\n    value: 1:30\n"
        "  - label: Plain\n    value: 12\n"
    )
    entity, problems = validate(tmp_path, "entity", "board-of-things.yaml", text)
    assert isinstance(entity, Entity)
    assert [f.value for f in entity.facts] == ["2.50", "0x10", "1_000", "1:30", "12"]
    assert [p for p in problems if "error" in p] == []
