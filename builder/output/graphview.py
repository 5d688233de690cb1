"""A graph's view: the drawing with its labels placed and its frame fitted around
everything drawn, the key of node types, and the same edges as a list."""

from __future__ import annotations

import math
from typing import Any

from ..model.graph import Edge, Graph
from .context import PageContext
from .drawing import (
    CENTER_FONT,
    EDGE_FONT,
    MARGIN,
    NODE_FONT,
    Box,
    Placed,
    draw,
    edge_text,
    radius,
    short_name,
    text_box,
)
from .items import View, entity_item


def graph(ctx: PageContext, value: Graph | None) -> View | None:
    """The drawing (labels placed, frame fitted), its key and the same edges as a list."""
    if value is None:
        return None
    entities = {n.id: entity_item(ctx, ctx.entity(n.id)) for n in value.nodes}
    names = {i: short_name(e["name"]) for i, e in entities.items()}
    placed = draw(value, names)
    centers = {n.id for n in value.nodes if n.center}
    nodes = [
        {
            **entities[n.id],
            "label": names[n.id],
            "x": placed.points[n.id][0],
            "y": placed.points[n.id][1],
            "r": radius(n.center),
            "center": n.center,
            "label_x": placed.node_labels[n.id][0],
            "label_y": placed.node_labels[n.id][1],
            "anchor": placed.node_labels[n.id][2],
        }
        for n in value.nodes
    ]
    edges = [
        _edge_view(e, placed, radius(e.target in centers), placed.edge_labels.get(i), i)
        for i, e in enumerate(value.edges)
    ]
    frame = _frame(nodes, edges)
    shift_x, shift_y = MARGIN - frame.left, MARGIN - frame.top
    for node in nodes:
        for key in ("x", "label_x"):
            node[key] = round(node[key] + shift_x, 1)
        for key in ("y", "label_y"):
            node[key] = round(node[key] + shift_y, 1)
    for edge in edges:
        edge["d"] = _path(edge.pop("points"), shift_x, shift_y)
        if edge["label_at"]:
            x, y = edge.pop("label_at")
            edge["label_x"], edge["label_y"] = round(x + shift_x, 1), round(y + shift_y, 1)
    types = sorted({e["type"] for e in entities.values()})
    return {
        "width": math.ceil(frame.right - frame.left + 2 * MARGIN),
        "height": math.ceil(frame.bottom - frame.top + 2 * MARGIN),
        "nodes": nodes,
        "edges": edges,
        "types": types,
        "directed": any(e.relation for e in value.edges),
        "co_mentions": any(not e.relation for e in value.edges),
        "listed": [_edge_text(e, entities) for e in value.edges],
    }


def _edge_view(
    edge: Edge,
    placed: Placed,
    target_radius: float,
    label_at: tuple[float, float] | None,
    index: int,
) -> View:
    start, end = placed.points[edge.source], placed.points[edge.target]
    control = placed.controls[index]
    towards = control or start
    gap = target_radius + (4 if edge.relation else 0)  # room for the arrowhead
    length = math.hypot(end[0] - towards[0], end[1] - towards[1]) or 1.0
    end = (
        end[0] - (end[0] - towards[0]) / length * gap,
        end[1] - (end[1] - towards[1]) / length * gap,
    )
    return {
        "points": (start, control, end),
        "relation": edge.relation,
        "label": edge_text(edge.label) if label_at else None,
        "title": edge.label,
        "label_at": label_at,
    }


def _frame(nodes: list[View], edges: list[View]) -> Box:
    """The box around every node, label and edge."""
    boxes = []
    for n in nodes:
        x, y, r = n["x"], n["y"], n["r"]
        boxes.append(Box(x - r - 2, y - r - 2, x + r + 2, y + r + 2))
        size = CENTER_FONT if n["center"] else NODE_FONT
        boxes.append(text_box(n["label"], size, n["label_x"], n["label_y"], n["anchor"]))
    for e in edges:
        boxes += [Box(p[0], p[1], p[0], p[1]) for p in e["points"] if p is not None]
        if e["label_at"]:
            x, y = e["label_at"]
            boxes.append(text_box(e["label"], EDGE_FONT, x, y, "middle"))
    return Box(
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )


def _path(points: tuple[Any, ...], dx: float, dy: float) -> str:
    (x1, y1), control, (x2, y2) = points

    def at(x: float, y: float) -> str:
        return f"{round(x + dx, 1):g} {round(y + dy, 1):g}"

    if control is None:
        return f"M{at(x1, y1)} L{at(x2, y2)}"
    return f"M{at(x1, y1)} Q{at(*control)} {at(x2, y2)}"


def _edge_text(edge: Edge, entities: dict[str, View]) -> View:
    return {
        "source": entities[edge.source],
        "target": entities[edge.target],
        "type": edge.label if edge.relation else None,
        "shared": edge.shared,
    }
