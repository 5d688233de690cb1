"""Raw HTML in Markdown (`allow_html: true`) without script or data URLs (SPEC 2).

The HTML is read as a browser's tokenizer reads tags, not matched by a pattern: a
quoted value is one value whatever it holds (`title="x href="` hides nothing), an
attribute name is anything up to a space, `/`, `>` or `=`, and a value whose quote is
never closed runs to the end. Any attribute whose value is a `javascript:`,
`vbscript:` or `data:` URL is dropped, whatever its name (`href`, `src`, `formaction`,
SVG's `to` and `values`), case, character references or invisible characters; the
element stays. Text attributes that readers see (`alt`, `title`, `aria-*`) are kept.

`allow_html` is for HTML the editor trusts: scripts and event handlers go through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

_TAG_START = re.compile(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>=][^\s/>=]*)(?:\s*=\s*("[^"]*"?|'[^']*'?|[^\s>]*))?""")
_TEXT_ATTRIBUTES = ("alt", "title", "aria-")


def safe_html(html: str, is_safe_link: Callable[[str], bool]) -> str:
    """`html` without the attributes whose value `is_safe_link` refuses."""
    if "=" not in html:
        return html
    kept: list[str] = []
    pos = 0
    while (tag := _TAG_START.search(html, pos)) is not None:
        kept.append(html[pos : tag.end()])
        pos = tag.end()
        while pos < len(html) and html[pos] != ">":
            attribute = _ATTRIBUTE.match(html, pos)
            if attribute is None or attribute.end() == pos:  # a lone `/` or spaces before `>`
                kept.append(html[pos])
                pos += 1
                continue
            if _allowed(attribute[1], attribute[2], is_safe_link):
                kept.append(attribute[0])
            pos = attribute.end()
    kept.append(html[pos:])
    return "".join(kept)


def _allowed(name: str, value: str | None, is_safe_link: Callable[[str], bool]) -> bool:
    if value is None or name.lower().startswith(_TEXT_ATTRIBUTES):
        return True
    text = value[1:] if value[:1] in ("'", '"') else value
    text = text[:-1] if text[-1:] == value[:1] and value[:1] in ("'", '"') else text
    return is_safe_link(unescape(text))
