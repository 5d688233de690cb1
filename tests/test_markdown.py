"""Dossier's replacement of markdown-it's `normalize` rule (`source/markdown.py`) gives
byte-identical HTML to markdown-it's own: on any text, on every example of the
CommonMark spec written with each kind of line end, and on the benchmark corpus.

`commonmark/spec-0.31.2.json`: the 652 examples of the CommonMark spec 0.31.2
(John MacFarlane, CC BY-SA 4.0), as markdown-it-py 4.3.0 ships them in its tests
(`tests/test_cmark_spec/commonmark.json`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from builder.source import markdown
from tests.test_benchmarks import load_bench_run

SPEC = Path(__file__).parent / "commonmark/spec-0.31.2.json"
# the module, not the function that markdown_it.rules_core exports under its name
stock = importlib.import_module("markdown_it.rules_core.normalize").normalize


def with_stock_normalize(allow_html: bool) -> MarkdownIt:
    md = markdown.make_markdown(allow_html)
    md.core.ruler.at("normalize", stock)
    return md


def line_ends(text: str) -> Iterator[str]:
    """`text` as written, with Windows and old Mac line ends, and with a NUL."""
    yield text
    yield text.replace("\n", "\r\n")
    yield text.replace("\n", "\r")
    yield text.replace("\n", "\n\0", 1)


@given(st.text(alphabet="\r\n\0 a#*-`>", max_size=60))
def test_normalize_does_what_markdown_its_own_does(text: str) -> None:
    ours, theirs = StateCore(text, MarkdownIt(), {}), StateCore(text, MarkdownIt(), {})
    markdown.normalize(ours)
    stock(theirs)
    assert ours.src == theirs.src


def test_the_dialect_uses_dossiers_normalize() -> None:
    assert markdown.make_markdown().core.ruler.getRules("")[0] is markdown.normalize


@pytest.mark.parametrize("allow_html", [False, True])
def test_every_commonmark_example_renders_as_with_markdown_its_rule(allow_html: bool) -> None:
    examples = json.loads(SPEC.read_text())
    assert len(examples) == 652
    ours, theirs = markdown.make_markdown(allow_html), with_stock_normalize(allow_html)
    for example in examples:
        for text in line_ends(example["markdown"]):
            assert ours.render(text) == theirs.render(text), example["example"]


def test_the_benchmark_corpus_renders_as_with_markdown_its_rule(tmp_path: Path) -> None:
    corpus = load_bench_run("corpus")
    corpus.write_corpus(tmp_path / "corpus", 200)
    articles = sorted((tmp_path / "corpus/dossier/content/articles").glob("*.md"))
    assert len(articles) == 200
    ours, theirs = markdown.make_markdown(), with_stock_normalize(False)
    for article in articles:
        for text in line_ends(article.read_text()):
            assert ours.render(text) == theirs.render(text), article.name
