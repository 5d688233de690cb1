"""The no-change check (builder/incremental/cache.py): it stats the inputs in this
process and the outputs in a forked one, and must answer "changed" whenever either
half is not as the last build left it, whatever happens to the other process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.arguments import parse
from builder.cli import options_from
from builder.incremental.cache import CACHE_FILE, LastBuild, answered_apart, checked
from builder.incremental.store import Store
from builder.source.scan import Inputs
from tests.conftest import Run


def check(site_dir: Path, *args: str) -> tuple[LastBuild | None, Inputs | None]:
    """What `build ARGS` in `site_dir` would hear from the no-change check."""
    command, parsed = parse(["--no-search", *args])
    old = Path.cwd()
    os.chdir(site_dir)
    try:
        options = options_from(parsed, write=command == "build")
        out_dir = options.out_dir.absolute() if options.write else None
        with checked(options.content_dir, options.fingerprint, options.write, out_dir) as found:
            return found.last, found.inputs
    finally:
        os.chdir(old)


def test_a_question_asked_apart_is_answered() -> None:
    with answered_apart(lambda: True) as yes, answered_apart(lambda: False) as no:
        assert yes() is True
        assert no() is False
        assert yes() is True  # asked again: the same answer, without waiting again


def test_an_answer_can_be_asked_for_without_waiting(tmp_path: Path) -> None:
    go = tmp_path / "go"

    def after_go() -> bool:
        while not go.exists():
            time.sleep(0.01)
        return True

    with answered_apart(after_go) as answer:
        assert answer.now() is None  # still asking
        go.touch()
        deadline = time.monotonic() + 30
        while answer.now() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert answer.now() is True and answer() is True


def test_a_question_that_fails_answers_no_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def fails() -> bool:
        raise RuntimeError("a damaged row")

    with answered_apart(fails) as answer:
        assert answer() is False
    assert capfd.readouterr() == ("", "")


def test_an_answer_not_waited_for_is_stopped(tmp_path: Path) -> None:
    """A build that found a changed input goes on at once: the other process is
    killed, and reaped, not left running or as a zombie."""
    pid_file = tmp_path / "pid"

    def slow() -> bool:
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)
        return True

    started = time.monotonic()
    with answered_apart(slow):
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.01)
    pid = int(pid_file.read_text())
    assert time.monotonic() - started < 30
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass  # gone, and reaped
    else:
        raise AssertionError(f"process {pid} is still there")


def test_an_output_edited_or_removed_by_hand_is_a_change(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    last, inputs = check(site_dir)
    assert last is not None and inputs is not None
    page = next((site_dir / "site").rglob("*.html"))
    page.write_text(page.read_text() + "<!-- edited -->")
    last, inputs = check(site_dir)
    assert last is None and inputs is not None  # the inputs it found go on to the build
    assert run_build(site_dir, "--no-search").code == 0
    assert check(site_dir)[0] is not None
    page.unlink()
    assert check(site_dir)[0] is None
    assert check(site_dir, "check")[0] is None  # never built with `check`: no last check
    assert run_build(site_dir, "--no-search", "check").code == 0
    assert check(site_dir, "check")[0] is not None  # a check writes nothing: outputs aside


def test_an_edited_input_is_a_change_whatever_the_outputs(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(site_dir, "--no-search").code == 0
    article = next((site_dir / "content/articles").glob("*.md"))
    article.write_text(article.read_text() + "\nOne more line.\n")
    last, inputs = check(site_dir)
    assert last is None
    assert inputs is not None and str(article.relative_to(site_dir)) in inputs.stats


def test_other_options_are_a_change_and_the_scan_goes_on_to_the_build(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """The options are compared in the other process, while this one scans: when they
    differ, the inputs found are still handed on (the build would scan them again)."""
    assert run_build(site_dir, "--no-search").code == 0
    assert check(site_dir)[0] is not None
    last, inputs = check(site_dir, "--drafts")
    assert last is None and inputs is not None and inputs.sources
    last, inputs = check(site_dir, "--base-url", "https://example.com/other/")
    assert last is None and inputs is not None


def test_the_outputs_found_as_left_are_not_taken_so_after_another_build(
    site_dir: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, the build asks the check whether every output was as the last
    build left it (then it does not stat them again): yes, unless another build ran
    since the check looked. (An output edited by hand: `test_incremental.py`.)"""
    assert run_build(site_dir, "--no-search").code == 0
    article = next((site_dir / "content/articles").glob("*.md"))
    article.write_text(article.read_text() + "\nOne more line.\n")
    monkeypatch.chdir(site_dir)
    options = options_from(parse(["--no-search"])[1], write=True)
    store = Store(site_dir / ".dossier-cache" / CACHE_FILE, readonly=True)
    out_dir = options.out_dir.absolute()
    with checked(options.content_dir, options.fingerprint, True, out_dir) as found:
        assert found.last is None
        deadline = time.monotonic() + 30  # the check's other process answers when done
        while not found.outputs_as_left(store) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert found.outputs_as_left(store) is True
        assert run_build(site_dir, "--no-search").code == 0  # another build
        assert found.outputs_as_left(store) is False
    store.close()
