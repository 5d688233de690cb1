"""The command line explains itself: every command in the help with an example, "did
you mean" for a mistyped command, option or choice, the valid choices listed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder import __version__
from builder.arguments import COMMANDS, parse
from builder.cli import main
from tests.conftest import MINIMAL_SITE, write_files


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """stderr of `build ARGV`, which must be a usage error (exit 2)."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_help_lists_every_command_with_an_example() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    names = ["check", "serve", "new", "import", "suggest", "schema", "clean", "help"]
    assert [c.name for c in COMMANDS] == names
    for command in COMMANDS:
        row = next(i for i, line in enumerate(lines) if line.split()[:2] == ["build", command.name])
        assert command.summary in lines[row]
        assert lines[row + 1].split() == ["e.g.", *command.example.split()]
        assert command.example.startswith(f"build {command.name}")
    assert "--base-url URL" in result.stdout and "--strict" in result.stdout


def test_a_command_s_help_shows_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "serve"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: build serve") and "--port" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"Dossier {__version__}\n"


def test_a_mistyped_command_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "chek")
    assert "build: error: unknown command 'chek' (did you mean 'check'?); the commands are " in err
    assert "check, serve, new, import, suggest, schema, clean, help" in err


def test_a_mistyped_option_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "check", "--strcit")
    assert "build check: error: unrecognized arguments: --strcit (did you mean '--strict'?)" in err
    err = usage_error(capsys, "--no-serach")
    assert "(did you mean '--no-search'?)" in err


def test_a_bad_choice_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "new", "entity", "kyiv", "--type", "city")
    assert (
        "argument --type: invalid choice: 'city' (choose from 'person', 'country', "
        "'organization', 'place', 'group', 'event', 'other')"
    ) in err
    err = usage_error(capsys, "new", "entiy", "kyiv")
    assert "(choose from 'article', 'entity', 'topic') (did you mean 'entity'?)" in err


def test_an_invalid_id_suggests_the_valid_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    assert main(["new", "entity", "NATO", "--content", str(content)]) == 2
    assert "'NATO' is not a valid id" in (err := capsys.readouterr().err)
    assert err.rstrip().endswith("(did you mean 'nato'?)")
    assert main(["new", "entity", "Kim Jong Un", "--content", str(content)]) == 2
    assert "(did you mean 'kim-jong-un'?)" in capsys.readouterr().err
    assert not content.exists()


def test_the_command_may_follow_options(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_SITE)
    command, args = parse(["--content", str(tmp_path / "content"), "check", "--strict"])
    assert command == "check" and args.strict and args.content == tmp_path / "content"
    command, args = parse(["--strict"])
    assert command == "build" and args.strict


def test_a_command_after_an_argument_says_where_it_goes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = usage_error(capsys, "new", "entity", "x", "check")
    assert "unrecognized arguments: check (the command goes first: build check ...)" in err
