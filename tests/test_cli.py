"""The installed `build` command, run as a user runs it."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL_SITE, write_files

BUILD = shutil.which("build", path=str(Path(sys.executable).parent)) or "build"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BUILD, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_console_script_builds(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/index.html").is_file()
    assert "built" in result.stdout


def test_check_writes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_bad_input_never_shows_a_traceback(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    (tmp_path / "content/entities/binary.yaml").write_bytes(b"\x00\x01\x02")
    (tmp_path / "content/entities/latin.yaml").write_bytes(b"name: Jos\xe9\ntype: person\n")
    (tmp_path / "content/topics/tags.yaml").write_text("title: !!python/object:os.system x\n")
    (tmp_path / "content/articles/nofm.md").write_text("Just text, no front matter.\n")
    result = run(tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/entities/binary.yaml:1:1: error: binary file" in result.stderr
    assert "content/entities/latin.yaml:1:10: error: not UTF-8 text (byte 0xe9)" in result.stderr
    assert "content/topics/tags.yaml:1:8: error: unsupported YAML tag" in result.stderr
    assert "content/articles/nofm.md:1:1: error: missing front matter" in result.stderr


def test_build_never_writes_under_content(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    content = tmp_path / "content"
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    assert run(tmp_path).returncode == 0
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


COLLECTOR = """
import gc, sys
import builder.cli
builder.cli.main = lambda: print("collector on" if gc.isenabled() else "collector off") or 0
from builder.__main__ import main
main()
"""


def test_a_command_runs_without_the_cycle_collector_and_serve_with_it(tmp_path: Path) -> None:
    """`build` turns Python's cycle collector off for the whole command, whose process
    ends right after (collecting cost a rebuild after an edit a tenth of its time);
    `build serve`, which runs for hours, turns it back on."""
    result = subprocess.run(
        [sys.executable, "-c", COLLECTOR], capture_output=True, text=True, timeout=60
    )
    assert result.stdout == "collector off\n"
    from builder.arguments import parse
    from builder.cli import serve_main

    _, args = parse(["serve", "--content", str(tmp_path / "missing")])
    gc.disable()
    try:
        assert serve_main(args) != 0  # no content folder: it stops there
        assert gc.isenabled()
    finally:
        gc.enable()
