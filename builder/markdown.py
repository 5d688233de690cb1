"""The Markdown dialect of SPEC 3 and 6: CommonMark + tables, strikethrough,
footnotes, `[[wikilinks]]`, paragraph ids, and safe links.

Parsing and rendering are separate: tokens are parsed once (in `resolve`), and
rendered for each page with an `env` that knows how to reach other pages from it.
The renderer reads from `env`:
  - "link": Callable[[str], tuple[str, str] | None]: id -> (relative href, label)
  - "root": str, the relative prefix from the page to the site root ("../../")
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def make_markdown(allow_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("shift_headings", _shift_headings)
    md.validateLink = _is_safe_link  # type: ignore[method-assign]
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


def _shift_headings(state: StateCore) -> None:
    """Content headings start at h2: the page's own title is its only h1."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def _is_safe_link(url: str) -> bool:
    """Never emit a script or data URL as a link (SPEC 2), however it is spelled."""
    return not _UNSAFE_SCHEME.match(_INVISIBLE.sub("", url).lower())


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        target = match[1].strip()
        token.meta = {"id": target, "text": (match[2] or "").strip(), "raw": match[0]}
        token.content = match[0]
    state.pos = match.end()
    return True


def wikilink_label(token: Token) -> str:
    return str(token.meta["text"] or token.meta["id"])


def _render_wikilink(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    found = env["link"](token.meta["id"])
    if found is None:
        return _escape(wikilink_label(token))
    href, title = found
    label = token.meta["text"] or title
    return f'<a href="{_escape(href)}">{_escape(label)}</a>'


def _render_mention(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    found = env["link"](token.meta["entity"])
    if found is None:
        return _escape(token.content)
    return f'<a class="mention" href="{_escape(found[0])}">{_escape(token.content)}</a>'


def _local(url: str, env: EnvType) -> str:
    """A path relative to content/ (`media/x.png`) as seen from the current page."""
    if not url or url.startswith(("#", "/", "?")) or _HAS_SCHEME.match(url):
        return url
    return str(env.get("root", "")) + url


def _with_attr(token: Token, name: str, value: str) -> Token:
    """A copy of `token` with one attribute changed: tokens are parsed once and
    rendered for many pages, so rendering must never change them."""
    changed = copy.copy(token)
    changed.attrs = {**token.attrs, name: value}
    return changed


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = _local(str(token.attrGet("href") or ""), env)
    return self.renderToken([_with_attr(token, "href", href)], 0, options, env)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    image = _with_attr(token, "src", _local(str(token.attrGet("src") or ""), env))
    image = _with_attr(image, "alt", self.renderInlineAsText(token.children or [], options, env))
    return self.renderToken([image], 0, options, env)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def render(md: MarkdownIt, tokens: list[Token], env: dict[str, Any]) -> str:
    return str(md.renderer.render(tokens, md.options, env))


def inline_text(
    children: Sequence[Token], titles: Callable[[str], str | None] | None = None
) -> str:
    """The plain text a reader sees in an inline token's children; `titles` gives a
    wikilink's text from its id, as the rendered page shows it."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "mention"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink":
            title = titles(child.meta["id"]) if titles and not child.meta["text"] else None
            parts.append(title or wikilink_label(child))
        elif child.type == "image":
            parts.append(inline_text(child.children or [], titles))
    return "".join(parts)
