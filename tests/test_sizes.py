"""What kind of output a URL is, for the sizes `build --profile` prints
(`output/sizes.py`): from the URL alone, since a build after an edit to prose does
not plan every page, and the same as the plan says of each page."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.options import BuildOptions
from builder.output import urls
from builder.output.pages import plan_pages
from builder.output.sizes import KINDS, kind_of
from builder.pipeline import build_model
from tests.conftest import write_files
from tests.test_incremental import SITE


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("articles/one/index.html", "article pages"),
        ("entities/alice-example/index.html", "entity pages"),
        ("topics/story/index.html", "topic pages"),
        (urls.mentions_page("alice-example", 2), "other pages"),
        ("404.html", "other pages"),
        ("index.html", "other pages"),
        ("static/style.css", "data, feeds and assets"),
        ("media/a-page-given-as-is.html", "data, feeds and assets"),  # copied, not made
        ("feed.xml", "data, feeds and assets"),
        ("data/site.json", "data, feeds and assets"),
    ],
)
def test_the_kind_of_an_output_comes_from_its_url(url: str, kind: str) -> None:
    assert kind_of(url) == kind


def test_every_planned_page_is_of_the_kind_the_plan_says(tmp_path: Path) -> None:
    root = write_files(tmp_path, SITE)
    options = BuildOptions(root / "content", root / "site", search=False, write=False)
    model, _ = build_model(options)
    assert model.site is not None
    pages = list(plan_pages(model.site))
    for page in pages:
        assert kind_of(page.url) == KINDS.get(page.kind or "", "other pages"), page.url
    assert {kind_of(page.url) for page in pages} == {*KINDS.values(), "other pages"}
