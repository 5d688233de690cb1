"""Incremental builds: whatever sequence of edits an editor makes, a build that uses
the cache gives byte for byte the site (and the diagnostics) of a build from scratch,
and it renders and writes only what changed."""

from __future__ import annotations

import gc
import os
import random
import shutil
import sqlite3
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import pipeline, publish
from builder.incremental import cache
from builder.incremental.store import OutputRow
from builder.options import BuildOptions
from builder.output import outputs
from tests.conftest import Run, write_files

SITE: dict[str, str] = {
    "content/site.yaml": "title: Desk\nbase_url: https://newsroom.github.io/desk/\n",
    "content/articles/one.md": """\
        ---
        title: One
        date: 2024-10-01
        topics: [story]
        ---
        Alice Example met the Board of Things on Monday.

        The board said it had 12 members, Alice Example told reporters.
        """,
    "content/articles/two.md": """\
        ---
        title: Two
        date: 2024-10-05
        topics: [story]
        entities: [board-of-things]
        ---
        The Board met again. See [[one]] and [[alice-example|Alice]].
        """,
    "content/entities/alice-example.yaml": """\
        name: Alice Example
        type: person
        aliases: [Alice]
        summary: A person in the [[story]].
        relations:
          - type: member of
            target: board-of-things
            source: one
            quote: Alice Example met the Board of Things
        """,
    "content/entities/board-of-things.yaml": """\
        name: Board of Things
        type: organization
        aliases: [Board]
        """,
    "content/topics/story.yaml": """\
        title: The story
        entities: [alice-example]
        facts:
          - label: Board members
            value: "12"
            claimed_by: board-of-things
            as_of: 2024-10
            source: one
            quote: The board said it had 12 members
        timeline:
          - date: 2024-10-01
            text: Alice meets the [[board-of-things]].
            source: one
            quote: Alice Example met the Board of Things on Monday.
        """,
}

ARTICLE = textwrap.dedent(
    """\
    ---
    title: {title}
    date: 2024-{month:02d}-{day:02d}
    topics: [{topics}]
    ---
    {body}
    """
)
SENTENCES = [
    "Alice Example spoke to the Board of Things.",
    "Nobody else was there.",
    "The Board voted; Alice left early.",
    "A [[story]] is told, and [[alice-example]] is in it.",
    "Officials said 40 people came, the Board of Things said.",
    "Carol Sample joined the board.",
]


def snapshot(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def diagnostics(run: Run) -> list[str]:
    return run.diagnostics


# --- edits an editor makes ------------------------------------------------------------


def add_article(root: Path, rng: random.Random) -> None:
    number = rng.randrange(100)
    body = " ".join(rng.sample(SENTENCES, rng.randint(1, 4)))
    topics = rng.choice(["story", "story, other", "", "nope"])
    text = ARTICLE.format(
        title=f"Story {number}",
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        topics=topics,
        body=body,
    )
    (root / f"content/articles/a{number}.md").write_text(text)


def change_article(root: Path, rng: random.Random) -> None:
    articles = sorted((root / "content/articles").glob("*.md"))
    if articles:
        path = rng.choice(articles)
        text = path.read_text()
        edit = rng.choice(
            [
                lambda t: t + "\n" + rng.choice(SENTENCES) + "\n",
                lambda t: t + "\nNothing new here.\n",  # prose only: the structure stays
                lambda t: t.replace("\nThe board said", "\nAbove.\n\nThe board said"),
                lambda t: t.replace("date: 2024-", "date: 2023-", 1),
                lambda t: t.replace("title: ", "title: New ", 1),
                lambda t: t.replace("Monday", "Friday"),
                lambda t: t.replace("title:", "titel:", 1),  # an error
                lambda t: t.replace("topics: [story]", "topics: [story]\ndraft: true", 1),
            ]
        )
        path.write_text(edit(text))


def rename_or_delete(root: Path, rng: random.Random) -> None:
    files = sorted((root / "content").glob("*/*.*"))
    if files:
        path = rng.choice(files)
        if rng.random() < 0.5:
            path.unlink()
        else:
            path.rename(path.with_name("renamed-" + path.name))


def change_entity(root: Path, rng: random.Random) -> None:
    entities = root / "content/entities"
    choice = rng.randrange(4)
    if choice == 0:
        (entities / "carol-sample.yaml").write_text("name: Carol Sample\ntype: person\n")
    elif choice == 1 and (entities / "board-of-things.yaml").exists():
        path = entities / "board-of-things.yaml"
        path.write_text(path.read_text().replace("aliases: [Board]", "aliases: [Board, board]"))
    elif choice == 2 and (entities / "alice-example.yaml").exists():
        path = entities / "alice-example.yaml"
        path.write_text(path.read_text().replace("A person", "Someone"))
    else:
        (entities / "other-board.yaml").write_text(
            "name: Other Board\ntype: group\naliases: [Board]\n"
        )


def change_topic(root: Path, rng: random.Random) -> None:
    topics = root / "content/topics"
    if rng.random() < 0.5:
        (topics / "other.yaml").write_text(f"title: Another story {rng.randrange(9)}\n")
    elif (topics / "story.yaml").exists():
        path = topics / "story.yaml"
        path.write_text(path.read_text().replace('value: "12"', 'value: "13"'))


def change_template(root: Path, rng: random.Random) -> None:
    site_yaml = root / "content/site.yaml"
    if "theme: house" not in site_yaml.read_text():
        site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    templates = root / "themes/house/templates"
    templates.mkdir(parents=True, exist_ok=True)
    name = rng.choice(["article.html", "entity.html", "base.html"])
    marker = rng.randrange(1000)
    (templates / name).write_text(
        f'{{% extends "default:{name}" %}}{{% block body_class %}}v{marker}{{% endblock %}}'
    )


def change_site(root: Path, rng: random.Random) -> None:
    site_yaml = root / "content/site.yaml"
    text = site_yaml.read_text()
    site_yaml.write_text(
        rng.choice(
            [
                text.replace("title: Desk", "title: The Desk"),
                text + "description: News.\n" if "description" not in text else text,
                text.replace(
                    "base_url: https://newsroom.github.io/desk/", "base_url: https://e.org/"
                ),
            ]
        )
    )


def corrupt_cache(root: Path, rng: random.Random) -> None:
    path = root / ".dossier-cache/cache.sqlite"
    if not path.exists():
        return
    data = bytearray(path.read_bytes())
    how = rng.randrange(4)
    if how == 0:
        path.write_bytes(data[: rng.randrange(len(data))])  # truncated
    elif how == 1:
        path.write_bytes(os.urandom(len(data)))  # garbage
    elif how == 2:
        for _ in range(20):  # bits flipped anywhere, in pages and in values
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
    else:
        with sqlite3.connect(path) as db:  # values that decode to something else
            db.execute("UPDATE records SET light = substr(light, 1, 30) || 'x'")


def touch_output(root: Path, rng: random.Random) -> None:
    """A hand edit in site/ (never to be done, but it must not stick)."""
    pages = sorted((root / "site").rglob("*.html"))
    if pages:
        page = rng.choice(pages)
        if rng.random() < 0.5:
            page.unlink()
        else:
            page.write_text(page.read_text() + "<!-- edited -->")


EDITS: list[Callable[[Path, random.Random], None]] = [
    add_article,
    change_article,
    rename_or_delete,
    change_entity,
    change_topic,
    change_template,
    change_site,
    corrupt_cache,
    touch_output,
]


@settings(
    max_examples=int(os.environ.get("DOSSIER_INCREMENTAL_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**32)), min_size=1, max_size=6)
)
def test_incremental_build_equals_cold_build(
    tmp_path_factory: pytest.TempPathFactory,
    run_build: Callable[..., Run],
    steps: list[tuple[Callable[[Path, random.Random], None], int]],
) -> None:
    root = write_files(tmp_path_factory.mktemp("incremental"), SITE)
    assert run_build(root, "--no-search").code == 0
    for edit, seed in steps:
        edit(root, random.Random(seed))
        warm = run_build(root, "--no-search")
        shutil.rmtree(root / "cold", ignore_errors=True)
        cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
        assert warm.code == cold.code, (edit.__name__, warm.err, cold.err)
        assert diagnostics(warm) == diagnostics(cold), edit.__name__
        if cold.code == 0:
            assert snapshot(root / "site") == snapshot(root / "cold"), edit.__name__


# --- what an incremental build does ------------------------------------------------


def mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()
    }


def test_no_change_rebuild_renders_and_writes_nothing(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    before = mtimes(root / "site")
    again = run_build(root, "--no-search", "--profile")
    assert again.code == 0
    assert "(nothing changed)" in again.out
    assert mtimes(root / "site") == before
    touched = root / "content/articles/one.md"
    touched.write_text(touched.read_text())  # saved again, same bytes
    third = run_build(root, "--no-search", "--profile")
    assert "compiled 0 source files; rendered 0 of" in third.out
    assert "wrote 0" in third.out and mtimes(root / "site") == before


def test_a_build_that_failed_on_warnings_is_not_taken_for_the_last_site(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """`--strict` fails on a warning and writes nothing: the same input built without
    it is built, not answered with "nothing changed" and the older site."""
    site_yaml = site_dir / "content/site.yaml"
    site_yaml.write_text("title: Test Desk\nbase_url: https://newsroom.github.io/desk/\n")
    assert run_build(site_dir, "--no-search").code == 0
    site_yaml.write_text("title: Renamed Desk\n")  # no base_url: a warning
    assert run_build(site_dir, "--no-search", "--strict").code == 1
    relaxed = run_build(site_dir, "--no-search")
    assert relaxed.code == 0 and "nothing changed" not in relaxed.out
    assert "Renamed Desk" in (site_dir / "site/index.html").read_text()
    again = run_build(site_dir, "--no-search")
    assert "(nothing changed)" in again.out


def test_one_article_edit_rewrites_what_shows_it(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    before = snapshot(root / "site")
    times = mtimes(root / "site")
    article = root / "content/articles/two.md"
    article.write_text(article.read_text().replace("met again", "met again, briefly"))
    result = run_build(root, "--no-search", "--profile")
    assert result.code == 0
    after = snapshot(root / "site")
    changed = sorted(url for url in after if after[url] != before.get(url))
    assert changed == [
        "articles/index.html",  # the archive lists its first paragraph
        "articles/two/index.html",
        "entities/board-of-things/index.html",  # its snippet
        "feed.xml",
        "index.html",  # the latest articles
        "topics/story/index.html",  # the topic's articles
    ]
    assert "compiled 1 source files" in result.out
    assert "wrote 6, removed 0" in result.out
    kept = mtimes(root / "site")
    assert [url for url in times if url not in changed and kept[url] != times[url]] == []


def test_an_edit_below_the_first_paragraph_renders_only_the_article(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """Lists and profiles show an article's title, date, first paragraph and snippets:
    a paragraph added further down changes none of them, so none is rendered again."""
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    before = snapshot(root / "site")
    article = root / "content/articles/two.md"
    article.write_text(article.read_text() + "\nIt adjourned at noon.\n")
    result = run_build(root, "--no-search", "--profile")
    assert result.code == 0
    after = snapshot(root / "site")
    assert sorted(url for url in after if after[url] != before.get(url)) == [
        "articles/two/index.html"
    ]
    assert "compiled 1 source files; rendered 1 of" in result.out
    assert "wrote 1, removed 0" in result.out


def test_an_edit_to_prose_is_built_without_planning_every_page(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to an article's body that no list, profile or plan shows leaves the
    site's structure as it was: the build looks only at the outputs that read what
    changed (at 10,000 articles, planning every page and checking every key took
    0.2 s of such a build). An edit to a title changes the structure: all is planned."""
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    planned: list[int] = []
    plan_pages = publish.plan_pages
    monkeypatch.setattr(publish, "plan_pages", lambda site: planned.append(1) or plan_pages(site))
    article = root / "content/articles/two.md"
    article.write_text(article.read_text() + "\nIt adjourned at noon.\n")
    result = run_build(root, "--no-search", "--profile")
    assert result.code == 0 and "rendered 1 of" in result.out and "wrote 1," in result.out
    assert planned == []
    article.write_text(article.read_text().replace("title: Two", "title: Two again"))
    assert run_build(root, "--no-search").code == 0
    assert planned == [1]
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")


@pytest.mark.parametrize("deleted", ["index.html", "articles/one/index.html", "feed.xml"])
def test_an_output_deleted_by_hand_comes_back_with_an_edit_to_prose(
    tmp_path: Path, run_build: Callable[..., Run], deleted: str
) -> None:
    """Outputs changed by hand are written again when only prose changed too, be they
    pages that are planned alone (an article's), pages that are not (the home page)
    or other files."""
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    (root / "site" / deleted).unlink()
    article = root / "content/articles/two.md"
    article.write_text(article.read_text() + "\nIt adjourned at noon.\n")
    assert run_build(root, "--no-search").code == 0
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")


def test_outputs_the_check_found_as_left_are_not_statted_again(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-change check stats every output in another process while it scans the
    inputs; when it found them all as the last build left them, the build that goes on
    after an edit does not stat them again. An output edited by hand is found, and
    written again."""
    monkeypatch.setattr(cache.Answer, "now", cache.Answer.__call__)  # in time, always
    statted: list[str] = []
    as_written = outputs.Outputs.as_written

    def stat(self: outputs.Outputs, url: str, row: OutputRow) -> bool:
        statted.append(url)
        return as_written(self, url, row)

    monkeypatch.setattr(outputs.Outputs, "as_written", stat)
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    article = root / "content/articles/two.md"
    article.write_text(article.read_text() + "\nIt adjourned at noon.\n")
    assert run_build(root, "--no-search").code == 0
    assert statted == []
    page = root / "site/articles/one/index.html"
    page.write_text(page.read_text() + "<!-- edited -->")
    article.write_text(article.read_text() + "\nIt met again at two.\n")
    assert run_build(root, "--no-search").code == 0
    assert "articles/one/index.html" in statted
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")


def test_a_quote_moved_by_an_edit_to_prose_moves_its_links(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """A paragraph added above a quoted sentence moves the passage that the fact box
    links to: the site's structure is the same, but the topic page, the profile and
    the data export that point into the article follow."""
    root = write_files(tmp_path, SITE)
    assert run_build(root, "--no-search").code == 0
    before = snapshot(root / "site")
    article = root / "content/articles/one.md"
    article.write_text(
        article.read_text().replace("\nThe board said", "\nA new paragraph.\n\nThe board said")
    )
    assert run_build(root, "--no-search").code == 0
    after = snapshot(root / "site")
    assert after["topics/story/index.html"] != before["topics/story/index.html"]
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")


def test_template_edit_rerenders_only_its_pages(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = write_files(tmp_path, SITE)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    (root / "themes/house/templates").mkdir(parents=True)
    assert run_build(root, "--no-search").code == 0
    template = root / "themes/house/templates/article.html"
    template.write_text('{% extends "default:article.html" %}{% block body_class %}x{% endblock %}')
    result = run_build(root, "--no-search", "--profile")
    assert "compiled 0 source files; rendered 2 of" in result.out  # the two articles
    assert '<body class="x">' in (root / "site/articles/one/index.html").read_text()
    template.write_text(template.read_text() + "{# a note for the next editor #}")
    noted = run_build(root, "--no-search")  # seen, and no page changed: not "nothing changed"
    assert noted.out.endswith("(2 files made again, none changed)\n"), noted.out


def test_a_template_edited_while_the_pages_render_is_used_by_the_next_build(
    tmp_path: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are rendered with the template as it was compiled; the build must
    remember that text, not the file as it is when the build ends, or the next build
    would keep the pages made from the old text."""
    root = write_files(tmp_path, SITE)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    template = root / "themes/house/templates/article.html"
    template.parent.mkdir(parents=True)
    block = '{% extends "default:article.html" %}{% block body_class %}BODY{% endblock %}'
    template.write_text(block.replace("BODY", "first"))
    compile_templates = outputs.Outputs.compile_templates

    def compile_then_edit(self: outputs.Outputs, names: Iterable[str]) -> None:
        compile_templates(self, names)
        template.write_text(block.replace("BODY", "second"))  # saved by the editor now

    with monkeypatch.context() as patch:
        patch.setattr(outputs.Outputs, "compile_templates", compile_then_edit)
        assert run_build(root, "--no-search").code == 0
    page = root / "site/articles/one/index.html"
    assert '<body class="first">' in page.read_text()
    assert run_build(root, "--no-search").code == 0
    assert '<body class="second">' in page.read_text()
    built = snapshot(root / "site")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".dossier-cache")
    assert run_build(root, "--no-search").code == 0
    assert snapshot(root / "site") == built


def blocked_on_a_lock(pid: int) -> bool:
    with open("/proc/locks") as locks:
        return any(
            fields[1] == "->" and fields[5] == str(pid)
            for fields in (line.split() for line in locks)
            if len(fields) > 5
        )


def test_a_second_build_waits_for_the_first(site_dir: Path) -> None:
    """Two builds of one site never interleave: the second waits for the lock."""
    import fcntl
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    folder = site_dir / ".dossier-cache"
    folder.mkdir()
    with open(folder / "lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a first build does
        second = subprocess.Popen(
            [sys.executable, "-m", "builder.cli", "--no-search"],
            cwd=site_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        assert second.stderr is not None
        line = second.stderr.readline()
        assert "waiting for the build running in" in line, line
        # the kernel lists a build blocked on the lock as a waiter ("->") in /proc/locks
        deadline = time.monotonic() + 60
        while not blocked_on_a_lock(second.pid):
            assert second.poll() is None and time.monotonic() < deadline, "not waiting"
            time.sleep(0.01)
        assert not (site_dir / "site").exists()
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert (site_dir / "site/index.html").is_file()


def test_profile_says_what_was_done(site_dir: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(site_dir, "--no-search", "--profile")
    stages = [line.split()[0] for line in result.out.splitlines() if line.endswith("s")]
    assert stages[:7] == ["scan", "compile", "resolve", "check", "render", "write", "cache"]
    # 24 outputs, and the quick-jump name files for every letter and digit, empty or not
    assert "compiled 5 source files; rendered 55 of 58 outputs, wrote 58" in result.out
    assert "\r" not in result.err  # no progress bar where stderr is not a terminal


def test_a_build_pauses_the_collector_and_leaves_it_as_it_was(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cycle collector is off while a build runs (what it allocates lives until the
    end), and on again after it, also after one that raised: a process that builds
    and goes on, as the tests do, keeps its collector."""
    options = BuildOptions(site_dir / "content", site_dir / "site", search=False)
    during: list[bool] = []
    build_on = pipeline.build_on

    def watched(*args: Any) -> pipeline.BuildResult:
        during.append(gc.isenabled())
        return build_on(*args)

    monkeypatch.setattr(pipeline, "build_on", watched)
    assert gc.isenabled()
    assert not pipeline.build(options).diagnostics.errors
    assert during == [False] and gc.isenabled()
    monkeypatch.setattr(pipeline, "build_on", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pipeline.build(options)
    assert gc.isenabled()


def test_a_renamed_entity_is_renamed_where_a_wikilink_shows_it(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """An `[[id]]` in an article's first paragraph shows its target's name in the
    article's summary: on lists, in the meta description, in the feed, in the topic's
    automatic summary and in the snippets of profiles. Renaming the entity renames it
    there too, in a rebuild as in a cold build."""
    root = write_files(tmp_path, SITE)
    first = root / "content/articles/one.md"
    first.write_text(first.read_text().replace("Alice Example met", "[[alice-example]] met"))
    for quoting in ("entities/alice-example.yaml", "topics/story.yaml"):  # quotes without her
        path = root / "content" / quoting
        path.write_text(path.read_text().replace("quote: Alice Example met", "quote: met"))
    assert run_build(root, "--no-search").code == 0
    shown = "Alice Example met the Board of Things on Monday"
    for page in (
        "articles/index.html",
        "articles/one/index.html",
        "feed.xml",
        "topics/story/index.html",
    ):
        assert shown in (root / "site" / page).read_text(), page
    entity = root / "content/entities/alice-example.yaml"
    entity.write_text(entity.read_text().replace("name: Alice Example", "name: Alice Sample"))
    assert run_build(root, "--no-search").code == 0
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")
    for page in ("articles/index.html", "articles/one/index.html", "feed.xml"):
        assert "Alice Sample met the Board" in (root / "site" / page).read_text(), page
    profile = (root / "site/entities/board-of-things/index.html").read_text()
    assert "Alice Sample met the " in profile  # the snippet around the board's mention


def test_a_theme_folder_made_after_a_failed_build_is_seen(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """`theme: house` without themes/house/ is an error; making the folder (even empty)
    or removing it again is a change a rebuild sees, as a cold build would."""
    root = write_files(tmp_path, SITE)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: house\n")
    assert run_build(root, "--no-search").code == 1
    (root / "themes/house").mkdir(parents=True)
    assert run_build(root, "--no-search").code == 0
    (root / "themes/house").rmdir()
    assert run_build(root, "--no-search").code == 1


def test_a_quote_that_moves_with_a_title_moves_its_links(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """A quote reads `[[id]]` as its target's title: when a title change moves the
    quote to another paragraph, the pages that link to it follow in a rebuild."""
    root = write_files(tmp_path, SITE)
    two = root / "content/articles/two.md"
    two.write_text(
        two.read_text() + "\nThen [[story]] said the figure was 77.\n\n"
        "Later, the Gamma story said the figure was 77.\n"
    )
    (root / "content/entities/carol-sample.yaml").write_text(  # on no page of the story
        "name: Carol Sample\ntype: person\nfacts:\n  - label: Figure\n    value: '77'\n"
        "    source: two\n    quote: the Gamma story said the figure was 77.\n"
    )
    assert run_build(root, "--no-search").code == 0
    topic = root / "content/topics/story.yaml"
    topic.write_text(topic.read_text().replace("title: The story", "title: the Gamma story"))
    assert run_build(root, "--no-search").code == 0
    cold = run_build(root, "--no-search", "--no-cache", "--out", "cold")
    assert cold.code == 0 and snapshot(root / "site") == snapshot(root / "cold")


def test_an_edit_to_a_file_set_aside_for_its_name_is_seen(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """A file whose name is not a valid id is left out of the site but checked for its
    own errors: editing it changes what the next build says (no stale "nothing
    changed" answer)."""
    root = write_files(tmp_path, SITE)
    misnamed = root / "content/entities/Carl.yaml"
    misnamed.write_text("type: animal\n")
    first = run_build(root, "--no-search")
    assert first.code == 1 and "unknown entity type 'animal'" in first.err
    misnamed.write_text("name: Carl\ntype: person\n")
    second = run_build(root, "--no-search")
    assert second.code == 1 and "unknown entity type" not in second.err
    assert "'Carl' is not a valid id" in second.err
