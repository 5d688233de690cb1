"""The chart of a disputed figure (builder/output/dotplot.py)."""

from __future__ import annotations

from builder.output.dotplot import WIDTH, Point, dot_plot, label_width, number_text


def test_one_row_per_claim_in_the_order_given() -> None:
    chart = dot_plot(
        [
            Point(2500, 2500, "United States"),
            Point(10000, 10000, "Ukraine"),
            Point(1500, 1500, "SK"),
        ]
    )
    assert chart is not None
    rows = chart["rows"]
    assert [r["label"] for r in rows] == ["United States", "Ukraine", "SK"]
    assert [r["y"] for r in rows] == sorted(r["y"] for r in rows)  # newest (first) on top
    assert rows[2]["x1"] == chart["left"] and rows[1]["x1"] == chart["right"]
    assert (chart["low"], chart["high"]) == ("1,500", "10,000")


def test_labels_stay_inside_the_drawing() -> None:
    chart = dot_plot([Point(0, 0, "A claimant with a long name, 23 Oct 2024"), Point(10, 10, "B")])
    assert chart is not None
    for row in chart["rows"]:
        width = label_width(row["label"])
        if row["anchor"] == "start":
            assert row["label_x"] + width <= WIDTH
        else:
            assert row["label_x"] - width >= 0


def test_a_label_too_long_for_either_side_is_shortened() -> None:
    chart = dot_plot([Point(5, 5, "x" * 80), Point(0, 0, "a"), Point(10, 10, "b")])
    assert chart is not None
    assert chart["rows"][0]["label"].endswith("…")
    assert label_width(chart["rows"][0]["label"]) <= WIDTH / 2


def test_ranges_are_bars_and_no_spread_means_no_chart() -> None:
    chart = dot_plot([Point(1000, 3000, "range"), Point(2000, 2000, "dot")])
    assert chart is not None and [r["range"] for r in chart["rows"]] == [True, False]
    assert dot_plot([Point(5, 5, "a"), Point(5, 5, "b")]) is None
    assert dot_plot([Point(1, 9, "alone")]) is None


def test_numbers_read_as_written() -> None:
    assert [number_text(v) for v in (1500.0, 2.25, 600000, 0.5)] == [
        "1,500",
        "2.25",
        "600,000",
        "0.5",
    ]
