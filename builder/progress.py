"""A progress bar on stderr, for builds long enough to wonder about.

Shown only when stderr is a terminal and not in CI (`CI` set), and only once a
build has run for a second: a quick rebuild stays silent. One line, redrawn at most
ten times a second and wiped at the end, so nothing of it stays in the scrollback.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
SHOW_AFTER = 1.0  # seconds
WIDTH = 30


class Progress:
    def __init__(self, wanted: bool) -> None:
        self.enabled = wanted and sys.stderr.isatty() and not os.environ.get("CI")
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.shown = False
        self.name = ""
        self.total = 0
        self.count = 0

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.count = name, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.count += count
        if self.enabled and time.monotonic() - self.drawn_at >= 0.1:
            self._draw()

    def each(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.advance()
            yield item

    def _draw(self) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < SHOW_AFTER or not self.total:
            return
        done = min(self.count, self.total)
        filled = WIDTH * done // self.total
        bar = "#" * filled + "." * (WIDTH - filled)
        sys.stderr.write(f"\r{self.name:<10} [{bar}] {done:,}/{self.total:,}\x1b[K")
        sys.stderr.flush()
        self.drawn_at, self.shown = now, True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False
