from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.model.site import Site
from builder.pipeline import BuildOptions, Memory, build_model
from tests.conftest import MINIMAL_SITE, Run, write_files


def resolved(
    tmp_path: Path, extra: dict[str, str] | None = None, drafts: bool = False
) -> tuple[Site, Diagnostics]:
    write_files(tmp_path, {**MINIMAL_SITE, **(extra or {})})
    options = BuildOptions(tmp_path / "content", tmp_path / "site", drafts, write=False)
    model, result = build_model(options)
    assert model.site is not None
    return model.site, result.diagnostics


SECOND = {
    "content/articles/second.md": "---\ntitle: Second\ndate: 2024-11-02\n"
    "topics: [big-story]\n---\nThe Board of Things met again; Alice Example and Alice "
    "were there.\n",
    "content/articles/draft.md": "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n"
    "topics: [big-story]\n---\nAlice.\n",
}


def test_articles_newest_first_and_topic_updated(tmp_path: Path) -> None:
    site, _ = resolved(tmp_path, SECOND)
    assert list(site.articles) == ["second", "first-story"]
    assert site.topic_articles["big-story"] == ["second", "first-story"]
    assert site.topic_updated["big-story"].iso == "2024-11-02"


def test_drafts_only_with_drafts(tmp_path: Path) -> None:
    site, _ = resolved(tmp_path, SECOND, drafts=True)
    assert "draft" in site.articles and site.topic_updated["big-story"].iso == "2025-01-01"


def test_mentions_counts_snippets_and_co_mentions(tmp_path: Path) -> None:
    site, _ = resolved(tmp_path, SECOND)
    assert site.mention_counts["second"] == {"alice-example": 2, "board-of-things": 1}
    assert site.mentioned_in["alice-example"] == ["second", "first-story"]
    [snippet] = site.texts.snippets("alice-example", ["second"])
    assert snippet.mark == "Alice Example" and snippet.count == 2
    assert snippet.before.endswith("met again; ")
    assert site.co_mentions("alice-example") == [("board-of-things", 2)]


def test_snippet_is_cut_near_160_characters(tmp_path: Path) -> None:
    long = " ".join(["word"] * 100)
    site, _ = resolved(
        tmp_path,
        {
            "content/articles/second.md": f"---\ntitle: S\ndate: 2024-11-02\ntopics: [big-story]\n"
            f"---\n{long} Alice Example {long}\n"
        },
    )
    [snippet] = site.texts.snippets("alice-example", ["second"])
    text = snippet.before + snippet.mark + snippet.after
    assert 140 <= len(text) <= 175
    assert text.startswith("…word") and text.endswith("word…")


def test_claims_citing_and_quote_paragraphs(tmp_path: Path) -> None:
    site, diags = resolved(tmp_path)
    assert diags.errors == []
    [fact] = site.claims["board-of-things"]
    assert fact.value == "12" and site.citing["first-story"] == [fact]
    assert fact.quote is not None
    source, anchor = site.quote_blocks[fact.quote]
    passage = site.passages["first-story"][anchor]  # the quoted words, in paragraph 2
    assert (source, passage.block, passage.pieces) == (
        "first-story",
        "p-2",
        ("The board said it had 12 members",),
    )


def test_relations_are_indexed_on_both_ends(tmp_path: Path) -> None:
    site, _ = resolved(
        tmp_path,
        {
            "content/entities/alice-example.yaml": "name: Alice Example\ntype: person\n"
            "relations:\n  - type: member of\n    target: board-of-things\n"
        },
    )
    [relation] = site.relations_in["board-of-things"]
    assert relation.subject == "alice-example" and relation.type == "member of"
    assert site.entity_topics["alice-example"] == ["big-story"]


MENTION_INDEXES = ("mention_counts", "present", "mentioned_in", "entity_articles", "entity_topics")


def test_mention_indexes_are_kept_between_rebuilds_only_while_what_they_read_is_the_same(
    tmp_path: Path,
) -> None:
    """`build serve` keeps the mention indexes of the last site (`Memory`): an edit of
    prose reuses them, and every edit that changes what they read makes them again,
    as a build from nothing would."""
    other = {"content/topics/other-story.yaml": "title: Another story\nsummary: More.\n"}
    write_files(tmp_path, {**MINIMAL_SITE, **SECOND, **other})
    options = BuildOptions(tmp_path / "content", tmp_path / "site", write=False)
    memory = Memory()
    kept, _ = build_model(options, memory)
    second = tmp_path / "content/articles/second.md"
    second.write_text(second.read_text() + "\nThe meeting ran late.\n")
    reused, _ = build_model(options, memory)
    assert reused.site is not None and kept.site is not None
    for name in MENTION_INDEXES:
        assert getattr(reused.site, name) is getattr(kept.site, name)
    topic = tmp_path / "content/topics/other-story.yaml"
    renamed = tmp_path / "content/articles/third.md"
    edits = [
        (topic, "summary: More.", "summary: More.\nentities: [board-of-things]"),  # players
        (second, "were there.", "were there. The Board of Things agreed."),  # a mention
        (second, "date: 2024-11-02", "date: 2024-10-01"),  # the order of the articles
        (second, "topics: [big-story]", "topics: [big-story, other-story]"),  # its topics
        (second, "", ""),  # its id (renamed below)
    ]
    for path, old, new in edits:
        if not old:
            second.rename(renamed)
        else:
            path.write_text(path.read_text().replace(old, new))
        patched, _ = build_model(options, memory)
        fresh, _ = build_model(options)
        assert patched.site is not None and fresh.site is not None
        for name in MENTION_INDEXES:
            assert getattr(patched.site, name) == getattr(fresh.site, name), (new, name)
    assert patched.site.entity_articles["board-of-things"] == ["first-story", "third"]
    assert patched.site.entity_topics["board-of-things"] == ["big-story", "other-story"]


def test_a_wikilink_or_the_entities_list_puts_an_article_on_the_profile(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    """SPEC 3 and 6: `entities` names what an article is about even where no alias
    occurs, and a wikilink mentions its entity: the profile lists the article (without
    a snippet when no name occurs), and the entity is not 'mentioned in no article'."""
    extra = {
        "content/entities/carol-ray.yaml": "name: Carol Ray\ntype: person\n",
        "content/entities/dan-moss.yaml": "name: Dan Moss\ntype: person\n",
        "content/articles/linked.md": "---\ntitle: Linked\ndate: 2024-11-02\n"
        "topics: [big-story]\n---\nThe board heard from [[carol-ray|a witness]].\n",
        "content/articles/about.md": "---\ntitle: About him\ndate: 2024-11-03\n"
        "topics: [big-story]\nentities: [dan-moss]\n---\nThe board heard from a lawyer.\n",
    }
    root = write_files(tmp_path, {**MINIMAL_SITE, **extra})
    result = run_build(root, "--no-search")
    assert result.code == 0
    assert [d for d in result.diagnostics if "mentioned in no article" in d] == []
    for entity, article in (("carol-ray", "Linked"), ("dan-moss", "About him")):
        profile = (root / f"site/entities/{entity}/index.html").read_text()
        assert f">{article}</a>" in profile, entity
