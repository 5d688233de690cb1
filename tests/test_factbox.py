from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import Loc
from builder.model.content import Fact, Ref
from builder.model.dates import PartialDate, parse_date
from builder.model.factbox import fact_rows
from tests.conftest import MINIMAL_SITE, Run, write_files

LOC = Loc(Path("t.yaml"))


def fact(label: str, value: str, who: str | None = None, as_of: PartialDate | None = None) -> Fact:
    claimant = Ref(who, LOC) if who else None
    return Fact("t", label, value, claimant, as_of, None, None, None, LOC)


def test_rows_group_by_label_in_first_seen_order() -> None:
    rows = fact_rows(
        [
            fact("Troops", "10,000", "ukraine"),
            fact("Losses", "600,000"),
            fact("Troops", "1,500", "south-korea"),
        ]
    )
    assert [r.label for r in rows] == ["Troops", "Losses"]
    assert [len(r.facts) for r in rows] == [2, 1]


def test_differing_values_dispute_a_row_and_sort_newest_first() -> None:
    rows = fact_rows(
        [
            fact("Troops", "10,000", "ukraine", PartialDate(2024, 10)),
            fact("Troops", "2,500", "united-states", PartialDate(2024, 10, 23)),
            fact("Troops", "1,500", "south-korea"),
            fact("Troops", "900", "somebody", PartialDate(2023)),
        ]
    )
    assert rows[0].disputed
    assert [f.value for f in rows[0].facts] == ["2,500", "10,000", "900", "1,500"]


def test_same_value_from_two_claimants_is_not_disputed() -> None:
    rows = fact_rows([fact("Losses", "600,000", "a"), fact("Losses", "600,000 ", "b")])
    assert not rows[0].disputed


def test_claims_of_mixed_precision_follow_the_documented_order() -> None:
    """docs/content.md, "Dates": a date stands for the start of its period; of two that
    start together, the more precise is the later. Newest first, undated last."""
    written = [
        "2024",
        "2024-10-23",
        "2024-01-01T09:00",
        "2024-10",
        "2023-12-31",
        "2024-01",
        "2024-01-01",
        "2024-01-02",
        None,
        "2024-10-01",
    ]
    dates = {w: parse_date(w) if w else None for w in written}
    rows = fact_rows([fact("Troops", w or "undated", "x", dates[w]) for w in written])  # type: ignore[arg-type]
    assert [f.value for f in rows[0].facts] == [
        "2024-10-23",
        "2024-10-01",
        "2024-10",
        "2024-01-02",
        "2024-01-01T09:00",
        "2024-01-01",
        "2024-01",
        "2024",
        "2023-12-31",
        "undated",
    ]


def test_facts_of_one_date_and_undated_ones_keep_the_order_given() -> None:
    october = PartialDate(2024, 10)
    rows = fact_rows(
        [
            fact("Troops", "1", "a"),
            fact("Troops", "2", "b", october),
            fact("Troops ", "3", "c"),  # the same label, spaces aside
            fact("Troops", "4", "d", october),
            fact("Troops", "5", "e", PartialDate(2024, 10, 1)),
        ]
    )
    assert [f.value for f in rows[0].facts] == ["5", "2", "4", "1", "3"]


def claims(*rows: tuple[str, str, str]) -> str:
    """Fact rows of the big story's box: (value, number, claimant)."""
    return "".join(
        f"  - label: Board members\n    value: {value!r}\n    number: {number}\n"
        f"    claimed_by: {who}\n    as_of: 2024-10-2{n}\n"
        for n, (value, number, who) in enumerate(rows, 4)
    )


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (  # SPEC 7: all claims give a number, the same one: it is said, with no chart
            [("about 12", "12", "alice-example"), ("12", "12", "board-of-things")],
            "The same figure, 12, across 2 sources",
        ),
        (  # two claims of one claimant are not two sources
            [("12", "12", "board-of-things"), ("14", "14", "board-of-things")],
            "12 to 14 across 2 claims from 1 source",
        ),
    ],
)
def test_a_row_of_numbers_says_its_spread(
    tmp_path: Path, run_build: Callable[..., Run], rows: list[tuple[str, str, str]], said: str
) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    topic = tmp_path / "content/topics/big-story.yaml"
    text = topic.read_text().split("facts:\n")[0] + "facts:\n" + claims(*rows)
    topic.write_text(text)
    assert run_build(tmp_path, "--no-search").code == 0
    page = (tmp_path / "site/topics/big-story/index.html").read_text()
    box = page.split('class="spread-box"')[1].split("</dd>")[0]
    assert said in " ".join(box.split())
