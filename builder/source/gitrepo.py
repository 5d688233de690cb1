"""The git checkout that holds `content/`, if there is one, read with the `git`
command and never written to.

Light to import: the no-change check asks for `history_stamp`, since a new commit
changes the history that pages show even where no content file changed.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Repo:
    root: Path  # the top of the work tree
    prefix: str  # content/ as a path inside the repository, "content/"
    head: str  # the commit checked out
    shallow: bool  # a shallow clone: the history stops before the first commit


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """The output of a read-only git command, or None where git or a repository is
    missing or the command fails."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}  # never write the index
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def find_repo(content_dir: Path) -> Repo | None:
    if not content_dir.is_dir():
        return None
    args = ("rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "HEAD")
    found = git(content_dir, *args)
    lines = found.decode(errors="replace").split("\n") if found else []
    if len(lines) < 4 or not lines[3]:
        return None  # no git, not a repository, or no commit yet
    return Repo(Path(lines[0]), lines[1], lines[3], lines[2] == "true")


def history_stamp(content_dir: Path) -> str | None:
    """What the history of content/ depends on: the commit checked out, and whether
    the clone is shallow (a clone deepened later gives more history)."""
    repo = find_repo(content_dir)
    return f"{repo.head} {repo.shallow} {repo.prefix}" if repo else None
