"""Read `content/` into raw records: YAML values with locations, article bodies.

Nothing here knows the schema; it only turns files into values and reports files
that cannot be read at all (not UTF-8, binary, empty, bad YAML, unclosed front matter).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .diagnostics import Diagnostics, Loc
from .yamlread import read_yaml

RawKind = Literal["site", "article", "entity", "topic"]
ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*")
_FOLDERS: tuple[tuple[str, RawKind, str], ...] = (
    ("articles", "article", ".md"),
    ("entities", "entity", ".yaml"),
    ("topics", "topic", ".yaml"),
)
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class RawFile:
    kind: RawKind
    id: str
    path: Path
    data: Any  # a YMap when the file is well formed
    body: str = ""
    body_line: int = 1  # the file line on which the Markdown body starts


@dataclass
class RawContent:
    content_dir: Path
    files: list[RawFile] = field(default_factory=list)
    sources: dict[Path, str] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # every id with a file, readable or not


FileCache = dict[Path, tuple[tuple[int, int], str, RawFile]]


def load(content_dir: Path, diags: Diagnostics, cache: FileCache | None = None) -> RawContent:
    """Read every content file; with a `cache` (as `build serve` keeps one), files whose
    modification time and size are unchanged are not read again."""
    raw = RawContent(content_dir)
    site_path = content_dir / "site.yaml"
    if site_path.is_file():
        _load_one(raw, "site", "site", site_path, diags, cache)
    else:
        diags.error(Loc(site_path), "missing site.yaml (it needs at least `title:`)")
    seen: dict[str, Path] = {}
    for folder, kind, suffix in _FOLDERS:
        for path in _files_in(content_dir / folder, suffix, diags):
            file_id = path.stem
            if not _check_id(file_id, path, seen, diags):
                continue
            raw.declared.add(file_id)
            _load_one(raw, kind, file_id, path, diags, cache)
    return raw


def _load_one(
    raw: RawContent,
    kind: RawKind,
    file_id: str,
    path: Path,
    diags: Diagnostics,
    cache: FileCache | None,
) -> None:
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (-1, -1)
    hit = cache.get(path) if cache is not None else None
    if hit is not None and hit[0] == key:
        raw.sources[path] = hit[1]
        raw.files.append(hit[2])
        return
    before, count = len(diags.items), len(raw.files)
    if kind == "article":
        _load_article(raw, file_id, path, diags)
    else:
        _load_yaml_file(raw, kind, file_id, path, diags)
    if cache is not None and len(diags.items) == before and len(raw.files) == count + 1:
        cache[path] = (key, raw.sources[path], raw.files[-1])


def _files_in(folder: Path, suffix: str, diags: Diagnostics) -> list[Path]:
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
            diags.warning(Loc(path), f"ignored: only *{suffix} files belong in {folder.name}/")
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _check_id(file_id: str, path: Path, seen: dict[str, Path], diags: Diagnostics) -> bool:
    if not ID_PATTERN.fullmatch(file_id):
        diags.error(
            Loc(path),
            f"'{file_id}' is not a valid id: use lowercase a-z, 0-9 and '-', "
            "starting with a letter",
        )
        return False
    if file_id in seen:
        diags.error(Loc(path), f"duplicate id '{file_id}': also used by {seen[file_id]}")
        return False
    seen[file_id] = path
    return True


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """The file as text, or None after reporting why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(Loc(path), f"cannot read file: {exc.strerror}")
        return None
    if b"\0" in data:
        diags.error(Loc(path), "binary file: expected UTF-8 text")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(Loc(path, line, col), f"not UTF-8 text (byte 0x{data[exc.start]:02x})")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        diags.error(Loc(path), "empty file")
        return None
    return text


def _load_yaml_file(
    raw: RawContent, kind: RawKind, file_id: str, path: Path, diags: Diagnostics
) -> None:
    text = read_text(path, diags)
    if text is None:
        return
    raw.sources[path] = text
    before = len(diags.items)
    data = read_yaml(text, path, diags)
    if data is not None:
        raw.files.append(RawFile(kind, file_id, path, data))
    elif len(diags.items) == before:
        diags.error(Loc(path), "the file holds no YAML values")


def _load_article(raw: RawContent, file_id: str, path: Path, diags: Diagnostics) -> None:
    text = read_text(path, diags)
    if text is None:
        return
    raw.sources[path] = text
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        diags.error(Loc(path), "missing front matter: an article starts with a line '---'")
        return
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        diags.error(Loc(path), "front matter is not closed: add a line '---' after it")
        return
    before = len(diags.items)
    data = read_yaml("\n".join(lines[1:end]), path, diags, line_offset=1)
    if data is None and len(diags.items) == before:
        diags.error(Loc(path), "empty front matter: an article needs `title:` and `date:`")
    if data is not None:
        body = "\n".join(lines[end + 1 :])
        raw.files.append(RawFile("article", file_id, path, data, body, end + 2))
