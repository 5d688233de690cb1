"""`build import FILE...`: a raw wire story (as in `seeds/`) -> a draft article.

One line of the raw text is one paragraph. Recognised and moved: an embedded social
post (a line with `pic.twitter.com/...` and the `— Name (@handle) Date` line after it)
becomes a blockquote with its attribution; an image credit line
`(Featured Image Media Credit: ...)` goes to `image.credit`; a syndication footer
(`All content created by X ... is available ...`) goes to `license`, X to `publisher`;
a line that gives the original's address (`Originally published at URL`, `Source:
URL`, `Read more: URL`, or a bare URL) goes to `original_url`.
The lede is no headline: a title is proposed and marked TODO.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..source.text import sentences
from .scaffold import FOLDERS, ScaffoldError, _scalar

_POST_LINK = re.compile(r"pic\.twitter\.com/\w+|https?://(?:twitter|x)\.com/\S+")
_POST_BYLINE = re.compile(r"^[—–-]\s*.+\(@\w+\)\s+\w+ \d{1,2}, \d{4}\s*$")
_CREDIT = re.compile(
    r"^\((?:Featured )?Image(?: Media)? Credit:\s*(?P<credit>.+?)\)\s*$", re.IGNORECASE
)
_FOOTER = re.compile(
    r"^All content created by (?:the )?(?P<publisher>.+?)"
    r"(?:,[^,]*,)? is available\b",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^(?:(?:Originally published|First published|This article (?:was|first) appeared|"
    r"Source|Read more|Read the original)\b[^:]*?(?::|\bat|\bon|\bin)\s*)?"
    r"<?(?P<url>https?://[^\s<>]+?)>?[.)]?$",
    re.IGNORECASE,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?P<month>{_MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b")
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([#>+*.)-])(?=\s|$)")
_INLINE = re.compile(r"([\\`*_<]|\[\[|\]\()")


@dataclass
class Imported:
    paragraphs: list[str] = field(default_factory=list)  # Markdown
    publisher: str | None = None
    license: str | None = None
    credit: str | None = None
    date: datetime.date | None = None
    original_url: str | None = None


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows exactly as written."""
    text = _INLINE.sub(lambda m: "".join("\\" + c for c in m[1]), text)
    return _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], text)


def parse_raw(text: str) -> Imported:
    result = Imported()
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _POST_LINK.search(line) and _POST_BYLINE.match(following):
            result.paragraphs.append(
                f"> {escape_markdown(line)}\n>\n> {escape_markdown(following)}"
            )
            index += 2
            continue
        if credit := _CREDIT.match(line):
            result.credit = credit["credit"]
        elif footer := _FOOTER.match(line):
            result.publisher, result.license = footer["publisher"], line
        elif (original := _ORIGINAL.match(line)) and not result.original_url:
            result.original_url = original["url"]
        else:
            result.paragraphs.append(escape_markdown(line))
            result.date = result.date or _date(line)
        index += 1
    return result


def _date(line: str) -> datetime.date | None:
    match = _DATE.search(line)
    if match is None:
        return None
    month = _MONTHS.split("|").index(match["month"]) + 1
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def propose_title(lede: str, words: int = 12) -> str:
    first = sentences(lede.replace("\\", ""))[0].rstrip(".")
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def propose_id(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(w for w in words if w not in {"the", "a", "an", "on", "of", "that"})[:60]
    slug = slug.rstrip("-")
    return slug if slug[:1].isalpha() else f"article-{slug}"


def article_text(raw: Imported, source: Path, today: datetime.date) -> str:
    title = propose_title(raw.paragraphs[0] if raw.paragraphs else source.stem)
    front = [
        "---",
        f"title: {_scalar(title)}  # TODO: write a headline (this is the lede's start)",
        f"date: {(raw.date or today).isoformat()}"
        + ("" if raw.date else "  # TODO: the date of publication (none found in the text)"),
        "draft: true  # TODO: remove when edited",
    ]
    if raw.publisher:
        front.append(f"publisher: {_scalar(raw.publisher)}")
    if raw.original_url:
        front.append(f"original_url: {_scalar(raw.original_url)}")
    if raw.credit:
        front += ["image:", f"  credit: {_scalar(raw.credit)}"]
    if raw.license:
        front.append(f"license: {_scalar(raw.license)}")
    front += [
        "# topics: [topic-id]",
        "# entities: [entity-id]",
        f"# imported from {source.name}",
        "---",
    ]
    return "\n".join(front) + "\n" + "\n\n".join(raw.paragraphs) + "\n"


def import_file(
    content_dir: Path, source: Path, record_id: str | None, today: datetime.date | None = None
) -> Path:
    text = source.read_text(encoding="utf-8")
    raw = parse_raw(text)
    if not raw.paragraphs:
        raise ScaffoldError(f"{source}: no text to import")
    record_id = record_id or propose_id(propose_title(raw.paragraphs[0]))
    for folder, suffix in FOLDERS.values():
        if (content_dir / folder / f"{record_id}{suffix}").exists():
            raise ScaffoldError(f"id '{record_id}' is taken: choose another with --id")
    path = content_dir / "articles" / f"{record_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(article_text(raw, source, today or datetime.date.today()))
    return path
