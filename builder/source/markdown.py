"""The Markdown dialect of SPEC 3 and 6: CommonMark + tables, strikethrough,
footnotes, `[[wikilinks]]`, paragraph ids, and safe links.

Markdown is parsed and rendered once per source text (in `compile`), whichever pages
show it. What depends on the page or on other files is left as a placeholder that
`fill` replaces when a page is rendered: the relative path to the site root (for
media and mention links) and each wikilink, whose target, kind and title may change
without the text changing.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Callable, Sequence
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from ..output import urls
from .rawhtml import safe_html

WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def make_markdown(allow_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.at("normalize", normalize)
    md.core.ruler.push("shift_headings", _shift_headings)
    md.validateLink = _is_safe_link  # type: ignore[method-assign]
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("html_block", _render_html)
    md.add_render_rule("html_inline", _render_html)
    return md


def normalize(state: StateCore) -> None:
    """markdown-it's own first rule, without its regular expression: that replaced
    every newline with itself, about 4% of the time an article took to compile. Line
    ends become "\\n" and NUL characters U+FFFD, as CommonMark says."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def _shift_headings(state: StateCore) -> None:
    """Content headings start at h2: the page's own title is its only h1."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def _is_safe_link(url: str) -> bool:
    """Never emit a script or data URL as a link (SPEC 2), however it is spelled."""
    return not _UNSAFE_SCHEME.match(_INVISIBLE.sub("", url).lower())


def _render_html(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return safe_html(tokens[idx].content, _is_safe_link)


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


ROOT = "\x00R\x00"  # the relative path from the page to the site root
_PLACEHOLDER = re.compile("\x00R\x00|\x00W([^\x00\x01]*)\x01([^\x00]*)\x00")
_CONTROL = str.maketrans({"\x00": "\ufffd", "\x01": "\ufffd"})
NO_PLACEHOLDERS = _CONTROL  # text that must not be taken for placeholders


def wikilink_placeholder(target: str, text: str) -> str:
    """Stands for `[[target|text]]` until `fill` knows the page; `text` as it is shown
    (escaped in HTML, plain in plain text), or empty for the target's title."""
    return f"\x00W{target.translate(_CONTROL)}\x01{text.translate(_CONTROL)}\x00"


Link = Callable[[str], "tuple[str, str] | None"]  # id -> (href from the page, title)


def fill(html: str, root: str, link: Link) -> str:
    """Rendered Markdown as seen from one page: the root path, and each wikilink as a
    link to its target (plain text when there is no such page)."""
    if "\x00" not in html:
        return html

    def one(match: re.Match[str]) -> str:
        if match[1] is None:
            return root
        found = link(match[1])
        if found is None:
            return match[2] or _escape(match[1])
        return f'<a href="{_escape(found[0])}">{match[2] or _escape(found[1])}</a>'

    return _PLACEHOLDER.sub(one, html)


def wikilink_spans(text: str) -> list[tuple[int, int, str]]:
    """Where each wikilink placeholder of `text` starts and ends, and its target."""
    return [(m.start(), m.end(), m[1]) for m in _PLACEHOLDER.finditer(text) if m[1] is not None]


def wikilink_targets(text: str) -> list[str]:
    """The ids of the wikilinks whose placeholders `text` holds."""
    return [m[1] for m in _PLACEHOLDER.finditer(text) if m[1] is not None] if "\x00" in text else []


def fill_plain(text: str, title: Callable[[str], str | None]) -> str:
    """Plain text with each wikilink as its text, or its target's title, or its id."""
    if "\x00" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: m[2] or (title(m[1]) or m[1] if m[1] else ""), text)


def _render_wikilink(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return wikilink_placeholder(str(token.meta["id"]), _escape(str(token.meta["text"])))


def _render_mention(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = ROOT + urls.page_url("entity", str(token.meta["entity"]))
    return f'<a class="mention" href="{_escape(href)}">{_escape(token.content)}</a>'


def is_local(url: str) -> bool:
    """Whether `url` names a file by its path in content/ (`media/x.png`)."""
    return not (not url or url.startswith(("#", "/", "?")) or _HAS_SCHEME.match(url))


def _local(url: str) -> str:
    """A path relative to content/ (`media/x.png`), from whatever page shows it."""
    return ROOT + url if is_local(url) else url


def outside_content(url: str) -> str | None:
    """Why a link or image path of a Markdown text may not be used (SPEC 2: a path
    content names stays inside `content/`), or None for a path inside it, a page's own
    fragment or a web address."""
    if not url or url.startswith(("#", "?", "//")) or _HAS_SCHEME.match(url):
        return None
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return f"'{url}' must be a path relative to content/"
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        return f"'{url}' leaves content/: media must stay inside it"
    return None


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
    href = _local(str(token.attrGet("href") or ""))
    return self.renderToken([_with_attr(token, "href", href)], 0, options, env)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    image = _with_attr(token, "src", _local(str(token.attrGet("src") or "")))
    image = _with_attr(image, "alt", self.renderInlineAsText(token.children or [], options, env))
    return self.renderToken([image], 0, options, env)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def render(md: MarkdownIt, tokens: list[Token]) -> str:
    """HTML with placeholders (see `fill`)."""
    return str(md.renderer.render(tokens, md.options, {}))


def inline_text(children: Sequence[Token], placeholders: bool = False) -> str:
    """The plain text a reader sees in an inline token's children. A wikilink counts as
    its label; with `placeholders`, one without a label as a placeholder for
    `fill_plain`, which knows the title that the rendered page shows for it (a
    placeholder holds no space or full stop: text can be cut into words or sentences)."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "mention"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink" and placeholders and not child.meta["text"]:
            parts.append(wikilink_placeholder(str(child.meta["id"]), ""))
        elif child.type == "wikilink":
            parts.append(wikilink_label(child))
        elif child.type == "image":
            parts.append(inline_text(child.children or [], placeholders))
    return "".join(parts)
