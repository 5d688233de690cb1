"""What a build is asked to do. Light to import: the no-change check needs it."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .incremental.cache import options_fingerprint
from .source.gitrepo import history_stamp

if TYPE_CHECKING:
    from .executor_spec import ExecutorSpec


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    write: bool = True  # False for `build check`
    search: bool = True  # run Pagefind after the pages are written
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)  # worker processes
    cache: bool = True  # False: a throwaway cache (`--no-cache`)
    progress: bool = False  # a progress bar on stderr
    executor: ExecutorSpec | None = None  # a Dask cluster (`--executor`); None: `jobs`
    today: datetime.date | None = None  # what `stale_after` counts back from (None: today)
    history: bool = True  # read the git history of content/ (`--no-history`: not)

    @property
    def reference_date(self) -> datetime.date:
        return self.today or datetime.date.today()

    def fingerprint(self) -> str:
        """What, besides the inputs, decides the result (`jobs`, `executor` and
        `progress` change nothing). `strict` is in: a build that failed on warnings
        wrote nothing, which the same build without `--strict` must not say again."""
        return options_fingerprint(
            {
                "content": str(self.content_dir.absolute()),
                "cwd": os.getcwd(),
                "out": str(self.out_dir.absolute()),
                "drafts": self.drafts,
                "strict": self.strict,
                "base_url": self.base_url,
                "write": self.write,
                "search": self.search,
                "today": self.reference_date.isoformat(),
                "history": history_stamp(self.content_dir) if self.history else None,
            }
        )
