"""What `--executor` asked for, read without importing Dask or the machinery of
parallel stages (`cluster.py`): every `build` parses its options, few use a cluster."""

from __future__ import annotations

import argparse
import importlib.util
import os
from dataclasses import dataclass

from .diagnostics import did_you_mean

LOCAL = "local"
INSTALL = "pip install 'dossier[dask]'"
FORMS = "local, dask-local, dask-local:N or dask://HOST:PORT"


class ClusterError(Exception):
    """The cluster cannot be reached, or lost the build's work for good."""


@dataclass(frozen=True)
class ExecutorSpec:
    """What `--executor` asked for: `workers` for dask-local, `host`/`port` for dask://."""

    text: str
    workers: int = 0
    host: str = ""
    port: int = 0

    @property
    def address(self) -> str:
        return f"tcp://{self.host}:{self.port}"


def executor_spec(text: str) -> ExecutorSpec | None:
    """`--executor TEXT` read (None: the local processes); an argparse type."""
    if text == LOCAL:
        return None
    spec = _dask_local(text) if text.startswith("dask-local") else None
    if text.startswith("dask://"):
        spec = _dask_address(text)
    if spec is None:
        head = text.split(":", 1)[0]
        hint = did_you_mean(head, ["local", "dask-local", "dask"])
        raise argparse.ArgumentTypeError(f"'{text}' is not an executor: use {FORMS}{hint}")
    if importlib.util.find_spec("distributed") is None:
        raise argparse.ArgumentTypeError(f"'{text}' needs Dask, which is not installed: {INSTALL}")
    return spec


def _dask_local(text: str) -> ExecutorSpec | None:
    if text == "dask-local":
        return ExecutorSpec(text, workers=os.cpu_count() or 1)
    count = text.removeprefix("dask-local:")
    if count.isdigit() and int(count) >= 1 and text.startswith("dask-local:"):
        return ExecutorSpec(text, workers=int(count))
    return None


def _dask_address(text: str) -> ExecutorSpec | None:
    host, _, port = text.removeprefix("dask://").rstrip("/").rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return ExecutorSpec(text, host=host.strip("[]"), port=int(port))
