"""Whatever the input, `build` answers with diagnostics, never a traceback, and a
failed or interrupted build leaves the previous site/ as it was."""

from __future__ import annotations

import os
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


def test_exception_in_write_stage_keeps_site(
    site_dir: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_build(site_dir).code == 0
    before = snapshot(site_dir / "site")
    real_write = write.Staging.write
    calls = []

    def failing_write(staging: write.Staging, url: str, data: bytes) -> os.stat_result:
        calls.append(url)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return real_write(staging, url, data)

    monkeypatch.setattr(write.Staging, "write", failing_write)
    (site_dir / "content/articles/first-story.md").write_text(
        (site_dir / "content/articles/first-story.md").read_text().replace("Monday", "Friday")
    )
    result = run_build(site_dir)
    assert result.code == 70 and "internal error" in result.err
    assert "Traceback" not in result.err
    assert snapshot(site_dir / "site") == before
    assert siblings(site_dir) == []


SIGNAL_MIDWAY = """
import os, signal, sys
from builder.output import write
real = write.Staging.write
count = [0]
def write_one(staging, url, data):
    count[0] += 1
    if count[0] == 2:
        os.kill(os.getpid(), signal.SIG{name})
    return real(staging, url, data)
write.Staging.write = write_one
from builder.cli import main
sys.exit(main([]))
"""


@pytest.mark.parametrize("name", ["INT", "TERM"])
def test_signal_midway_keeps_site(site_dir: Path, name: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "builder.cli"], cwd=site_dir, check=True, capture_output=True
    )
    before = snapshot(site_dir / "site")
    (site_dir / "content/articles/first-story.md").write_text(
        (site_dir / "content/articles/first-story.md").read_text().replace("Monday", "Friday")
    )
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_MIDWAY.format(name=name)],
        cwd=site_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 130, result.stderr
    assert "interrupted; the previous site is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site_dir / "site") == before
    assert siblings(site_dir) == []


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


def test_demo_builds_strict_without_warnings(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(ROOT, "check", "--strict")
    assert result.code == 0
    assert result.err == ""


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


@settings(
    max_examples=int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(front=DOCUMENTS, body=MARKDOWN, entity=DOCUMENTS, topic=DOCUMENTS)
def test_random_input_never_crashes(front: str, body: str, entity: str, topic: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_files(Path(folder), MINIMAL_SITE)
        cwd = os.getcwd()
        os.chdir(root)
        try:
            assert main([]) == 0
            before = snapshot(root / "site")
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
