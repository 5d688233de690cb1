"""A laid-out graph made drawable: where every label goes, so that no two labels
overlap, no label covers a node, and nothing is clipped.

Node labels are tried above, below, right and left of their node (then at the
corners); edge labels at points along their edge. When a label finds no free place,
the whole drawing is spread out (node positions scaled from the centre) and placed
again, up to a limit; past it, an edge label that still does not fit is left out of
the drawing (the list beside every graph still has it). Of the attempts, the first
with the fewest labels left out, then the fewest crossed by a line, is drawn. The
frame is then fitted around everything drawn. Text widths are estimated on the
generous side for a sans serif, as the build cannot measure fonts.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..model.graph import Edge, Graph

NODE_FONT = 11.0  # px; the centre node's label is larger
CENTER_FONT = 13.0
EDGE_FONT = 10.0
CHAR_EM = 0.62  # average advance of a character, in em, generously
NAME_MAX = 28  # characters of a node label; longer names are shortened with "…"
EDGE_MAX = 26  # characters of an edge label
PAD = 2.0  # px kept free around every label
MARGIN = 8  # px between the outermost drawing and the frame
SPREAD = 1.18  # how much the drawing grows per attempt
ATTEMPTS = 6
AVOID_LINES_UP_TO = 60  # nodes: in bigger graphs labels may sit on a line (their halo
# keeps them legible), as the check would cost more than the rest of the build
BEND = 22.0  # px: how far two edges between the same pair curve apart


class Box(NamedTuple):  # a tuple: a drawing tries and files thousands of them
    left: float
    top: float
    right: float
    bottom: float


def text_box(text: str, size: float, x: float, y: float, anchor: str) -> Box:
    """The box of `text` drawn at baseline (x, y) with `text-anchor` `anchor`."""
    width = len(text) * size * CHAR_EM
    left = x - width / 2 if anchor == "middle" else x if anchor == "start" else x - width
    return Box(left, y - size * 0.8, left + width, y + size * 0.25)


def short_name(name: str, limit: int = NAME_MAX) -> str:
    """`name`, or its start up to a word's end and "…" when it is longer than `limit`."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def edge_text(label: str) -> str:
    """An edge's label as drawn: long relation types are shortened (the list beside
    the graph, and the label's tooltip, give them whole)."""
    return short_name(label, EDGE_MAX)


def radius(center: bool) -> float:
    return 9.0 if center else 6.0


@dataclass
class Placed:
    """The drawing of one attempt: positions, labels, curves, and what did not fit."""

    points: dict[str, tuple[float, float]]
    node_labels: dict[str, tuple[float, float, str]]  # x, y, anchor
    edge_labels: dict[int, tuple[float, float]]
    controls: dict[int, tuple[float, float] | None]  # a curve's control point
    dropped: int  # labels with no free place
    crossed: int  # labels that an edge crosses (legible on their halo, but worse)


def draw(graph: Graph, names: dict[str, str]) -> Placed:
    """Label positions for `graph`; `names`: node id -> the label shown."""
    best = _attempt(graph, names, 1.0)
    for attempt in range(1, ATTEMPTS):
        if best.dropped == 0 and best.crossed == 0:
            break
        placed = _attempt(graph, names, SPREAD**attempt)
        if (placed.dropped, placed.crossed) < (best.dropped, best.crossed):
            best = placed
    return best


def _attempt(graph: Graph, names: dict[str, str], scale: float) -> Placed:
    cx, cy = graph.width / 2, graph.height / 2
    points = {n.id: (cx + (n.x - cx) * scale, cy + (n.y - cy) * scale) for n in graph.nodes}
    centers = {n.id for n in graph.nodes if n.center}
    taken = Near()
    for n, (x, y) in points.items():
        r = radius(n in centers)
        taken.add(Box(x - r, y - r, x + r, y + r))
    node_labels: dict[str, tuple[float, float, str]] = {}
    labelled: list[tuple[int, Box]] = []  # (index of the edge labelled or -1, box)
    dropped = 0
    controls = _curves(graph.edges, points)
    lines = Near()
    if len(graph.nodes) <= AVOID_LINES_UP_TO:
        for owner, segment in _segments(graph.edges, points, controls):
            lines.add(segment, owner)
    order = sorted(graph.nodes, key=lambda n: (not n.center,))
    for node in order:
        spot = _node_spot(names[node.id], points[node.id], node.center, taken, lines)
        if spot is None:
            dropped += 1
            spot = next(_node_candidates(names[node.id], points[node.id], node.center))
        x, y, anchor, box = spot
        taken.add(box)
        labelled.append((-1, box))
        node_labels[node.id] = (x, y, anchor)
    edge_labels: dict[int, tuple[float, float]] = {}
    for index, edge in enumerate(graph.edges):
        if not edge.label:
            continue
        found = _edge_spot(edge, points, controls[index], taken, lines, index)
        if found is None:
            dropped += 1
            continue
        taken.add(found[2])
        labelled.append((index, found[2]))
        edge_labels[index] = (found[0], found[1])
    crossed = sum(lines.crossed(box, but=index) for index, box in labelled)
    return Placed(points, node_labels, edge_labels, controls, dropped, crossed)


def _node_candidates(
    name: str, point: tuple[float, float], center: bool
) -> Iterator[tuple[float, float, str, Box]]:
    """The places to try, best first (each box made only when it is tried)."""
    x, y = point
    size = CENTER_FONT if center else NODE_FONT
    r = radius(center) + PAD + 2  # clear of the circle by more than PAD
    above, below = y - r - size * 0.25, y + r + size * 0.8
    side = r * 0.7
    spots = [
        (x, above, "middle"),
        (x, below, "middle"),
        (x + r, y + size * 0.3, "start"),
        (x - r, y + size * 0.3, "end"),
        (x + side, above, "start"),
        (x - side, above, "end"),
        (x + side, below, "start"),
        (x - side, below, "end"),
    ]
    return ((sx, sy, a, text_box(name, size, sx, sy, a)) for sx, sy, a in spots)


def _node_spot(
    name: str, point: tuple[float, float], center: bool, taken: Near, lines: Near
) -> tuple[float, float, str, Box] | None:
    """The first free place, preferring one that no edge crosses."""
    first_free = None
    for spot in _node_candidates(name, point, center):
        if taken.hit(spot[3]):
            continue
        if not lines.crossed(spot[3]):
            return spot
        first_free = first_free or spot
    return first_free


Segment = tuple[float, float, float, float]


def _segments(
    edges: tuple[Edge, ...],
    points: dict[str, tuple[float, float]],
    controls: dict[int, tuple[float, float] | None],
) -> list[tuple[int, Segment]]:
    """Every edge as straight pieces (a curve as eight), with the edge's index."""
    pieces: list[tuple[int, Segment]] = []
    for index, edge in enumerate(edges):
        start, end, control = points[edge.source], points[edge.target], controls[index]
        steps = 1 if control is None else 8
        path = [along(start, end, control, i / steps) for i in range(steps + 1)]
        pieces += [(index, (*a, *b)) for a, b in zip(path, path[1:], strict=False)]
    return pieces


def _crosses(segment: Segment, box: Box) -> bool:
    """Whether the segment passes through the box (Liang-Barsky clipping); `crossed`
    has left out the pieces wholly beside it."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x1 - box.left),
        (dx, box.right - x1),
        (-dy, y1 - box.top),
        (dy, box.bottom - y1),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _curves(
    edges: tuple[Edge, ...], points: dict[str, tuple[float, float]]
) -> dict[int, tuple[float, float] | None]:
    """A control point for each edge that shares its pair of nodes with another, bent
    to alternating sides; None (a straight line) for the others."""
    pairs: dict[frozenset[str], list[int]] = {}
    for index, edge in enumerate(edges):
        pairs.setdefault(frozenset((edge.source, edge.target)), []).append(index)
    controls: dict[int, tuple[float, float] | None] = {}
    for members in pairs.values():
        for rank, index in enumerate(members):
            if len(members) == 1:
                controls[index] = None
                continue
            edge = edges[index]
            # bend relative to one fixed direction of the pair, so opposite edges part
            a, b = sorted((edge.source, edge.target))
            (x1, y1), (x2, y2) = points[a], points[b]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            nx, ny = -(y2 - y1) / length, (x2 - x1) / length
            offset = BEND * (rank - (len(members) - 1) / 2) * 2
            controls[index] = ((x1 + x2) / 2 + nx * offset, (y1 + y2) / 2 + ny * offset)
    return controls


def along(
    start: tuple[float, float],
    end: tuple[float, float],
    control: tuple[float, float] | None,
    t: float,
) -> tuple[float, float]:
    """The point at `t` (0..1) of a straight or quadratic edge."""
    if control is None:
        return (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
    u = 1 - t
    return (
        u * u * start[0] + 2 * u * t * control[0] + t * t * end[0],
        u * u * start[1] + 2 * u * t * control[1] + t * t * end[1],
    )


def _edge_spot(
    edge: Edge,
    points: dict[str, tuple[float, float]],
    control: tuple[float, float] | None,
    taken: Near,
    lines: Near,
    index: int,
) -> tuple[float, float, Box] | None:
    """The first free point along the edge, preferring one that no other edge crosses."""
    start, end = points[edge.source], points[edge.target]
    free = []
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75):
        x, y = along(start, end, control, t)
        y += EDGE_FONT * 0.3
        box = text_box(edge_text(edge.label), EDGE_FONT, x, y, "middle")
        if not taken.hit(box):
            if not lines.crossed(box, but=index):
                return x, y, box
            free.append((x, y, box))
    return free[0] if free else None


class Near:
    """Boxes and edge pieces, and what lies near a label. Up to `SCAN_UP_TO` of a kind,
    a question tests them all: in a profile's graph of 15 nodes that is quicker than
    finding the few nearby. Past it, they are filed under the grid cells their bounds
    touch, so that a question looks only at what lies near the label. The answers are
    those of testing everything: two shapes that touch share a point, hence a cell."""

    CELL = 64.0  # px
    SCAN_UP_TO = 64  # shapes of a kind

    def __init__(self) -> None:
        self.boxes: list[Box] = []
        self.segments: list[tuple[int, Segment]] = []  # (owner edge, piece)
        self.box_cells: dict[tuple[int, int], list[int]] = {}
        self.segment_cells: dict[tuple[int, int], list[int]] = {}
        self.boxes_filed = self.segments_filed = 0  # how many are in their cells

    def add(self, shape: Box | Segment, owner: int = -1) -> None:
        if isinstance(shape, Box):
            self.boxes.append(shape)
        else:
            self.segments.append((owner, shape))

    def hit(self, box: Box) -> bool:
        """Whether `box` comes within PAD of a box added (the test written out in the
        loop: a profile's drawing asks it some 50 times an attempt)."""
        boxes = self.boxes
        if len(boxes) > self.SCAN_UP_TO:
            self._file_boxes()
            bounds = (box.left - PAD, box.top - PAD, box.right + PAD, box.bottom + PAD)
            boxes = [boxes[key] for key in self._near(self.box_cells, *bounds)]
        left, top, right, bottom = box
        for other in boxes:
            if not (
                right + PAD <= other.left
                or other.right + PAD <= left
                or bottom + PAD <= other.top
                or other.bottom + PAD <= top
            ):
                return True
        return False

    def crossed(self, box: Box, but: int = -1) -> bool:
        """Whether a piece added, of an edge other than `but`, passes through `box`."""
        segments = self.segments
        if len(segments) > self.SCAN_UP_TO:
            self._file_segments()
            slack = 1e-6  # the clipping's rounding can make a piece touch a box by less
            bounds = (box.left - slack, box.top - slack, box.right + slack, box.bottom + slack)
            segments = [segments[key] for key in self._near(self.segment_cells, *bounds)]
        left, top, right, bottom = box
        for owner, segment in segments:
            x1, y1, x2, y2 = segment
            if x1 < left and x2 < left or x1 > right and x2 > right:
                continue  # wholly beside the box: the common case, answered without clipping
            if y1 < top and y2 < top or y1 > bottom and y2 > bottom:
                continue
            if owner != but and _crosses(segment, box):
                return True
        return False

    def _file_boxes(self) -> None:
        for key in range(self.boxes_filed, len(self.boxes)):
            box = self.boxes[key]
            for cell in self._cells(box.left, box.top, box.right, box.bottom):
                self.box_cells.setdefault(cell, []).append(key)
        self.boxes_filed = len(self.boxes)

    def _file_segments(self) -> None:
        for key in range(self.segments_filed, len(self.segments)):
            x1, y1, x2, y2 = self.segments[key][1]
            for cell in self._cells(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)):
                self.segment_cells.setdefault(cell, []).append(key)
        self.segments_filed = len(self.segments)

    def _near(self, cells: dict[tuple[int, int], list[int]], *bounds: float) -> set[int]:
        found: set[int] = set()
        for cell in self._cells(*bounds):
            keys = cells.get(cell)
            if keys is not None:
                found.update(keys)
        return found

    def _cells(self, left: float, top: float, right: float, bottom: float) -> list[tuple[int, int]]:
        size, floor = self.CELL, math.floor
        first_row, last_row = floor(top / size), floor(bottom / size)
        first, last = floor(left / size), floor(right / size)
        if first == last and first_row == last_row:  # most labels and pieces: one cell
            return [(first, first_row)]
        rows = range(first_row, last_row + 1)
        return [(i, j) for i in range(first, last + 1) for j in rows]
