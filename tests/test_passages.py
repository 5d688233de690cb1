"""Sentence-level sources: each quoted passage is marked in its article's page, and
every link to a quote lands on an element that holds exactly its words."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.model.site import Passage
from builder.output.passages import mark_passages
from builder.source.quotes import normalize
from tests.conftest import MINIMAL_SITE, ROOT, Run, write_files


def marked(html: str, *pieces: str, block: str = "p-1") -> str:
    return mark_passages(html, [Passage("q-1", block, tuple(pieces))])


def test_the_passage_is_the_quoted_words() -> None:
    html = '<p id="p-1">He said: “We will stay.” Then he left.</p>'
    assert marked(html, 'He said: "We will stay."') == (
        '<p id="p-1"><span class="passage" id="q-1">He said: “We will stay.”</span> '
        "Then he left.</p>"
    )


def test_a_passage_that_starts_in_a_link_encloses_the_link() -> None:
    html = (
        '<p id="p-1">The <a href="x">North Korean army</a> is there, <em>officials said</em>.</p>'
    )
    assert marked(html, "Korean army is there, officials") == (
        '<p id="p-1">The <span class="passage" id="q-1"><a href="x">North Korean army</a> '
        "is there, <em>officials said</em></span>.</p>"
    )


def test_an_elided_quote_runs_from_its_first_to_its_last_part() -> None:
    html = '<p id="p-1">One, two, three, four &amp; five.</p>'
    assert marked(html, "two,", "four & five") == (
        '<p id="p-1">One, <span class="passage" id="q-1">two, three, four &amp; five</span>.</p>'
    )


def test_a_passage_not_found_still_has_its_target() -> None:
    html = '<p id="p-1">Text.</p>'
    assert marked(html, "missing") == (
        '<p id="p-1"><span class="passage" id="q-1"></span>Text.</p>'
    )
    assert marked(html, "Text", block="p-9") == '<span class="passage" id="q-1"></span>' + html


def test_passages_nest_and_crossing_ones_are_widened() -> None:
    html = '<p id="p-1">a b c d e</p>'
    out = mark_passages(
        html,
        [Passage("q-1", "p-1", ("a b c",)), Passage("q-2", "p-1", ("b",)),
         Passage("q-3", "p-1", ("c d",))],
    )  # fmt: skip
    assert _well_nested(out)
    for name, words in (("q-1", "a b c"), ("q-2", "b"), ("q-3", "c d")):
        assert words in _text_of(out, name)


class _Spans(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: dict[str, str] = {}
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(dict(attrs).get("id") or tag)
        self.text.setdefault(self.stack[-1], "")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.ok = False
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for name in self.stack:
            self.text[name] = self.text.get(name, "") + data


def _well_nested(html: str) -> bool:
    parser = _Spans()
    parser.feed(html)
    return parser.ok and not parser.stack


def _text_of(html: str, element_id: str) -> str:
    parser = _Spans()
    parser.feed(html)
    return parser.text.get(element_id, "")


def test_every_quote_link_of_the_demo_lands_on_its_words(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = run_build(tmp_path, "--no-search", "--base-url", "https://newsroom.github.io/x/")
    assert result.code == 0, result.err
    site = tmp_path / "site"
    quotes: dict[str, str] = {}  # passage id -> the quote a page shows for it
    for page in site.rglob("*.html"):
        html = page.read_text()
        for match in re.finditer(r'href="[^"]*articles/([^/"]+)/index\.html#(q-[0-9a-f]+)"', html):
            quotes.setdefault(match[2], match[1])
    assert len(quotes) >= 15, "the demo's facts, relations and timeline link to passages"
    for passage, article in quotes.items():
        page = (site / "articles" / article / "index.html").read_text()
        text = normalize(_text_of(page, passage))
        assert text, f"#{passage} has no words"
        assert len(text) < 400, f"#{passage} holds more than its quote: {text[:80]}..."


def test_a_paragraph_after_a_heading_in_a_list_item_has_its_target(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    files = dict(MINIMAL_SITE)
    files["content/articles/first-story.md"] = (
        "---\ntitle: First story\ndate: 2024-10-23\ntopics: [big-story]\n---\n"
        "Alice Example met the Board of Things.\n\n"
        "- ## Send the letter\n  Then wait for the reply.\n- Done.\n\n"
        "The board said it had 12 members.\n"
    )
    site = write_files(tmp_path, files)
    topic = site / "content/topics/big-story.yaml"
    topic.write_text(
        topic.read_text() + "timeline:\n  - date: 2024-10-23\n    text: The letter.\n"
        "    source: first-story\n    quote: Then wait for the reply.\n"
    )
    assert run_build(site, "--no-search").code == 0
    links = re.findall(
        r'first-story/index\.html#([\w-]+)"',
        (site / "site/topics/big-story/index.html").read_text(),
    )
    article = (site / "site/articles/first-story/index.html").read_text()
    assert links
    for anchor in links:
        assert f'id="{anchor}"' in article
    assert "Then wait for the reply." in [normalize(_text_of(article, a)) for a in links]


def test_no_mention_link_inside_a_raw_html_link(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    files = dict(MINIMAL_SITE)
    files["content/site.yaml"] += "allow_html: true\n"
    files["content/entities/kremlin.yaml"] = "name: Kremlin\ntype: organization\n"
    files["content/articles/first-story.md"] = (
        "---\ntitle: First story\ndate: 2024-10-23\ntopics: [big-story]\n"
        "entities: [alice-example, board-of-things]\n---\n"
        'Read <a href="https://example.org/statement">the Kremlin statement</a>. '
        "The Kremlin said so.\n\nThe board said it had 12 members.\n"
    )
    site = write_files(tmp_path, files)
    assert run_build(site, "--no-search").code == 0
    article = (site / "site/articles/first-story/index.html").read_text()
    raw = re.search(r'<a href="https://example.org/statement">(.*?)</a>', article)
    assert raw is not None and "<a" not in raw[1]
    assert 'class="mention" href="../../entities/kremlin/index.html">Kremlin</a> said' in article


@pytest.mark.parametrize("pieces", [("We will stay.",), ("He said", "stay.")])
def test_marking_keeps_the_text(pieces: tuple[str, ...]) -> None:
    html = '<p id="p-1">He said: “We will stay.” Then he left.</p>'
    out = marked(html, *pieces)
    assert re.sub(r"</?span[^>]*>", "", out) == html


def test_a_quote_reads_a_wikilink_as_the_page_shows_it(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """SPEC 7: quotes are compared with the text the reader sees. `[[alice-example]]`
    shows the entity's name, so a quote that names her verifies and is marked across
    the link; when the name changes, the same quote no longer does (also in a rebuild)."""
    write_files(tmp_path, MINIMAL_SITE)
    article = tmp_path / "content/articles/first-story.md"
    article.write_text(
        article.read_text() + "\nThen [[alice-example]] spoke, and the board listened.\n"
    )
    topic = tmp_path / "content/topics/big-story.yaml"
    topic.write_text(
        topic.read_text() + "  - label: Speech\n    value: one\n    source: first-story\n"
        "    quote: Then Alice Example spoke, and the board listened.\n"
    )
    assert run_build(tmp_path, "--no-search").code == 0
    page = (tmp_path / "site/articles/first-story/index.html").read_text()
    assert re.search(
        r'id="q-[0-9a-f]+">Then <a href="[^"]*alice-example[^"]*">Alice Example</a> spoke', page
    )
    entity = tmp_path / "content/entities/alice-example.yaml"
    entity.write_text(entity.read_text().replace("name: Alice Example", "name: Alice Ray"))
    renamed = run_build(tmp_path, "--no-search")
    assert renamed.code == 1
    assert 'closest passage: "Then Alice Ray spoke, and the board listened."' in renamed.err
