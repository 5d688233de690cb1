"""The inputs of a build as the cache sees them (`incremental/sources.py`): every
file's stat and hash, hashed on the workers when there are many."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.incremental import sources
from builder.incremental.sources import PARALLEL_FROM, input_rows
from builder.incremental.store import InputRow, digest
from builder.source.scan import scan


def many_articles(root: Path, count: int) -> Path:
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "site.yaml").write_text("title: Desk\n")
    for n in range(count):
        article = f"---\ntitle: Story {n}\ndate: 2024-10-01\n---\nText {n}.\n"
        (content / f"articles/story-{n}.md").write_text(article)
    return content


def test_many_inputs_are_hashed_on_the_workers_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = many_articles(tmp_path, PARALLEL_FROM + 50)
    inputs = scan(content, tmp_path)
    alone = input_rows(inputs, {}, 1)
    hashed_by = tmp_path / "hashed-by"  # a worker's pid, once per file it hashed
    file_digest = sources._file_digest

    def logged(name: str) -> bytes:
        with hashed_by.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return file_digest(name)

    monkeypatch.setattr(sources, "_file_digest", logged)
    spread = input_rows(inputs, {}, 2)
    assert len(set(hashed_by.read_text().split()) - {str(os.getpid())}) == 2
    assert spread == alone
    assert list(spread) == list(inputs.stats)  # in the scan's order
    files = [name for name in spread if name.startswith(str(tmp_path / "content"))]
    assert len(files) == PARALLEL_FROM + 51  # and site.yaml
    assert all(spread[name].digest == digest(Path(name).read_bytes()) for name in files)


def test_an_input_whose_stat_is_unchanged_is_not_read_again(tmp_path: Path) -> None:
    inputs = scan(many_articles(tmp_path, PARALLEL_FROM + 50), tmp_path)
    name, stat = next(iter(inputs.stats.items()))
    stored = InputRow(stat.mtime_ns, stat.size, b"as the last build hashed it")
    touched = InputRow(stat.mtime_ns - 1, stat.size, b"as the last build hashed it")
    assert input_rows(inputs, {name: stored}, 2)[name] is stored
    assert input_rows(inputs, {name: touched}, 2)[name].digest == digest(Path(name).read_bytes())
