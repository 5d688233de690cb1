"""What `build` prints when it is done: each diagnostic with the source line it is
about (a caret under the column, as compilers do), the counts, the summary line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .diagnostics import Diagnostic, Diagnostics, Loc, Severity, display_path
from .incremental.cache import LastBuild
from .options import BuildOptions

if TYPE_CHECKING:  # the pipeline is imported only when something has to be built
    from .pipeline import BuildResult

EXIT_OK, EXIT_CONTENT = 0, 1
EXCERPT_WIDTH = 100  # characters of a long line shown around the column


def report(diags: Diagnostics, strict: bool) -> None:
    """Every diagnostic, sorted by place, then the counts (warnings count as errors
    with --strict). The `path:line:col: severity: message` line comes first and
    unchanged, for tools that read it; the excerpt lines below it start with spaces."""
    sources = SourceLines()
    for diagnostic in diags.sorted():
        severity = diagnostic.severity
        if strict and severity == "warning":
            severity = "error"
        print(f"{diagnostic.loc.shown()}: {severity}: {diagnostic.message}", file=sys.stderr)
        if severity != "note":  # a note is about a whole file
            for line in sources.excerpt(diagnostic.loc):
                print(line, file=sys.stderr)
    errors, warnings = len(diags.errors), len(diags.warnings)
    if strict:
        errors, warnings = errors + warnings, 0
    if errors or warnings:
        print(f"{count(errors, 'error')}, {count(warnings, 'warning')}", file=sys.stderr)


class SourceLines:
    """The lines of the files diagnostics point into, each file read once."""

    def __init__(self) -> None:
        self.files: dict[Path, list[str] | None] = {}

    def lines(self, path: Path) -> list[str] | None:
        if path not in self.files:
            if path.is_symlink():  # perhaps to a file that must not be shown (scan.Inside)
                self.files[path] = None
                return None
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:  # a folder, a missing file, an unreadable one
                self.files[path] = None
            else:
                self.files[path] = text.removeprefix("\ufeff").splitlines()
        return self.files[path]

    def excerpt(self, loc: Loc) -> list[str]:
        """`  12 | the line` and `     |     ^` under its column; nothing for a place
        that is not a line of a text file."""
        lines = self.lines(loc.path)
        if lines is None or not 1 <= loc.line <= len(lines):
            return []
        text, column = window(lines[loc.line - 1], loc.col - 1)
        gutter = " " * len(str(loc.line))
        under = "".join("\t" if char == "\t" else " " for char in text[:column])
        return [f" {loc.line} | {text}", f" {gutter} | {under}^"]


def window(line: str, column: int) -> tuple[str, int]:
    """At most EXCERPT_WIDTH characters of `line` around `column`, with the column
    in that window; '…' marks what was cut."""
    column = max(0, min(column, len(line)))
    if len(line) <= EXCERPT_WIDTH:
        return line, column
    start = max(0, min(column - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
    end = start + EXCERPT_WIDTH
    shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
    return shown, column - start + (1 if start else 0)


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def finish(result: BuildResult, options: BuildOptions, seconds: float, profile: bool) -> int:
    for note in result.notes:
        print(note, file=sys.stderr)
    report(result.diagnostics, options.strict)
    if profile:
        print_profile(result)
    if result.failed(options.strict):
        return _failed(options)
    if not options.write:
        print("check passed")
        return EXIT_OK
    changed = "nothing changed"
    if result.written or result.removed:
        changed = f"{count(result.written, 'file')} written"
        changed += f", {result.removed} removed" if result.removed else ""
    elif result.indexed:
        changed = f"{count(len(result.indexed), 'search index shard')} made again"
    elif result.rendered:  # an edit was seen (say, to a template), and changed no file
        changed = f"{count(result.rendered, 'file')} made again, none changed"
    print(
        f"built {result.files} files into {display_path(options.out_dir)}/ "
        f"in {seconds:.2f}s ({changed})"
    )
    return EXIT_OK


def finish_unchanged(last: LastBuild, options: BuildOptions, seconds: float) -> int:
    """Say again what the last build said: no input changed since."""
    diags = Diagnostics()
    for severity, path, line, col, message in last.diagnostics:
        place = Loc(Path(path), line, col)
        diags.items.append(Diagnostic(cast(Severity, severity), place, message))
    report(diags, options.strict)
    if diags.errors or (options.strict and diags.warnings):
        return _failed(options)
    if not options.write:
        print("check passed")
        return EXIT_OK
    print(
        f"built {last.files} files into {display_path(options.out_dir)}/ "
        f"in {seconds:.2f}s (nothing changed)"
    )
    return EXIT_OK


def _failed(options: BuildOptions) -> int:
    if options.write:
        print(f"build failed; {display_path(options.out_dir)}/ was not changed", file=sys.stderr)
    return EXIT_CONTENT


def print_profile(result: BuildResult) -> None:
    total = sum(seconds for _, seconds in result.timings)
    for stage, seconds in result.timings:
        print(f"  {stage:<8} {seconds:7.3f}s")
    print(f"  {'total':<8} {total:7.3f}s")
    print(
        f"  compiled {result.compiled} source files; rendered {result.rendered} of "
        f"{result.files} outputs, wrote {result.written}, removed {result.removed}; "
        f"search index: {_shards(result.indexed)}"
    )
    if result.executor:
        print(f"  {result.executor}")
    from .output.sizes import size_text  # loaded only by a build that ran

    if result.sizes:
        print(f"  output {size_text(sum(result.sizes.values()))}:")
        for kind, size in result.sizes.items():
            print(f"    {kind:<24} {size_text(size):>12}")


def _shards(indexed: list[str]) -> str:
    if not indexed:
        return "unchanged"
    shown = ", ".join(indexed[:5]) + (f" and {len(indexed) - 5} more" if len(indexed) > 5 else "")
    return f"{count(len(indexed), 'shard')} made ({shown})"
