from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jinja2

from builder.output.render import environment
from tests.conftest import Run


def test_site_theme_overrides_one_template(site_dir: Path, run_build: Callable[..., Run]) -> None:
    (site_dir / "content/site.yaml").write_text(
        "title: Test Desk\nbase_url: https://newsroom.github.io/desk/\ntheme: house\n"
    )
    templates = site_dir / "themes/house/templates"
    templates.mkdir(parents=True)
    (templates / "topic.html").write_text(
        '{% extends "default:topic.html" %}{% block body_class %}house-topic{% endblock %}'
    )
    (site_dir / "themes/house/static").mkdir()
    (site_dir / "themes/house/static/extra.css").write_text("body{}")
    assert run_build(site_dir).code == 0
    topic = (site_dir / "site/topics/big-story/index.html").read_text()
    assert '<body class="house-topic">' in topic and "The big story" in topic
    article = (site_dir / "site/articles/first-story/index.html").read_text()
    assert '<body class="article">' in article
    assert (site_dir / "site/static/extra.css").is_file()
    assert (site_dir / "site/static/style.css").is_file()


def test_template_error_is_a_diagnostic(site_dir: Path, run_build: Callable[..., Run]) -> None:
    (site_dir / "content/site.yaml").write_text(
        "title: T\nbase_url: https://e.org/\ntheme: broken\n"
    )
    templates = site_dir / "themes/broken/templates"
    templates.mkdir(parents=True)
    (templates / "topic.html").write_text("{% if %}\n")
    result = run_build(site_dir)
    assert result.code == 1
    assert "themes/broken/templates/topic.html:1:1: error: template error" in result.err


def test_raw_html_is_escaped_unless_allowed(site_dir: Path, run_build: Callable[..., Run]) -> None:
    article = site_dir / "content/articles/first-story.md"
    article.write_text(article.read_text() + "\n<em>raw</em> [x](javascript:alert(1))\n")
    assert run_build(site_dir).code == 0
    html = (site_dir / "site/articles/first-story/index.html").read_text()
    assert "&lt;em&gt;raw&lt;/em&gt;" in html and 'href="javascript' not in html
    site_yaml = site_dir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "allow_html: true\n")
    assert run_build(site_dir).code == 0
    html = (site_dir / "site/articles/first-story/index.html").read_text()
    assert "<em>raw</em>" in html and 'href="javascript' not in html


def test_allowed_html_never_carries_a_script_or_data_url(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """SPEC 2: with `allow_html: true`, raw HTML is kept, but a `javascript:`,
    `vbscript:` or `data:` URL is never emitted, however it is spelled."""
    site_yaml = site_dir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "allow_html: true\n")
    article = site_dir / "content/articles/first-story.md"
    raw = (
        "<a href=\"javascript:alert(1)\">one</a> <a HREF='JaVa&#x53;cript:alert(2)'>two</a>"
        ' <a href = " vbscript:x">three</a> <img src=data:image/png;base64,AAAA alt="four">'
        ' <a title="x" href="java&Tab;script:alert(3)">five</a>'
        ' <a href="https://example.org/ok">safe</a>'
        ' <a title="x href=" href="javascript:alert(4)">seven</a>'  # a value hides nothing
    )
    article.write_text(
        article.read_text() + f"\n{raw}\n\n<div><a href='javascript:x'>six</a></div>\n"
    )
    assert run_build(site_dir).code == 0
    html = (site_dir / "site/articles/first-story/index.html").read_text()
    urls: list[str] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            urls.extend(v or "" for k, v in attrs if k in ("href", "src"))

    Attributes().feed(html)
    unsafe = [
        u
        for u in urls
        if re.sub(r"[\x00-\x20]", "", u).lower().startswith(("javascript:", "vbscript:", "data:"))
    ]
    assert unsafe == []
    assert 'title="x href="' in html  # the text attribute stays, the URL does not
    for word in ("one", "two", "three", "five", "six", "seven"):
        assert f">{word}</a>" in html  # the elements stay, without the URL
    assert 'alt="four"' in html and '<a href="https://example.org/ok">safe</a>' in html


def test_meta_tags_and_unique_titles(site_dir: Path, run_build: Callable[..., Run]) -> None:
    assert run_build(site_dir).code == 0
    pages = sorted((site_dir / "site").rglob("*.html"))
    titles = [p.read_text().split("<title>")[1].split("</title>")[0] for p in pages]
    assert len(set(titles)) == len(titles)
    for page in pages:  # SPEC 8, with base_url: every page, 404.html included
        head = page.read_text().split("</head>")[0]
        for tag in ('<link rel="canonical" href="https://', 'property="og:title"', "ld+json"):
            assert tag in head, (page.name, tag)
    topic = (site_dir / "site/topics/big-story/index.html").read_text()
    canonical = "https://newsroom.github.io/desk/topics/big-story/"
    assert f'<link rel="canonical" href="{canonical}">' in topic
    assert '<meta name="description" content="What happened.">' in topic
    assert '<meta property="og:title" content="The big story">' in topic


def test_without_base_url_no_canonical_open_graph_or_json_ld(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """SPEC 2 and 8: canonical links, Open Graph tags and JSON-LD come with `base_url`
    only; the title and meta description stay."""
    (site_dir / "content/site.yaml").write_text("title: Test Desk\n")
    assert run_build(site_dir).code == 0
    for page in sorted((site_dir / "site").rglob("*.html")):
        html = page.read_text()
        head = html.split("</head>")[0]
        assert '<meta name="description"' in head and "<title>" in head, page
        for absent in ('rel="canonical"', 'property="og:', 'name="twitter:', "application/ld+json"):
            assert absent not in head, (page, absent)


def test_titles_stay_unique_when_records_share_a_name(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """SPEC 8: every page has a unique <title>, also when two articles share a
    headline (the date tells them apart), two entities a name (the type) or an entity
    is named like an index page."""
    story = "---\ntitle: Live updates\ndate: {}\ntopics: [big-story]\n---\nText.\n"
    files = {
        "content/articles/live-1.md": story.format("2024-10-23"),
        "content/articles/live-2.md": story.format("2024-10-24"),
        "content/articles/live-3.md": story.format("2024-10-24"),
        "content/entities/russia.yaml": "name: Russia\ntype: country\n",
        "content/entities/russia-town.yaml": "name: Russia\ntype: place\n",
        "content/entities/topics-inc.yaml": "name: Topics\ntype: organization\n",
    }
    for name, text in files.items():
        (site_dir / name).write_text(text)
    assert run_build(site_dir, "--no-search").code == 0
    pages = sorted((site_dir / "site").rglob("*.html"))
    titles = {p: p.read_text().split("<title>")[1].split("</title>")[0] for p in pages}
    assert len(set(titles.values())) == len(titles)
    site = site_dir / "site"
    assert titles[site / "articles/live-1/index.html"].startswith("Live updates (23 October 2024)")
    assert titles[site / "entities/russia/index.html"].startswith("Russia (country)")
    assert titles[site / "topics/index.html"].startswith("Topics ·")
    assert titles[site / "entities/topics-inc/index.html"].startswith("Topics (organization)")
    article = (site / "articles/live-1/index.html").read_text()
    assert "<h1>Live updates</h1>" in article or ">Live updates</h1>" in article


def test_cname_written_from_site_yaml(site_dir: Path, run_build: Callable[..., Run]) -> None:
    site_yaml = site_dir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "cname: news.example.org\n")
    assert run_build(site_dir).code == 0
    assert (site_dir / "site/CNAME").read_text() == "news.example.org\n"


def test_a_long_first_paragraph_makes_a_short_description_said_once(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    article = site_dir / "content/articles/first-story.md"
    front, body = article.read_text().rsplit("---\n", 1)
    words = " ".join(f"word{i}" for i in range(60))  # 419 characters in one paragraph
    article.write_text(f"{front}---\n{words}.\n\n{body}")
    assert run_build(site_dir).code == 0
    html = (site_dir / "site/articles/first-story/index.html").read_text()
    description = html.split('<meta name="description" content="')[1].split('"')[0]
    assert description.endswith("word23…") and len(description) <= 160
    assert f'<meta property="og:description" content="{description}">' in html
    assert (
        html.count("word23 ") == 1 and html.count("word23…") == 2
    )  # the article; the meta tags; no JSON-LD


def test_a_theme_reads_view_keys_and_still_calls_dict_methods() -> None:
    """Views are dicts: `view.key` is the key (even one named like a dict method), and
    a dict's own methods still work where the view has no such key."""
    template = "{{ v.items }}|{{ v.title }}|{% for k, x in w.items() %}{{ k }}={{ x }}{% endfor %}"
    env = environment(jinja2.DictLoader({"t": template}))
    page = env.get_template("t").render(v={"items": 3, "title": "A & B"}, w={"a": 1})
    assert page == "3|A &amp; B|a=1"


def test_no_placeholder_or_control_character_reaches_a_page(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    """What stands for a wikilink's title until a page is rendered never shows: not
    when a labelled wikilink's text holds a full stop (the automatic summary cuts
    sentences), nor when a front-matter summary holds the same control characters."""
    topic = site_dir / "content/topics/big-story.yaml"
    topic.write_text(topic.read_text().replace("summary: What happened.\n", ""))
    article = site_dir / "content/articles/first-story.md"
    article.write_text(
        article.read_text()
        + "\n[[alice-example]] spoke first, then the Board of Things replied at length. "
        "It added: [[board-of-things|Nothing is agreed. Everything]] is still open, they said.\n"
    )
    (site_dir / "content/articles/second.md").write_text(
        '---\ntitle: Second\ndate: 2024-10-24\ntopics: [big-story]\nsummary: "a \\0R\\0 b'
        ' \\0Wboard-of-things\\x01\\0 c"\n---\nAlice Example was there.\n'
    )
    assert run_build(site_dir, "--no-search").code == 0
    for page in (site_dir / "site").rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml", ".json"):
            text = page.read_text()
            assert "\x00" not in text and "\x01" not in text, page
    home = (site_dir / "site/articles/index.html").read_text()
    assert "a \ufffdR\ufffd b" in home
