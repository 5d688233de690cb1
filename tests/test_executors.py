"""The executor seam: any `concurrent.futures.Executor` runs the parallel stages, results
keep the order of the items, the shared value travels once per stage, and the site
built through an executor is the site built locally, byte for byte. (Dask itself:
test_cluster.py.)"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from builder.executors import Parallel, Shipped
from builder.options import BuildOptions
from builder.output.outputs import Outputs
from builder.pipeline import build, build_on
from tests.conftest import ROOT


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class Counted:
    """A shared value that counts how often it is pickled."""

    pickled = 0

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def __getstate__(self) -> dict[str, int]:
        Counted.pickled += 1
        return {"offset": self.offset}


def shifted(shared: Counted, item: int) -> int:
    return item + shared.offset


def test_results_keep_the_order_of_the_items_and_come_in_batches() -> None:
    with ThreadPoolExecutor(3) as pool:
        parallel = Parallel(executor=pool, share=Shipped, workers=3)
        assert list(parallel.map(shifted, Counted(1000), range(95), batch=10)) == [
            n + 1000 for n in range(95)
        ]
    assert parallel.stats.tasks == 10 and parallel.stats.items == 95


def test_the_shared_value_is_sent_once_per_stage_not_once_per_task() -> None:
    Counted.pickled = 0
    with ThreadPoolExecutor(2) as pool:
        parallel = Parallel(executor=pool, share=Shipped, workers=2)
        list(parallel.map(shifted, Counted(1), range(200), batch=8))
        list(parallel.map(shifted, Counted(2), range(200), batch=8))
    assert parallel.stats.tasks == 50
    assert Counted.pickled == 2


def test_an_exception_in_a_task_reaches_the_caller() -> None:
    def failing(shared: None, item: int) -> int:
        raise ValueError(f"bad item {item}")

    with ThreadPoolExecutor(2) as pool:
        parallel = Parallel(executor=pool, workers=2)
        try:
            list(parallel.map(failing, None, [1, 2, 3], batch=2))
        except ValueError as exc:
            assert str(exc) == "bad item 1"
        else:
            raise AssertionError("the exception was lost")


def test_the_demo_built_through_an_executor_is_the_local_build_byte_for_byte(
    tmp_path: Path,
) -> None:
    """Everything a worker receives (the dialect, the site, the outputs and their theme)
    goes through pickling, as it would to a cluster."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    content = tmp_path / "content"
    local = BuildOptions(content, tmp_path / "local", search=False, cache=False)
    assert not build(local).failed(strict=False)
    shipped = BuildOptions(content, tmp_path / "shipped", search=False, cache=False)
    with ThreadPoolExecutor(2) as pool:
        parallel = Parallel(executor=pool, share=Shipped, workers=2)
        result = build_on(parallel, shipped)
    assert not result.failed(strict=False)
    assert parallel.stats.tasks > 2  # compiling and rendering both went through it
    assert tree(tmp_path / "shipped") == tree(tmp_path / "local")
    assert "executor: 2 workers" in parallel.summary()


class ElsewhereShipped(Shipped):
    """Shipped to a worker on another machine, where --out is not shared: it cannot see
    the build's staging folder."""

    def get(self) -> object:
        value = super().get()
        if isinstance(value, Outputs):
            value.sees_staging = False
        return value


def test_pages_rendered_where_the_output_folder_is_not_shared_come_back_as_bytes(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    content = tmp_path / "content"
    assert not build(BuildOptions(content, tmp_path / "local", search=False, cache=False)).failed(
        strict=False
    )
    options = BuildOptions(content, tmp_path / "elsewhere", search=False, cache=False)
    with ThreadPoolExecutor(2) as pool:
        parallel = Parallel(executor=pool, share=ElsewhereShipped, workers=2)
        result = build_on(parallel, options)
    assert not result.failed(strict=False)
    assert tree(tmp_path / "elsewhere") == tree(tmp_path / "local")
