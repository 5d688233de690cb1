"""Where the build cache lives, one build at a time, and the no-change check.

This module and what it imports stay light: `build` on an unchanged site answers
from here, after a stat of every input and output, without importing the parser,
the templates or the rest of the pipeline.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..forking import fork_child, reap
from ..source.scan import Inputs, Stat, scan
from .store import CACHE_DIR, Store, StoreError, digest

CACHE_FILE = "cache.sqlite"


def last_build_key(write: bool) -> str:
    """`build` and `build check` each remember their own last run."""
    return "last-build" if write else "last-check"


def inputs_digest(stats: dict[str, Stat]) -> str:
    """The stat of every input, in one hash: equal means no file was touched."""
    text = "\n".join(f"{p}\0{s.mtime_ns}\0{s.size}" for p, s in sorted(stats.items()))
    return digest(text.encode()).hex()


def cache_dir(content_dir: Path) -> Path:
    """`.dossier-cache/` next to `content/` (never inside it: content is never written)."""
    return content_dir.absolute().parent / CACHE_DIR


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """One build of a site at a time: a second one waits for the first, and says so."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            print(
                f"build: waiting for the build running in {holder} to finish "
                f"(it holds {folder / 'lock'})",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def code_version() -> str:
    """Dossier's version, and a stamp of its own source files: an edited or
    reinstalled Dossier must not reuse what an older one cached."""
    package = os.path.dirname(os.path.dirname(__file__))
    stamps = []
    for folder, _, names in os.walk(package):  # not Path.rglob: a third of the time
        for name in [n for n in names if n.endswith(".py")]:
            info = os.stat(os.path.join(folder, name))
            place = os.path.relpath(os.path.join(folder, name), package)
            stamps.append(f"{place}\0{info.st_size}\0{info.st_mtime_ns}")
    stamps.sort()
    return f"{__version__}+{digest(chr(10).join(stamps).encode()).hex()[:16]}"


def options_fingerprint(fields: dict[str, Any]) -> str:
    """What, besides the inputs, decides a build's result: Dossier's code and the
    options (where from, where to, drafts, base URL, search, write or check only)."""
    version = code_version()
    return digest(json.dumps({"version": version, **fields}, sort_keys=True).encode()).hex()


@dataclass(frozen=True)
class LastBuild:
    """What the last build with the same options said, to say again when nothing changed."""

    diagnostics: list[tuple[str, str, int, int, str]]  # severity, path, line, col, message
    files: int  # files in the output


@dataclass(frozen=True)
class Check:
    """What the no-change check found: the last build's result if no input changed
    since it and the rest is as it left it, else None; the inputs it scanned, for the
    build to go on with; and `outputs_as_left`, for the build to ask (`_as_left`)."""

    last: LastBuild | None = None
    inputs: Inputs | None = None
    outputs_as_left: Callable[[Store], bool] = lambda store: False


@contextlib.contextmanager
def checked(
    content_dir: Path, options: Callable[[], str], write: bool, out_dir: Path | None
) -> Iterator[Check]:
    """The no-change check, around the build that goes on when something changed: the
    forked process that looks at the outputs lives until the build ends, which asks
    for its answer later, without waiting (`Check.outputs_as_left`). `options`: the
    options' fingerprint, asked in that process (it starts git). Never raises: a
    cache that cannot answer means "something may have changed"."""
    path = cache_dir(content_dir) / CACHE_FILE
    if not path.is_file():
        yield Check()
        return
    key = last_build_key(write)
    question = functools.partial(_rest_as_left, path, key, options, out_dir)
    with answered_apart(question) as rest_as_left:  # before this process opens the cache
        yield _check(path, key, content_dir, rest_as_left)


def _check(path: Path, key: str, content_dir: Path, rest_as_left: Answer) -> Check:
    try:
        store = Store(path, readonly=True)
    except StoreError:
        return Check()
    try:
        raw = store.meta(key)
        if raw is None:
            return Check()
        last = json.loads(raw)
        inputs: Inputs = scan(content_dir, content_dir.parent)
        as_left = functools.partial(_as_left, rest_as_left, key, raw)
        if last["inputs"] != inputs_digest(inputs.stats) or not rest_as_left():
            return Check(None, inputs, as_left)
        diagnostics = [
            (str(s), str(p), int(ln), int(c), str(m)) for s, p, ln, c, m in last["diagnostics"]
        ]
        return Check(LastBuild(diagnostics, int(last["files"])), inputs, as_left)
    except (StoreError, ValueError, KeyError, TypeError):
        return Check()
    finally:
        store.close()


def _as_left(rest_as_left: Answer, key: str, raw: bytes, store: Store) -> bool:
    """Whether every output is as the last build left it, as the check's other process
    found: it has answered yes by now (nobody waits for it: a build asks once it has
    its model, when the answer is long there), and no build has run since it looked
    (the last build's record in `store` is the one it read). A build that is told so
    does not stat every output again (10,000 stat calls at 10,000 articles)."""
    return rest_as_left.now() is True and store.meta(key) == raw


class Answer:
    """What a question asked in a forked process answers: `answer()` waits for it,
    `answer.now()` does not (None while the process runs)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.given: bool | None = None

    def __call__(self) -> bool:
        if self.given is None:
            _, status = os.waitpid(self.pid, 0)
            self.given = os.waitstatus_to_exitcode(status) == 0
        return self.given

    def now(self) -> bool | None:
        if self.given is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                self.given = os.waitstatus_to_exitcode(status) == 0
        return self.given


@contextlib.contextmanager
def answered_apart(question: Callable[[], bool]) -> Iterator[Answer]:
    """`question()` asked in a forked process while this one goes on. The no-change
    check scans the inputs here, and there looks at everything else: the options (git
    is asked for the commit checked out) and the outputs, 10,000 stat calls at 10,000
    articles. A process that fails or is not waited for answers False ("something may
    have changed") and is killed."""
    answer = Answer(fork_child(lambda: 0 if question() else 1))
    try:
        yield answer
    finally:
        if answer.given is None:
            reap([answer.pid], kill=True)


def _rest_as_left(path: Path, key: str, options: Callable[[], str], out_dir: Path | None) -> bool:
    """Whether all but the inputs is as the last build recorded in the cache at `path`
    left it: the options, and the outputs unless nothing was written."""
    store = Store(path, readonly=True)
    try:
        last = json.loads(store.meta(key) or b"{}")
        outputs = _output_stats(store) if out_dir is not None else []
    finally:
        store.close()
    if last.get("options") != options():
        return False
    return out_dir is None or _intact(outputs, out_dir)


def _output_stats(store: Store) -> list[tuple[str, int, int]]:
    """Every file the last build left in the output folder: pages, copies and the
    search index's bundle."""
    search = load_file_stats(store.meta("search_files"))
    return [*store.output_stats(), *((url, *stat) for url, stat in search.items())]


def load_file_stats(data: bytes | None) -> dict[str, tuple[int, int]]:
    """Files as `dump_file_stats` gave them (url: mtime_ns, size); none if unreadable."""
    try:
        rows = json.loads(data or b"[]")
        return {str(url): (int(mtime), int(size)) for url, mtime, size in rows}
    except (ValueError, TypeError):
        return {}


def dump_file_stats(files: dict[str, tuple[int, int]]) -> bytes:
    rows = [[url, *files[url]] for url in sorted(files)]
    return json.dumps(rows, separators=(",", ":")).encode()


def touched(out_dir: Path, outputs: Iterable[tuple[str, int, int]]) -> Iterator[str]:
    """The outputs that are not as the last build wrote them (missing, or another
    size or time)."""
    prefix = str(out_dir) + os.sep
    for url, mtime_ns, size in outputs:
        try:
            info = os.stat(prefix + url)
        except OSError:
            yield url
            continue
        if info.st_mtime_ns != mtime_ns or info.st_size != size:
            yield url


def _intact(outputs: list[tuple[str, int, int]], out_dir: Path) -> bool:
    """Every output as the last build wrote it, and no build left half done."""
    if any(out_dir.parent.glob(f".{out_dir.name}.*-*")):
        return False
    return next(touched(out_dir, outputs), None) is None
