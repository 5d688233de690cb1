from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from builder.model.graph import force_layout
from tests.conftest import Run, write_files


def test_force_layout_is_deterministic_and_inside_the_frame() -> None:
    nodes = [f"n{i}" for i in range(200)]
    edges = {(f"n{i}", f"n{(i * 7) % 200}"): 1.0 for i in range(200) if i != (i * 7) % 200}
    first = force_layout(nodes, edges, 1400, iterations=5)
    assert first == force_layout(nodes, edges, 1400, iterations=5)
    assert all(70 <= x <= 1330 and 30 <= y <= 1370 for x, y in first.values())
    assert len(set(first.values())) == 200  # no two nodes on one spot


def test_profiles_and_graph_page_draw_svg(site_dir: Path, run_build: Callable[..., Run]) -> None:
    write_files(
        site_dir,
        {
            "content/entities/alice-example.yaml": """\
        name: Alice Example
        type: person
        relations:
          - type: member of
            target: board-of-things
        """
        },
    )
    assert run_build(site_dir).code == 0
    board = (site_dir / "site/entities/board-of-things/index.html").read_text()
    svg = board[board.index("<svg") : board.index("</svg>")]
    assert 'role="img"' in svg and "Alice Example" in svg and "member of" in svg
    page = (site_dir / "site/graph/index.html").read_text()
    hrefs = re.findall(r'<a href="([^"]+)">\s*<g class="node', page)
    assert sorted(hrefs) == [
        "../entities/alice-example/index.html",
        "../entities/board-of-things/index.html",
    ]
