"""Whatever the input, `build` answers with diagnostics, never a traceback, and a
failed or interrupted build leaves the previous site/ as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.output import write
from tests.conftest import MINIMAL_SITE, ROOT, Run, write_files


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def siblings(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


# --- atomicity: a build that changes the site and is cut short --------------------
#
# Each test builds the site, changes the content (an edited article, a new one, a
# topic renamed: many pages change, folders appear), then cuts the next build short
# at a chosen point. Until the commit point site/ must stay byte for byte what it
# was; after any interruption the next `build` must give exactly what a cold build of
# the new content gives, with no folder left beside site/.


def change_content(root: Path) -> None:
    article = root / "content/articles/first-story.md"
    article.write_text(article.read_text().replace("Monday", "Friday"))
    (root / "content/articles/second-story.md").write_text(
        "---\ntitle: Second story\ndate: 2024-10-24\ntopics: [big-story]\n---\n"
        "The Board of Things met again, without Alice Example.\n"
    )
    topic = root / "content/topics/big-story.yaml"
    topic.write_text(topic.read_text().replace("The big story", "The bigger story"))


def cold_build(root: Path, *args: str) -> dict[str, bytes]:
    """What a build from scratch makes of the content of `root` now."""
    cold = root.parent / f"{root.name}-cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.copytree(root / "content", cold / "content")
    subprocess.run(
        [sys.executable, "-m", "builder.cli", "--no-cache", *args],
        cwd=cold,
        check=True,
        capture_output=True,
    )
    return snapshot(cold / "site")


def assert_completed_by_next_build(root: Path, *args: str) -> None:
    again = subprocess.run(
        [sys.executable, "-m", "builder.cli", *args], cwd=root, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert snapshot(root / "site") == cold_build(root, *args)
    assert siblings(root) == []


STAGES = {  # where an exception strikes: the name patched, in the module that calls it
    "compile": ("builder.incremental.sources", "compile_file"),
    "check": ("builder.pipeline", "check_quotes"),
    "render": ("builder.publish", "run"),
    "search": ("builder.publish", "update_search"),
    "write": ("builder.output.write.Staging", "write"),
    "commit": ("builder.output.write.Staging", "commit_update"),
    "swap": ("builder.output.write.Staging", "commit_full"),
}


@pytest.mark.parametrize("stage", STAGES)
def test_exception_in_a_stage_keeps_site(
    stage: str, site_dir: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    # an update commits with commit_update, a build without the cache swaps folders
    args = {"search": (), "swap": ("--no-cache",)}.get(stage, ("--no-search",))
    assert run_build(site_dir, *args).code == 0
    before = snapshot(site_dir / "site")
    change_content(site_dir)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    module, name = STAGES[stage]
    monkeypatch.setattr(f"{module}.{name}", broken)
    result = run_build(site_dir, *args)
    assert result.code == 70 and "internal error" in result.err, result.err
    assert "Traceback" not in result.err
    assert snapshot(site_dir / "site") == before
    assert siblings(site_dir) == []
    monkeypatch.undo()
    monkeypatch.chdir(site_dir)
    assert_completed_by_next_build(site_dir, *args)


INTERRUPTED = """
import os, pathlib, signal, sys
from builder.output import write

def strike():
    os.kill(os.getpid(), signal.SIG{signal})

if "{point}" == "write":  # after {count} files of the staging folder
    real_write = write.Staging.write
    written = [0]
    def write_one(staging, url, data):
        written[0] += 1
        if written[0] == {count}:
            strike()
        return real_write(staging, url, data)
    write.Staging.write = write_one
elif "{point}" == "apply":  # after {count} files moved into site/ (past the commit point)
    real_replace = os.replace
    moved = [0]
    def replace(source, target):
        real_replace(source, target)
        if ".site.commit-" in str(source):
            moved[0] += 1
            if moved[0] == {count}:
                strike()
    os.replace = replace
elif "{point}" == "swap":  # between the two renames that swap a new site/ in
    real_rename = pathlib.Path.rename
    def rename(self, target):
        if self.name.startswith(".site.tmp-"):
            strike()
        return real_rename(self, target)
    pathlib.Path.rename = rename

from builder.cli import main
sys.exit(main({args!r}))
"""


def interrupted_build(root: Path, point: str, signal: str, args: list[str], count: int = 2) -> int:
    script = INTERRUPTED.format(point=point, signal=signal, count=count, args=args)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    if signal != "KILL":
        assert "interrupted; the previous site is unchanged" in result.stderr, result.stderr
    return result.returncode


@pytest.mark.parametrize("name", ["INT", "TERM"])
@pytest.mark.parametrize("search", [False, True], ids=["no-search", "search"])
def test_signal_midway_keeps_site(site_dir: Path, name: str, search: bool) -> None:
    args = [] if search else ["--no-search"]
    subprocess.run(
        [sys.executable, "-m", "builder.cli", *args], cwd=site_dir, check=True, capture_output=True
    )
    before = snapshot(site_dir / "site")
    change_content(site_dir)
    assert interrupted_build(site_dir, "write", name, args) == 130
    assert snapshot(site_dir / "site") == before
    assert siblings(site_dir) == []
    assert_completed_by_next_build(site_dir, *args)


STARTING = """
import importlib.abc, os, signal, sys

def strike():
    os.kill(os.getpid(), signal.SIG{signal})

class Strike(importlib.abc.MetaPathFinder):  # as {point} starts to import
    def find_spec(self, name, path, target=None):
        if name == "{point}":
            strike()
        return None

if "{point}" == "dataclass":  # inside a dataclass being made, which wraps exceptions
    import dataclasses
    dataclasses.Field.__set_name__ = lambda field, owner, name: strike()
elif "{point}" == "parse":  # as the arguments are read
    import builder.cli
    real_parse = builder.cli.parse
    def parse(argv):
        strike()
        return real_parse(argv)
    builder.cli.parse = parse
sys.meta_path.insert(0, Strike())
from builder.__main__ import main
sys.argv = ["build", "--no-search"]
sys.exit(main())
"""


@pytest.mark.parametrize("name", ["INT", "TERM"])
@pytest.mark.parametrize(
    # importing the entry point; a dataclass, whose making turns KeyboardInterrupt into
    # a RuntimeError; reading the arguments
    "point",
    ["builder.cli", "dataclass", "parse"],
)
def test_a_signal_while_starting_up_ends_quietly(site_dir: Path, name: str, point: str) -> None:
    """Ctrl-C or SIGTERM before the build has begun: exit code 130, one line saying
    so, no traceback, nothing written (the stress script found four tracebacks in 200
    builds, 60 of them signalled)."""
    script = STARTING.format(point=point, signal=name)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=site_dir, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stderr) == (
        130,
        "build: interrupted; the previous site is unchanged\n",
    )
    assert sorted(p.name for p in site_dir.iterdir()) == ["content"]


@pytest.mark.parametrize("count", [1, 5])
def test_sigkill_while_writing_keeps_site(site_dir: Path, count: int) -> None:
    """Killed outright before the commit point: site/ as it was, the staging folder
    left behind until the next build, which cleans it up and completes the change."""
    args = ["--no-search"]
    subprocess.run(
        [sys.executable, "-m", "builder.cli", *args], cwd=site_dir, check=True, capture_output=True
    )
    before = snapshot(site_dir / "site")
    change_content(site_dir)
    assert interrupted_build(site_dir, "write", "KILL", args, count) == -9
    assert snapshot(site_dir / "site") == before
    assert [name.split("-")[0] for name in siblings(site_dir)] == [".site.tmp"]
    assert_completed_by_next_build(site_dir, *args)


def test_sigkill_after_the_commit_point_is_completed(site_dir: Path) -> None:
    args = ["--no-search"]
    subprocess.run(
        [sys.executable, "-m", "builder.cli", *args], cwd=site_dir, check=True, capture_output=True
    )
    change_content(site_dir)
    assert interrupted_build(site_dir, "apply", "KILL", args, count=1) == -9
    assert [name.split("-")[0] for name in siblings(site_dir)] == [".site.commit"]
    assert_completed_by_next_build(site_dir, *args)


def test_sigkill_between_the_renames_of_a_swap(site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "builder.cli"], cwd=site_dir, check=True, capture_output=True
    )
    before = snapshot(site_dir / "site")
    change_content(site_dir)
    # without the cache the build writes a whole new site/ and swaps it in
    assert interrupted_build(site_dir, "swap", "KILL", ["--no-cache"]) == -9
    assert not (site_dir / "site").exists()  # moved aside: the next build puts it back
    write.recover(site_dir / "site")
    assert snapshot(site_dir / "site") == before
    assert_completed_by_next_build(site_dir)


def test_build_killed_outright_is_recovered_next_time(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(site_dir).code == 0
    # as if SIGKILL struck between the two renames of the swap
    (site_dir / "site").rename(site_dir / ".site.old-abc")
    (site_dir / ".site.tmp-def").mkdir()
    write.recover(site_dir / "site")
    assert (site_dir / "site/index.html").is_file()
    assert siblings(site_dir) == []


def test_ten_megabyte_article(site_dir: Path, run_build: Callable[..., Run]) -> None:
    paragraph = "Alice Example told the Board of Things that the plan had 12 parts. " * 10
    body = "\n\n".join([paragraph] * (10_000_000 // len(paragraph)))
    article = site_dir / "content/articles/huge.md"
    article.write_text(f"---\ntitle: Huge\ndate: 2024-01-01\ntopics: [big-story]\n---\n{body}\n")
    result = run_build(site_dir)
    assert result.code == 0, result.err
    html = (site_dir / "site/articles/huge/index.html").read_text()
    assert html.count('class="mention"') == 2  # first mention of each entity only


def test_symlink_loops_in_content(site_dir: Path, run_build: Callable[..., Run]) -> None:
    content = site_dir / "content"
    (content / "media").mkdir()
    (content / "media/loop").symlink_to(content / "media", target_is_directory=True)
    (content / "articles/loop").symlink_to(content / "articles", target_is_directory=True)
    (content / "entities/self.yaml").symlink_to(content / "entities/self.yaml")
    result = run_build(site_dir)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "content/entities/self.yaml:1:1: error: cannot read file" in result.err
    assert "content/articles/loop:1:1: warning: ignored" in result.err


def test_deeply_nested_yaml_file(site_dir: Path, run_build: Callable[..., Run]) -> None:
    deep = "name: X\ntype: person\nsummary: " + "[" * 50_000 + "]" * 50_000 + "\n"
    (site_dir / "content/entities/deep.yaml").write_text(deep)
    result = run_build(site_dir)
    assert result.code == 1
    assert result.diagnostics and all("content/entities/deep.yaml" in d for d in result.diagnostics)


def demo_copy(folder: Path) -> Path:
    """The demo's content in a folder of its own: a check takes the build lock beside
    `content/`, and other tests run at the same time."""
    shutil.copytree(ROOT / "content", folder / "content")
    return folder


def test_demo_builds_strict_without_warnings(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    """Given its address, as the Pages workflow gives it, the demo has nothing to fix."""
    root = demo_copy(tmp_path)
    result = run_build(root, "check", "--strict", "--base-url", "https://newsroom.github.io/x/")
    assert result.code == 0
    assert result.err == ""


def test_the_demo_placeholder_address_fails_strict(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(demo_copy(tmp_path), "check", "--strict")
    assert result.code == 1
    assert result.diagnostics == [
        "content/site.yaml:3:11: error: 'base_url' is a placeholder (example.github.io): set "
        "the address the site is published at, or build with --base-url URL (the Pages "
        "workflow passes it)"
    ]


# --- property-based: random input never crashes the build -------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2024-10-23",
            "2024-13-01",
            "alice-example",
            "big-story",
            "first-story",
            "[[alice-example]]",
            "[[nope]]",
            "person",
            "...",
        ]
    ),
)
KEYS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "title",
            "date",
            "name",
            "type",
            "aliases",
            "facts",
            "label",
            "value",
            "quote",
            "source",
            "claimed_by",
            "entities",
            "topics",
            "timeline",
            "relations",
            "target",
            "image",
            "src",
            "alt",
            "summary",
            "draft",
            "links",
            "url",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=20,
)
DOCUMENTS = st.one_of(
    st.dictionaries(KEYS, VALUES, max_size=8).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(max_size=200),
)
MARKDOWN = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "Alice Example",
                "[[alice-example]]",
                "[[x|y]]",
                "# Head",
                "`code`",
                "> quote",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "[l](javascript:x)",
                "<b>x</b>",
                "[^1]",
                "[^1]: note",
                "\n\n",
                "*",
                "Board of Things",
                "![i](../../etc/passwd)",
            ]
        ),
        max_size=12,
    ).map(" ".join),
)


@pytest.fixture(scope="module")
def built_minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal site with its site/ and cache, built once: every example starts
    from a copy, so each pays for one build (the one with the random input), not two."""
    root = write_files(tmp_path_factory.mktemp("fuzz"), MINIMAL_SITE)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main([]) == 0
    finally:
        os.chdir(cwd)
    return root


@settings(
    max_examples=int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(front=DOCUMENTS, body=MARKDOWN, entity=DOCUMENTS, topic=DOCUMENTS)
def test_random_input_never_crashes(
    built_minimal_site: Path, front: str, body: str, entity: str, topic: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site-root"
        shutil.copytree(built_minimal_site, root)
        before = snapshot(root / "site")
        cwd = os.getcwd()
        os.chdir(root)
        try:
            files = {
                "content/articles/random.md": f"---\n{front}\n---\n{body}\n",
                "content/entities/random.yaml": entity,
                "content/topics/random.yaml": topic,
            }
            for name, text in files.items():
                (root / name).write_text(text, encoding="utf-8")
            code = main([])
        finally:
            os.chdir(cwd)
        assert code in (0, 1)
        if code == 1:
            assert snapshot(root / "site") == before
        assert siblings(root) == []


def test_dedent_helper_keeps_yaml_valid() -> None:
    assert yaml.safe_load(textwrap.dedent(MINIMAL_SITE["content/site.yaml"]))["title"]
