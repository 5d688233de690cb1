"""What `pip install .` installs: every package of builder/, the default theme from the
top-level themes/default/, the JSON Schemas and the reload script of `build serve`."""

from __future__ import annotations

import tomllib

from builder.source.scan import DEFAULT_THEME
from tests.conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_is_installed() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "builder").rglob("__init__.py")
    }
    assert set(SETUPTOOLS["packages"]) == found | {"builder.themes"}


def test_the_default_theme_is_the_top_level_one_and_is_packaged() -> None:
    assert SETUPTOOLS["package-dir"] == {"builder.themes": "themes"}
    assert DEFAULT_THEME == ROOT / "themes" / "default"  # in a source checkout
    assert not (ROOT / "builder" / "themes").exists()
    data = SETUPTOOLS["package-data"]
    for package, patterns in data.items():
        folder = ROOT / SETUPTOOLS["package-dir"].get(package, package.replace(".", "/"))
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"{package}: {pattern} matches nothing"
    templates = {p.name for p in (DEFAULT_THEME / "templates").glob("*.html")}
    assert {"base.html", "article.html", "entity.html", "topic.html"} <= templates
