from collections.abc import Callable
from pathlib import Path

import pytest

from builder.model.dates import PartialDate, parse_date
from tests.conftest import Run, write_files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", PartialDate(2024)),
        (2024, PartialDate(2024)),
        ("2024-07", PartialDate(2024, 7)),
        ("2024-10-23", PartialDate(2024, 10, 23)),
        ("2024-10-23T14:05", PartialDate(2024, 10, 23, "14:05")),
        ("2024-10-23 14:05:00+02:00", PartialDate(2024, 10, 23, "14:05:00+02:00")),
        ("2024-10-23T14:05:00Z", PartialDate(2024, 10, 23, "14:05:00Z")),
    ],
)
def test_accepted_dates(text: object, expected: PartialDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13-04", "month 13 does not exist"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("23 October 2024", "is not a date"),
        ("2024-10-23T25:00", "is not a time of day"),
        (True, "expected a date"),
        ([2024], "expected a date"),
    ],
)
def test_rejected_dates_say_why(text: object, message: str) -> None:
    result = parse_date(text)
    assert isinstance(result, str)
    assert message in result


def test_shown_and_iso_forms() -> None:
    assert PartialDate(2024, 10, 23).shown == "23 October 2024"
    assert PartialDate(2024, 7).shown == "July 2024"
    assert PartialDate(2022).shown == "2022"
    assert PartialDate(2024, 7).iso == "2024-07"
    assert PartialDate(2024, 7).sort_key < PartialDate(2024, 7, 1).sort_key


def test_the_archive_feed_and_timeline_order_dates_by_one_rule(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """docs/content.md, "Dates": `2024-10` is the start of October, so it is older than
    `2024-10-01`, and a day is older than a time on it; the archive and feed list newest
    first, a timeline oldest first. (An article's date is a whole day, SPEC 3.)"""
    story = "---\ntitle: {title}\ndate: {date}\ntopics: [t]\n---\nText {title}.\n"
    write_files(
        tmp_path,
        {
            "content/site.yaml": "title: T\nbase_url: https://newsroom.github.io/desk/\n",
            "content/articles/month.md": story.format(title="The day", date="2024-10-01"),
            "content/articles/day.md": story.format(
                title="A time that day", date="2024-10-01T09:30+02:00"
            ),
            "content/articles/year.md": story.format(title="The day before", date="2024-09-30"),
            "content/topics/t.yaml": "title: T\ntimeline:\n"
            "  - {date: 2024-10-01, text: On the first}\n"
            "  - {date: 2024-10, text: In October}\n"
            "  - {date: 2024, text: In the year}\n",
        },
    )
    assert run_build(tmp_path).code == 0
    site = tmp_path / "site"
    archive = (site / "articles/index.html").read_text()
    feed = (site / "feed.xml").read_text()
    for page in (archive, feed):
        assert page.index("A time that day") < page.index("The day") < page.index("The day before")
    topic = (site / "topics/t/index.html").read_text()
    assert topic.index("In the year") < topic.index("In October") < topic.index("On the first")
