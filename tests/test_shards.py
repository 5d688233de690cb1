"""The search index in shards: topics, entities and articles by year, each split when
it is large; a rebuild indexes again only the shards whose indexed text changed, and
gives the same bundle as a cold build."""

from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.output import searchindex, shards
from builder.output.shards import indexed_document, indexed_text
from tests.conftest import MINIMAL_SITE, Run, write_files

SHARDED_SITE = {
    **MINIMAL_SITE,
    "content/articles/older-story.md": """\
        ---
        title: Older story
        date: 2023-05-02
        topics: [big-story]
        ---
        The Board of Things first met in May, said Alice Example.
        """,
}


def entry_pages(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def bundle(site: Path) -> dict[str, bytes]:
    folder = site / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def sharded(tmp_path: Path) -> Path:
    return write_files(tmp_path, SHARDED_SITE)


def test_one_shard_per_kind_and_period(sharded: Path, run_build: Callable[..., Run]) -> None:
    assert run_build(sharded).code == 0
    site = sharded / "site"
    merged = json.loads((site / "pagefind/shards.json").read_text())
    assert merged == ["entities", "articles-2023-2024"]  # small years go together
    assert entry_pages(site / "pagefind") == 1  # the primary bundle: the topic
    assert [entry_pages(site / "pagefind" / name) for name in merged] == [2, 2]
    assert (site / "pagefind/pagefind.js").is_file()
    assert not (site / "pagefind/entities/pagefind.js").exists()  # read by the primary's


def test_large_groups_are_split(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shards, "SHARD_PAGES", 1)
    september = "---\ntitle: September story\ndate: 2024-09-01\n---\nAlice Example spoke.\n"
    (sharded / "content/articles/september-story.md").write_text(september)
    assert run_build(sharded).code == 0
    merged = json.loads((sharded / "site/pagefind/shards.json").read_text())
    assert [name for name in merged if name.startswith("articles-")] == [
        "articles-2023",  # one page: not split
        "articles-2024-09",
        "articles-2024-10",
    ]
    entities = [name for name in merged if name.startswith("entities-")]
    assert sum(entry_pages(sharded / "site/pagefind" / name) for name in entities) == 2


def test_unchanged_indexed_text_runs_no_indexing(
    sharded: Path, run_build: Callable[..., Run]
) -> None:
    assert run_build(sharded).code == 0
    before = bundle(sharded / "site")
    site_yaml = sharded / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("Test Desk", "Other Desk"))
    again = run_build(sharded, "--profile")
    assert again.code == 0
    assert "Other Desk" in (sharded / "site/articles/first-story/index.html").read_text()
    assert "search index: unchanged" in again.out
    assert "  search " in again.out and bundle(sharded / "site") == before


def test_editing_an_article_indexes_only_its_shard(
    sharded: Path,
    run_build: Callable[..., Run],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shards, "SHARD_PAGES", 1)  # a shard for each year
    assert run_build(sharded).code == 0
    before = bundle(sharded / "site")
    article = sharded / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")
    again = run_build(sharded, "--profile")
    assert "search index: 1 shard made (articles-2024)" in again.out
    after = bundle(sharded / "site")
    changed = {name.split("/")[0] for name in after if before.get(name) != after[name]}
    assert changed == {"articles-2024"}
    assert {"entities-1", "articles-2023"} <= {name.split("/")[0] for name in after}
    cold = write_files(tmp_path_factory.mktemp("cold"), SHARDED_SITE)
    (cold / "content/articles/first-story.md").write_text(article.read_text())
    assert run_build(cold, "--no-cache").code == 0
    assert bundle(cold / "site") == after  # what a cold build makes, byte for byte


def test_profile_gives_output_size_by_kind(sharded: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(sharded, "--profile")
    sizes = {}
    for line in result.out.split("  output ")[1].splitlines()[1:]:
        if line.startswith("    "):
            kind, size = line.strip().rsplit("  ", 1)
            sizes[kind.strip()] = float(size.removesuffix(" kB"))
    assert {"article pages", "entity pages", "topic pages", "search index"} <= set(sizes)
    assert list(sizes.values()) == sorted(sizes.values(), reverse=True)
    assert sizes["search index"] > sizes["topic pages"] > 0


def test_a_site_over_a_gigabyte_is_named_by_its_largest_parts(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builder.output.sizes.PAGES_LIMIT", 1000)
    result = run_build(sharded)
    assert result.code == 0
    warning = next(line for line in result.err.splitlines() if "GitHub Pages" in line)
    assert warning.startswith("warning: the site is ")
    assert "the largest parts: search index" in warning


@pytest.mark.parametrize(
    ("html", "indexed"),
    [
        ("<header>x</header><main data-pagefind-body><p>a</p></main><footer>", "<p>a</p>"),
        (
            "<main data-pagefind-body>a<ul data-pagefind-ignore><li>b<ul><li>c</ul></ul>d</main>",
            "ad",
        ),  # fmt: skip
        ("<main data-pagefind-body>a<img data-pagefind-ignore src=x>b</main>", "ab"),
        (
            "<main data-pagefind-body>a<s data-pagefind-ignore>b<span>c</span><s>d</s></s>e"
            "<p data-pagefind-ignore>f</p><p>g</p></main>",
            "ae<p>g</p>",
        ),  # a tag whose name begins another's, nested, and one ignored after another
        ("<main>not indexed</main>", ""),
    ],
)
def test_indexed_text(html: str, indexed: str) -> None:
    found = indexed_text(html)
    assert found.removeprefix("<main data-pagefind-body>") == indexed


def test_a_long_profile_list_links_to_every_article(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The profile shows the newest mentions with snippets; pages listing them all
    keep the rest reachable (here one article a page, one on the profile)."""
    monkeypatch.setattr("builder.output.views.MENTIONS_SHOWN", 1)
    monkeypatch.setattr("builder.output.pages.MENTIONS_SHOWN", 1)
    monkeypatch.setattr("builder.output.pages.MENTIONS_PAGE_SIZE", 1)
    assert run_build(sharded, "--no-search").code == 0
    profile = (sharded / "site/entities/alice-example/index.html").read_text()
    assert profile.count('class="snippet"') == 1
    assert 'alice-example/articles/index.html">all 2 articles that mention Alice' in profile
    first = (sharded / "site/entities/alice-example/articles/index.html").read_text()
    second = (sharded / "site/entities/alice-example/articles/2/index.html").read_text()
    assert "First story" in first and "Older story" not in first
    assert "Older story" in second and 'rel="prev"' in second


def test_older_mentions_are_listed_without_snippets(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builder.output.views.SNIPPETS_SHOWN", 1)
    assert run_build(sharded, "--no-search").code == 0
    profile = (sharded / "site/entities/alice-example/index.html").read_text()
    mentions = profile.split('id="mentions-heading"')[1].split("</section>")[0]
    assert mentions.count("<li>") == 2 and mentions.count('class="snippet"') == 1
    assert "Older story" in mentions and "articles that mention" not in mentions


def test_pagefind_reads_the_indexed_text_with_only_the_headings_ids() -> None:
    page = (
        '<!DOCTYPE html>\n<html lang="fr">\n<head><title>T</title></head><body><nav>menu</nav>'
        '<main id="main" data-pagefind-body><h2 id="facts">Faits</h2>'
        '<p id="p-1">Un <a id="x" href="y">lien</a>.</p><div data-id="k">z</div></main>'
    )
    document = indexed_document(page)
    assert document.startswith('<!DOCTYPE html><html lang="fr"><head></head><body><main data')
    assert '<h2 id="facts">Faits</h2><p>Un <a href="y">lien</a>.</p>' in document
    assert '<div data-id="k">' in document and "menu" not in document


def fragments(bundle: Path) -> dict[str, dict[str, object]]:
    found = {}
    for path in bundle.rglob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def test_a_result_downloads_no_paragraph_anchors(
    sharded: Path, run_build: Callable[..., Run]
) -> None:
    """Pagefind keeps the text of every element with an id in the page's fragment, but
    results use only the headings'; the paragraphs' ids would double it."""
    assert run_build(sharded).code == 0
    page = (sharded / "site/articles/first-story/index.html").read_text()
    assert 'id="p-1"' in page
    story = fragments(sharded / "site/pagefind")["/articles/first-story/"]
    assert "Alice Example met the Board of Things on Monday." in str(story["content"])
    assert "according to Board of Things as of 23 October 2024" in str(story["content"])
    assert story["meta"] == {"title": "First story", "type": "Article", "date": "2024-10-23"}
    elements = {anchor["element"] for anchor in story["anchors"]}  # type: ignore[attr-defined]
    assert elements and all(name[0] == "h" for name in elements)


def test_scratch_folders_of_killed_builds_are_removed() -> None:
    finished = subprocess.Popen(["true"])  # noqa: S607
    finished.wait()  # its pid stands for a build that was killed
    live = searchindex._scratch_folder()
    leftover = live.with_name(f"{searchindex.SCRATCH}-{finished.pid}-abc")
    leftover.mkdir()
    (leftover / "page.html").write_text("x")
    new = searchindex._scratch_folder()
    try:
        assert not leftover.exists()
        assert live.is_dir()  # this process is alive: its folder is kept
    finally:
        shutil.rmtree(live)
        shutil.rmtree(new)


def test_a_deleted_bundle_file_is_made_again(sharded: Path, run_build: Callable[..., Run]) -> None:
    """The search index's files are outputs too: a build notices one deleted or
    changed by hand (it is not "nothing changed") and makes its shard again."""
    assert run_build(sharded).code == 0
    before = bundle(sharded / "site")
    fragment = next(name for name in before if name.startswith("entities/fragment/"))
    (sharded / "site/pagefind" / fragment).unlink()
    (sharded / "site/pagefind/pagefind.js").write_text("// damaged")
    again = run_build(sharded, "--profile")
    assert "search index: 2 shards made (topics, entities)" in again.out
    assert again.out.endswith("(2 search index shards made again)\n")
    assert bundle(sharded / "site") == before
    assert run_build(sharded).out.endswith("(nothing changed)\n")


def test_scratch_goes_to_the_temporary_folder_when_shared_memory_is_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(searchindex, "SCRATCH_ROOM", 2**62)
    assert searchindex._scratch_root() == Path(tempfile.gettempdir())


def test_no_room_for_the_scratch_copies_is_an_error_and_the_site_stays(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_build(sharded).code == 0
    before = bundle(sharded / "site")
    article = sharded / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\nThe board will meet again in spring.\n")

    def full_disk(site: Path, url: str, text: str, folders: set[str]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(site / url))

    monkeypatch.setattr(searchindex, "_write", full_disk)
    failed = run_build(sharded)
    assert failed.code == 1
    assert "error: the search index failed (Pagefind): cannot copy the pages" in failed.err
    assert "No space left on device" in failed.err and "Traceback" not in failed.err
    assert bundle(sharded / "site") == before
    assert "spring" not in (sharded / "site/articles/first-story/index.html").read_text()


def test_each_pagefind_process_gets_its_share_of_the_cores(
    sharded: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two shards at once on four cores: two threads each, and memory kept until the
    process ends; the bundle is the one Pagefind makes with its own defaults."""
    monkeypatch.setattr(searchindex.os, "cpu_count", lambda: 4)
    run_pagefind = subprocess.run
    seen: list[dict[str, str]] = []

    def recorded(command: list[str], **options: object) -> object:
        seen.append(options["env"])  # type: ignore[arg-type]
        return run_pagefind(command, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", recorded)
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    monkeypatch.setenv("TOKIO_WORKER_THREADS", "3")  # the user's own: kept
    assert run_build(sharded).code == 0
    assert len(seen) == 3  # topics, entities, articles-2023-2024
    assert {(e["RAYON_NUM_THREADS"], e["TOKIO_WORKER_THREADS"]) for e in seen} == {("2", "3")}
    assert {e["_RJEM_MALLOC_CONF"] for e in seen} == {
        "thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:2"
    }
    tuned = bundle(sharded / "site")

    shutil.rmtree(sharded / "site")
    shutil.rmtree(sharded / ".dossier-cache")
    monkeypatch.setattr(searchindex, "pagefind_environment", lambda threads: dict(os.environ))
    assert run_build(sharded).code == 0
    assert {"RAYON_NUM_THREADS", "_RJEM_MALLOC_CONF"}.isdisjoint(seen[-1])
    assert bundle(sharded / "site") == tuned
