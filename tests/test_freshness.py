"""`stale_after` (SPEC 11): claims older than it, counted back from `--today`, are
marked on the page and listed by `build check`; a topic summary that still states a
superseded figure is flagged."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.model.dates import PartialDate
from builder.model.freshness import last_day, period_days
from tests.conftest import Run, write_files
from tests.test_supersede import FACTS, SITE

STALE_SITE = {
    **SITE,
    "content/site.yaml": SITE["content/site.yaml"] + "stale_after: 90d\n",
    "content/topics/troops.yaml": FACTS,
}


@pytest.mark.parametrize(("period", "days"), [("90d", 90), ("2w", 14), ("6m", 180), ("1y", 365)])
def test_periods_in_days(period: str, days: int) -> None:
    assert period_days(period) == days


def test_a_partial_date_holds_until_its_last_day() -> None:
    assert last_day(PartialDate(2024, 2)) == datetime.date(2024, 2, 29)
    assert last_day(PartialDate(2024)) == datetime.date(2024, 12, 31)


def stale_marks(root: Path) -> list[str]:
    html = (root / "site/topics/troops/index.html").read_text()
    return re.findall(
        r'<strong class="claim-value">([^<]*)</strong>(?:(?!</dd>).)*?may be out of date',
        html,
        re.S,
    )


def test_a_claim_older_than_stale_after_is_marked_and_listed(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, STALE_SITE)
    result = run_build(root, "--no-search", "--today", "2025-03-01")
    assert result.code == 0, result.err
    assert stale_marks(root) == ["about 3,000"]  # the current claim, not the one it replaced
    check = run_build(root, "check", "--today", "2025-03-01")
    assert check.code == 0
    assert check.diagnostics == [
        "content/topics/troops.yaml:11:5: warning: 'Troops deployed: about 3,000' is as of "
        "2024-10-25, more than 90 days before 2025-03-01 (stale_after): it may be out of "
        "date; look for a newer figure"
    ]
    assert run_build(root, "check", "--strict", "--today", "2025-03-01").code == 1


def test_a_recent_claim_is_not_marked(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    root = write_files(tmp_path, STALE_SITE)
    assert run_build(root, "--no-search", "--today", "2024-12-01").code == 0
    assert stale_marks(root) == []
    assert run_build(root, "check", "--today", "2024-12-01").diagnostics == []


def test_another_reference_date_rebuilds_the_page(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, STALE_SITE)
    assert run_build(root, "--no-search", "--today", "2024-12-01").code == 0
    assert run_build(root, "--no-search", "--today", "2025-03-01").code == 0
    assert stale_marks(root) == ["about 3,000"]


def test_without_stale_after_nothing_is_stale(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, {**STALE_SITE, "content/site.yaml": SITE["content/site.yaml"]})
    assert run_build(root, "--no-search", "--today", "2030-01-01").code == 0
    assert stale_marks(root) == []


@pytest.mark.parametrize("period", ["9999999d", "99999999999999999999d"])
def test_a_period_longer_than_the_calendar_marks_nothing(
    tmp_path: Path, run_build: Callable[..., Run], period: str
) -> None:
    """Further back than the first date there is (or than a day count can hold): no
    claim is that old, and no build fails on it."""
    site = {
        **STALE_SITE,
        "content/site.yaml": SITE["content/site.yaml"] + f"stale_after: {period}\n",
    }
    root = write_files(tmp_path, site)
    result = run_build(root, "--no-search", "--today", "2030-01-01")
    assert result.code == 0, result.err
    assert stale_marks(root) == []


def test_a_summary_that_states_a_superseded_figure_is_flagged(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    facts = FACTS.replace(
        "summary: North Korea has sent troops to Russia.",
        "summary: North Korea has sent at least 1,500 troops to Russia.",
    )
    root = write_files(tmp_path, {**SITE, "content/topics/troops.yaml": facts})
    result = run_build(root, "check")
    assert result.diagnostics == [
        "content/topics/troops.yaml:2:10: warning: the summary states 1,500, but 'Troops "
        "deployed' is now about 3,000 by south-korea: the claim of at least 1,500 was "
        "superseded"
    ]


def test_a_summary_with_the_current_figure_is_not_flagged(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    facts = FACTS.replace(
        "summary: North Korea has sent troops to Russia.",
        "summary: North Korea has sent about 3,000 troops to Russia.",
    )
    root = write_files(tmp_path, {**SITE, "content/topics/troops.yaml": facts})
    assert run_build(root, "check").diagnostics == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--today", "2025-02-30"), "'2025-02-30' is not a date (YYYY-MM-DD)"),
        (("--today", "soon"), "'soon' is not a date (YYYY-MM-DD)"),
    ],
)
def test_a_bad_reference_date_is_a_usage_error(
    tmp_path: Path,
    run_build: Callable[..., Run],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    root = write_files(tmp_path, STALE_SITE)
    with pytest.raises(SystemExit) as stopped:
        run_build(root, "check", *args)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_a_bad_period_is_an_error_at_its_line(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = SITE["content/site.yaml"] + "stale_after: 3 months\n"
    root = write_files(tmp_path, {**STALE_SITE, "content/site.yaml": site})
    result = run_build(root, "check")
    assert result.code == 1
    assert (
        "content/site.yaml:3:14: error: 'stale_after' must be a period such as 90d, 12w, 6m "
        "or 1y, not '3 months'"
    ) in result.diagnostics
