"""One broken site per error class: the exact `path:line:col: error: message`,
all errors at once, and exit code 1 with the previous site/ untouched."""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import did_you_mean
from tests.conftest import MINIMAL_SITE, Run, write_files

ARTICLE = "content/articles/first-story.md"
TOPIC = "content/topics/big-story.yaml"
ALICE = "content/entities/alice-example.yaml"


CASES: list[tuple[str, dict[str, str], str]] = [
    (
        "missing required key",
        {TOPIC: "summary: no title here\n"},
        f"{TOPIC}:1:1: error: missing required key 'title' in topic",
    ),
    (
        "missing required key in front matter",
        {ARTICLE: "---\ntitle: No date\n---\nBody.\n"},
        f"{ARTICLE}:2:1: error: missing required key 'date' in front matter",
    ),
    (
        "wrong type",
        {ALICE: "name: Alice Example\ntype: person\naliases: Alice\n"},
        f"{ALICE}:3:10: error: 'aliases' must be a list, not text",
    ),
    (
        "wrong type of a flag",
        {ARTICLE: "---\ntitle: T\ndate: 2024-10-23\ndraft: maybe\n---\nAlice.\n"},
        f"{ARTICLE}:4:8: error: 'draft' must be true or false, not text",
    ),
    (
        "unknown id referenced",
        {TOPIC: "title: T\nentities: [alice-exampel]\n"},
        f"{TOPIC}:2:12: error: unknown entity 'alice-exampel' (did you mean 'alice-example'?)",
    ),
    (
        "id of the wrong kind",
        {TOPIC: "title: T\nentities: [first-story]\n"},
        f"{TOPIC}:2:12: error: 'first-story' is an article, not an entity",
    ),
    (
        "unknown wikilink",
        {ALICE: "name: Alice Example\ntype: person\nsummary: Member of [[board-of-thing]].\n"},
        f"{ALICE}:3:20: error: unknown id 'board-of-thing' in [[...]] "
        "(did you mean 'board-of-things'?)",
    ),
    (
        "unknown wikilink in an article body",
        {
            ARTICLE: "---\ntitle: T\ndate: 2024-10-23\ntopics: [big-story]\n---\n"
            "Alice Example.\n\nSee also [[bigstory]] and\n[[big-story]].\n"
        },
        f"{ARTICLE}:8:10: error: unknown id 'bigstory' in [[...]] (did you mean 'big-story'?)",
    ),
    (
        "unknown key",
        {ALICE: "name: Alice Example\ntype: person\nsumary: typo\n"},
        f"{ALICE}:3:1: error: unknown key 'sumary' in entity (did you mean 'summary'?)",
    ),
    (
        "bad date",
        {ARTICLE: "---\ntitle: T\ndate: 2024-13-04\ntopics: [big-story]\n---\nAlice.\n"},
        f"{ARTICLE}:3:7: error: 'date': '2024-13-04' is not a date: month 13 does not exist",
    ),
    (
        "bad entity type",
        {ALICE: "name: Alice Example\ntype: persn\n"},
        f"{ALICE}:2:7: error: unknown entity type 'persn': use one of person, country, "
        "organization, place, group, event, other (did you mean 'person'?)",
    ),
    (
        "duplicate key",
        {ALICE: "name: Alice Example\ntype: person\nname: Alice\n"},
        f"{ALICE}:3:1: error: duplicate key 'name' (first given at line 1)",
    ),
    (
        "quote without source",
        {TOPIC: "title: T\nfacts:\n  - label: L\n    value: V\n    quote: Alice Example\n"},
        f"{TOPIC}:5:12: error: a 'quote' needs a 'source' (the article id)",
    ),
    (
        "invalid YAML",
        {ALICE: "name: Alice Example\ntype: [person\n"},
        f"{ALICE}:2:7: error: the '[' opened here is not closed on its line: add ']', and "
        "separate items with ', ' (or put a value that starts with '[' in quotes) (YAML: "
        "while parsing a flow sequence; did not find expected ',' or ']')",
    ),
    (
        "front matter not closed",
        {ARTICLE: "---\ntitle: T\ndate: 2024-10-23\nAlice.\n"},
        f"{ARTICLE}:1:1: error: front matter is not closed: add a line '---' after it",
    ),
    (
        "empty file",
        {ALICE: ""},
        f"{ALICE}:1:1: error: empty file",
    ),
    (
        "invalid file id",
        {"content/entities/Bad_Name.yaml": "name: B\ntype: person\n"},
        "content/entities/Bad_Name.yaml:1:1: error: 'Bad_Name' is not a valid id: "
        "use lowercase a-z, 0-9 and '-', starting with a letter (did you mean 'bad-name'?)",
    ),
    (
        "media path leaving content",
        {ALICE: "name: Alice Example\ntype: person\nimage: {src: ../secret.png, alt: x}\n"},
        f"{ALICE}:3:14: error: '../secret.png' leaves content/: media must stay inside it",
    ),
]


@pytest.mark.parametrize(("name", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_class(
    tmp_path: Path, run_build: Callable[..., Run], name: str, changes: dict[str, str], expected: str
) -> None:
    files = {**MINIMAL_SITE, **changes}
    write_files(tmp_path, files)
    result = run_build(tmp_path)
    assert result.code == 1
    assert expected in result.diagnostics, result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "site").exists()


def test_duplicate_id_names_both_files(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    write_files(tmp_path, {**MINIMAL_SITE, "content/topics/alice-example.yaml": "title: T\n"})
    result = run_build(tmp_path)
    assert result.code == 1
    assert (
        "content/topics/alice-example.yaml:1:1: error: duplicate id 'alice-example': "
        "also used by content/entities/alice-example.yaml"
    ) in result.diagnostics


def test_unverified_quote_shows_closest_passage(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    topic = site_dir / TOPIC
    topic.write_text(topic.read_text().replace("had 12 members", "had 14 members"))
    result = run_build(site_dir)
    assert result.code == 1
    assert result.diagnostics == [
        f"{TOPIC}:10:12: error: quote not found in article 'first-story'; closest passage: "
        '"The board said it had 12 members,"'
    ]


def test_all_errors_are_reported_sorted_with_a_count(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(
        tmp_path,
        {
            **MINIMAL_SITE,
            ALICE: "name: Alice Example\ntype: persn\nsumary: x\n",
            TOPIC: "title: T\nentities: [nobody]\nrelated: [nothing]\n",
        },
    )
    result = run_build(tmp_path)
    assert result.code == 1
    places = [line.split(": ")[0] for line in result.diagnostics]
    assert places == [f"{ALICE}:2:7", f"{ALICE}:3:1", f"{TOPIC}:2:12", f"{TOPIC}:3:11"]
    assert result.err.splitlines()[-2] == "4 errors, 0 warnings"


def test_failed_build_keeps_previous_site(site_dir: Path, run_build: Callable[..., Run]) -> None:
    assert run_build(site_dir).code == 0
    before = {p: p.read_bytes() for p in (site_dir / "site").rglob("*") if p.is_file()}
    (site_dir / ALICE).write_text("name: Alice Example\ntype: persn\n")
    assert run_build(site_dir).code == 1
    after = {p: p.read_bytes() for p in (site_dir / "site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in site_dir.iterdir() if p.name.startswith(".site")] == []


def test_warnings_do_not_fail_unless_strict(site_dir: Path, run_build: Callable[..., Run]) -> None:
    (site_dir / "content/site.yaml").write_text("title: Test Desk\n")
    relaxed = run_build(site_dir)
    assert relaxed.code == 0
    assert (
        "content/site.yaml:1:1: warning: no 'base_url': canonical links and absolute URLs "
        "are left out"
    ) in relaxed.diagnostics
    strict = run_build(site_dir, "--strict")
    assert strict.code == 1
    assert "content/site.yaml:1:1: error: no 'base_url'" in strict.err


def test_usage_errors_exit_2(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    result = run_build(tmp_path)
    assert result.code == 2
    assert "no content folder" in result.err
    write_files(tmp_path, MINIMAL_SITE)
    assert run_build(tmp_path, "--out", "content/site").code == 2
    # an --out that holds the project (content/ inside it), spelt through `..`: refused
    # before anything is moved
    for out in ("..", f"../{tmp_path.name}/../{tmp_path.name}", "content/.."):
        result = run_build(tmp_path, "--out", out)
        assert result.code == 2 and "--out must be outside the content folder" in result.err
    assert (tmp_path / "content/site.yaml").is_file()
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    looped = run_build(tmp_path, "--out", "loop-a/site")
    assert looped.code == 2 and "cannot be resolved" in looped.err
    with pytest.raises(SystemExit) as exc:
        run_build(tmp_path, "--no-such-option")
    assert exc.value.code == 2


def test_each_warning_class(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    write_files(
        tmp_path,
        {
            **MINIMAL_SITE,
            "content/site.yaml": "title: Test Desk\n",
            "content/articles/lonely.md": "---\ntitle: Lonely\ndate: 2024-01-01\n---\n"
            "Then Alice spoke.\n",
            "content/entities/alice-cooper.yaml": "name: Alice Cooper\ntype: person\n"
            "aliases: [Alice]\n",
            "content/entities/nobody.yaml": "name: Nobody Here\ntype: person\n",
            TOPIC: "title: T\nfacts:\n  - label: L\n    value: V\n",
        },
    )
    result = run_build(tmp_path, "check")
    assert result.code == 0
    assert result.diagnostics == [
        "content/articles/lonely.md:2:1: warning: article 'lonely' is in no topic",
        "content/articles/lonely.md:5:6: warning: ambiguous alias 'Alice' in article 'lonely' "
        "could be alice-cooper, alice-example: name one in the article's 'entities'",
        "content/entities/alice-cooper.yaml:1:1: warning: entity 'alice-cooper' is mentioned in "
        "no article",
        "content/entities/nobody.yaml:1:1: warning: entity 'nobody' is mentioned in no article",
        "content/site.yaml:1:1: warning: no 'base_url': canonical links and absolute URLs "
        "are left out",
        f"{TOPIC}:3:5: warning: fact 'L' has no 'source'",
    ]
    assert run_build(tmp_path, "check", "--strict").code == 1


def test_did_you_mean_among_thousands_of_ids_is_difflibs_choice() -> None:
    """The hint among 6,000 ids of one shape (as article ids are: slugs of similar
    headlines with a number) is the one difflib would give comparing every id, for
    typos of every kind, though difflib now sees only RapidFuzz's shortlist."""
    rng = random.Random(7)
    words = ["relief", "agency", "report", "talks", "resume", "port", "energy", "board"]
    ids = sorted(
        {
            f"{'-'.join(rng.sample(words, rng.randint(2, 5)))}-{rng.randrange(9000)}"
            for _ in range(6000)
        }
    )
    typos = [
        lambda w: w + "x",
        lambda w: w.replace("-", "_", 1),
        lambda w: w[:-1],
        lambda w: w[1:],
        lambda w: w[: len(w) // 2],
        lambda w: w.replace("e", "a", 1),
    ]
    for n in range(60):
        word = typos[n % len(typos)](rng.choice(ids))
        close = difflib.get_close_matches(word, ids, n=1, cutoff=0.6)
        assert did_you_mean(word, ids) == (f" (did you mean '{close[0]}'?)" if close else "")
    assert did_you_mean("zzzz", ids) == ""


def test_did_you_mean_agrees_with_difflib_where_the_two_measures_part() -> None:
    """Random words over five letters, where RapidFuzz's closest is often not
    difflib's (one time in eleven): the shortlist is wide enough for difflib to find
    its own choice anyway."""
    rng = random.Random(3)

    def word() -> str:
        return "".join(rng.choice("abcde") for _ in range(rng.randint(6, 10)))

    for _ in range(300):
        target, ids = word(), sorted({word() for _ in range(60)})
        close = difflib.get_close_matches(target, ids, n=1, cutoff=0.6)
        assert did_you_mean(target, ids) == (f" (did you mean '{close[0]}'?)" if close else "")
