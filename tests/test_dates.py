import pytest

from builder.model.dates import PartialDate, parse_date


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
