"""Outputs -> the output folder, atomically, touching only what changed.

Files are written to a staging folder beside `site/` and take effect at `commit()`:
- a *full* commit swaps the staging folder in for `site/` (a first build, or one
  that rewrote the whole site);
- an *update* commit moves the changed files into `site/` and deletes the ones that
  are gone. Its commit point is the rename of the staging folder to `.site.commit-*`,
  which holds the list of changes: from then on the update is applied, with Ctrl-C and
  SIGTERM held back, and a build killed outright (SIGKILL, power loss) is completed
  by the next one (`recover`). Unchanged files keep their bytes and their mtime.
Before the commit point, any error or interrupt leaves `site/` exactly as it was and
removes the staging folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

JOURNAL = ".dossier-changes.json"
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class OutputError(Exception):
    """A file would be written twice, or outside the output folder."""


def check_urls(urls: Iterable[str]) -> None:
    """Refuse two outputs with one URL, or a URL that leaves the output folder."""
    seen: set[str] = set()
    for url in urls:
        parts = url.split("/")
        if url in seen:
            raise OutputError(f"two outputs for {url}")
        if not url or url.startswith("/") or ".." in parts or "" in parts or "\\" in url:
            raise OutputError(f"{url} is outside the output folder")
        seen.add(url)


class Staging:
    """The files of one build, written beside `out_dir` until `commit()`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out_dir)
        self.root = Path(
            tempfile.mkdtemp(prefix=f".{self.out_dir.name}.tmp-", dir=self.out_dir.parent)
        )
        self._made: set[str] = {""}

    def path(self, url: str) -> Path:
        """Where to write `url`; callers check their URLs with `check_urls` first."""
        target = self.root / url
        make_folder(self.root, os.path.dirname(url), self._made)
        return target

    def write(self, url: str, data: bytes) -> os.stat_result:
        make_folder(self.root, os.path.dirname(url), self._made)
        target = os.path.join(self.root, url)
        with open(target, "wb") as handle:
            handle.write(data)
        return os.stat(target)  # once closed: a network file system may set the time then

    def copy(self, source: Path, url: str) -> os.stat_result:
        target = self.path(url)
        shutil.copyfile(source, target)
        return target.stat()

    def commit_full(self) -> None:
        """Swap the staging folder in for the output folder."""
        os.chmod(self.root, 0o755)
        if not self.out_dir.exists():
            self.root.rename(self.out_dir)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.out_dir.parent))
        old.rmdir()
        self.out_dir.rename(old)
        try:
            self.root.rename(self.out_dir)
        except BaseException:
            old.rename(self.out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def commit_update(self, written: Iterable[str], removed: Iterable[str]) -> None:
        """Move `written` into the output folder and delete `removed` from it."""
        changes = {"written": sorted(written), "removed": sorted(removed)}
        (self.root / JOURNAL).write_text(json.dumps(changes))
        committed = self.root.with_name(self.root.name.replace(".tmp-", ".commit-", 1))
        with _signals_held():
            self.root.rename(committed)  # the commit point
            _apply(committed, self.out_dir)

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def make_folder(root: str | Path, relative: str, made: set[str]) -> None:
    """Make the folder `relative` under `root` unless it is in `made` (the folders
    this process made there, "" for `root` itself): one `mkdir`, without the look at
    every parent that `makedirs` takes (a page is a folder of its own)."""
    if relative in made:
        return
    if os.path.dirname(relative) in made:
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.join(root, relative))
        made.add(relative)
        return
    os.makedirs(os.path.join(root, relative), exist_ok=True)
    while relative not in made:  # and every folder above it
        made.add(relative)
        relative = os.path.dirname(relative)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _apply(committed: Path, out_dir: Path) -> None:
    """Carry out a committed update; safe to run again after it was cut short."""
    try:
        changes = json.loads((committed / JOURNAL).read_text())
    except (OSError, ValueError):
        changes = {"written": [], "removed": []}  # cut short before: nothing left to do
    for url in changes["written"]:
        source = committed / url
        if source.exists():
            (out_dir / url).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, out_dir / url)
    for url in changes["removed"]:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / url).unlink()
        _remove_empty_parents(out_dir, url)
    shutil.rmtree(committed, ignore_errors=True)


def _remove_empty_parents(out_dir: Path, url: str) -> None:
    folder = (out_dir / url).parent
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover(out_dir: Path) -> None:
    """Clean up after a build that was killed outright (SIGKILL, power loss): finish a
    committed update, restore the previous site if a swap was cut in half, and remove
    leftover folders."""
    parent = out_dir.parent
    for committed in sorted(parent.glob(f".{out_dir.name}.commit-*")):
        _apply(committed, out_dir)
    leftovers = sorted(parent.glob(f".{out_dir.name}.old-*"))
    if leftovers and not out_dir.exists():
        leftovers.pop().rename(out_dir)
    for folder in [*leftovers, *parent.glob(f".{out_dir.name}.tmp-*")]:
        shutil.rmtree(folder, ignore_errors=True)
