"""A hung test fails alone, with a stack, instead of stalling the run (issue 15): the
pytest-timeout limit of pyproject.toml, tried on the hangs this project has had (a
child process that never ends, render workers that never answer)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

HUNG = """
import subprocess, time
from pathlib import Path
from builder.workers import parallel_map

def forever(n):
    time.sleep(3600)
    return n

def test_hung_child_process():
    subprocess.run(["sleep", "3600"])

def test_hung_workers():
    results = parallel_map(forever, list(range(4)), 2, batch=1)
    try:
        next(results)
    finally:
        pids = Path("{pids}")
        pids.write_text(" ".join(str(p) for p in sorted(children())))

def children():
    import os
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry.name))
    return found

def test_after_the_hangs():
    assert True
"""


def test_every_test_has_a_time_limit() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    limit = options["ini_options"]["timeout"]
    assert 0 < limit <= 600  # far above the slowest test, far below a stalled CI job


def test_a_hang_fails_its_test_with_a_stack_and_the_run_goes_on(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    test_file = tmp_path / "test_hung.py"
    test_file.write_text(HUNG.replace("{pids}", str(pids)))
    # the project's configuration (rootdir, plugins, options), with a short limit
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "timeout=3", "-rA"]
        + ["--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), str(test_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # a guard: the limit above has failed if this is reached
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    summary = [line for line in out.splitlines() if line.startswith(("PASSED", "FAILED"))]
    assert [re.sub(r"\S*::", "", line) for line in summary] == [
        "PASSED test_after_the_hangs",
        "FAILED test_hung_child_process - Failed: Timeout (>3.0s) from pytest-timeout.",
        "FAILED test_hung_workers - Failed: Timeout (>3.0s) from pytest-timeout.",
    ], out
    assert "_receive" in out, out  # the stack: where the parent waits for its workers
    # and the workers stopped with the test: none is left running
    workers = [int(pid) for pid in pids.read_text().split()]
    assert workers == []
