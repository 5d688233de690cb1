"""`supersedes` (SPEC 7): a newer claim folds the older ones of its claimant under it,
only current claims make a dispute, and bad chains are errors at their line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from builder.diagnostics import Loc
from builder.model.content import Fact, Ref, Text
from builder.model.supersede import chains
from tests.conftest import Run, write_files

LOC = Loc(Path("t.yaml"))

SITE = {
    "content/site.yaml": "title: Troop Desk\nbase_url: https://newsroom.github.io/desk/\n",
    "content/articles/deployment.md": """\
        ---
        title: Deployment
        date: 2024-10-25
        topics: [troops]
        ---
        South Korea said at least 1,500 North Korean troops had been deployed.

        South Korea's spy agency now says about 3,000 troops are in Russia.

        Ukraine also says 3,000 troops are there.
        """,
    "content/entities/south-korea.yaml": "name: South Korea\ntype: country\n",
    "content/entities/ukraine.yaml": "name: Ukraine\ntype: country\n",
}
FACTS = """\
    title: Troops
    summary: North Korea has sent troops to Russia.
    facts:
      - id: sk-first
        label: Troops deployed
        value: at least 1,500
        claimed_by: south-korea
        as_of: 2024-10-18
        source: deployment
        quote: South Korea said at least 1,500 North Korean troops had been deployed
      - id: sk-second
        supersedes: sk-first
        label: Troops deployed
        value: about 3,000
        claimed_by: south-korea
        as_of: 2024-10-25
        source: deployment
        quote: South Korea's spy agency now says about 3,000 troops are in Russia
"""
UKRAINE = """\
      - label: Troops deployed
        value: about 3,000
        claimed_by: ukraine
        as_of: 2024-10-24
        source: deployment
        quote: Ukraine also says 3,000 troops are there
"""


def troop_site(root: Path, facts: str = FACTS) -> Path:
    return write_files(root, {**SITE, "content/topics/troops.yaml": facts})


def fact(fact_id: str | None, supersedes: str | None = None, value: str = "1") -> Fact:
    return Fact(
        "t", "Troops", value, Ref("south-korea", LOC), None, None, None, None, LOC,
        id=Text(fact_id, LOC) if fact_id else None,
        supersedes=Text(supersedes, LOC) if supersedes else None,
    )  # fmt: skip


def test_a_chain_keeps_the_newest_claim_with_the_older_ones_newest_first() -> None:
    first, second, third = fact("a"), fact("b", "a"), fact("c", "b")
    other = fact(None, value="2")
    found = chains([first, second, third, other])
    assert [(c.current, c.earlier) for c in found] == [(third, (second, first)), (other, ())]


def test_a_circle_of_claims_does_not_loop() -> None:
    found = chains([fact("a", "b"), fact("b", "a")])
    assert found == []  # both are replaced; validation reports the circle


def factbox_text(html: str) -> str:
    """The fact box as a reader reads it: tags dropped, white space collapsed."""
    box = html[html.index('class="factbox"') : html.index("</section>", html.index("factbox"))]
    return " ".join(re.sub(r"<[^>]+>", "", box.replace("<", " <")).split()).replace(" ,", ",")


def test_the_row_shows_the_current_claim_and_folds_the_earlier_one(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    root = troop_site(tmp_path)
    result = run_build(root, "--no-search")
    assert result.code == 0, result.err
    html = (root / "site/topics/troops/index.html").read_text()
    text = factbox_text(html)
    assert "Disputed" not in text  # South Korea's 1,500 no longer counts
    assert re.findall(r'<strong class="claim-value">([^<]*)<', html) == ["about 3,000"]
    assert (
        "Replaces 1 earlier claim at least 1,500 according to South Korea, as of 18 October 2024"
        in text
    )
    profile = (root / "site/entities/south-korea/index.html").read_text()
    assert profile.count('class="stale">replaced by a newer claim: about 3,000<') == 1
    earlier = html[html.index('<details class="earlier">') :]
    assert '<s class="claim-value">at least 1,500</s>' in earlier
    assert 'href="../../articles/deployment/index.html' in earlier


def test_a_dispute_counts_current_claims_only(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    same = FACTS + UKRAINE
    root = troop_site(tmp_path / "same", same)
    assert run_build(root, "--no-search").code == 0
    assert "Disputed" not in factbox_text((root / "site/topics/troops/index.html").read_text())
    differing = same.replace(
        "value: about 3,000\n        claimed_by: ukraine",
        "value: 2,000\n        claimed_by: ukraine",
    ).replace("Ukraine also says 3,000", "Ukraine also says 2,000")
    root = troop_site(tmp_path / "differing", differing)
    write_files(
        root,
        {
            "content/articles/deployment.md": SITE["content/articles/deployment.md"].replace(
                "Ukraine also says 3,000", "Ukraine also says 2,000"
            )
        },
    )
    result = run_build(root, "--no-search")
    assert result.code == 0, result.err
    text = factbox_text((root / "site/topics/troops/index.html").read_text())
    assert "Disputed" in text
    assert text.index("about 3,000") < text.index("2,000")  # newest first, current claims


def errors_of(tmp_path: Path, run_build: Callable[..., Run], facts: str) -> list[str]:
    root = troop_site(tmp_path, facts)
    result = run_build(root, "check")
    assert result.code == 1, result.err
    return [line for line in result.diagnostics if ": error: " in line]


def test_an_unknown_id_is_an_error_with_a_did_you_mean(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    facts = FACTS.replace("supersedes: sk-first", "supersedes: sk-frist")
    assert errors_of(tmp_path, run_build, facts) == [
        "content/topics/troops.yaml:12:17: error: 'supersedes': no fact with id 'sk-frist' "
        "in this file (did you mean 'sk-first'?)"
    ]


def test_another_claimants_claim_is_superseded_only_as_a_correction(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    facts = FACTS.replace(
        "value: about 3,000\n        claimed_by: south-korea",
        "value: about 3,000\n        claimed_by: ukraine",
    )
    [error] = errors_of(tmp_path / "plain", run_build, facts)
    assert error.startswith("content/topics/troops.yaml:12:17: error: 'sk-first' is claimed by ")
    assert "south-korea, this claim by ukraine" in error and "correction: true" in error
    corrected = facts.replace(
        "supersedes: sk-first", "supersedes: sk-first\n        correction: true"
    )
    root = troop_site(tmp_path / "corrected", corrected)
    result = run_build(root, "--no-search")
    assert result.code == 0, result.err
    html = (root / "site/topics/troops/index.html").read_text()
    comment = '{"@type":"CorrectionComment","text":"Corrects at least 1,500 (south-korea)"}'
    assert comment in html


def test_ids_are_unique_and_chains_do_not_circle(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    twice = FACTS.replace("id: sk-second", "id: sk-first")
    assert "'sk-first' is already used on line 4" in " ".join(
        errors_of(tmp_path / "a", run_build, twice)
    )
    circle = FACTS.replace("- id: sk-first\n", "- id: sk-first\n        supersedes: sk-second\n")
    assert "supersede each other in a circle" in " ".join(
        errors_of(tmp_path / "b", run_build, circle)
    )
    loose = FACTS.replace("supersedes: sk-first", "correction: true")
    assert "'correction' needs 'supersedes'" in " ".join(
        errors_of(tmp_path / "c", run_build, loose)
    )
