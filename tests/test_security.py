"""Content is untrusted (SPEC 2): no URL with a script or data scheme is accepted or
emitted as a link, however it is spelled and wherever a URL can be written; hostile
Markdown and YAML never become an executable fragment of a page (every page of the
build is parsed, and every element and attribute checked); no path leaves content/."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_SITE as BASE_SITE
from tests.conftest import Run, write_files

SITE = "content/site.yaml"
MINIMAL_SITE = {**BASE_SITE, SITE: "title: Test Desk\nbase_url: https://newsroom.github.io/desk/\n"}
ARTICLE = "content/articles/first-story.md"
ALICE = "content/entities/alice-example.yaml"
TOPIC = "content/topics/big-story.yaml"

# Every spelling a browser reads as a script, data or local-file URL.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "javascript://x/%0Aalert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
]
SCRIPT_SCHEMES = ("javascript", "vbscript", "data", "file")


def script_url(value: str) -> bool:
    """Whether a browser would take `value` (an attribute value, entities decoded) as a
    URL of a script, data or local-file scheme: it strips leading and trailing C0
    controls and spaces and removes tabs and newlines anywhere before parsing."""
    url = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return scheme is not None and scheme[1].lower() in SCRIPT_SCHEMES


def test_the_checker_knows_every_spelling() -> None:
    assert all(script_url(url) for url in HOSTILE_URLS)
    assert script_url("java\nscript:alert(1)") and script_url("\x01javascript:x")
    assert not script_url("https://example.org/javascript:x")
    assert not script_url("../media/x.png") and not script_url("java%09script:alert(1)")


# --- URLs in YAML: refused with a diagnostic -------------------------------------------


def yaml_quoted(url: str) -> str:
    return json.dumps(url)  # a JSON string is a YAML double-quoted scalar


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_script_urls_are_refused_wherever_yaml_takes_a_url(
    url: str, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    quoted = yaml_quoted(url)
    write_files(tmp_path, MINIMAL_SITE)
    (tmp_path / SITE).write_text(f"title: Test Desk\nbase_url: {quoted}\n")
    article = tmp_path / ARTICLE
    article.write_text(article.read_text().replace("---\n", f"---\nurl: {quoted}\n", 1))
    (tmp_path / ALICE).write_text(
        f"name: Alice Example\ntype: person\nlinks:\n  - title: Home\n    url: {quoted}\n"
    )
    result = run_build(tmp_path, "check")
    assert result.code == 1
    errors = [line for line in result.diagnostics if ": error: " in line]
    assert errors == [
        f"{ARTICLE}:2:6: error: 'url' must be an http(s) URL, not '{url}'",
        f"{ALICE}:5:10: error: 'url' must be an http(s) URL, not '{url}'",
        f"{SITE}:2:11: error: 'base_url' must be an http(s) URL, not '{url}'",
    ]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_script_urls_are_refused_on_the_command_line(
    url: str, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(write_files(tmp_path, MINIMAL_SITE), "check", "--base-url", url)
    assert result.code == 2
    assert f"build: error: --base-url must be an http(s) URL, not '{url}'" in result.err


def test_web_urls_are_accepted(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    (tmp_path / ALICE).write_text(
        "name: Alice Example\ntype: person\nlinks:\n"
        "  - title: Home\n    url: HTTPS://example.org/alice\n"
        "  - title: Old home\n    url: http://example.org/~alice?x=1#top\n"
    )
    result = run_build(tmp_path, "--no-search")
    assert result.code == 0, result.err
    html = (tmp_path / "site/entities/alice-example/index.html").read_text()
    assert 'href="HTTPS://example.org/alice"' in html
    assert 'href="http://example.org/~alice?x=1#top"' in html


# --- URLs in Markdown: never emitted as links or images -------------------------------


def markdown_with(url: str) -> str:
    """Every way Markdown makes a link or an image from `url`."""
    encoded = url.replace("a", "&#97;", 1)  # a character reference inside the scheme
    return textwrap.dedent(
        f"""\
        Inline [link]({url.strip()}) and [angle](<{url}>) and [encoded]({encoded.strip()}).

        An image ![alt text]({url.strip()}) and a reference [ref][hostile], ![img][hostile].

        An autolink <{url.strip()}>.

        [hostile]: <{url}>
        """
    )


def audit_links(html: str) -> list[str]:
    """Every URL attribute of `html` that a browser would run or load as data (with
    `allow_html`, raw HTML such as a <script> in the text is the editor's to write)."""
    page = PageAudit(urls_only=True)
    page.feed(html)
    page.close()
    return page.problems


@pytest.mark.parametrize("allow_html", [False, True], ids=["escaped-html", "allow_html"])
def test_markdown_never_links_a_script_url(
    allow_html: bool, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, {**MINIMAL_SITE, "content/media/ok.png": "png"})
    site_yaml = tmp_path / SITE
    site_yaml.write_text(site_yaml.read_text() + f"allow_html: {str(allow_html).lower()}\n")
    body = "\n".join(markdown_with(url) for url in HOSTILE_URLS)
    body += "\nA [safe link](https://example.org/ok) and ![a safe image](media/ok.png).\n"
    article = tmp_path / ARTICLE
    article.write_text(article.read_text() + "\n" + body)
    block = textwrap.indent(body, "  ")
    (tmp_path / ALICE).write_text(
        "name: Alice Example\ntype: person\n"
        f"summary: '[inline](javascript:alert(1)) ![x](JavaScript:alert(1))'\n"
        f"description: |\n{block}"
    )
    topic = tmp_path / TOPIC
    topic.write_text(
        topic.read_text().replace("summary: What happened.", f"summary: |\n{block}")
        + "timeline:\n  - date: 2024-10\n"
        "    text: '[then](vbscript:msgbox(1)) <javascript:alert(1)>'\n"
    )
    result = run_build(tmp_path, "--no-search")
    assert result.code == 0, result.err
    pages = {
        "article": "articles/first-story/index.html",
        "entity": "entities/alice-example/index.html",
        "topic": "topics/big-story/index.html",
    }
    for name, page in pages.items():
        html = (tmp_path / "site" / page).read_text()
        assert audit_links(html) == [], name
        assert "javascript:alert(1)" in html, name  # shown as text, not dropped
    for name in ("article", "entity", "topic"):  # the safe ones still work
        html = (tmp_path / "site" / pages[name]).read_text()
        assert 'href="https://example.org/ok"' in html, name
        assert re.search(r'<img src="(\.\./)+media/ok.png" alt="a safe image"', html), name


# --- hostile content: no executable fragment anywhere -----------------------------------

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(2)>"
HOSTILE_MARKDOWN = f"""\
{HOSTILE}

<script>alert(3)</script>
<img src="x" onerror="alert(4)">
<a href="javascript:alert(5)">raw link</a>
<iframe src="javascript:alert(6)"></iframe>
<meta http-equiv="refresh" content="0;url=javascript:alert(7)">
<base href="javascript:alert(8)//">
<form action="javascript:alert(9)"><button formaction="javascript:alert(10)">go</button></form>

# Heading {HOSTILE}

| head {HOSTILE} | `<script>alert(11)</script>` |
|---|---|
| [cell](javascript:alert(12)) | ![img](x" onerror="alert(13)) |

[title attribute](https://example.org "a\\" onmouseover=\\"alert(14)") and
[href quote](https://example.org/"onmouseover="alert(15)) and
[[alice-example|{HOSTILE}]] and [[big-story]] and a footnote.[^1]

```html
<script>alert(16)</script>
```

[^1]: Note {HOSTILE} with [a link](javascript:alert(17)).

Alice Example met the Board of Things.
"""


def hostile_site(root: Path) -> Path:
    """A site whose every text field and Markdown body tries to inject a script."""
    text = json.dumps(HOSTILE)  # as a YAML double-quoted scalar
    files = dict(MINIMAL_SITE)
    files.update(
        {
            SITE: f"""\
                title: {text}
                description: {text}
                base_url: "https://example.org/</script><script>alert(20)</script>/"
                """,
            "content/articles/hostile.md": "---\n"
            f"title: {text}\n"
            "date: 2024-10-24\n"
            f"publisher: {text}\n"
            f"authors: [{text}]\n"
            f"license: {text}\n"
            f"summary: {text}\n"
            'url: "https://example.org/a?b=</script><script>alert(21)</script>"\n'
            f"image: {{src: media/lead.png, alt: {text}, credit: {text}}}\n"
            "topics: [big-story]\n"
            "entities: [hostile-entity]\n"
            "---\n" + HOSTILE_MARKDOWN,
            "content/entities/hostile-entity.yaml": f"""\
                name: {text}
                type: organization
                aliases: [{text}, "Hostile Org"]
                summary: {text}
                description: {text}
                image: {{src: media/lead.png, alt: {text}, credit: {text}}}
                links:
                  - title: {text}
                    url: "https://example.org/\\"onmouseover=\\"alert(22)"
                relations:
                  - type: {text}
                    target: alice-example
                facts:
                  - label: {text}
                    value: {text}
                    note: {text}
                    source: hostile
                    quote: Alice Example met the Board of Things.
                """,
            TOPIC: f"""\
                title: {text}
                summary: {text}
                entities: [hostile-entity, alice-example]
                facts:
                  - label: {text}
                    value: {text}
                    claimed_by: hostile-entity
                    as_of: 2024-10
                    source: first-story
                    quote: The board said it had 12 members
                  - label: {text}
                    value: "13"
                    claimed_by: alice-example
                    source: first-story
                    quote: The board said it had 12 members
                timeline:
                  - date: 2024-10-23
                    text: {text}
                """,
        }
    )
    write_files(root, files)
    (root / "content/media").mkdir()
    (root / "content/media/lead.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "ping",
    "manifest",
    "codebase",
    "longdesc",
    "usemap",
}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# the theme's own scripts, by a relative path (or, on 404.html, by the path of base_url)
THEME_SCRIPTS = re.compile(r"((\.\./)*|/(.*/)?)(static/search\.js|pagefind/pagefind-ui\.js)")


class PageAudit(HTMLParser):
    """Every element and attribute of a page, as a browser's parser splits them; each
    one that could run code or load a script URL is a problem."""

    def __init__(self, urls_only: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.urls_only = urls_only
        self.problems: list[str] = []
        self.script: dict[str, str | None] | None = None
        self.script_text: list[str] = []

    def problem(self, tag: str, what: str) -> None:
        self.problems.append(f"line {self.getpos()[0]}: <{tag}> {what}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name in URL_ATTRIBUTES and script_url(value):
                self.problem(tag, f"{name}={value!r}")
            if self.urls_only:
                continue
            if name.startswith("on") or name in ("srcdoc", "formaction"):
                self.problem(tag, f"has {name}={value!r}")
            if name == "srcset" and any(script_url(p.split()[0]) for p in value.split(",") if p):
                self.problem(tag, f"srcset={value!r}")
            if name == "style" and re.search(r"javascript:|expression\(|url\(", value, re.I):
                self.problem(tag, f"style={value!r}")
        if self.urls_only:
            return
        if tag in FORBIDDEN_TAGS:
            self.problem(tag, "is not allowed")
        if tag == "meta" and any(n == "http-equiv" for n, _ in attrs):
            self.problem(tag, "http-equiv")
        if tag == "script":
            self.script = dict(attrs)
            self.script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.script is None:
            return
        attrs, text = self.script, "".join(self.script_text)
        self.script = None
        if attrs.get("type") == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                self.problem("script", f"JSON-LD that is not JSON (broken out of?): {text[:80]!r}")
            if attrs.keys() != {"type"}:
                self.problem("script", f"JSON-LD with attributes {sorted(attrs)}")
        elif not THEME_SCRIPTS.fullmatch(attrs.get("src") or "") or text.strip():
            self.problem("script", f"not the theme's: {attrs} {text[:80]!r}")


def audit_page(html: str) -> list[str]:
    page = PageAudit()
    page.feed(html)
    page.close()
    return page.problems


def test_the_audit_finds_what_it_looks_for() -> None:
    bad = [
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>',
        '<iframe src="about:blank"></iframe>',
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<img srcset="x.png 1x, data:image/svg+xml,x 2x">',
    ]
    for html in bad:
        assert audit_page(html), html
    good = (
        '<a href="../x/index.html">x</a><script src="../../static/search.js" defer></script>'
        '<script type="application/ld+json">{"a": "\\u003c/script>"}</script>'
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1)</p>"
    )
    assert audit_page(good) == []


def test_hostile_content_makes_no_executable_fragment(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = hostile_site(tmp_path)
    result = run_build(root, "--no-search")
    assert result.code == 0, result.err
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 12
    problems = {p.relative_to(site).as_posix(): audit_page(p.read_text()) for p in pages}
    assert {page: found for page, found in problems.items() if found} == {}
    # the hostile text is there, as text: escaped in HTML, never dropped
    article = (site / "articles/hostile/index.html").read_text()
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in article
    assert "alert(11)" in article and "alert(16)" in article
    for name in ("feed.xml", "sitemap.xml"):  # well-formed XML, no script element or URL
        tree = ElementTree.parse(site / name)
        for element in tree.iter():
            assert not element.tag.endswith("script"), name
            assert not any(script_url(v) for v in element.attrib.values()), name
    data = json.loads((site / "data/site.json").read_text())
    assert any(e["id"] == "hostile-entity" for e in data["entities"])


# --- paths never leave content/ --------------------------------------------------------

SECRET = b"TOP-SECRET-0451 outside content/"


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_nothing_outside_content_reaches_the_site(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "secret.png").write_bytes(SECRET)
    media = tmp_path / "content/media"
    media.mkdir()
    (media / "ok.png").write_bytes(b"fine")
    (media / "leak.png").symlink_to(secrets / "secret.png")  # a file link that leaves
    (media / "folder").symlink_to(secrets, target_is_directory=True)  # a folder link
    (media / "inside.png").symlink_to(media / "ok.png")  # a link that stays inside is fine
    article = tmp_path / ARTICLE
    article.write_text(
        article.read_text()
        + "\n![up](../secrets/secret.png) ![abs](/etc/passwd) ![link](media/leak.png)\n"
    )
    refused = run_build(tmp_path, "--no-search")  # Markdown paths out of content/: errors
    assert refused.code == 1 and not (tmp_path / "site").exists()
    assert "'../secrets/secret.png' leaves content/" in refused.err
    assert "'/etc/passwd' must be a path relative to content/" in refused.err
    assert "'media/leak.png' leaves content/" in refused.err  # through the symlink
    for image in (
        "![up](../secrets/secret.png) ",
        "![abs](/etc/passwd) ",
        "![link](media/leak.png)",
    ):
        article.write_text(article.read_text().replace(image, ""))
    result = run_build(tmp_path, "--no-search")
    assert result.code == 0, result.err
    site = tmp_path / "site"
    assert SECRET not in all_bytes(site)
    assert sorted(p.name for p in (site / "media").iterdir()) == ["inside.png", "ok.png"]
    assert (site / "media/inside.png").read_bytes() == b"fine"


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (
            "../secrets/secret.png",
            "'../secrets/secret.png' leaves content/: media must stay inside it",
        ),
        (
            "media/../../secrets/secret.png",
            "'media/../../secrets/secret.png' leaves content/: media must stay inside it",
        ),
        ("/etc/passwd", "'/etc/passwd' must be a path relative to content/"),
        ("C:/Windows/win.ini", "'C:/Windows/win.ini' must be a path relative to content/"),
        ("javascript:alert(1)", "'javascript:alert(1)' must be a path relative to content/"),
        (
            "data:image/png;base64,iVBORw0KGgo=",
            "'data:image/png;base64,iVBORw0KGgo=' must be a path relative to content/",
        ),
        ("media\\\\x.png", "'media\\x.png' must be a path relative to content/"),
        ("media/leak.png", "'media/leak.png' leaves content/: media must stay inside it"),
        (
            "media/folder/secret.png",
            "'media/folder/secret.png' leaves content/: media must stay inside it",
        ),
    ],
)
def test_image_paths_that_leave_content_are_errors(
    src: str, message: str, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "secret.png").write_bytes(SECRET)
    media = tmp_path / "content/media"
    media.mkdir()
    (media / "leak.png").symlink_to(secrets / "secret.png")
    (media / "folder").symlink_to(secrets, target_is_directory=True)
    article = tmp_path / ARTICLE
    image = f'image: {{src: "{src}", alt: A board}}\n'
    article.write_text(article.read_text().replace("topics:", image + "topics:"))
    result = run_build(tmp_path, "--no-search")
    assert result.code == 1
    assert result.diagnostics == [
        f"{ARTICLE}:4:14: error: {message}",
        # the links themselves are not followed when media/ is copied
        "content/media/folder:1:1: warning: skipped: a symbolic link to a folder (links to "
        "folders are not followed)",
        "content/media/leak.png:1:1: warning: skipped: a symbolic link out of media/, whose "
        "files alone are used",
    ]
    assert not (tmp_path / "site").exists()


def test_a_theme_name_cannot_leave_themes(tmp_path: Path, run_build: Callable[..., Run]) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    (tmp_path / SITE).write_text("title: T\nbase_url: https://e.org/\ntheme: ../../etc\n")
    result = run_build(tmp_path, "check")
    assert result.code == 1
    assert result.diagnostics[0].startswith(f"{SITE}:3:8: error: '../../etc' is not a valid id")
