import pytest

from builder.output import urls


def test_page_urls_name_the_file() -> None:
    assert urls.page_url("entity", "iran") == "entities/iran/index.html"
    assert urls.page_url("topic", "t") == "topics/t/index.html"
    assert urls.page_url("article", "a") == "articles/a/index.html"


def test_a_record_page_url_reads_back() -> None:
    for kind in ("article", "entity", "topic"):
        assert urls.record_of(urls.page_url(kind, "some-id")) == (kind, "some-id")
    others = [urls.HOME, urls.TOPICS, urls.archive_page(2), urls.mentions_page("iran", 1)]
    assert [urls.record_of(url) for url in [*others, "media/a/index.html"]] == [None] * 5


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.html", "entities/iran/index.html", "entities/iran/index.html"),
        (
            "entities/iran/index.html",
            "entities/russia/index.html",
            "../../entities/russia/index.html",
        ),
        ("entities/iran/index.html", "index.html", "../../index.html"),
        ("topics/index.html", "static/style.css", "../static/style.css"),
        ("articles/a/index.html", "articles/a/index.html", "index.html"),
    ],
)
def test_relative_links(page: str, target: str, expected: str) -> None:
    assert urls.Linker(page).href(target) == expected


def test_absolute_root_for_404() -> None:
    linker = urls.Linker("404.html", urls.base_path("https://u.github.io/repo/"))
    assert linker.href("entities/index.html") == "/repo/entities/index.html"
    assert urls.base_path(None) == "/"


def test_absolute_url_is_pretty() -> None:
    base = "https://u.github.io/repo/"
    assert urls.absolute_url(base, "topics/t/index.html") == "https://u.github.io/repo/topics/t/"
    assert urls.absolute_url(base, "index.html") == base
