"""Every diagnostic `build` can emit, pinned by a test (issue 15).

Each case below is a small broken site (MINIMAL_SITE with some files replaced) and the
exact diagnostic lines that `build check` (or `build`, where only writing finds the
problem) prints for it: severity, `path:line:col` and message, and nothing else (no
follow-on diagnostics, SPEC 9). While a case runs, every `Diagnostic` made is traced to
the line of builder/ that made it; the last test collects every call site of
`.error(...)`, `.warning(...)`, `.note(...)` and `Diagnostic("error"|"warning"|"note",
...)` in builder/ with `ast` and fails when one of them is not the origin of a
diagnostic that some case asserts exactly. A new error, warning or note therefore comes
with a case here, and a diagnostic whose severity, place or wording changes fails its
case.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import builder
from builder import diagnostics
from builder.cli import main
from tests.conftest import MINIMAL_SITE

PACKAGE = Path(builder.__file__).resolve().parent
ARTICLE = "content/articles/first-story.md"
TOPIC = "content/topics/big-story.yaml"
ALICE = "content/entities/alice-example.yaml"
BOARD = "content/entities/board-of-things.yaml"
SITE = "content/site.yaml"
BASE_URL = "base_url: https://newsroom.github.io/desk/\n"  # not a placeholder host
FRONT = "---\ntitle: First story\ndate: 2024-10-23\ntopics: [big-story]\n"
BODY = (
    "---\nAlice Example met the Board of Things on Monday.\n\n"
    "The board said it had 12 members, Alice Example told reporters.\n"
)
TOPIC_HEAD = "title: The big story\nentities: [alice-example]\n"
SOURCED_FACT = (
    "  - label: Board members\n"
    '    value: "12"\n'
    "    source: first-story\n"
    "    quote: The board said it had 12 members\n"
)

Setup = Callable[[Path, pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes | None]  # over MINIMAL_SITE; None removes the file
    expected: tuple[str, ...]  # every diagnostic line of the run, in any order
    args: tuple[str, ...] = ("check",)
    setup: Setup | None = None  # symlinks, fault injection
    runs: int = 1  # a second run answers from the cache: it says the first run's lines
    code: int | None = None  # default: 1 when an error is expected, else 0

    @property
    def exit_code(self) -> int:
        if self.code is not None:
            return self.code
        return 1 if any(": error: " in line for line in self.expected) else 0


def entity(extra: str, name: str = "Alice Example") -> str:
    return f"name: {name}\ntype: person\n{extra}"


def write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def symlink(name: str, target: str) -> Setup:
    def make(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    return make


def fail_compose_with_recursion(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml refuses more than 1000 levels before Python's recursion limit is near,
    so the guard around `yaml.compose` is reached only by injecting the failure."""
    from builder.source import yamlread

    real = yamlread.yaml.compose

    def compose(text: str, *args: object, **kwargs: object) -> object:
        if "DEEP" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlread.yaml, "compose", compose)


def fail_search_index(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import publish
    from builder.output.search import SearchIndexError

    def update_search(*args: object, **kwargs: object) -> None:
        raise SearchIndexError("pagefind: out of memory")

    monkeypatch.setattr(publish, "update_search", update_search)


def broken_theme(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = root / "themes/broken/templates"
    templates.mkdir(parents=True)
    (templates / "topic.html").write_text('{% extends "default:topic.html" %}\n{% if %}\n')


# said once for a file that failed: what depends on it is not checked
ARTICLE_FAILS = (
    f"{ARTICLE}:1:1: note: 1 quote from this article not checked while it fails",
    f"{ARTICLE}:1:1: note: which entities no article mentions is not checked while this "
    "article fails",
)


def topic_fails(path: str) -> str:
    return f"{path}:1:1: note: which articles are in no topic is not checked while this topic fails"


ALIAS_BOMB = "".join(
    [
        "name: Alice Example\ntype: person\n",
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
        *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 6)),
    ]
)

CASES = [
    # --- content/site.yaml ------------------------------------------------------------
    Case(
        "site: no base_url",
        {SITE: "title: Test Desk\n"},
        (f"{SITE}:1:1: warning: no 'base_url': canonical links and absolute URLs are left out",),
    ),
    Case(
        "site: language tag",
        {SITE: f"title: Test Desk\n{BASE_URL}language: en_US\n"},
        (f"{SITE}:3:11: error: 'language' must be a BCP 47 language tag, not 'en_US'",),
    ),
    Case(
        "site: cname",
        {SITE: f"title: Test Desk\n{BASE_URL}cname: https://news.example.org/\n"},
        (f"{SITE}:3:8: error: 'cname' must be a domain name, not 'https://news.example.org/'",),
    ),
    Case(
        "site: base_url scheme",
        {SITE: "title: Test Desk\nbase_url: javascript://example.org/%0Aalert(1)\n"},
        (
            f"{SITE}:2:11: error: 'base_url' must be an http(s) URL, not "
            "'javascript://example.org/%0Aalert(1)'",
        ),
    ),
    Case(
        "id: a file set aside for its name still says what is wrong inside it",
        {"content/entities/Carl.yaml": "type: animal\n"},
        (
            "content/entities/Carl.yaml:1:1: error: 'Carl' is not a valid id: use lowercase "
            "a-z, 0-9 and '-', starting with a letter (did you mean 'carl'?)",
            "content/entities/Carl.yaml:1:1: error: missing required key 'name' in entity",
            "content/entities/Carl.yaml:1:7: error: unknown entity type 'animal': use one of "
            "person, country, organization, place, group, event, other",
        ),
    ),
    Case(
        "site: a theme that is not there",
        {SITE: f"title: Test Desk\n{BASE_URL}theme: defualt\n"},
        (
            f"{SITE}:3:8: error: no theme 'defualt': there is no folder themes/defualt/ "
            "beside content/ (did you mean 'default'?)",
        ),
    ),
    Case(
        "site: placeholder base_url",
        {SITE: "title: Test Desk\nbase_url: https://example.github.io/desk/\n"},
        (
            f"{SITE}:2:11: warning: 'base_url' is a placeholder (example.github.io): set the "
            "address the site is published at, or build with --base-url URL (the Pages "
            "workflow passes it)",
        ),
    ),
    Case(
        "site: a symlink out of the project",
        {"content/entities/elsewhere.yaml": None},
        (
            "content/entities/elsewhere.yaml:1:1: error: a symbolic link to /dev/null, outside "
            "the project: not read",
        ),
        setup=symlink("content/entities/elsewhere.yaml", "/dev/null"),
    ),
    Case(
        "site: title needs a value",
        {SITE: f"title:\n{BASE_URL}"},
        (f"{SITE}:1:1: error: 'title' needs a value",),
    ),
    Case(
        "site: missing",
        {SITE: None},
        (f"{SITE}:1:1: error: missing site.yaml (it needs at least `title:`)",),
    ),
    Case(
        "site: a flag that is not one",
        {SITE: f"title: Test Desk\n{BASE_URL}allow_html: yes please\n"},
        (f"{SITE}:3:13: error: 'allow_html' must be true or false, not text",),
    ),
    # --- reading files --------------------------------------------------------------
    Case("file: empty", {ALICE: "  \n"}, (f"{ALICE}:1:1: error: empty file",)),
    Case(
        "file: binary",
        {ALICE: b"name: Alice\x00\n"},
        (f"{ALICE}:1:1: error: binary file: expected UTF-8 text",),
    ),
    Case(
        "file: not UTF-8",
        {ALICE: b"name: Alice Example\ntype: person\nsummary: caf\xe9\n"},
        (f"{ALICE}:3:13: error: not UTF-8 text (byte 0xe9)",),
    ),
    Case(
        "file: no YAML values",
        {ALICE: "# Alice Example, to be written\n"},
        (f"{ALICE}:1:1: error: the file holds no YAML values",),
    ),
    Case(
        "file: cannot be read",
        {ALICE: None},
        (f"{ALICE}:1:1: error: cannot read file: Too many levels of symbolic links",),
        setup=symlink(ALICE, "alice-example.yaml"),
    ),
    Case(
        "file: missing front matter",
        {ARTICLE: "title: First story\ndate: 2024-10-23\n\nAlice Example.\n"},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:1:1: error: missing front matter: an article starts with a line '---'",
        ),
    ),
    Case(
        "file: front matter not closed",
        {ARTICLE: FRONT + "Alice Example met the Board of Things.\n"},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:1:1: error: front matter is not closed: add a line '---' after it",
        ),
    ),
    Case(
        "file: empty front matter",
        {ARTICLE: "---\n---\nAlice Example met the Board of Things.\n"},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:1:1: error: empty front matter: an article needs `title:` and `date:`",
        ),
    ),
    # --- YAML -----------------------------------------------------------------------
    Case(
        "yaml: syntax",
        {ALICE: entity("summary: !<tag A person\n")},
        (
            f"{ALICE}:3:15: error: invalid YAML: while scanning a tag; "
            "did not find the expected '>'",
        ),
    ),
    Case(
        "yaml: nested too deeply to compose",
        {ALICE: entity("summary: DEEP\n")},
        (f"{ALICE}:1:1: error: invalid YAML: nested too deeply",),
        setup=fail_compose_with_recursion,
    ),
    Case(
        "yaml: nested too deeply to read",
        {ALICE: entity("summary: " + "[" * 600 + "]" * 600 + "\n")},
        (f"{ALICE}:1:1: error: YAML nested too deeply",),
    ),
    Case(
        "yaml: alias bomb",
        {ALICE: ALIAS_BOMB},
        # where the count ran over: inside the anchored list that the aliases repeat
        (f"{ALICE}:3:28: error: YAML expands to too many values (aliases nested too deeply?)",),
    ),
    Case(
        "yaml: unsupported tag",
        {ALICE: entity("summary: !!python/object/apply:os.system [echo hi]\n")},
        (
            f"{ALICE}:3:10: error: unsupported YAML tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
    ),
    Case(
        "yaml: unsupported tag on a required key, not also 'needs a value'",
        {ALICE: "name: !!python/object:os.system x\ntype: person\n"},
        (f"{ALICE}:1:7: error: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'",),
    ),
    Case(
        "yaml: key not a string",
        {ALICE: entity("[summary]: A person.\n")},
        (f"{ALICE}:3:1: error: a key must be a plain string",),
    ),
    Case(
        "yaml: duplicate key",
        {ALICE: entity("name: Alice\n")},
        (f"{ALICE}:3:1: error: duplicate key 'name' (first given at line 1)",),
    ),
    # --- files and ids --------------------------------------------------------------
    Case(
        "scan: not a content file",
        {"content/articles/notes.txt": "to do\n"},
        ("content/articles/notes.txt:1:1: warning: ignored: only *.md files belong in articles/",),
    ),
    Case(
        "scan: invalid file id",
        {"content/entities/9lives.yaml": entity("", "Nine Lives")},
        (
            "content/entities/9lives.yaml:1:1: error: '9lives' is not a valid id: use "
            "lowercase a-z, 0-9 and '-', starting with a letter",
        ),
    ),
    Case(
        "scan: duplicate id",
        {"content/topics/alice-example.yaml": "title: Alice\n"},
        (
            topic_fails("content/topics/alice-example.yaml"),
            "content/topics/alice-example.yaml:1:1: error: duplicate id 'alice-example': "
            f"also used by {ALICE}",
        ),
    ),
    # --- the schema -----------------------------------------------------------------
    Case(
        "schema: not a mapping",
        {ALICE: "- Alice Example\n- person\n"},
        (f"{ALICE}:1:1: error: entity must be a mapping of keys to values, not a list",),
    ),
    Case(
        "schema: an item not a mapping",
        {TOPIC: TOPIC_HEAD + "facts:\n  - twelve members\n" + "  - label: L\n    value: V\n"},
        (
            f"{TOPIC}:4:5: error: fact must be a mapping of keys to values, not text",
            f"{TOPIC}:5:5: warning: fact 'L' has no 'source'",
        ),
    ),
    Case(
        "schema: unknown key",
        {ALICE: entity("sumary: A person.\n")},
        (f"{ALICE}:3:1: error: unknown key 'sumary' in entity (did you mean 'summary'?)",),
    ),
    Case(
        "schema: missing required key",
        {ARTICLE: "---\ntitle: First story\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:2:1: error: missing required key 'date' in front matter",
        ),
    ),
    Case(
        "schema: needs a value",
        {TOPIC: "title:\nentities: [alice-example]\n"},
        (
            topic_fails(TOPIC),
            f"{TOPIC}:1:1: error: 'title' needs a value",
        ),
    ),
    Case(
        "schema: is empty",
        {ALICE: entity("summary: '  '\n")},
        (f"{ALICE}:3:10: error: 'summary' is empty",),
    ),
    Case(
        "schema: wrong type",
        {ALICE: entity("aliases: Alice\n")},
        (f"{ALICE}:3:10: error: 'aliases' must be a list, not text",),
    ),
    Case(
        "schema: an article's topics not a list, and no 'in no topic' after it",
        {ARTICLE: FRONT.replace("topics: [big-story]", "topics: big-story") + BODY},
        (f"{ARTICLE}:4:9: error: 'topics' must be a list, not text",),
    ),
    Case(
        "schema: text that is a mapping",
        {ALICE: entity("summary: {a: b}\n")},
        (f"{ALICE}:3:10: error: 'summary' must be text, not a mapping",),
    ),
    Case(
        "schema: each item must be text",
        {ALICE: entity("aliases: [Alice, '', [A]]\n")},
        (
            f"{ALICE}:3:18: error: each of 'aliases' must be non-empty text, not text",
            f"{ALICE}:3:22: error: each of 'aliases' must be non-empty text, not a list",
        ),
    ),
    Case(
        "schema: id of the wrong type",
        {TOPIC: "title: The big story\nentities: [alice-example, 12]\n"},
        (f"{TOPIC}:2:27: error: 'entities' must be an id, not a number",),
    ),
    Case(
        "schema: invalid id",
        {TOPIC: "title: The big story\nentities: [Alice_Example]\n"},
        (
            f"{TOPIC}:2:12: error: 'Alice_Example' is not a valid id: use lowercase a-z, 0-9 "
            "and '-', starting with a letter (did you mean 'alice-example'?)",
        ),
    ),
    Case(
        "schema: entity type",
        {ALICE: "name: Alice Example\ntype: persn\n"},
        (
            f"{ALICE}:2:7: error: unknown entity type 'persn': use one of person, country, "
            "organization, place, group, event, other (did you mean 'person'?)",
        ),
    ),
    Case(
        "schema: link url scheme",
        {
            ALICE: entity(
                "links:\n  - title: Profile\n    url: javascript://x/%0Aalert(1)\n"
                "  - title: Mixed case\n    url: JavaScript:alert(1)\n"
            )
        },
        (
            f"{ALICE}:5:10: error: 'url' must be an http(s) URL, not 'javascript://x/%0Aalert(1)'",
            f"{ALICE}:7:10: error: 'url' must be an http(s) URL, not 'JavaScript:alert(1)'",
        ),
    ),
    Case(
        "schema: link without url",
        {ALICE: entity("links:\n  - title: Profile\n")},
        (f"{ALICE}:4:5: error: missing required key 'url' in link",),
    ),
    Case(
        "schema: article url scheme",
        {ARTICLE: FRONT + "url: data:text/html,<script>alert(1)</script>\n" + BODY},
        (
            f"{ARTICLE}:5:6: error: 'url' must be an http(s) URL, not "
            "'data:text/html,<script>alert(1)</script>'",
        ),
    ),
    Case(
        "schema: url is empty",
        {ARTICLE: FRONT + "url: ''\n" + BODY},
        (f"{ARTICLE}:5:6: error: 'url' is empty",),
    ),
    Case(
        "todo: a required value",
        {ARTICLE: "---\ntitle: First story\ndate: TODO\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date' is still TODO, and front matter needs it",
        ),
    ),
    Case(
        "todo: in a value",
        {ALICE: entity("summary: TODO one sentence\n")},
        (f"{ALICE}:3:10: warning: 'summary' still holds TODO: finish it before publishing",),
    ),
    Case(
        "todo: in a comment",
        {ALICE: entity("summary: A person.  # TODO: check the age\n")},
        (
            f"{ALICE}:3:23: warning: a TODO is left on this line: finish the value, then "
            "remove the comment",
        ),
    ),
    Case(
        "schema: quote without source",
        {TOPIC: TOPIC_HEAD + "facts:\n  - label: L\n    value: V\n    quote: Alice Example\n"},
        (f"{TOPIC}:6:12: error: a 'quote' needs a 'source' (the article id)",),
    ),
    Case(
        "facts: a number that is not finite",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT + "    number: .nan\n"},
        (f"{TOPIC}:8:13: error: 'number' must be a finite number",),
    ),
    Case(
        "facts: a whole number too large for a float",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT + "    number: 1" + "0" * 400 + "\n"},
        (f"{TOPIC}:8:13: error: 'number' must be a finite number",),
    ),
    Case(
        "facts: a number and a range",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    number: 12\n    low: 10\n    high: 14\n"
        },
        (f"{TOPIC}:9:10: error: give 'number' or 'low' and 'high', not both",),
    ),
    Case(
        "facts: a range upside down",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT + "    low: 14\n    high: 10\n"},
        (f"{TOPIC}:8:10: error: 'low' (14) is above 'high' (10)",),
    ),
    Case(
        "articles: url and original_url",
        {
            ARTICLE: "---\ntitle: First story\ndate: 2024-10-23\ntopics: [big-story]\n"
            "url: https://a.example.org/x\noriginal_url: https://a.example.org/x\n---\n"
            "Alice Example met the Board of Things on Monday.\n\n"
            "The board said it had 12 members, Alice Example told reporters.\n"
        },
        (f"{ARTICLE}:6:15: error: give 'url' or 'original_url', not both: they are one",),
    ),
    Case(
        "fact ids: one id twice",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    id: members\n"
            + SOURCED_FACT.replace("Board members", "Seats")
            + "    id: members\n"
        },
        (
            f"{TOPIC}:13:9: error: fact id 'members' is already used on line 8: each fact of "
            "a topic or entity needs its own",
        ),
    ),
    Case(
        "fact ids: superseded twice",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    id: a\n"
            + SOURCED_FACT
            + "    id: b\n    supersedes: a\n"
            + SOURCED_FACT
            + "    id: c\n    supersedes: a\n"
        },
        (
            f"{TOPIC}:20:17: error: 'a' is already superseded by the claim on line 9: "
            "supersede the newest claim of the chain instead",
        ),
    ),
    Case(
        "fact ids: a circle",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    id: a\n    supersedes: b\n"
            + SOURCED_FACT
            + "    id: b\n    supersedes: a\n"
        },
        (
            f"{TOPIC}:9:17: error: these claims supersede each other in a circle",
            f"{TOPIC}:15:17: error: these claims supersede each other in a circle",
        ),
    ),
    Case(
        "fact ids: no such id",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    id: members\n"
            + SOURCED_FACT
            + "    supersedes: member\n"
        },
        (
            f"{TOPIC}:13:17: error: 'supersedes': no fact with id 'member' in this file (did "
            "you mean 'members'?)",
        ),
    ),
    Case(
        "fact ids: superseding itself",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT + "    id: a\n    supersedes: a\n"},
        (f"{TOPIC}:9:17: error: a claim cannot supersede itself",),
    ),
    Case(
        "fact ids: another claimant's claim",
        {
            TOPIC: TOPIC_HEAD
            + "facts:\n"
            + SOURCED_FACT
            + "    id: a\n    claimed_by: alice-example\n"
            + SOURCED_FACT
            + "    supersedes: a\n    claimed_by: board-of-things\n"
        },
        (
            f"{TOPIC}:14:17: error: 'a' is claimed by alice-example, this claim by "
            "board-of-things: a newer claim replaces its own claimant's; mark it "
            "`correction: true` if it corrects another's",
        ),
    ),
    Case(
        "freshness: a stale claim",
        {SITE: f"title: Test Desk\n{BASE_URL}stale_after: 30d\n"},
        (
            f"{TOPIC}:5:5: warning: 'Board members: 12' is as of 2024-10-23, more than 30 "
            "days before 2025-06-01 (stale_after): it may be out of date; look for a newer "
            "figure",
        ),
        args=("check", "--today", "2025-06-01"),
    ),
    Case(
        "freshness: a summary that states a superseded figure",
        {
            TOPIC: "title: The big story\nsummary: The board has 12 members.\n"
            "entities: [alice-example]\nfacts:\n" + SOURCED_FACT + "    id: a\n"
            "  - label: Board members\n    value: '14'\n    supersedes: a\n"
        },
        (
            f"{TOPIC}:2:10: warning: the summary states 12, but 'Board members' is now 14: "
            "the claim of 12 was superseded",
            f"{TOPIC}:10:5: warning: fact 'Board members' has no 'source'",
        ),
    ),
    Case(
        "schema: fact without source",
        {TOPIC: TOPIC_HEAD + "facts:\n  - label: Members\n    value: '12'\n"},
        (f"{TOPIC}:4:5: warning: fact 'Members' has no 'source'",),
    ),
    Case(
        "schema: image without src or credit",
        {ALICE: entity("image:\n  alt: A portrait\n")},
        (f"{ALICE}:4:3: error: an image needs 'src' (with 'alt') or a 'credit'",),
    ),
    Case(
        "schema: image src without alt",
        {ALICE: entity("image: {src: media/alice.png}\n")},
        (f"{ALICE}:3:8: error: missing required key 'alt' in image",),
        setup=lambda root, _: write_file(root / "content/media/alice.png", b"png"),
    ),
    # --- dates (one call site, each of dates.py's messages) ---------------------------
    Case(
        "date: not a date",
        {ARTICLE: "---\ntitle: First story\ndate: last Monday\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': 'last Monday' is not a date (use YYYY-MM-DD; a "
            "time with its offset may follow, as 2024-10-23T14:05+02:00)",
        ),
    ),
    Case(
        "date: an article's date without its day",
        {ARTICLE: "---\ntitle: First story\ndate: 2024-10\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': '2024-10' is not a whole date (use YYYY-MM-DD; a "
            "time with its offset may follow, as 2024-10-23T14:05+02:00)",
        ),
    ),
    Case(
        "date: an article's time without its offset",
        {ARTICLE: "---\ntitle: First story\ndate: 2024-10-23T14:05\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': '2024-10-23T14:05' gives a time without its offset "
            "from UTC: add it (2024-10-23T14:05Z, or +02:00 for two hours ahead of UTC)",
        ),
    ),
    Case(
        "date: no such month",
        {ARTICLE: "---\ntitle: First story\ndate: 2024-13-04\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': '2024-13-04' is not a date: month 13 does not exist",
        ),
    ),
    Case(
        "date: no such day",
        {ARTICLE: "---\ntitle: First story\ndate: 2023-02-29\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': '2023-02-29' is not a date: February 2023 has 28 days",
        ),
    ),
    Case(
        "date: no such time",
        {ARTICLE: "---\ntitle: First story\ndate: 2024-10-23T25:00\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': '2024-10-23T25:00' is not a date: 25:00 is not a "
            "time of day",
        ),
    ),
    Case(
        "date: a timeline date that is not one",
        {TOPIC: TOPIC_HEAD + "timeline:\n  - date: soon\n    text: Next.\n"},
        (f"{TOPIC}:4:11: error: 'date': 'soon' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)",),
    ),
    Case(
        "date: a list",
        {ARTICLE: "---\ntitle: First story\ndate: [2024]\ntopics: [big-story]\n" + BODY},
        (
            *ARTICLE_FAILS,
            f"{ARTICLE}:3:7: error: 'date': expected a date (YYYY-MM-DD; a time with its "
            "offset may follow, as 2024-10-23T14:05+02:00)",
        ),
    ),
    # --- across files ---------------------------------------------------------------
    Case(
        "refs: unknown id",
        {TOPIC: "title: The big story\nentities: [alice-exampel]\n"},
        (f"{TOPIC}:2:12: error: unknown entity 'alice-exampel' (did you mean 'alice-example'?)",),
    ),
    Case(
        "refs: wrong kind",
        {TOPIC: "title: The big story\nentities: [alice-example, first-story]\n"},
        (f"{TOPIC}:2:27: error: 'first-story' is an article, not an entity",),
    ),
    Case(
        "refs: a draft",
        {
            "content/articles/draft-story.md": "---\ntitle: Draft\ndate: 2024-10-24\n"
            "draft: true\n---\nNot yet.\n",
            TOPIC: TOPIC_HEAD + "timeline:\n  - date: 2024-10-24\n    text: Drafted.\n"
            "    source: draft-story\n",
        },
        (f"{TOPIC}:6:13: warning: 'draft-story' is a draft: it is left out without --drafts",),
    ),
    Case(
        "refs: unknown wikilink",
        {ALICE: entity("summary: Member of [[board-of-thing]].\n")},
        (
            f"{ALICE}:3:20: error: unknown id 'board-of-thing' in [[...]] "
            "(did you mean 'board-of-things'?)",
        ),
    ),
    Case(
        "refs: entity mentioned nowhere",
        {"content/entities/nobody.yaml": entity("", "Nobody Here")},
        ("content/entities/nobody.yaml:1:1: warning: entity 'nobody' is mentioned in no article",),
    ),
    Case(
        "refs: article in no topic",
        {ARTICLE: "---\ntitle: First story\ndate: 2024-10-23\n" + BODY},
        (f"{ARTICLE}:2:1: warning: article 'first-story' is in no topic",),
    ),
    Case(
        "refs: ambiguous alias",
        {
            "content/entities/alice-cooper.yaml": entity("aliases: [Alice]\n", "Alice Cooper"),
            ARTICLE: FRONT + BODY + "\nAfterwards Alice spoke.\n",
        },
        (
            f"{ARTICLE}:10:12: warning: ambiguous alias 'Alice' in article 'first-story' could "
            "be alice-cooper, alice-example: name one in the article's 'entities'",
            "content/entities/alice-cooper.yaml:1:1: warning: entity 'alice-cooper' is "
            "mentioned in no article",
        ),
    ),
    Case(
        "quotes: not found",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT.replace("12 members", "14 members")},
        (
            f"{TOPIC}:7:12: error: quote not found in article 'first-story'; closest passage: "
            '"The board said it had 12 members,"',
        ),
    ),
    Case(
        "quotes: a figure the quote does not hold",
        {TOPIC: TOPIC_HEAD + "facts:\n" + SOURCED_FACT.replace('"12"', '"14"')},
        (
            f"{TOPIC}:7:12: warning: the quote does not contain 14, which 'value' gives: quote "
            "the sentence that does, or mark it `editorial: true` if you vouch for it without "
            "the source",
        ),
    ),
    Case(
        "quotes: a year the quote does not hold",
        {
            ALICE: entity(
                "relations:\n  - type: member of\n    target: board-of-things\n"
                "    since: 2020\n    source: first-story\n"
                "    quote: Alice Example met the Board of Things\n"
            )
        },
        (
            f"{ALICE}:8:12: warning: the quote does not contain 2020, the year 'since' gives: "
            "quote a sentence that does, or mark it `editorial: true` if you vouch for it "
            "without the source",
        ),
    ),
    # --- media ----------------------------------------------------------------------
    Case(
        "media: absolute path",
        {ALICE: entity("image: {src: /etc/hostname, alt: A portrait}\n")},
        (f"{ALICE}:3:14: error: '/etc/hostname' must be a path relative to content/",),
    ),
    Case(
        "media: leaves content",
        {ALICE: entity("image: {src: ../secret.png, alt: A portrait}\n"), "secret.png": "x"},
        (f"{ALICE}:3:14: error: '../secret.png' leaves content/: media must stay inside it",),
    ),
    Case(
        "media: a Markdown image or link that leaves content",
        {
            ARTICLE: FRONT
            + BODY
            + "\n![map](../secret.png) [file](media/../../x.pdf) [ok](#p-1)\n",
            ALICE: entity("description: |\n  See ![portrait](/etc/hostname).\n"),
        },
        (
            f"{ARTICLE}:10:8: error: '../secret.png' leaves content/: media must stay inside it",
            f"{ARTICLE}:10:30: error: 'media/../../x.pdf' leaves content/: "
            "media must stay inside it",
            f"{ALICE}:4:19: error: '/etc/hostname' must be a path relative to content/",
        ),
    ),
    Case(
        "media: a Markdown image that is not there",
        {
            ARTICLE: FRONT + BODY + "\n![map](media/map.png) ![ok](media/ok.png)\n",
            ALICE: entity("description: |\n  See ![portrait](media/alice.png).\n"),
            "content/media/ok.png": "png",
        },
        (
            f"{ARTICLE}:10:8: error: 'media/map.png' does not exist under content/",
            f"{ALICE}:4:19: error: 'media/alice.png' does not exist under content/",
        ),
    ),
    Case(
        "media: a symlink that leaves content",
        {ALICE: entity("image: {src: media/alice.png, alt: A portrait}\n"), "secret.png": "x"},
        (
            f"{ALICE}:3:14: error: 'media/alice.png' leaves content/: media must stay inside it",
            "content/media/alice.png:1:1: warning: skipped: a symbolic link out of media/, "
            "whose files alone are used",
        ),
        setup=symlink("content/media/alice.png", "../../secret.png"),
    ),
    Case(
        "media: missing file",
        {ARTICLE: FRONT + "image: {src: media/lead.jpg, alt: The board}\n" + BODY},
        (f"{ARTICLE}:5:14: error: 'media/lead.jpg' does not exist under content/",),
    ),
    # --- found only when writing ----------------------------------------------------
    Case(
        "write: template error",
        {SITE: f"title: Test Desk\n{BASE_URL}theme: broken\n"},
        (
            "themes/broken/templates/topic.html:2:1: error: template error: Expected an "
            "expression, got 'end of statement block'",
        ),
        args=("--no-search",),
        setup=broken_theme,
    ),
    Case(
        "write: search index fails",
        {},
        ("site:1:1: error: the search index failed (Pagefind): pagefind: out of memory",),
        args=(),
        setup=fail_search_index,
    ),
    # --- a build with nothing changed says the last build's diagnostics again ---------
    Case(
        "replay: error",
        {ALICE: entity("sumary: A person.\n")},
        (f"{ALICE}:3:1: error: unknown key 'sumary' in entity (did you mean 'summary'?)",),
        args=("--no-search",),
        runs=2,
    ),
    Case(
        "replay: warning",
        {SITE: "title: Test Desk\n"},
        (f"{SITE}:1:1: warning: no 'base_url': canonical links and absolute URLs are left out",),
        args=("--no-search",),
        runs=2,
    ),
]


# --- running a case, tracing each diagnostic to the line that made it -------------


@dataclass
class Outcome:
    code: int
    err: str
    lines: list[str]  # the diagnostic lines printed
    origins: dict[str, set[tuple[str, int]]] = field(default_factory=dict)  # line -> sites


def _origin() -> tuple[str, int] | None:
    """(path under builder/, line) of the innermost caller outside diagnostics.py."""
    frame = sys._getframe(2)
    own = Path(diagnostics.__file__).resolve()
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if path != own:
            if path.is_relative_to(PACKAGE):
                return path.relative_to(PACKAGE.parent).as_posix(), frame.f_lineno
            return None
        frame = frame.f_back
    return None


def run_case(
    case: Case,
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    files: dict[str, str | bytes | None] = {
        name: textwrap.dedent(text) for name, text in MINIMAL_SITE.items()
    }
    files[SITE] = f"title: Test Desk\n{BASE_URL}"
    files.update(case.files)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        elif data is not None:
            path.write_text(data, encoding="utf-8")
    if case.setup is not None:
        case.setup(root, monkeypatch)
    monkeypatch.chdir(root)
    made: list[tuple[diagnostics.Diagnostic, tuple[str, int] | None]] = []
    real_init = diagnostics.Diagnostic.__init__

    def traced_init(self: diagnostics.Diagnostic, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append((self, _origin()))

    code, err = -1, ""
    for _ in range(case.runs):
        made.clear()
        capsys.readouterr()
        with monkeypatch.context() as patch:
            patch.setattr(diagnostics.Diagnostic, "__init__", traced_init)
            code = main(list(case.args))
        err = capsys.readouterr().err
    lines = [
        line for line in err.splitlines() if re.match(r"\S+:\d+:\d+: (error|warning|note): ", line)
    ]
    outcome = Outcome(code, err, lines)
    for diagnostic, origin in made:
        if origin is not None:
            outcome.origins.setdefault(diagnostic.shown(), set()).add(origin)
    return outcome


def as_printed(lines: tuple[str, ...]) -> list[str]:
    """In the order `build` prints diagnostics: by path, line, column, message."""

    def place(line: str) -> tuple[str, int, int, str]:
        match = re.match(r"(\S+):(\d+):(\d+): \w+: (.*)", line)
        assert match, line
        path, number, col, message = match.groups()
        return path, int(number), int(col), message

    return sorted(lines, key=place)


OUTCOMES: dict[str, Outcome] = {}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_diagnostic(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcome = run_case(case, tmp_path, monkeypatch, capsys)
    OUTCOMES[case.name] = outcome
    assert outcome.lines == as_printed(case.expected), outcome.err
    assert outcome.code == case.exit_code, outcome.err
    assert "Traceback" not in outcome.err
    if case.args != ("check",) and case.exit_code != 0:
        assert not (tmp_path / "site").exists()  # a failed first build writes nothing


def test_strict_makes_every_warning_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    warned = Case(
        "all warnings",
        {
            SITE: "title: Test Desk\n",
            "content/entities/nobody.yaml": entity("", "Nobody Here"),
            TOPIC: TOPIC_HEAD + "facts:\n  - label: Members\n    value: '12'\n",
        },
        (),
        args=("check", "--strict"),
    )
    outcome = run_case(warned, tmp_path, monkeypatch, capsys)
    assert outcome.code == 1
    assert outcome.lines == [
        "content/entities/nobody.yaml:1:1: error: entity 'nobody' is mentioned in no article",
        f"{SITE}:1:1: error: no 'base_url': canonical links and absolute URLs are left out",
        f"{TOPIC}:4:5: error: fact 'Members' has no 'source'",
    ]


def test_a_draft_named_with_drafts_is_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = next(case for case in CASES if case.name == "refs: a draft")
    with_drafts = Case("with drafts", draft.files, (), args=("check", "--drafts"))
    outcome = run_case(with_drafts, tmp_path, monkeypatch, capsys)
    # published with --drafts: it is in no topic, which is said; no "is a draft"
    assert outcome.lines == [
        "content/articles/draft-story.md:2:1: warning: article 'draft-story' is in no topic"
    ]
    assert outcome.code == 0


# --- every call site has a case ------------------------------------------------------


SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class CallSite:
    path: str  # under builder/, as "builder/source/fields.py"
    line: int
    end_line: int
    severity: str
    pattern: re.Pattern[str]  # the message: its literal parts, anything between them

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.severity}: {self.pattern.pattern}"


def _parts(node: ast.expr, names: dict[str, list[ast.expr]]) -> list[list[str | None]]:
    """The message's possible literal parts (None: a computed part)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[node.value]]
    if isinstance(node, ast.JoinedStr):
        return [
            [v.value if isinstance(v, ast.Constant) else None for v in node.values]  # type: ignore[misc]
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _parts(node.left, names) for b in _parts(node.right, names)]
    if isinstance(node, ast.Name) and node.id in names:  # `message = ...` above the call
        values = [
            v for v in names[node.id] if not (isinstance(v, ast.Constant) and v.value is None)
        ]
        return [p for value in values for p in _parts(value, {})]
    return [[None]]


def _pattern(alternatives: list[list[str | None]]) -> re.Pattern[str]:
    def one(parts: list[str | None]) -> str:
        return "".join(".*" if part is None else re.escape(part) for part in parts)

    return re.compile("|".join(f"(?:{one(parts)})" for parts in alternatives), re.DOTALL)


def _functions(tree: ast.AST) -> Iterator[ast.AST]:
    """Module and function bodies, without the copies a mutation tool makes of each."""
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not re.search(
            r"__mutmut_\d+$", node.name
        ):
            yield node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of one scope, not of the functions nested in it."""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield child
        yield from _own_nodes(child)


def call_sites() -> list[CallSite]:
    """Every place in builder/ that makes an error or a warning."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in _functions(tree):
            nodes = list(_own_nodes(scope))
            names: dict[str, list[ast.expr]] = {}
            for node in nodes:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, []).append(node.value)
            for node in nodes:
                if not isinstance(node, ast.Call):
                    continue
                func, args = node.func, node.args
                if isinstance(func, ast.Attribute) and func.attr in SEVERITIES and len(args) == 2:
                    severity, message = func.attr, args[1]
                elif (
                    isinstance(func, ast.Name)
                    and func.id == "Diagnostic"
                    and len(args) == 3
                    and isinstance(args[0], ast.Constant)
                    and args[0].value in SEVERITIES
                ):
                    severity, message = str(args[0].value), args[2]
                else:
                    continue
                if relative == "builder/diagnostics.py":
                    continue  # the collector's own methods
                end = node.end_lineno or node.lineno
                found.append(
                    CallSite(relative, node.lineno, end, severity, _pattern(_parts(message, names)))
                )
    return found


def unrecognised_calls() -> list[str]:
    """Calls that make a diagnostic in a form `call_sites` cannot read (a severity held
    in a variable, keyword arguments): each would escape the census."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative == "builder/diagnostics.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Diagnostic":
                readable = (
                    len(node.args) == 3
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in SEVERITIES
                )
            elif isinstance(func, ast.Attribute) and func.attr in SEVERITIES:
                readable = len(node.args) == 2 and not node.keywords
            else:
                continue
            if not readable:
                found.append(f"{relative}:{node.lineno}")
    return found


def test_diagnostics_are_made_in_forms_the_census_reads() -> None:
    # the one exception: a build with nothing changed says the last build's diagnostics
    # again (cases "replay: ..."), with the severity it stored
    lines = (PACKAGE / "reporting.py").read_text(encoding="utf-8").splitlines()
    replay = [n for n, line in enumerate(lines, 1) if "Diagnostic(cast(Severity, " in line]
    assert unrecognised_calls() == [f"builder/reporting.py:{n}" for n in replay] != []


def test_call_sites_are_found() -> None:
    """The collector sees the kinds of call it must see (a guard for the test below)."""
    sites = call_sites()
    paths = {site.path for site in sites}
    assert {
        "builder/source/fields.py",
        "builder/source/validate.py",
        "builder/source/scan.py",
        "builder/model/checks.py",
        "builder/source/compile.py",
    } <= paths
    assert len(sites) >= 40
    assert any(site.pattern.fullmatch("'url' must be an http(s) URL, not 'x'") for site in sites)


def test_every_call_site_has_a_case(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tested: dict[tuple[str, int], list[str]] = {}  # origin -> asserted lines it made
    for case in CASES:
        if case.name not in OUTCOMES:  # this test was run alone
            with monkeypatch.context() as patch:
                OUTCOMES[case.name] = run_case(case, tmp_path_factory.mktemp("case"), patch, capsys)
        outcome = OUTCOMES[case.name]
        for line in case.expected:
            for origin in outcome.origins.get(line, set()):
                tested.setdefault(origin, []).append(line)
    missing, mismatched = [], []
    for site in call_sites():
        lines = [
            line
            for (path, number), made in tested.items()
            if path == site.path and site.line <= number <= site.end_line
            for line in made
        ]
        if not lines:
            missing.append(str(site))
        elif not any(
            f": {site.severity}: " in line
            and site.pattern.fullmatch(line.split(f": {site.severity}: ", 1)[1])
            for line in lines
        ):
            mismatched.append(f"{site}, but its case says {lines[0]!r}")
    assert not missing, "call sites that no case triggers and asserts:\n" + "\n".join(missing)
    assert not mismatched, "\n".join(mismatched)
