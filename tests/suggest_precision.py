"""How often `build suggest` names the right claimant, against the facts a site has.

    .venv/bin/python -m tests.suggest_precision CONTENT_DIR [CONTENT_DIR...]

The fact drafts of every article are made as if no fact existed yet; a draft whose
figure a fact of the site already quotes (same source, the same match `build suggest`
uses to leave known facts out) is scored against that fact's `claimed_by`: right, wrong
or left TODO. Drafts that no fact quotes have no answer to check: they are counted by
whether they name a claimant. Facts that no draft finds are counted as missed.

Run it on the demo (`content/`) and on the benchmark corpus
(`python benchmarks/corpus.py OUT --articles 300`, then `OUT/dossier/content`). It
builds the model in the content folder's cache, so point it at a copy of `content/`.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from builder.commands.suggest import (
    TODO,
    Claimants,
    fact_candidates,
    known_quotes,
    quoting_fact,
)
from builder.model.content import Fact
from builder.model.site import Site
from builder.options import BuildOptions
from builder.pipeline import build_model
from builder.source.markdown import make_markdown


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    todo: int = 0
    missed: int = 0  # facts with a quote in an article that no draft finds
    other_named: int = 0  # drafts no fact quotes that name a claimant
    other_todo: int = 0  # drafts no fact quotes that leave it TODO
    mistakes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"claimants right {self.right}, wrong {self.wrong}, TODO {self.todo}; "
            f"facts missed {self.missed}; other drafts: claimant named {self.other_named}, "
            f"TODO {self.other_todo}"
        )


def score(site: Site) -> Score:
    result = Score()
    md = make_markdown(site.config.allow_html)
    claimants = Claimants(site.entities.values())
    for article_id in site.articles:
        known = known_quotes(md, site, article_id)
        found: set[int] = set()
        for draft in fact_candidates(site, article_id, skip_known=False, claimants=claimants):
            fact = quoting_fact(known, draft["quote"], draft["value"])
            claimed = draft["claimed_by"]
            if fact is None:
                if claimed == TODO:
                    result.other_todo += 1
                else:
                    result.other_named += 1
                continue
            found.add(id(fact))
            expected = fact.claimed_by.id if fact.claimed_by else None
            if claimed == TODO:
                result.todo += 1
            elif claimed == expected:
                result.right += 1
            else:
                result.wrong += 1
                result.mistakes.append(f"{claimed} for {expected}: {draft['quote']}")
        result.missed += sum(1 for fact, _ in known if _counts(fact) and id(fact) not in found)
    return result


def _counts(fact: Fact) -> bool:
    """A fact whose quote has a figure: one `build suggest` could have drafted."""
    return fact.quote is not None and any(c.isdigit() for c in fact.quote.value)


def measure(content: Path) -> Score:
    with tempfile.TemporaryDirectory() as out:
        options = BuildOptions(content, Path(out) / "site", write=False)
        model, result = build_model(options)
    assert model.site is not None and not result.failed(strict=False), result.diagnostics
    return score(model.site)


def main(argv: list[str]) -> int:
    for folder in argv:
        found = measure(Path(folder))
        print(f"{folder}: {found.line()}")
        for mistake in found.mistakes:
            print(f"  wrong: {mistake}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
