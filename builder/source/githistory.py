"""The history of every fact, from the git history of `content/` (SPEC 11).

One pass over the history per build, with two `git` processes: `git log --raw`
lists, for each commit, the topic and entity files it changed with the blob ids
before and after; `git cat-file --batch` then reads those blobs. Each pair of
versions of a file is compared fact by fact. Nothing is written to the repository.
The result depends only on the commit checked out, so the build caches it by that
(`incremental/history.py`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import yaml

from ..model.history import FactChange, FactVersion, History
from .gitrepo import Repo, git

RECORD, UNIT = "\x1e", "\x1f"
NO_BLOB = "0" * 40
FOLDERS = ("topics/", "entities/")


@dataclass(frozen=True)
class FileChange:
    commit: str
    date: str
    message: str
    owner: str
    before: str  # blob ids
    after: str


def read_history(repo: Repo) -> History:
    log = git(
        repo.root,
        "log",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        f"--format={RECORD}%H{UNIT}%cI{UNIT}%s",
        "--",
        *(repo.prefix + folder for folder in FOLDERS),
    )
    if log is None:  # git went away, or the repository is damaged: as without git
        return History()
    files, dates = parse_log(log.decode(errors="replace"), repo.prefix)
    blobs = read_blobs(repo, {b for f in files for b in (f.before, f.after)})
    facts = {blob: facts_of(text) for blob, text in blobs.items()}  # each version once
    changes = [c for f in files for c in compare(f, facts.get(f.before), facts.get(f.after))]
    oldest = min(dates, key=datetime.datetime.fromisoformat, default=None)
    return History(tuple(changes), True, repo.shallow, oldest)


def parse_log(text: str, prefix: str) -> tuple[list[FileChange], list[str]]:
    """The modified topic and entity files of each commit, newest commit first, and
    the dates of all commits read."""
    files: list[FileChange] = []
    dates: list[str] = []
    for entry in text.split(RECORD)[1:]:
        header, _, raw = entry.partition("\n")
        commit, date, message = (header.split(UNIT) + ["", ""])[:3]
        dates.append(date)
        for line in raw.splitlines():
            meta, _, path = line.partition("\t")
            fields = meta.split()
            if len(fields) < 5 or fields[4] != "M" or not path.endswith(".yaml"):
                continue
            inner = path[len(prefix) :] if path.startswith(prefix) else path
            folder, _, name = inner.partition("/")
            if folder + "/" in FOLDERS and "/" not in name:
                owner = name[: -len(".yaml")]
                files.append(FileChange(commit, date, message, owner, fields[2], fields[3]))
    return files, dates


def read_blobs(repo: Repo, ids: set[str]) -> dict[str, str]:
    wanted = sorted(ids - {NO_BLOB})
    if not wanted:
        return {}
    out = git(repo.root, "cat-file", "--batch", stdin="\n".join(wanted).encode() + b"\n")
    found: dict[str, str] = {}
    position = 0
    while out is not None and position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue  # "<id> missing": beyond a shallow clone's depth
        size = int(header[2])
        found[header[0].decode()] = out[position : position + size].decode(errors="replace")
        position += size + 1
    return found


@dataclass(frozen=True)
class Version:
    """A fact as one version of its file has it."""

    id: str | None
    label: str
    claimant: str | None
    fact: FactVersion


def compare(
    change: FileChange, old: list[Version] | None, new: list[Version] | None
) -> list[FactChange]:
    """The facts whose value, quote, source or date the commit changed, matched by
    `id` where the older version has it, else by label and claimant."""
    if old is None or new is None:
        return []
    by_id = {v.id: v for v in old if v.id}
    by_label = {(v.label, v.claimant): v for v in old}
    found = []
    for version in new:
        earlier = by_id.get(version.id) if version.id else None
        earlier = earlier or by_label.get((version.label, version.claimant))
        if earlier is not None and earlier.fact != version.fact:
            found.append(
                FactChange(
                    change.owner, version.id, version.label, version.claimant, change.commit,
                    change.date, change.message, earlier.fact, version.fact,
                )
            )  # fmt: skip
    return found


def facts_of(text: str) -> list[Version]:
    """The facts of one version of a file (none where it does not parse)."""
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return []
    items = data.get("facts") if isinstance(data, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "label" in item and "value" in item:
            fact = FactVersion(
                str(item["value"]),
                _text(item.get("quote")),
                _text(item.get("source")),
                _text(item.get("as_of")),
            )
            label = str(item["label"]).strip()
            found.append(Version(_text(item.get("id")), label, _text(item.get("claimed_by")), fact))
    return found


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
