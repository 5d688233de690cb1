"""The words of `build`: its commands, their options and help, read into a command
name and an argparse namespace. Mistyped commands, options and choices get a
"did you mean"."""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from . import __version__
from .diagnostics import did_you_mean
from .executor_spec import executor_spec

EXIT_USAGE = 2


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    example: str


COMMANDS = (
    Command("check", "check the content and print every problem; write nothing",
            "build check --strict"),
    Command("serve", "build, serve on localhost, rebuild and update the open page on every save",
            "build serve --port 8080"),
    Command("new", "write a valid skeleton for a new article, entity or topic",
            "build new entity kyiv --type place --name Kyiv"),
    Command("import", "turn raw text articles into draft articles with TODO lines",
            "build import seeds/story.txt"),
    Command("suggest", "print candidate entities and facts as YAML to paste",
            "build suggest austin-confirms-north-korean-troops-in-russia"),
    Command("schema", "write JSON Schemas of the content files, for editors",
            "build schema schemas/"),
    Command("clean", "remove the build cache (.dossier-cache/)", "build clean"),
    Command("help", "show this help, or a command's", "build help serve"),
)  # fmt: skip
COMMAND_NAMES = [command.name for command in COMMANDS]
# options of `build` that take a value
VALUE_OPTIONS = ("--content", "--out", "--base-url", "--today", "--executor")


class Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a mistyped option or choice."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{self.hint(message)}\n")

    def hint(self, message: str) -> str:
        if match := re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message):
            return did_you_mean(match.group(1), re.findall(r"'([^']*)'", match.group(2)))
        if match := re.search(r"unrecognized arguments: (.*)", message):
            for word in match.group(1).split():
                if word in COMMAND_NAMES:
                    return f" (the command goes first: build {word} ...)"
                if word.startswith("-"):
                    options = [o for o in self._option_string_actions if o.startswith("--")]
                    if suggestion := did_you_mean(word.split("=")[0], options):
                        return suggestion
        return ""


def _parser(command: str | None, description: str) -> Parser:
    prog = f"build {command}" if command else "build"
    return Parser(prog=prog, description=description)


def _content(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="content folder (default: content)",
    )


def _build_options(p: argparse.ArgumentParser) -> None:
    _content(p)
    p.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="output folder (default: site)",
    )
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")
    p.add_argument(
        "--base-url", metavar="URL", help="absolute URL of the published root (overrides site.yaml)"
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--no-search", action="store_true", help="skip the full-text search index (faster)"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="build from scratch, without reading or writing the build cache "
        "(.dossier-cache/ still holds the lock that keeps two builds apart)",
    )
    p.add_argument(
        "--profile", action="store_true", help="print the time of each stage and what was redone"
    )
    p.add_argument(
        "--executor",
        type=executor_spec,
        default=None,
        metavar="WHERE",
        help="where the parallel stages run: local (default: processes on this machine), "
        "dask-local[:N] (a Dask LocalCluster of N workers) or dask://HOST:PORT (a running "
        "Dask scheduler); Dask comes with pip install 'dossier[dask]'",
    )
    p.add_argument(
        "--today",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the date 'stale_after' counts back from (default: today)",
    )
    p.add_argument("--no-history", action="store_true", help="leave out the git history of facts")


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def build_parser() -> Parser:
    """`build` with no command: the site, and the list of commands in its help."""
    width = max(len(c.name) for c in COMMANDS) + 8
    rows = [f"  {'build':<{width}}build the site from content/ into site/"]
    rows += [f"  {'':<{width}}  e.g. build --base-url https://newsroom.github.io/dossier/"]
    for command in COMMANDS:
        rows += [f"  {'build ' + command.name:<{width}}{command.summary}"]
        rows += [f"  {'':<{width}}  e.g. {command.example}"]
    p = Parser(
        prog="build",
        usage="build [COMMAND] [options]",
        description="Dossier: build a site of news explainers, every figure traced to the "
        "sentence it comes from.\n\ncommands:\n" + "\n".join(rows),
        epilog="`build COMMAND --help` shows a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"Dossier {__version__}")
    _build_options(p)
    return p


def command_parser(name: str) -> Parser:
    summary = next(c.summary for c in COMMANDS if c.name == name)
    p = _parser(name, summary[:1].upper() + summary[1:] + ".")
    if name == "check":
        _build_options(p)
    elif name == "clean":
        _content(p)
    elif name == "help":
        p.add_argument("topic", nargs="?", choices=COMMAND_NAMES, metavar="COMMAND")
    else:
        ADD_OPTIONS[name](p)
    return p


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    _content(p)
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")
    p.add_argument("--base-url", metavar="URL", help="absolute URL of the published root")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")


def _new_options(p: argparse.ArgumentParser) -> None:
    from .commands.scaffold import FOLDERS
    from .model.content import ENTITY_TYPES

    p.add_argument("kind", choices=sorted(FOLDERS), help="article, entity or topic")
    p.add_argument("id", help="lowercase a-z, 0-9 and '-', starting with a letter")
    p.add_argument(
        "--title", "--name", dest="title", metavar="TEXT", help="title (or an entity's name)"
    )
    p.add_argument(
        "--type",
        default="other",
        choices=ENTITY_TYPES,
        metavar="TYPE",
        help=f"entity type: {', '.join(ENTITY_TYPES)} (default: other)",
    )
    _content(p)


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--id", help="id of the new article (only with one FILE)")
    _content(p)


def _suggest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (default: all)")
    _content(p)
    p.add_argument("--drafts", action="store_true", help="include articles marked draft")


def _schema_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="where to write the schemas")


ADD_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "serve": _serve_options,
    "new": _new_options,
    "import": _import_options,
    "suggest": _suggest_options,
    "schema": _schema_options,
}


def parse(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command (`build` for none) and its options. The command is the first word
    that is not an option, so `build --content x check` works too."""
    index = _command_index(argv)
    if index is None:
        return "build", build_parser().parse_args(argv)
    word = argv[index]
    if word not in COMMAND_NAMES:
        p = build_parser()
        p.print_usage(sys.stderr)
        p.exit(
            EXIT_USAGE,
            f"build: error: unknown command '{word}'{did_you_mean(word, COMMAND_NAMES)}; "
            f"the commands are {', '.join(COMMAND_NAMES)}\n",
        )
    rest = argv[:index] + argv[index + 1 :]
    return word, command_parser(word).parse_args(rest)


def _command_index(argv: list[str]) -> int | None:
    skip = False
    for index, word in enumerate(argv):
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word.startswith("-"):
            skip = word in VALUE_OPTIONS
        else:
            return index
    return None
