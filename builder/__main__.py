"""The `build` command's entry: Ctrl-C or SIGTERM while Dossier is still starting up
ends it quietly, like one during a build (a traceback from the middle of an import
would only alarm)."""

from __future__ import annotations

import signal
import sys


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("build: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
