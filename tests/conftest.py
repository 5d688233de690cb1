"""Shared helpers: scratch sites written from dicts of strings, and running `build`."""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from builder.cli import main
from tests.browsing import CHROMIUM, CHROMIUM_ARGS
from tests.webserver import ServedSite, served_demo

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_SITE: dict[str, str] = {
    "content/site.yaml": """\
        title: Test Desk
        base_url: https://newsroom.github.io/desk/
        """,
    "content/articles/first-story.md": """\
        ---
        title: First story
        date: 2024-10-23
        topics: [big-story]
        ---
        Alice Example met the Board of Things on Monday.

        The board said it had 12 members, Alice Example told reporters.
        """,
    "content/entities/alice-example.yaml": """\
        name: Alice Example
        type: person
        aliases: [Alice]
        summary: A person in the story.
        """,
    "content/entities/board-of-things.yaml": """\
        name: Board of Things
        type: organization
        summary: A board.
        """,
    "content/topics/big-story.yaml": """\
        title: The big story
        summary: What happened.
        entities: [alice-example]
        facts:
          - label: Board members
            value: "12"
            claimed_by: board-of-things
            as_of: 2024-10-23
            source: first-story
            quote: The board said it had 12 members
        """,
}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[str]:
        return [
            line for line in self.err.splitlines() if ": error: " in line or ": warning: " in line
        ]


@pytest.fixture(scope="session", autouse=True)
def interrupts_reach_builds() -> None:
    """A suite started in the background (`... &`, nohup) inherits SIGINT ignored, and
    so would every build it starts, which the Ctrl-C tests must be able to interrupt.
    With a handler here, each child process starts with the default again."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A scratch site folder holding MINIMAL_SITE."""
    return write_files(tmp_path, MINIMAL_SITE)


@pytest.fixture
def run_build(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Run]:
    """Run `build ARGS` in-process with `cwd` as working directory."""

    def run(cwd: Path, *args: str) -> Run:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The demo site, built for and served at http://127.0.0.1:PORT/dossier/."""
    with served_demo(tmp_path_factory.mktemp("pages")) as site:
        yield site


def node_tool(*parts: str) -> Path:
    """A file of an npm package that scripts/test installs; missing means a broken setup."""
    path = ROOT.joinpath("node_modules", *parts)
    assert path.exists(), f"{path} is missing: run `bash scripts/test`, which installs it"
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: run `bash scripts/test`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
