"""Records survive the cache: what is encoded decodes to an equal record (an article's
body in the form the cache keeps it, `texts.body_bytes`), and bytes that are not a
record are refused, never turned into something else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from builder.incremental import codec
from builder.incremental.store import StoreError
from builder.incremental.texts import body_bytes, body_parts, decode_body
from builder.model.records import ArticleBody, Compiled, Snippet
from builder.source.compile import Dialect, compile_file
from tests.conftest import ROOT

DEMO = ROOT / "content"


def demo_units() -> list[Compiled]:
    entities = [
        compile_file("entity", p.stem, p, Dialect()) for p in sorted(DEMO.glob("entities/*.yaml"))
    ]
    dialect = Dialect.of(False, [u.record for u in entities if u.record is not None])  # type: ignore[misc]
    articles = [
        compile_file("article", p.stem, p, dialect) for p in sorted(DEMO.glob("articles/*.md"))
    ]
    topics = [compile_file("topic", p.stem, p, Dialect()) for p in DEMO.glob("topics/*.yaml")]
    site = compile_file("site", "site", DEMO / "site.yaml", Dialect())
    return [site, *entities, *topics, *articles]


@pytest.mark.parametrize("unit", demo_units(), ids=lambda u: f"{u.kind}-{u.id}")
def test_every_demo_record_round_trips(unit: Compiled) -> None:
    assert codec.decode_as(codec.encode(unit), Compiled) == unit
    if unit.body is not None:
        assert codec.decode_as(codec.encode(unit.body), ArticleBody) == unit.body
        kept = body_bytes(unit.body)  # as the cache keeps it
        assert decode_body(kept) == unit.body
        assert body_parts(kept)[0] == unit.body.html
    for snippet in unit.snippets:
        assert codec.decode_as(codec.encode(snippet), Snippet) == snippet
    assert codec.decode_all(codec.encode_all(unit.snippets), Snippet) == list(unit.snippets)


def test_a_record_keeps_its_types() -> None:
    article = next(u for u in demo_units() if u.kind == "article")
    back = codec.decode_as(codec.encode(article), Compiled)
    assert back.record is not None and type(back.record) is type(article.record)
    assert isinstance(back.record.path, Path)
    assert isinstance(back.fragments, tuple) and isinstance(back.diagnostics, tuple)


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"[1, 2", b"[]", b'{"a": 1}', b"null", b'["article"]', b"[" * 10000],
)
def test_what_is_not_a_record_is_refused(data: bytes) -> None:
    with pytest.raises(codec.DecodeError):
        codec.decode_as(data, Compiled)


def test_a_record_of_another_type_is_refused() -> None:
    snippet = Snippet("e", "a", "before ", "mark", " after", 1)
    with pytest.raises(codec.DecodeError):
        codec.decode_as(codec.encode(snippet), ArticleBody)


@pytest.mark.parametrize(
    "damage", [lambda b: b[:-1], lambda b: b[:3], lambda b: b[:4] + b"\xff" + b[5:]]
)
def test_a_damaged_body_is_a_damaged_cache_not_a_wrong_page(
    damage: Callable[[bytes], bytes],
) -> None:
    damaged = damage(body_bytes(ArticleBody("<p>Caf\u00e9</p>", ())))
    with pytest.raises(StoreError):
        decode_body(damaged)


@pytest.mark.parametrize("data", [b"{}", b"[[1]]", b"[", b'["a"]'])
def test_what_is_not_a_list_of_records_is_refused(data: bytes) -> None:
    with pytest.raises(codec.DecodeError):
        codec.decode_all(data, Snippet)
