"""Search and output at archive scale (issue 16): the whole build with its sharded
search index, against Pagefind run once over the whole site (one index, as before).

    python benchmarks/search_scale.py [--articles 10000] [--entities 10000] [--topics 100]
                                      [--rounds 1] [--work DIR] [--query "troops border"]
                                      [--no-targets] [--no-peer]

The site is the project's synthetic one (`synthetic.py`), generated once per size and
kept in --work. Each round, in alternating order so that machine load hits both alike:

    dossier      `build --profile` with search, from nothing (no site/, no cache):
                 wall time, peak memory (summed PSS of the build and every process it
                 starts, Pagefind's included), the search stage's time, size by kind
    one index    Pagefind's own CLI over the same built site in one go: wall time and
                 peak memory (the peer: what indexing cost before the shards); not
                 with --no-peer, for sizes where it would not fit in memory

then, once: one article edited and built again (which shards were indexed, and the
search stage's time), and the bytes a two-word query downloads in Chromium (every
response under pagefind/, as served; GitHub Pages would gzip the scripts).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import statistics
import sys
import threading
from pathlib import Path

import harness
from synthetic import write_site

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def cached_site(work: Path, articles: int, entities: int, topics: int) -> Path:
    folder = work / f"synthetic-{articles}-{entities}-{topics}"
    if not (folder / "content/site.yaml").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        write_site(folder, articles, entities, topics)
    return folder


def dossier_cold(site: Path, build: Path) -> tuple[harness.Measured, float, dict[str, str]]:
    old = (site / "site", site / ".dossier-cache", site / "content/.dossier-cache")
    harness.set_aside(site.parent / harness.TRASH, *old)
    measured = harness.measure([str(build), "--profile"], site, site / "log/cold", 7200)
    if measured.code != 0:
        sys.exit(f"build failed:\n{measured.stderr[-3000:]}")
    return measured, stage_seconds(measured.stdout, "search"), sizes(measured.stdout)


def one_index(site: Path) -> harness.Measured:
    """Pagefind over the whole built site at once, into a folder outside it."""
    from pagefind.service import get_executable

    bundle = site / "one-index"
    harness.set_aside(site.parent / harness.TRASH, bundle)
    command = [str(get_executable()), "--site", "site", "--output-path", str(bundle), "--silent"]
    measured = harness.measure(command, site, site / "log/one-index", 7200)
    harness.set_aside(site.parent / harness.TRASH, bundle)
    return measured


def stage_seconds(profile: str, stage: str) -> float:
    found = re.search(rf"^  {stage}\s+([\d.]+)s$", profile, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def sizes(profile: str) -> dict[str, str]:
    lines = profile.split("  output ", 1)[1].splitlines() if "  output " in profile else []
    found = {"total": lines[0].rstrip(":")} if lines else {}
    for line in lines[1:]:
        if line.startswith("    "):
            kind, size = line.strip().rsplit("  ", 1)
            found[kind.strip()] = size.strip()
    return found


def edit_one_article(site: Path, build: Path) -> tuple[harness.Measured, float, str]:
    article = sorted((site / "content/articles").glob("*.md"))[len(site.name) % 7]
    article.write_text(article.read_text() + "\nA sentence added by the benchmark.\n")
    measured = harness.measure([str(build), "--profile"], site, site / "log/edit", 3600)
    made = re.search(r"search index: (.*)$", measured.stdout, re.MULTILINE)
    return measured, stage_seconds(measured.stdout, "search"), made.group(1) if made else "?"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def query_bytes(folder: Path, query: str) -> tuple[int, int]:
    """Bytes and requests under pagefind/ for one query on the search page."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loaded: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()

            def count(response: object) -> None:
                if "/pagefind/" in response.url:  # type: ignore[attr-defined]
                    loaded.append(len(response.body()))  # type: ignore[attr-defined]

            page.on("response", count)
            port = server.server_address[1]
            page.goto(f"http://127.0.0.1:{port}/search/index.html?q={query}")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=120_000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(loaded), len(loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/dossier-bench"))
    parser.add_argument("--query", default="troops border")
    parser.add_argument("--build", type=Path, default=None)
    parser.add_argument("--no-targets", action="store_true")
    parser.add_argument(
        "--no-peer", action="store_true", help="no one-index Pagefind (it needs >4 GB at 100,000)"
    )
    args = parser.parse_args()
    build = harness.find_build(args.build)
    site = cached_site(args.work, args.articles, args.entities, args.topics)
    ours: list[tuple[harness.Measured, float, dict[str, str]]] = []
    peer: list[harness.Measured] = []
    for round_no in range(args.rounds):
        if args.no_peer:
            ours.append(dossier_cold(site, build))
        elif round_no % 2:  # the peer first: the site of the round before is there
            peer.append(one_index(site))
            ours.append(dossier_cold(site, build))
        else:
            ours.append(dossier_cold(site, build))
            peer.append(one_index(site))
    edit, edit_search, made = edit_one_article(site, build)
    downloaded, requests = query_bytes(site / "site", args.query)
    sys.exit(report(args, ours, peer, (edit, edit_search, made), (downloaded, requests)))


def report(
    args: argparse.Namespace,
    ours: list[tuple[harness.Measured, float, dict[str, str]]],
    peer: list[harness.Measured],
    edit: tuple[harness.Measured, float, str],
    query: tuple[int, int],
) -> int:
    """Print the figures, and with the targets (at 10,000 articles) whether each is met:
    1 when one is missed, as a script or CI sees it."""
    seconds = statistics.median(m.seconds for m, _, _ in ours)
    peak = max(m.peak_mib for m, _, _ in ours)
    search = statistics.median(s for _, s, _ in ours)
    peer_seconds = statistics.median(m.seconds for m in peer) if peer else 0.0
    peer_peak = max((m.peak_mib for m in peer), default=0.0)
    print(
        f"synthetic site: {args.articles} articles, {args.entities} entities, {args.topics} topics"
    )
    print(f"build with search, cold: {seconds:.1f} s, peak {peak:,.0f} MiB (summed PSS)")
    rounds = ", ".join(f"{s:.1f}" for _, s, _ in ours)
    print(f"  search stage: {search:.1f} s (rounds: {rounds})")
    print(
        f"Pagefind over the whole site in one go: {peer_seconds:.1f} s, peak {peer_peak:,.0f} MiB"
    )
    if peer_peak:
        print(
            f"  peak memory of the whole build / one-index Pagefind alone: {peak / peer_peak:.2f}"
        )
    print("output by kind:")
    for kind, size in ours[-1][2].items():
        print(f"  {kind:<24} {size:>10}")
    measured, edit_search, made = edit
    print(
        f"one article edited: {measured.seconds:.1f} s, search stage {edit_search:.2f} s ({made})"
    )
    print(f"query {args.query!r}: {query[0] / 1e6:.2f} MB in {query[1]} requests under pagefind/")
    if args.no_targets or args.articles != 10_000:
        return 0
    total = ours[-1][2].get("total", "0 MB")
    megabytes = float(total.split()[0]) * (1000 if total.endswith("GB") else 1)
    checks = [
        ("peak memory under 1.5 GB", peak * 1.048576 < 1500),
        ("search stage under 20 s", search < 20),
        ("output under 400 MB", megabytes < 400),
        ("a two-word query under 1.5 MB", query[0] < 1_500_000),
    ]
    for name, passed in checks:
        print(f"  {'pass' if passed else 'FAIL'}  {name}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    main()
