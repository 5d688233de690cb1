"""Nothing unfinished is published: a TODO left in a value, or in the comment of a
value's line (as `build import` writes them), is a warning, an error with --strict."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import MINIMAL_SITE, Run, write_files

TOPIC = "content/topics/big-story.yaml"
FINISH = "still holds TODO: finish it before publishing"


def with_topic_text(tmp_path: Path, old: str, new: str) -> Path:
    site = write_files(tmp_path, MINIMAL_SITE)
    topic = site / TOPIC
    text = topic.read_text()
    assert old in text
    topic.write_text(text.replace(old, new))
    return site


def test_a_todo_label_fails_strict(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    site = with_topic_text(tmp_path, "label: Board members", "label: 'TODO: what is counted'")
    result = run_build(site, "check")
    assert result.code == 0
    assert result.diagnostics == [f"{TOPIC}:5:12: warning: 'label' {FINISH}"]
    strict = run_build(site, "--strict")
    assert strict.code == 1
    assert strict.diagnostics == [f"{TOPIC}:5:12: error: 'label' {FINISH}"]
    assert not (site / "site").exists()


def test_a_todo_claimant_or_date_is_unfinished_not_invalid(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = with_topic_text(tmp_path, "claimed_by: board-of-things", "claimed_by: TODO")
    topic = site / TOPIC
    topic.write_text(topic.read_text().replace("as_of: 2024-10-23", "as_of: TODO"))
    result = run_build(site, "check")
    assert result.code == 0
    assert result.diagnostics == [
        f"{TOPIC}:7:17: warning: 'claimed_by' {FINISH}",
        f"{TOPIC}:8:12: warning: 'as_of' {FINISH}",
    ]


def test_a_required_value_still_todo_is_an_error(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = write_files(tmp_path, MINIMAL_SITE)
    entity = site / "content/entities/alice-example.yaml"
    entity.write_text(entity.read_text().replace("type: person", "type: TODO"))
    result = run_build(site, "check")
    assert result.code == 1
    assert (
        "content/entities/alice-example.yaml:2:7: error: 'type' is still TODO, and entity "
        "needs it" in result.diagnostics
    )


def test_an_imported_draft_may_hold_todos_until_it_is_published(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = write_files(tmp_path, MINIMAL_SITE)
    raw = site / "wire.txt"
    raw.write_text("Officials said on Monday that 12 members met.\n\nMore text here.\n")
    assert run_build(site, "import", "wire.txt", "--id", "wire-story").code == 0
    draft = site / "content/articles/wire-story.md"
    assert "# TODO" in draft.read_text()
    assert run_build(site, "check", "--strict").code == 0  # a draft: not published
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    result = run_build(site, "check")
    todo_lines = [d for d in result.diagnostics if "a TODO is left on this line" in d]
    assert todo_lines and all(d.startswith("content/articles/wire-story.md:") for d in todo_lines)
    assert todo_lines[0].startswith("content/articles/wire-story.md:2:")


def test_a_comment_on_a_line_of_its_own_is_a_note_not_a_marker(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = with_topic_text(tmp_path, "facts:\n", "# TODO: add the budget figure\nfacts:\n")
    assert run_build(site, "check", "--strict").code == 0
