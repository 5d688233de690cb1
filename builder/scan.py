"""Which files a build reads: the content files with their ids, the media to copy and
the themes, each with the metadata that tells whether it changed since the last build.

This runs before anything else, also on a build where nothing changed, so it reads
no file and imports nothing heavy: a no-change rebuild is a stat of every input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Loc

ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*")
FOLDERS = (
    ("articles", "article", ".md"),
    ("entities", "entity", ".yaml"),
    ("topics", "topic", ".yaml"),
)
DEFAULT_THEME = Path(__file__).parent / "themes" / "default"


@dataclass(frozen=True)
class Stat:
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class SourceFile:
    """A content file that becomes one record: site.yaml, an article, entity or topic."""

    kind: str  # site, article, entity, topic
    id: str
    path: Path
    stat: Stat


@dataclass
class Inputs:
    content_dir: Path
    sources: list[SourceFile] = field(default_factory=list)  # site.yaml first, then by folder
    declared: set[str] = field(default_factory=set)  # every id with a file, readable or not
    media: list[tuple[Path, str]] = field(default_factory=list)  # (file, url) to copy
    themes: list[Path] = field(default_factory=list)  # theme and template files
    stats: dict[str, Stat] = field(default_factory=dict)  # every input file by path
    diagnostics: list[Diagnostic] = field(default_factory=list)


def stat_of(path: Path) -> Stat:
    try:
        info = path.stat()
    except OSError:
        return Stat(-1, -1)
    return Stat(info.st_mtime_ns, info.st_size)


def scan(content_dir: Path, site_root: Path) -> Inputs:
    """Every input of a build of `content_dir` (themes are looked up in `site_root`)."""
    inputs = Inputs(content_dir)
    site_yaml = content_dir / "site.yaml"
    if site_yaml.is_file():
        _add(inputs, SourceFile("site", "site", site_yaml, stat_of(site_yaml)))
    else:
        inputs.diagnostics.append(
            Diagnostic("error", Loc(site_yaml), "missing site.yaml (it needs at least `title:`)")
        )
    seen: dict[str, Path] = {}
    for folder, kind, suffix in FOLDERS:
        for path in _files_in(content_dir / folder, suffix, inputs):
            if _check_id(path.stem, path, seen, inputs):
                inputs.declared.add(path.stem)
                _add(inputs, SourceFile(kind, path.stem, path, stat_of(path)))
    inputs.media = tree_files(content_dir / "media", "media/")
    for theme in (site_root / "themes", DEFAULT_THEME):
        inputs.themes += [path for path, _ in tree_files(theme, "")]
    for path in [p for p, _ in inputs.media] + inputs.themes:
        inputs.stats[str(path)] = stat_of(path)
    return inputs


def _add(inputs: Inputs, source: SourceFile) -> None:
    inputs.sources.append(source)
    inputs.stats[str(source.path)] = source.stat


def _files_in(folder: Path, suffix: str, inputs: Inputs) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.name.endswith(suffix) and not _is_dir(entry):
            found.append(path)  # reading it reports a dangling or looping link
        else:
            message = f"ignored: only *{suffix} files belong in {folder.name}/"
            inputs.diagnostics.append(Diagnostic("warning", Loc(path), message))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _check_id(file_id: str, path: Path, seen: dict[str, Path], inputs: Inputs) -> bool:
    message = None
    if not ID_PATTERN.fullmatch(file_id):
        message = (
            f"'{file_id}' is not a valid id: use lowercase a-z, 0-9 and '-', starting with a letter"
        )
    elif file_id in seen:
        message = f"duplicate id '{file_id}': also used by {seen[file_id]}"
    if message is not None:
        inputs.diagnostics.append(Diagnostic("error", Loc(path), message))
        return False
    seen[file_id] = path
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
