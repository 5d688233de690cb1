"""Relation graphs laid out at build time, so pages show them without JavaScript.

An entity's neighbourhood is a star: the entity in the middle, its relations and
co-mentions around it. The site-wide graph uses a deterministic force-directed
layout (Fruchterman-Reingold from a fixed circle, no randomness), capped at the
most-mentioned entities so that it stays readable.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .site import Site

MAX_NEIGHBOURS = 14
MAX_SITE_NODES = 200
CO_MENTIONS_PER_NODE = 3


@dataclass(frozen=True)
class Node:
    id: str
    x: float
    y: float
    center: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    relation: bool  # a declared relation, or else a co-mention
    shared: int = 0  # of a co-mention: how many articles mention both


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def _relation_edges(site: Site, entity_id: str) -> list[Edge]:
    entity = site.entities[entity_id]
    edges = [
        Edge(entity_id, r.target.id, r.type, True)
        for r in entity.relations
        if r.target.id in site.entities
    ]
    edges += [
        Edge(r.subject, entity_id, r.type, True) for r in site.relations_in.get(entity_id, [])
    ]
    return edges


def neighbourhood(site: Site, entity_id: str) -> Graph | None:
    """The entity, its relations, then its co-mentions, at most MAX_NEIGHBOURS around it."""
    edges = _relation_edges(site, entity_id)
    linked = {e.target if e.source == entity_id else e.source for e in edges}
    for other, count in site.co_mentions(entity_id)[:MAX_NEIGHBOURS]:
        if other not in linked and count > 1:  # one shared article says nothing
            edges.append(Edge(entity_id, other, f"{count} articles", False, count))
            linked.add(other)
    others = list(dict.fromkeys(e.target if e.source == entity_id else e.source for e in edges))[
        :MAX_NEIGHBOURS
    ]
    if not others:
        return None
    size, radius = 440, 160
    nodes = [Node(entity_id, size / 2, size / 2, center=True)]
    for index, other in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * index / len(others)
        nodes.append(
            Node(
                other,
                round(size / 2 + radius * math.cos(angle), 1),
                round(size / 2 + radius * math.sin(angle), 1),
            )
        )
    kept = set(others)
    return Graph(
        size,
        size,
        tuple(nodes),
        tuple(e for e in edges if {e.source, e.target} - {entity_id} <= kept),
    )


Layout = Callable[[list[str], dict[tuple[str, str], float], int], dict[str, tuple[float, float]]]


def site_graph(site: Site, layout: Layout | None = None) -> Graph | None:
    """Relations plus each entity's strongest co-mentions, among the most-mentioned.
    `layout`: `force_layout`, or a memoised one (the force layout is the slow part)."""
    mentions = {e: len(site.mentioned_in.get(e, [])) for e in site.entities}
    chosen = sorted(site.entities, key=lambda e: (-mentions[e], e))[:MAX_SITE_NODES]
    keep = set(chosen)
    edges: dict[tuple[str, str], Edge] = {}
    for entity_id in chosen:
        for edge in _relation_edges(site, entity_id):
            if edge.source in keep and edge.target in keep:
                edges[edge.source, edge.target] = edge
    strongest = _co_mentions_among(site, keep)
    for entity_id in chosen:
        for count, other in strongest.get(entity_id, [])[:CO_MENTIONS_PER_NODE]:
            pair = tuple(sorted((entity_id, other)))
            if count > 1 and pair not in edges and pair[::-1] not in edges:
                edges[pair[0], pair[1]] = Edge(pair[0], pair[1], "", False, count)
    if not edges:
        return None
    chosen = [e for e in chosen if any(e in pair for pair in edges)]  # no lone dots
    size = 480 if len(chosen) <= 30 else 960 if len(chosen) <= 100 else 1400
    weights = {pair: 1.0 if edge.relation else 0.3 for pair, edge in edges.items()}
    positions = (layout or force_layout)(chosen, weights, size)
    nodes = tuple(Node(n, *positions[n]) for n in chosen)
    return Graph(size, size, nodes, tuple(edges.values()))


def _co_mentions_among(site: Site, keep: set[str]) -> dict[str, list[tuple[int, str]]]:
    """For each of `keep`, the others of `keep` mentioned in the same articles, most
    shared first, then by name: one pass over the articles, pairs counted in C."""
    pairs: Counter[tuple[str, str]] = Counter()
    for present in site.present.values():  # each sorted
        members = [e for e in present if e in keep]
        if len(members) > 1:
            pairs.update(itertools.combinations(members, 2))
    shared: dict[str, list[tuple[int, str]]] = {}
    for (a, b), count in pairs.items():
        shared.setdefault(a, []).append((count, b))
        shared.setdefault(b, []).append((count, a))
    name = {e: site.entities[e].name.casefold() for e in keep}
    return {
        entity: sorted(found, key=lambda c: (-c[0], name[c[1]], c[1]))
        for entity, found in shared.items()
    }


def force_layout(
    nodes: list[str], edges: dict[tuple[str, str], float], size: int, iterations: int = 80
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold with weighted edges, started from a circle (the same input
    gives the same picture), then stretched to fill the frame."""
    count = len(nodes)
    k = math.sqrt(size * size / max(count, 1)) * 0.75
    radii = [size / 3 * (0.7 + 0.03 * (i * 37 % 11)) for i in range(count)]  # no symmetry
    pos = [
        [
            size / 2 + radii[i] * math.cos(2 * math.pi * i / count),
            size / 2 + radii[i] * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]
    index = {n: i for i, n in enumerate(nodes)}
    links = [(index[a], index[b], weight) for (a, b), weight in edges.items()]
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    temperature = size / 10
    kk = k * k
    # the same arithmetic in the same order as a plain reading would do it, so the same
    # picture to the last bit; in flat lists and locals: 1.4 times as fast in CPython
    for _ in range(iterations):
        sx, sy = [0.0] * count, [0.0] * count
        for i in range(count):
            xi, yi, ax, ay = xs[i], ys[i], sx[i], sy[i]
            for j in range(i + 1, count):
                dx, dy = xi - xs[j], yi - ys[j]
                force = kk / (dx * dx + dy * dy or 0.01)
                fx, fy = dx * force, dy * force
                ax += fx
                ay += fy
                sx[j] -= fx
                sy[j] -= fy
            sx[i], sy[i] = ax, ay
        for a, b, weight in links:
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            force = weight * (math.sqrt(dx * dx + dy * dy) or 0.1) / k
            fx, fy = dx * force, dy * force
            sx[a] -= fx
            sy[a] -= fy
            sx[b] += fx
            sy[b] += fy
        for i in range(count):
            length = math.hypot(sx[i], sy[i]) or 1.0
            step = min(length, temperature)
            xs[i] += sx[i] / length * step
            ys[i] += sy[i] / length * step
        temperature *= 0.95
    pos = [[x, y] for x, y in zip(xs, ys, strict=True)]
    return _fit(nodes, pos, size)


def _fit(nodes: list[str], pos: list[list[float]], size: int) -> dict[str, tuple[float, float]]:
    """Stretch the layout into the frame, leaving room for labels."""
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    margin_x, margin_y = 70, 30
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(value: float, low: float, span: float, margin: int) -> float:
        return round(margin + (value - low) / span * (size - 2 * margin), 1)

    return {
        n: (
            place(pos[i][0], min(xs), span_x, margin_x),
            place(pos[i][1], min(ys), span_y, margin_y),
        )
        for i, n in enumerate(nodes)
    }
