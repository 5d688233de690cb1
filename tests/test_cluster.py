"""`--executor` on Dask: the demo and a 2,000-article site built on a cluster equal the
local build byte for byte, a worker killed mid-build costs nothing but time, and every
way of asking wrongly (a mistyped executor, Dask missing, a scheduler nobody runs) is
answered with a clear message. One LocalCluster serves the whole module."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dask
import distributed
import pytest

from tests.conftest import ROOT, Run
from tests.test_arguments import usage_error

ARTICLES = 2000


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    config = {"distributed.worker.multiprocessing-method": "spawn"}
    with (
        dask.config.set(config),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 short articles (a paragraph each: the test is about the executor, not
    about long prose), 60 entities, 4 topics with verified fact boxes; built locally
    into local/."""
    root = tmp_path_factory.mktemp("archive")
    synthetic = str(ROOT / "benchmarks/synthetic.py")
    sizes = ["--articles", str(ARTICLES), "--entities", "60", "--topics", "4"]
    subprocess.run([sys.executable, synthetic, str(root), *sizes, "--paragraphs", "1"], check=True)
    build = [sys.executable, "-m", "builder", "--no-search", "--no-cache", "--out", "local"]
    subprocess.run(build, cwd=root, check=True, capture_output=True)
    return root


def on_cluster(root: Path, cluster: distributed.LocalCluster, out: str) -> list[str]:
    """Arguments of a build of `root` on the module's cluster (absolute paths, as a
    remote cluster needs)."""
    address = cluster.scheduler_address.replace("tcp://", "dask://")
    content, target = str(root / "content"), str(root / out)
    return [
        "--no-search",
        "--no-cache",
        "--content",
        content,
        "--out",
        target,
        "--executor",
        address,
    ]


def test_the_demo_built_with_dask_local_is_the_local_build(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    local = run_build(tmp_path, "--no-search", "--no-cache", "--out", "local")
    assert local.code == 0, local.err
    on_dask = run_build(
        tmp_path, "--no-search", "--no-cache", "--out", "dask", "--executor", "dask-local:2",
        "--profile",
    )  # fmt: skip
    assert on_dask.code == 0, on_dask.err
    assert "executor: 2 workers" in on_dask.out
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_a_2000_article_site_built_on_the_cluster_is_the_local_build(
    archive: Path, cluster: distributed.LocalCluster, run_build: Callable[..., Run]
) -> None:
    result = run_build(archive, *on_cluster(archive, cluster, "dask"), "--profile")
    assert result.code == 0, result.err
    local = tree(archive / "local")
    assert len([u for u in local if u.startswith("articles/")]) >= ARTICLES
    assert tree(archive / "dask") == local


def test_a_worker_killed_mid_build_is_replaced_and_the_output_is_unchanged(
    archive: Path, cluster: distributed.LocalCluster, run_build: Callable[..., Run]
) -> None:
    with distributed.Client(cluster, set_as_default=False) as watcher:
        before = watcher.run(os.getpid)
        killer = Killer(watcher)
        killer.start()
        try:
            result = run_build(archive, *on_cluster(archive, cluster, "killed"))
        finally:
            killer.done.set()
            killer.join()
        assert killer.killed is not None, "no task ran while the test watched"
        assert result.code == 0, result.err
        assert tree(archive / "killed") == tree(archive / "local")
        watcher.wait_for_workers(2, timeout=60)
        after = watcher.run(os.getpid)
    assert killer.killed in before.values() and killer.killed not in after.values()


class Killer(threading.Thread):
    """Kills (SIGKILL) the first worker seen working on a task, while the build runs."""

    def __init__(self, client: distributed.Client) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.done = threading.Event()
        self.killed: int | None = None

    def run(self) -> None:
        while not self.done.is_set():
            busy = [w for w, tasks in self.client.processing().items() if tasks]
            if busy:
                pid = self.client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                self.killed = pid
                return
            time.sleep(0.01)


def test_an_unreachable_scheduler_fails_fast_naming_it_and_keeps_the_site(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    before = tree(site_dir / "site")
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ["--content", str(site_dir / "content"), "--out", str(site_dir / "site")]
    result = run_build(site_dir, "--no-cache", *args, "--executor", f"dask://127.0.0.1:{port}")
    assert result.code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.err
    assert "Traceback" not in result.err
    assert tree(site_dir / "site") == before


def test_a_remote_cluster_needs_absolute_paths(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(site_dir, "--executor", "dask://127.0.0.1:8786")
    assert result.code == 2
    assert "give --content and --out as absolute paths" in result.err
    assert not (site_dir / "site").exists()


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("dask-locl:2", "'dask-locl:2' is not an executor: use local, dask-local, dask-local:N "
         "or dask://HOST:PORT (did you mean 'dask-local'?)"),
        ("dask://scheduler", "'dask://scheduler' is not an executor"),
        ("dask-local:0", "'dask-local:0' is not an executor"),
    ],
)  # fmt: skip
def test_a_mistyped_executor_is_a_usage_error_with_a_suggestion(
    capsys: pytest.CaptureFixture[str], given: str, said: str
) -> None:
    assert f"argument --executor: {said}" in usage_error(capsys, "--executor", given)


def test_without_dask_the_option_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name)
    )
    err = usage_error(capsys, "--executor", "dask-local:2")
    assert "'dask-local:2' needs Dask, which is not installed: pip install 'dossier[dask]'" in err


def test_the_help_lists_the_executors(run_build: Callable[..., Run], tmp_path: Path) -> None:
    result = run_build(tmp_path, "help")
    assert "--executor WHERE" in result.out
    assert "dask-local[:N]" in result.out and "dask://HOST:PORT" in result.out


def test_sigterm_during_a_dask_local_build_stops_it_and_its_workers_cleanly(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """The build's SIGTERM handler is not inherited by the workers (spawned, not
    forked), and a signal while the cluster starts waits for it to be up, then stops
    it: no traceback, no worker left, the previous site intact."""
    assert run_build(site_dir, "--no-search").code == 0
    before = tree(site_dir / "site")
    command = [sys.executable, "-m", "builder", "--no-search", "--no-cache"]
    build = subprocess.Popen(
        [*command, "--executor", "dask-local:2"], cwd=site_dir, stderr=subprocess.PIPE, text=True
    )
    workers = children_of(build.pid)
    while len(workers) < 2 and build.poll() is None:
        time.sleep(0.05)
        workers = children_of(build.pid)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=120)
    assert len(workers) >= 2, "the cluster never started"
    assert build.returncode == 130, err
    assert "build: interrupted; the previous site is unchanged" in err
    assert "Traceback" not in err
    assert tree(site_dir / "site") == before
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
