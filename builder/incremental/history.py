"""The git history of facts, kept in the build cache by the commit it was read at:
a build reads the history once per new commit, not once per build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model.history import FactChange, FactVersion, History
from ..source.githistory import read_history
from ..source.gitrepo import find_repo
from .cache import code_version
from .deps import digest
from .store import Store


def cached_history(store: Store, content_dir: Path, wanted: bool) -> tuple[History, bytes | None]:
    """The history (empty without git, or when not `wanted`) and its key in the
    cache's memo (None when there is none)."""
    repo = find_repo(content_dir) if wanted else None
    if repo is None:
        return History(), None
    key = digest("history", code_version(), repo.head, str(repo.shallow), repo.prefix)
    stored = store.memo(key)
    if stored is not None:
        return decode(stored), key
    history = read_history(repo)
    with store.transaction():
        store.put_memo([(key, encode(history))])
    return history, key


def encode(history: History) -> bytes:
    changes = [
        [c.owner, c.fact_id, c.label, c.claimed_by, c.commit, c.date, c.message,
         list(vars(c.before).values()), list(vars(c.after).values())]
        for c in history.changes
    ]  # fmt: skip
    return json.dumps([changes, history.read, history.shallow, history.since]).encode()


def decode(data: bytes) -> History:
    changes, read, shallow, since = json.loads(data)
    return History(tuple(_change(fields) for fields in changes), read, shallow, since)


def _change(fields: list[Any]) -> FactChange:
    owner, fact_id, label, claimed_by, commit, date, message, before, after = fields
    return FactChange(
        owner, fact_id, label, claimed_by, commit, date, message,
        FactVersion(*before), FactVersion(*after),
    )  # fmt: skip
