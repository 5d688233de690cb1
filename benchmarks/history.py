"""What the git history of facts costs a build (issue 13).

A corpus (`corpus.py`) is committed to a fresh git repository, then COMMITS commits
each change the `as_of` of one fact of one topic. Cold builds with the history and
with `--no-history` run alternately in this one script, so that machine load falls
on both alike; the figure is their ratio. Also timed: a build after one more commit
(the history is read again, the pages it shows are rendered again), and `git log
--raw` over the same paths alone, the floor of one pass over the history.

    .venv/bin/python benchmarks/history.py [--articles 1000] [--commits 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import cached_corpus, find_build, fresh_copy, measure  # noqa: E402

AS_OF = re.compile(r"as_of: '?[0-9-]+'?")
WORK = Path(tempfile.gettempdir()) / "dossier-bench"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True)


def history_repo(articles: int, commits: int) -> Path:
    site = fresh_copy(cached_corpus(WORK, articles, 200, 18) / "dossier", WORK / "history-site")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "corpus")
    topics = sorted((site / "content/topics").glob("*.yaml"))
    for number in range(commits):
        path = topics[number % len(topics)]
        text = path.read_text()
        first = AS_OF.search(text, text.index("facts:"))
        assert first is not None
        changed = f"as_of: '2023-01-{11 + (number // len(topics)) % 2}'"
        path.write_text(text[: first.start()] + changed + text[first.end() :])
        git(site, "commit", "-q", "-am", f"Fix a date ({number})")
    return site


def timed(command: list[str], cwd: Path) -> float:
    result = measure(command, cwd)
    assert result.code == 0, result.stderr[-2000:]
    return result.seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    build = str(find_build())
    site = history_repo(args.articles, args.commits)
    cold = [build, "--no-search", "--no-cache", "--out", str(WORK / "history-out")]
    with_history: list[float] = []
    without: list[float] = []
    floor: list[float] = []
    for _ in range(args.rounds):
        with_history.append(timed(cold, site))
        without.append(timed([*cold, "--no-history"], site))
        started = time.perf_counter()
        git(site, "log", "--raw", "--no-abbrev", "--", "content/topics", "content/entities")
        floor.append(time.perf_counter() - started)
    warm = [build, "--no-search"]
    timed(warm, site)
    git(site, "commit", "-q", "--allow-empty", "-m", "one more commit")
    after_commit = timed(warm, site)
    a, b = statistics.median(with_history), statistics.median(without)
    print(f"{args.articles} articles, {args.commits} commits of facts, {args.rounds} rounds")
    print(f"cold build with history     {a:.2f} s (median)")
    print(f"cold build with --no-history {b:.2f} s (median)")
    print(f"ratio                        {a / b:.3f}")
    print(f"git log --raw alone          {statistics.median(floor) * 1000:.0f} ms")
    print(f"warm build after a commit    {after_commit:.2f} s")


if __name__ == "__main__":
    main()
