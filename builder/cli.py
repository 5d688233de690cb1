"""`build`: the command line. Prints diagnostics, chooses the exit code (SPEC 9)."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .diagnostics import Diagnostics, Loc, did_you_mean, display_path
from .incremental.cache import LastBuild, cache_dir, unchanged
from .options import BuildOptions
from .source.scan import Inputs

if TYPE_CHECKING:  # the pipeline is imported only when something has to be built
    from .pipeline import BuildResult

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
COMMANDS = ("check", "clean")


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build",
        description="Build a Dossier site: content/ -> site/. "
        "`build check` validates only and writes nothing; "
        "`build suggest [ID...]` prints candidate entities and facts.",
    )
    p.add_argument(
        "command",
        nargs="?",
        choices=COMMANDS,
        help="check: validate only; clean: remove the build cache",
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder")
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")
    p.add_argument("--base-url", help="absolute URL of the published root (overrides site.yaml)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--no-search",
        action="store_true",
        help="skip the full-text search index (faster local builds)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="build from scratch, without reading or writing .dossier-cache/",
    )
    p.add_argument(
        "--profile", action="store_true", help="print the time of each stage and what was redone"
    )
    return p


def options_from(args: argparse.Namespace) -> BuildOptions:
    content = args.content
    if not content.is_dir():
        raise UsageError(f"no content folder at {display_path(content)} (use --content DIR)")
    out = args.out.absolute()
    content_abs = content.absolute()
    if out.is_relative_to(content_abs) or content_abs.is_relative_to(out):
        raise UsageError("--out must be outside the content folder and must not contain it")
    if args.base_url is not None and not _is_web_url(args.base_url):
        raise UsageError(f"--base-url must be an http(s) URL, not '{args.base_url}'")
    return BuildOptions(
        content,
        out,
        args.drafts,
        args.base_url,
        args.strict,
        write=args.command != "check",
        search=not args.no_search,
        cache=not args.no_cache,
        progress=True,
    )


def _is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def report(diags: Diagnostics, strict: bool) -> None:
    for diagnostic in diags.sorted():
        severity = "error" if strict and diagnostic.severity == "warning" else diagnostic.severity
        print(f"{diagnostic.loc.shown()}: {severity}: {diagnostic.message}", file=sys.stderr)
    errors, warnings = len(diags.errors), len(diags.warnings)
    if strict:
        errors, warnings = errors + warnings, 0
    if errors or warnings:
        print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}", file=sys.stderr)


def _shown(path: Path) -> str:
    relative = display_path(path)
    return str(path) if relative.startswith("..") else relative


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends the build like Ctrl-C: through the clean-up, not around it."""
    raise KeyboardInterrupt


def suggest_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build suggest",
        description="Print candidate entities and facts as YAML drafts to paste.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (default: all)")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")
    return p


def suggest_main(argv: list[str]) -> int:
    from .commands.suggest import suggest
    from .pipeline import build_model

    args = suggest_parser().parse_args(argv)
    if not args.content.is_dir():
        print(f"build: error: no content folder at {display_path(args.content)}", file=sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(args.content, Path("site"), args.drafts, write=False)
    model, result = build_model(options)
    result.site = model.site
    if result.site is None or result.failed(strict=False):
        report(result.diagnostics, strict=False)
        return EXIT_CONTENT
    ids = args.ids or list(result.site.articles)
    unknown = [i for i in ids if i not in result.site.articles]
    if unknown:
        hint = did_you_mean(unknown[0], result.site.articles)
        print(f"build: error: unknown article '{unknown[0]}'{hint}", file=sys.stderr)
        return EXIT_USAGE
    print(suggest(result.site, ids), end="")
    return EXIT_OK


def new_main(argv: list[str]) -> int:
    from .commands.scaffold import FOLDERS, ScaffoldError, create

    p = argparse.ArgumentParser(
        prog="build new", description="Write a valid skeleton for a new file."
    )
    p.add_argument("kind", choices=sorted(FOLDERS))
    p.add_argument("id", help="lowercase a-z, 0-9 and '-', starting with a letter")
    p.add_argument("--title", "--name", dest="title", help="title (or an entity's name)")
    p.add_argument("--type", default="other", help="entity type (default: other)")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    args = p.parse_args(argv)
    try:
        path = create(args.content, args.kind, args.id, args.title, args.type)
    except ScaffoldError as exc:
        print(f"build new: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {display_path(path)}")
    return EXIT_OK


def import_main(argv: list[str]) -> int:
    from .commands.importer import import_file
    from .commands.scaffold import ScaffoldError

    p = argparse.ArgumentParser(
        prog="build import", description="Turn raw text articles into draft articles."
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--id", help="id of the new article (only with one FILE)")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    args = p.parse_args(argv)
    if args.id and len(args.files) > 1:
        print("build import: error: --id goes with one FILE only", file=sys.stderr)
        return EXIT_USAGE
    for source in args.files:
        try:
            path = import_file(args.content, source, args.id)
        except (ScaffoldError, OSError, UnicodeDecodeError) as exc:
            print(f"build import: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"wrote {display_path(path)} (a draft: see its TODO lines)")
    return EXIT_OK


def serve_main(argv: list[str]) -> int:
    from .commands.serve import serve

    p = argparse.ArgumentParser(
        prog="build serve", description="Serve the site, rebuild on every edit, reload."
    )
    p.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")
    p.add_argument("--base-url", help="absolute URL of the published root")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = p.parse_args(argv)
    if not args.content.is_dir():
        print(
            f"build serve: error: no content folder at {display_path(args.content)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = BuildOptions(
        args.content, Path("site"), args.drafts, args.base_url, args.strict, write=False
    )
    try:
        return serve(options, args.host, args.port)
    except OSError as exc:
        print(
            f"build serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_USAGE


SUBCOMMANDS = {"suggest": suggest_main, "new": new_main, "import": import_main, "serve": serve_main}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    args = parser().parse_args(argv)
    if args.command == "clean":
        return clean(args.content)
    try:
        options = options_from(args)
    except UsageError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    signal.signal(signal.SIGTERM, _interrupt)  # ends the build through its clean-up
    try:
        return build_command(options, args.no_cache, args.profile)
    except KeyboardInterrupt:
        print("build: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def build_command(options: BuildOptions, no_cache: bool, profile: bool) -> int:
    started = time.perf_counter()
    last, inputs = _unchanged(options) if not no_cache else (None, None)
    if last is not None:
        return finish_unchanged(last, options, time.perf_counter() - started)
    try:
        from .pipeline import build

        result = build(options, inputs)
    except KeyboardInterrupt:
        print("build: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, never a content problem: say so plainly
        if os.environ.get("DOSSIER_DEBUG"):
            traceback.print_exc()
        print(
            f"build: internal error (a bug in Dossier, please report it): {exc!r}", file=sys.stderr
        )
        return EXIT_INTERNAL
    return finish(result, options, time.perf_counter() - started, profile)


def _unchanged(options: BuildOptions) -> tuple[LastBuild | None, Inputs | None]:
    out_dir = options.out_dir.absolute() if options.write else None
    return unchanged(options.content_dir, options.fingerprint(), options.write, out_dir)


def clean(content: Path) -> int:
    folder = cache_dir(content)
    if folder.is_dir():
        shutil.rmtree(folder)
        print(f"removed {_shown(folder)}/")
    else:
        print(f"no build cache at {_shown(folder)}/")
    return EXIT_OK


def finish(result: BuildResult, options: BuildOptions, seconds: float, profile: bool) -> int:
    for note in result.notes:
        print(note, file=sys.stderr)
    report(result.diagnostics, options.strict)
    if profile:
        print_profile(result)
    if result.failed(options.strict):
        if options.write:
            print(
                f"build failed; {display_path(options.out_dir)}/ was not changed", file=sys.stderr
            )
        return EXIT_CONTENT
    if options.write:
        changed = (
            "nothing changed"
            if not result.written and not result.removed
            else (
                f"{_count(result.written, 'file')} written"
                + (f", {result.removed} removed" if result.removed else "")
            )
        )
        print(
            f"built {result.files} files into {display_path(options.out_dir)}/ "
            f"in {seconds:.2f}s ({changed})"
        )
    else:
        print("check passed")
    return EXIT_OK


def finish_unchanged(last: LastBuild, options: BuildOptions, seconds: float) -> int:
    """Say again what the last build said: no input changed since."""
    diags = Diagnostics()
    for severity, path, line, col, message in last.diagnostics:
        loc = Loc(Path(path), line, col)
        if severity == "error":
            diags.error(loc, message)
        else:
            diags.warning(loc, message)
    report(diags, options.strict)
    if diags.errors or (options.strict and diags.warnings):
        if options.write:
            print(
                f"build failed; {display_path(options.out_dir)}/ was not changed", file=sys.stderr
            )
        return EXIT_CONTENT
    if options.write:
        print(
            f"built {last.files} files into {display_path(options.out_dir)}/ "
            f"in {seconds:.2f}s (nothing changed)"
        )
    else:
        print("check passed")
    return EXIT_OK


def print_profile(result: BuildResult) -> None:
    total = sum(seconds for _, seconds in result.timings)
    for stage, seconds in result.timings:
        print(f"  {stage:<8} {seconds:7.3f}s")
    print(f"  {'total':<8} {total:7.3f}s")
    print(
        f"  compiled {result.compiled} source files; rendered {result.rendered} of "
        f"{result.files} outputs, wrote {result.written}, removed {result.removed}; "
        f"search index {'made' if result.searched else 'unchanged'}"
    )


if __name__ == "__main__":
    sys.exit(main())
