"""A sourced figure must be in its quote: numbers compared by their digits, years of
relations too, `editorial: true` for what the editor vouches for without the source."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.model.support import numbers
from tests.conftest import MINIMAL_SITE, Run, write_files

TOPIC = "content/topics/big-story.yaml"
ALICE = "content/entities/alice-example.yaml"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("at least 10,000 troops", {"10000": "10,000"}),
        ("10 000 and 10000", {"10000": "10000"}),
        ("2.5 million in 2024", {"2.5": "2.5", "2024": "2024"}),
        ("F-16 jets, G7, 3rd", {}),
        ("1,500 to 2,500", {"1500": "1,500", "2500": "2,500"}),
    ],
)
def test_numbers_are_compared_by_their_digits(text: str, found: dict[str, str]) -> None:
    assert numbers(text) == found


def site_with(tmp_path: Path, value: str, extra: str = "") -> Path:
    site = write_files(tmp_path, MINIMAL_SITE)
    topic = site / TOPIC
    topic.write_text(topic.read_text().replace('value: "12"', f'value: "{value}"') + extra)
    return site


@pytest.mark.parametrize("value", ["12", "twelve, 12 in all", "a board of 12 members"])
def test_a_value_whose_numbers_are_in_the_quote(
    value: str, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(site_with(tmp_path, value), "check", "--strict")
    assert result.code == 0, result.err


def test_a_number_the_quote_lacks_is_named(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    site = site_with(tmp_path, "12, up from 9")
    result = run_build(site, "check")
    assert result.code == 0
    assert result.diagnostics == [
        f"{TOPIC}:10:12: warning: the quote does not contain 9, which 'value' gives: quote "
        "the sentence that does, or mark it `editorial: true` if you vouch for it without "
        "the source"
    ]
    assert run_build(site, "check", "--strict").code == 1


def test_editorial_true_vouches_for_it(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    site = site_with(tmp_path, "12, up from 9", "    editorial: true\n")
    assert run_build(site, "--strict").code == 0
    page = (site / "site/topics/big-story/index.html").read_text()
    assert "Editor's note:" in page
    assert re.search(
        r'Context: <a class="source" href="[^"]*first-story/index.html#q-[0-9a-f]{8}">'
        r"First story</a>",
        page,
    )


def test_a_relation_year_must_be_in_its_quote(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = write_files(tmp_path, MINIMAL_SITE)
    (site / ALICE).write_text(
        (site / ALICE).read_text() + "relations:\n"
        "  - type: member of\n    target: board-of-things\n    since: 2019-05\n"
        "    source: first-story\n    quote: Alice Example met the Board of Things\n"
    )
    result = run_build(site, "check")
    assert result.diagnostics == [
        f"{ALICE}:10:12: warning: the quote does not contain 2019, the year 'since' gives: "
        "quote a sentence that does, or mark it `editorial: true` if you vouch for it "
        "without the source"
    ]
    (site / ALICE).write_text((site / ALICE).read_text() + "    editorial: true\n")
    assert run_build(site, "--strict").code == 0
    profile = (site / "site/entities/alice-example/index.html").read_text()
    assert "editor's note" in profile


def test_as_of_is_the_editor_s_dating(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    site = site_with(tmp_path, "12")  # as_of: 2024-10-23 is not in the quote, and need not be
    assert run_build(site, "check", "--strict").code == 0
