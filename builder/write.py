"""Pages -> the output folder, atomically.

Everything is written to a temporary sibling of `site/` and swapped in only when
the whole site is there; on any error or interrupt the previous `site/` stays as it
was and the temporary folder is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputError(Exception):
    """A page would be written twice, or outside the output folder."""


def write_site(
    out_dir: Path,
    files: Iterable[tuple[str, str]],
    copies: Iterable[tuple[Path, str]],
    finish: Callable[[Path], None] | None = None,
) -> int:
    """Write `files` ((url, text) pairs) and `copies` ((source file, url) pairs), then
    run `finish` over the complete new site (the search index) before swapping it in."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        count = _fill(staging, files, copies)
        if finish is not None:
            finish(staging)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _fill(
    staging: Path, files: Iterable[tuple[str, str]], copies: Iterable[tuple[Path, str]]
) -> int:
    written: set[str] = set()
    for url, text in files:
        _target(staging, url, written).write_text(text, encoding="utf-8", newline="\n")
    for source, url in copies:
        if url not in written:  # generated files win over copied ones of the same name
            shutil.copyfile(source, _target(staging, url, written))
    return len(written)


def _target(staging: Path, url: str, written: set[str]) -> Path:
    if url in written:
        raise OutputError(f"two outputs for {url}")
    target = (staging / url).resolve()
    if not target.is_relative_to(staging.resolve()):
        raise OutputError(f"{url} is outside the output folder")
    written.add(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _swap(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Clean up after a build that was killed outright (SIGKILL, power loss): restore
    the previous site if the swap was cut in half, and remove leftover folders."""
    leftovers = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if leftovers and not out_dir.exists():
        leftovers.pop().rename(out_dir)
    for folder in [*leftovers, *out_dir.parent.glob(f".{out_dir.name}.tmp-*")]:
        shutil.rmtree(folder, ignore_errors=True)


def tree_files(root: Path, prefix: str) -> list[tuple[Path, str]]:
    """Regular files under `root` that stay inside it, as (path, url) pairs, sorted.

    Symlinks are followed only where they stay inside `root`; directory symlinks are
    not walked, so a symlink loop cannot hang the build."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or not path.is_file():
                continue
            if path.resolve().is_relative_to(real_root):
                found.append((path, prefix + path.relative_to(root).as_posix()))
    return found
