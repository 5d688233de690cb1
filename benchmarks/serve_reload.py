"""`build serve` at scale: the time from saving an article to the open page showing it.

    python benchmarks/serve_reload.py --articles 10000 [--edits 10] [--work DIR]

Starts `build serve` on the corpus of `corpus.py` (with a warm cache: the first build
of the run is not timed), opens an article in Chromium (Playwright), then appends a
sentence to the article file and waits until the open page shows it, ten times (the
page is updated in place; before 8c2fc0c it reloaded). Prints each time, the median
and the worst, and checks the target (median under 0.5 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import harness
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--work", type=Path, default=Path("/tmp/dossier-bench"))
    parser.add_argument("--target", type=float, default=0.5, help="median, in seconds")
    args = parser.parse_args()
    corpus = harness.cached_corpus(args.work, args.articles, 200, 18)
    root = harness.fresh_copy(corpus / "dossier", args.work / f"serve-{args.articles}")
    build = harness.find_build()
    subprocess.run([build, "--no-search"], cwd=root, check=True, capture_output=True)
    server = subprocess.Popen(
        [build, "serve", "--port", "0"], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        print(first.strip())
        seconds = measure(first.split()[1], root, args.edits)
    finally:
        server.terminate()
        server.wait(timeout=30)
    median = statistics.median(seconds)
    print(f"save to reloaded page: median {median:.3f} s, worst {max(seconds):.3f} s")
    verdict = "PASS" if median < args.target else "FAIL"
    print(f"{verdict}  median {median:.3f} s < {args.target} s")
    return 0 if verdict == "PASS" else 1


def measure(base: str, root: Path, edits: int) -> list[float]:
    article = sorted((root / "content/articles").glob("*.md"))[7]
    url = f"{base}articles/{article.stem}/"
    found: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        time.sleep(1.0)  # the page opens its event stream
        for number in range(edits):
            marker = f"Reload check {number} of this run."
            text = article.read_text(encoding="utf-8").rstrip("\n")
            started = time.perf_counter()
            article.write_text(f"{text}\n\n{marker}\n", encoding="utf-8")
            page.wait_for_function(
                f"() => document.body.innerText.includes({marker!r})", timeout=30_000
            )
            found.append(time.perf_counter() - started)
            print(f"  edit {number + 1}: {found[-1]:.3f} s", flush=True)
            time.sleep(0.5)
        browser.close()
    return found


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
