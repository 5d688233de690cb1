"""The spread of a disputed figure, drawn at build time: a number line with one
row per claim, newest first like the list beside it, and a labelled dot (or a bar,
for a range) on each row.

One claim per row means labels can never overlap; a label stands to the right of its
dot, or to its left when it would pass the edge, so that it is never clipped.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # px: fits a fact box in the side column and on a 390 px phone
MARGIN = 10  # px between the ends of the number line and the drawing's edges
ROW = 18  # px from one claim's row to the next
CHAR = 6.6  # px: the width of one character at the chart's 11 px, on the generous side
AXIS_ROOM = 28  # px below the last row: the line and its end values


@dataclass(frozen=True)
class Point:
    low: float
    high: float
    label: str  # who claims it, and when: "South Korea, Oct 2024"


def number_text(value: float) -> str:
    """1500.0 -> '1,500'; 2.25 -> '2.25'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def label_width(text: str) -> float:
    return len(text) * CHAR


def shorten(text: str, room: float) -> str:
    """`text`, cut with an ellipsis to fit `room` px."""
    if label_width(text) <= room:
        return text
    return text[: max(int(room / CHAR) - 1, 1)].rstrip() + "…"


def dot_plot(points: list[Point]) -> dict[str, object] | None:
    """Coordinates for the template (`points` newest first), or None when there is no
    spread to show."""
    low = min(p.low for p in points)
    high = max(p.high for p in points)
    if len(points) < 2 or low == high:
        return None
    span = WIDTH - 2 * MARGIN

    def x(value: float) -> float:
        return round(MARGIN + (value - low) / (high - low) * span, 1)

    rows = []
    for index, point in enumerate(points):
        x1, x2 = x(point.low), x(point.high)
        room_right, room_left = WIDTH - x2 - 7, x1 - 7
        right = label_width(point.label) <= room_right or room_right >= room_left
        rows.append(
            {
                "x1": x1,
                "x2": x2,
                "range": x2 > x1,
                "y": 10 + index * ROW,
                "label": shorten(point.label, room_right if right else room_left),
                "label_x": round(x2 + 7 if right else x1 - 7, 1),
                "anchor": "start" if right else "end",
            }
        )
    axis = 10 + len(points) * ROW - 6
    return {
        "width": WIDTH,
        "height": axis + AXIS_ROOM,
        "axis_y": axis,
        "left": MARGIN,
        "right": WIDTH - MARGIN,
        "low": number_text(low),
        "high": number_text(high),
        "rows": rows,
    }
