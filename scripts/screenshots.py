"""Screenshots of the demo, as a reader sees it: Debian's Chromium at 1280 and 390 px,
light and dark, the site served under /dossier/ as on GitHub Pages.

    .venv/bin/python scripts/screenshots.py [OUT] [--dark] [--pages topic,entity,...]

Writes OUT/<page>-<width>[-dark].png (default OUT: docs/screenshots).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browsing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.webserver import served_demo  # noqa: E402

PAGES = {
    "home": "",
    "topic": "topics/north-korean-troops-in-russia/",
    "entity": "entities/north-korea/",
    "graph": "graph/",
    "search": "search/?q=troops",
    "article": "articles/austin-confirms-north-korean-troops-in-russia/",
}
WIDTHS = (1280, 390)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--dark", action="store_true", help="also the dark colour scheme")
    parser.add_argument("--pages", default=",".join(PAGES), help="which of: " + ", ".join(PAGES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    schemes = ("light", "dark") if args.dark else ("light",)
    with (
        tempfile.TemporaryDirectory() as work,
        served_demo(Path(work)) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in args.pages.split(","):
            for width in WIDTHS:
                for scheme in schemes:
                    page = browser.new_page(
                        viewport={"width": width, "height": 900}, color_scheme=scheme
                    )
                    page.goto(site.url(PAGES[name]), wait_until="networkidle")
                    if name == "search":
                        page.wait_for_selector(".pagefind-ui__result", timeout=10_000)
                    suffix = "-dark" if scheme == "dark" else ""
                    target = args.out / f"{name}-{width}{suffix}.png"
                    page.screenshot(path=str(target), full_page=True)
                    page.close()
                    print(target)
        browser.close()


if __name__ == "__main__":
    main()
