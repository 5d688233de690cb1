"""The golden test: a small site built and compared with the committed tree in
tests/golden/expected/. After an intended change of output, regenerate it with

    DOSSIER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff (`git diff tests/golden/expected`) before committing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

GOLDEN = Path(__file__).parent / "golden"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_golden_site(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    shutil.copytree(GOLDEN / "src", tmp_path, dirs_exist_ok=True)
    result = run_build(tmp_path, "--no-search")  # Pagefind's bundle is not ours to pin
    assert result.code == 0, result.err
    built = tree(tmp_path / "site")
    expected_dir = GOLDEN / "expected"
    expected = tree(expected_dir)
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        # never compare the output with itself: write it, and fail until it is reviewed
        if built == expected:
            return
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(tmp_path / "site", expected_dir)
        changed = sorted(
            set(built) ^ set(expected) | {n for n in built if built[n] != expected.get(n)}
        )
        pytest.fail(
            f"the golden tree was regenerated ({len(changed)} files changed, e.g. "
            f"{', '.join(changed[:5])}): review `git diff tests/golden/expected`, then run "
            "the test again without DOSSIER_UPDATE_GOLDEN"
        )
    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name].decode() == data.decode(), f"{name} differs from the golden tree"
