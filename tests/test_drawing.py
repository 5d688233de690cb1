"""Label placement in graphs (builder/output/drawing.py): what the browser tests check
on rendered pages, here on the geometry itself and on harder cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.model.graph import Edge, Graph, Node
from builder.output.drawing import (
    CENTER_FONT,
    EDGE_FONT,
    NODE_FONT,
    PAD,
    Box,
    Near,
    Placed,
    _crosses,
    draw,
    edge_text,
    radius,
    text_box,
)

LONG = "North Atlantic Treaty Organization"


def hits(a: Box, b: Box) -> bool:
    """Whether two boxes come within PAD of each other."""
    return not (
        a.right + PAD <= b.left
        or b.right + PAD <= a.left
        or a.bottom + PAD <= b.top
        or b.bottom + PAD <= a.top
    )


def star(count: int, ring: float = 160.0) -> tuple[Graph, dict[str, str]]:
    """A profile's neighbourhood: the centre and `count` others on a ring, long names."""
    nodes = [Node("c", 220, 220, center=True)]
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        nodes.append(Node(f"n{i}", 220 + ring * math.cos(angle), 220 + ring * math.sin(angle)))
    edges = tuple(Edge("c", f"n{i}", f"relation number {i} of", True) for i in range(count))
    names = {"c": "The Centre"} | {f"n{i}": f"{LONG} {i}"[:28] for i in range(count)}
    return Graph(440, 440, tuple(nodes), edges), names


def boxes(graph: Graph, names: dict[str, str], placed: Placed) -> list[tuple[str, Box]]:
    found = []
    for node in graph.nodes:
        x, y = placed.points[node.id]
        r = radius(node.center)
        found.append((f"node {node.id}", Box(x - r, y - r, x + r, y + r)))
        lx, ly, anchor = placed.node_labels[node.id]
        size = CENTER_FONT if node.center else NODE_FONT
        found.append((names[node.id], text_box(names[node.id], size, lx, ly, anchor)))
    for index, (x, y) in placed.edge_labels.items():
        label = edge_text(graph.edges[index].label)
        found.append((label, text_box(label, EDGE_FONT, x, y, "middle")))
    return found


def clashes(found: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for i, (a, box) in enumerate(found)
        for b, other in found[i + 1 :]
        if hits(box, other) and not (a.startswith("node") and b.startswith("node"))
    ]


def test_a_crowded_star_gets_every_label_placed_without_overlap() -> None:
    graph, names = star(14)
    naive = [text_box(names[n.id], NODE_FONT, n.x, n.y - 12, "middle") for n in graph.nodes[1:]]
    assert any(hits(a, b) for i, a in enumerate(naive) for b in naive[i + 1 :])  # it is hard
    placed = draw(graph, names)
    assert placed.dropped == 0 and len(placed.edge_labels) == 14
    assert clashes(boxes(graph, names, placed)) == []


def test_labels_that_fit_nowhere_spread_the_drawing_out() -> None:
    nodes = (Node("a", 200, 190, center=True), Node("b", 200, 210))
    graph = Graph(400, 400, nodes, (Edge("a", "b", "a long relation type here", True),))
    names = {"a": "Alpha Organisation", "b": "Beta Organisation"}
    placed = draw(graph, names)
    (ax, ay), (bx, by) = placed.points["a"], placed.points["b"]
    assert math.hypot(bx - ax, by - ay) > 20 * 1.18  # grown from 20 px apart
    assert placed.dropped == 0 and 0 in placed.edge_labels
    assert clashes(boxes(graph, names, placed)) == []


def test_two_relations_between_one_pair_curve_to_either_side() -> None:
    nodes = (Node("a", 100, 100), Node("b", 300, 100))
    edges = (Edge("a", "b", "sent troops to", True), Edge("b", "a", "partner of", True))
    placed = draw(Graph(400, 200, nodes, edges), {"a": "A", "b": "B"})
    first, second = placed.controls[0], placed.controls[1]
    assert first is not None and second is not None
    assert (first[1] - 100) * (second[1] - 100) < 0  # one above the line, one below
    assert clashes(boxes(Graph(400, 200, nodes, edges), {"a": "A", "b": "B"}, placed)) == []


def test_long_relation_types_are_shortened_in_the_drawing_only() -> None:
    assert edge_text("comprehensive strategic partnership with") == "comprehensive strategic…"
    assert edge_text("leader of") == "leader of"


COORD = st.floats(-300, 300, allow_nan=False)
SHAPE = st.tuples(COORD, COORD, COORD, COORD)


def box_of(a: float, b: float, c: float, d: float) -> Box:
    return Box(min(a, c), min(b, d), max(a, c), max(b, d))


class Filed(Near):
    """A `Near` that files every shape in its grid, however few."""

    SCAN_UP_TO = 0


def crosses(segment: tuple[float, float, float, float], box: Box) -> bool:
    x1, y1, x2, y2 = segment
    beside = (
        max(x1, x2) < box.left
        or min(x1, x2) > box.right
        or max(y1, y2) < box.top
        or min(y1, y2) > box.bottom
    )
    return not beside and _crosses(segment, box)


@given(
    boxes=st.lists(SHAPE, max_size=30),
    segments=st.lists(st.tuples(st.integers(0, 3), SHAPE), max_size=30),
    probes=st.lists(st.tuples(st.integers(-1, 3), SHAPE), min_size=1, max_size=10),
)
def test_near_answers_as_testing_everything_would_with_or_without_its_grid(
    boxes: list[tuple[float, float, float, float]],
    segments: list[tuple[int, tuple[float, float, float, float]]],
    probes: list[tuple[int, tuple[float, float, float, float]]],
) -> None:
    for near in (Near(), Filed()):
        for shape in boxes:
            near.add(box_of(*shape))
        for owner, segment in segments:
            near.add(segment, owner)
        for but, shape in probes:
            probe = box_of(*shape)
            assert near.hit(probe) == any(hits(probe, box_of(*b)) for b in boxes)
            assert near.crossed(probe, but) == any(
                owner != but and crosses(segment, probe) for owner, segment in segments
            )


def test_a_graph_is_drawn_the_same_whether_its_shapes_are_filed_or_scanned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph, names = star(14)
    scanned = draw(graph, names)
    monkeypatch.setattr(Near, "SCAN_UP_TO", 0)
    assert draw(graph, names) == scanned
    assert len(scanned.node_labels) == 15 and scanned.edge_labels
