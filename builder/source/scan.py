"""Which files a build reads: the content files with their ids, the media to copy and
the themes, each with the metadata that tells whether it changed since the last build.

This runs before anything else, also on a build where nothing changed, so it reads
no file and imports nothing heavy: a no-change rebuild is a stat of every input.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..diagnostics import Diagnostic, Loc

ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*")
FOLDERS = (
    ("articles", "article", ".md"),
    ("entities", "entity", ".yaml"),
    ("topics", "topic", ".yaml"),
)
DEFAULT_THEME = Path(__file__).parent.parent / "themes" / "default"


class Stat(NamedTuple):  # tuples, not dataclasses: there is one per input file
    mtime_ns: int
    size: int


class SourceFile(NamedTuple):
    """A content file that becomes one record: site.yaml, an article, entity or topic."""

    kind: str  # site, article, entity, topic
    id: str
    where: str  # its path (a Path object only when needed: most files are not read)
    stat: Stat

    @property
    def path(self) -> Path:
        return Path(self.where)


@dataclass
class Inputs:
    content_dir: Path
    sources: list[SourceFile] = field(default_factory=list)  # site.yaml first, then by folder
    declared: set[str] = field(default_factory=set)  # every id with a file, readable or not
    media: list[tuple[Path, str]] = field(default_factory=list)  # (file, url) to copy
    themes: list[Path] = field(default_factory=list)  # theme and template files
    stats: dict[str, Stat] = field(default_factory=dict)  # every input file by path
    diagnostics: list[Diagnostic] = field(default_factory=list)


def stat_of(path: Path | str) -> Stat:
    try:
        info = os.stat(path)
    except OSError:
        return Stat(-1, -1)
    return Stat(info.st_mtime_ns, info.st_size)


_MISSING = Stat(-1, -1)


def scan(content_dir: Path, site_root: Path) -> Inputs:
    """Every input of a build of `content_dir` (themes are looked up in `site_root`)."""
    inputs = Inputs(content_dir)
    site_yaml = content_dir / "site.yaml"
    if site_yaml.is_file():
        _add(inputs, "site", "site", str(site_yaml))
    else:
        inputs.diagnostics.append(
            Diagnostic("error", Loc(site_yaml), "missing site.yaml (it needs at least `title:`)")
        )
    seen: dict[str, str] = {}
    for folder, kind, suffix in FOLDERS:
        for name, where in _files_in(content_dir / folder, suffix, inputs):
            file_id = name[: -len(suffix)]
            if _check_id(file_id, where, seen, inputs):
                inputs.declared.add(file_id)
                _add(inputs, kind, file_id, where)
    inputs.media = tree_files(content_dir / "media", "media/")
    for theme in (site_root / "themes", DEFAULT_THEME):
        inputs.themes += [path for path, _ in tree_files(theme, "")]
    for path in [p for p, _ in inputs.media] + inputs.themes:
        inputs.stats[str(path)] = stat_of(path)
    return inputs


def _add(inputs: Inputs, kind: str, file_id: str, where: str) -> None:
    stat = stat_of(where)
    inputs.sources.append(SourceFile(kind, file_id, where, stat))
    inputs.stats[where] = stat


def _files_in(folder: Path, suffix: str, inputs: Inputs) -> list[tuple[str, str]]:
    """(name, path) of the files with `suffix` in `folder`, by name; a warning for
    anything else that is not hidden."""
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith("."):
            continue
        if name.endswith(suffix) and not _is_dir(entry):
            found.append((name, entry.path))  # reading it reports a dangling or looping link
        else:
            message = f"ignored: only *{suffix} files belong in {folder.name}/"
            inputs.diagnostics.append(Diagnostic("warning", Loc(Path(entry.path)), message))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _check_id(file_id: str, where: str, seen: dict[str, str], inputs: Inputs) -> bool:
    message = None
    if not ID_PATTERN.fullmatch(file_id):
        message = (
            f"'{file_id}' is not a valid id: use lowercase a-z, 0-9 and '-', starting with a letter"
        )
    elif file_id in seen:
        message = f"duplicate id '{file_id}': also used by {seen[file_id]}"
    if message is not None:
        inputs.diagnostics.append(Diagnostic("error", Loc(Path(where)), message))
        return False
    seen[file_id] = where
    return True


def tree_files(root: Path, prefix: str) -> list[tuple[Path, str]]:
    """Regular files under `root` that stay inside it, as (path, url) pairs, sorted.

    Symlinks are followed only where they stay inside `root`; directory symlinks are
    not walked, so a symlink loop cannot hang the build."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or not path.is_file():
                continue
            if path.resolve().is_relative_to(real_root):
                found.append((path, prefix + path.relative_to(root).as_posix()))
    return found


def rescan(previous: Inputs, modified: Iterable[str]) -> Inputs | None:
    """`previous` with new stats for `modified` files, when all of them are files it
    knows (an edit, as `build serve` hears of it); None when only a full scan can tell
    (a file added, removed or renamed)."""
    content, absolute = previous.content_dir, previous.content_dir.absolute()
    changed = set()
    for path in map(Path, modified):  # absolute, as a file watcher gives them
        if not path.is_relative_to(absolute):
            return None  # a theme: rare enough for a full scan
        changed.add(str(content / path.relative_to(absolute)))
    if not changed <= previous.stats.keys():
        return None
    stats = {**previous.stats, **{path: stat_of(path) for path in changed}}
    sources = [
        s._replace(stat=stats[s.where]) if s.where in changed else s for s in previous.sources
    ]
    return dataclasses.replace(previous, sources=sources, stats=stats)
