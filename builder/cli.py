"""`build`: runs the command that `arguments.py` read and chooses the exit code
(SPEC 9). What a build prints when it is done is in `reporting.py`."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .arguments import EXIT_USAGE, build_parser, command_parser, parse
from .diagnostics import did_you_mean, display_path
from .executor_spec import ClusterError
from .incremental.cache import Check, cache_dir, checked
from .options import BuildOptions
from .reporting import EXIT_CONTENT, EXIT_OK, finish, finish_unchanged, report

if TYPE_CHECKING:
    from .pipeline import BuildResult

EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    command, args = parse(list(sys.argv[1:] if argv is None else argv))
    if command in RUNNERS:
        _through_clean_up()
        return RUNNERS[command](args)
    try:
        options = options_from(args, write=command == "build")
    except UsageError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _through_clean_up()
    try:
        return build_command(options, args.no_cache, args.profile)
    except KeyboardInterrupt:
        print("build: interrupted; the previous site is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED


def options_from(args: argparse.Namespace, write: bool) -> BuildOptions:
    content = args.content
    if not content.is_dir():
        raise UsageError(f"no content folder at {display_path(content)} (use --content DIR)")
    out = args.out.absolute()
    try:
        real_out, real_content = out.resolve(), content.resolve()  # through `..` and links
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links
        raise UsageError(f"--out or --content cannot be resolved: {exc}") from None
    if real_out.is_relative_to(real_content) or real_content.is_relative_to(real_out):
        raise UsageError("--out must be outside the content folder and must not contain it")
    if args.base_url is not None and not _is_web_url(args.base_url):
        raise UsageError(f"--base-url must be an http(s) URL, not '{args.base_url}'")
    remote = args.executor is not None and not args.executor.workers
    if remote and not (content.is_absolute() and args.out.is_absolute()):
        raise UsageError(
            "with --executor dask://, give --content and --out as absolute paths: "
            "the workers read and write them on their own machines"
        )
    return BuildOptions(
        content,
        out,
        args.drafts,
        args.base_url,
        args.strict,
        write=write,
        search=not args.no_search,
        cache=not args.no_cache,
        progress=True,
        today=args.today,
        history=not args.no_history,
        executor=args.executor,
    )


def _is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def _through_clean_up() -> None:
    """From here on Ctrl-C and SIGTERM end the command through its clean-up, as
    KeyboardInterrupt (before, `__main__` ends it at once: nothing is written yet)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends the build like Ctrl-C: through the clean-up, not around it."""
    raise KeyboardInterrupt


def build_command(options: BuildOptions, no_cache: bool, profile: bool) -> int:
    started = time.perf_counter()
    with _no_change_check(options, no_cache) as check:
        if check.last is not None:
            return finish_unchanged(check.last, options, time.perf_counter() - started)
        result = _build(options, check)
    if isinstance(result, int):
        return result
    return finish(result, options, time.perf_counter() - started, profile)


def _build(options: BuildOptions, check: Check) -> BuildResult | int:
    """The build, or the exit code of one that could not end."""
    try:
        from .pipeline import build

        return build(options, check.inputs, check.outputs_as_left)
    except KeyboardInterrupt:
        print("build: interrupted; the previous site is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ClusterError as exc:
        print(f"build: error: {exc}; the previous site is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug, never a content problem: say so plainly
        if os.environ.get("DOSSIER_DEBUG"):
            import traceback  # here, as shutil below: start-up pays only for what it uses

            traceback.print_exc()
        print(
            f"build: internal error (a bug in Dossier, please report it): {exc!r}", file=sys.stderr
        )
        return EXIT_INTERNAL


def _no_change_check(
    options: BuildOptions, no_cache: bool
) -> contextlib.AbstractContextManager[Check]:
    if no_cache:
        return contextlib.nullcontext(Check())
    out_dir = options.out_dir.absolute() if options.write else None
    return checked(options.content_dir, options.fingerprint, options.write, out_dir)


def _no_content(command: str, content: Path) -> int:
    print(f"build {command}: error: no content folder at {display_path(content)}", file=sys.stderr)
    return EXIT_USAGE


def clean_main(args: argparse.Namespace) -> int:
    folder = cache_dir(args.content)
    shown = display_path(folder)
    shown = str(folder) if shown.startswith("..") else shown
    if folder.is_dir():
        import shutil

        shutil.rmtree(folder)
        print(f"removed {shown}/")
    else:
        print(f"no build cache at {shown}/")
    return EXIT_OK


def help_main(args: argparse.Namespace) -> int:
    parser = command_parser(args.topic) if args.topic else build_parser()
    parser.print_help()
    return EXIT_OK


def suggest_main(args: argparse.Namespace) -> int:
    from .commands.suggest import suggest
    from .pipeline import build_model

    if not args.content.is_dir():
        return _no_content("suggest", args.content)
    options = BuildOptions(args.content, Path("site"), args.drafts, write=False)
    model, result = build_model(options)
    site = result.site = model.site
    if site is None or result.failed(strict=False):
        report(result.diagnostics, strict=False)
        return EXIT_CONTENT
    ids = args.ids or list(site.articles)
    unknown = [i for i in ids if i not in site.articles]
    if unknown:
        hint = did_you_mean(unknown[0], site.articles)
        print(f"build suggest: error: unknown article '{unknown[0]}'{hint}", file=sys.stderr)
        return EXIT_USAGE
    print(suggest(site, ids), end="")
    return EXIT_OK


def new_main(args: argparse.Namespace) -> int:
    from .commands.scaffold import ScaffoldError, create

    try:
        path = create(args.content, args.kind, args.id, args.title, args.type)
    except ScaffoldError as exc:
        print(f"build new: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {display_path(path)}")
    return EXIT_OK


def import_main(args: argparse.Namespace) -> int:
    from .commands.importer import import_file
    from .commands.scaffold import ScaffoldError

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


def serve_main(args: argparse.Namespace) -> int:
    from .commands.serve import serve

    gc.enable()  # off for a command that ends (`__main__`); the server runs for hours

    if not args.content.is_dir():
        return _no_content("serve", args.content)
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


def schema_main(args: argparse.Namespace) -> int:
    from .commands.schema import write_schemas

    for path in write_schemas(args.folder):
        print(f"wrote {display_path(path)}")
    return EXIT_OK


RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "clean": clean_main,
    "help": help_main,
    "suggest": suggest_main,
    "new": new_main,
    "import": import_main,
    "serve": serve_main,
    "schema": schema_main,
}


if __name__ == "__main__":
    sys.exit(main())
