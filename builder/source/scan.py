"""Which files a build reads: the content files with their ids, the media to copy and
the themes, each with the metadata that tells whether it changed since the last build.

This runs before anything else, also on a build where nothing changed, so it reads
no file and imports nothing heavy: a no-change rebuild is a stat of every input.
"""

from __future__ import annotations

import dataclasses
import os
import re
import unicodedata
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


def _default_theme() -> Path:
    """The default theme: packaged as `builder/themes/default/` when installed, and
    `themes/default/` at the root of a source checkout (`pyproject.toml` maps one to
    the other)."""
    package = Path(__file__).parent.parent
    installed = package / "themes" / "default"
    return installed if installed.is_dir() else package.parent / "themes" / "default"


DEFAULT_THEME = _default_theme()


def invalid_id(text: str) -> str:
    """The message for an id that breaks the rule, naming the id it most likely meant."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    hint = f" (did you mean '{slug}'?)" if ID_PATTERN.fullmatch(slug) else ""
    return (
        f"'{text}' is not a valid id: use lowercase a-z, 0-9 and '-', starting with a letter{hint}"
    )


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
    set_aside: list[SourceFile] = field(default_factory=list)  # an invalid or taken id
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
    inside = Inside(content_dir, site_root, inputs.diagnostics)
    for folder, kind, suffix in FOLDERS:
        if not inside.allows(content_dir / folder):
            continue
        for name, where in _files_in(content_dir / folder, suffix, inputs, inside):
            file_id = name[: -len(suffix)]
            if _check_id(file_id, where, seen, inputs):
                inputs.declared.add(file_id)
                _add(inputs, kind, file_id, where)
            else:  # not in the site, but its own errors are said too (SPEC 9: all of them)
                stat = inputs.stats[where] = stat_of(where)
                inputs.set_aside.append(SourceFile(kind, file_id, where, stat))
    inputs.media = tree_files(content_dir / "media", "media/", inside)
    for theme in theme_folders(site_root):
        checked = inside if theme != DEFAULT_THEME else None  # the package's own files
        inputs.themes += [path for path, _ in tree_files(theme, "", checked)]
    for path in [p for p, _ in inputs.media] + inputs.themes:
        inputs.stats[str(path)] = stat_of(path)
    # which themes there are (site.yaml may name one): a folder made or removed in
    # themes/ changes its time, even with no file in it
    themes = site_root / "themes"
    inputs.stats[str(themes) + os.sep] = stat_of(themes)
    return inputs


def theme_folders(site_root: Path) -> list[Path]:
    """The site's themes/ and the default theme, unless the one holds the other (as
    in Dossier's own repository, whose themes/ holds the default theme)."""
    own = site_root / "themes"
    if DEFAULT_THEME.absolute().is_relative_to(own.absolute()):
        return [own]
    return [own, DEFAULT_THEME]


def _add(inputs: Inputs, kind: str, file_id: str, where: str) -> None:
    stat = stat_of(where)
    inputs.sources.append(SourceFile(kind, file_id, where, stat))
    inputs.stats[where] = stat


class Inside:
    """Says whether a file found under content/ or a theme may be read: a symbolic
    link that leads out of the project (the folder holding content/ and themes/) is
    an error and is never read, so that a build, say of a pull request, cannot publish
    a file of the machine it runs on."""

    def __init__(self, content_dir: Path, site_root: Path, diagnostics: list[Diagnostic]):
        self.roots = [site_root.resolve(), content_dir.resolve()]
        self.diagnostics = diagnostics

    def allows(self, path: Path) -> bool:
        if not path.is_symlink():
            return True
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop: reading the file reports it
            return True
        if any(target.is_relative_to(root) for root in self.roots):
            return True
        message = f"a symbolic link to {target}, outside the project: not read"
        self.diagnostics.append(Diagnostic("error", Loc(path), message))
        return False

    def skipped(self, path: Path, why: str) -> None:
        self.diagnostics.append(Diagnostic("warning", Loc(path), f"skipped: {why}"))


def _files_in(folder: Path, suffix: str, inputs: Inputs, inside: Inside) -> list[tuple[str, str]]:
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
            # the directory entry says whether it is a link (no system call for most files);
            # reading reports a dangling or looping one
            if not _is_link(entry) or inside.allows(Path(entry.path)):
                found.append((name, entry.path))
        else:
            message = f"ignored: only *{suffix} files belong in {folder.name}/"
            inputs.diagnostics.append(Diagnostic("warning", Loc(Path(entry.path)), message))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # let `Inside` look at it


def _check_id(file_id: str, where: str, seen: dict[str, str], inputs: Inputs) -> bool:
    message = None
    if not ID_PATTERN.fullmatch(file_id):
        message = invalid_id(file_id)
    elif file_id in seen:
        message = f"duplicate id '{file_id}': also used by {seen[file_id]}"
    if message is not None:
        inputs.diagnostics.append(Diagnostic("error", Loc(Path(where)), message))
        return False
    seen[file_id] = where
    return True


def tree_files(root: Path, prefix: str, inside: Inside | None = None) -> list[tuple[Path, str]]:
    """Regular files under `root` that stay inside it, as (path, url) pairs, sorted.

    Symlinks are followed only where they stay inside `root`; directory symlinks are
    not walked, so a symlink loop cannot hang the build. With `inside`, what is left
    out is said: a link out of the project as an error, any other link as skipped."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *names]:
            if inside is not None:
                _say_why_skipped(Path(folder) / name, real_root, inside)
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or not path.is_file():
                continue
            if path.resolve().is_relative_to(real_root):
                found.append((path, prefix + path.relative_to(root).as_posix()))
    return found


def _say_why_skipped(path: Path, real_root: Path, inside: Inside) -> None:
    if path.name.startswith(".") or not path.is_symlink() or not inside.allows(path):
        return
    if not path.exists():
        inside.skipped(path, "a symbolic link to nothing (or a loop of links)")
    elif path.is_dir():
        inside.skipped(path, "a symbolic link to a folder (links to folders are not followed)")
    elif not path.resolve().is_relative_to(real_root):
        inside.skipped(
            path, f"a symbolic link out of {real_root.name}/, whose files alone are used"
        )


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
