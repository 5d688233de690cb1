"""Read one content file into a raw record: YAML values with locations, and for an
article its Markdown body.

Nothing here knows the schema; it only turns a file into values and reports a file
that cannot be read at all (not UTF-8, binary, empty, bad YAML, unclosed front matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Loc
from .yamlread import read_yaml

_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class RawFile:
    kind: str  # site, article, entity, topic
    id: str
    path: Path
    data: Any  # a YMap when the file is well formed
    text: str  # the whole file, to find where a piece of text stands
    body: str = ""
    body_line: int = 1  # the file line on which the Markdown body starts


def read_raw(kind: str, file_id: str, path: Path, diags: Diagnostics) -> RawFile | None:
    """The file as a raw record, or None after reporting why it cannot be one."""
    text = read_text(path, diags)
    if text is None:
        return None
    if kind == "article":
        return _article(file_id, path, text, diags)
    before = len(diags.items)
    data = read_yaml(text, path, diags)
    if data is None and len(diags.items) == before:
        diags.error(Loc(path), "the file holds no YAML values")
    return None if data is None else RawFile(kind, file_id, path, data, text)


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


def _article(file_id: str, path: Path, text: str, diags: Diagnostics) -> RawFile | None:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        diags.error(Loc(path), "missing front matter: an article starts with a line '---'")
        return None
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        diags.error(Loc(path), "front matter is not closed: add a line '---' after it")
        return None
    before = len(diags.items)
    data = read_yaml("\n".join(lines[1:end]), path, diags, line_offset=1)
    if data is None:
        if len(diags.items) == before:
            diags.error(Loc(path), "empty front matter: an article needs `title:` and `date:`")
        return None
    body = "\n".join(lines[end + 1 :])
    return RawFile("article", file_id, path, data, text, body, end + 2)
