"""Forking a child process that can never run the parent's signal handlers, and
reaping children so that none is left behind.

The child ignores SIGINT (Ctrl-C reaches the whole process group; the parent decides)
and dies on SIGTERM (default action): the parent's handlers, which turn SIGTERM into
KeyboardInterrupt, never run in it. Both are set while the signals are blocked, so
none can arrive between `fork()` and the reset. Light to import: the no-change check
forks one (`incremental/cache.py`), the parallel stages several (`workers.py`).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterable

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def fork_child(run: Callable[[], int]) -> int:
    """The pid of a forked child that runs `run()` and exits with the code it returns
    (1 if it raises), without atexit handlers or the parent's buffers flushed twice."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    pid = -1
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                code = run()
            finally:
                os._exit(code)
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return pid


def reap(pids: Iterable[int], kill: bool) -> None:
    """Wait for every child of `pids` (killed first if `kill`), with SIGINT and SIGTERM
    held back meanwhile, so that a second Ctrl-C cannot leave one behind."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        for pid in pids:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
