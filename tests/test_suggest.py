from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder.commands.suggest import name_runs, sentences
from tests.conftest import MINIMAL_SITE, ROOT, Run, write_files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. Defense Secretary Lloyd Austin spoke. Mr. Smith agreed! “Yes,” he said.",
            ["U.S. Defense Secretary Lloyd Austin spoke.", "Mr. Smith agreed!", "“Yes,” he said."],
        ),
        ("It rose 2.5 percent. Then it fell.", ["It rose 2.5 percent.", "Then it fell."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met the Bank of England in Rome.", ["Bank of England", "Rome"]),
        ("Yesterday it rained in Paris.", ["Paris"]),  # a capitalised sentence start is no name
        ("The Kremlin said so.", ["Kremlin"]),
        ("It was Wednesday in July.", []),
        ("See @StratcomCentre and pic.twitter.com/01Z4jZIiOe now.", []),
        ("Austin's remarks in Kyiv’s centre.", ["Kyiv"]),
    ],
)
def test_name_runs(text: str, expected: list[str]) -> None:
    covered = [(0, 6)] if text.startswith("Austin") else []
    assert list(name_runs(text, covered)) == expected


def test_demo_suggestions_are_new_and_their_quotes_verify(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = run_build(tmp_path, "suggest")
    assert result.code == 0, result.err
    known = set()
    for path in (tmp_path / "content/entities").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        known |= {data["name"], *data.get("aliases", [])}
    proposed = [
        line.removeprefix("name: ") for line in result.out.splitlines() if line.startswith("name: ")
    ]
    assert "Rome" in proposed
    assert not set(proposed) & known
    facts_yaml = result.out[result.out.index("# Candidate facts") :]
    facts = yaml.safe_load(facts_yaml)
    assert {f["value"] for f in facts} >= {
        "at least 10,000",
        "at least 1,500",
        "closer to 2,500",
        "at least 600,000",
    }
    assert {f["claimed_by"] for f in facts if f["value"] == "at least 10,000"} == {"ukraine"}
    # pasted into a topic as they are (labels filled in), they build with verified quotes
    topic = {"title": "Pasted", "facts": [{**f, "label": f"Fact {i}"} for i, f in enumerate(facts)]}
    (tmp_path / "content/topics/pasted.yaml").write_text(yaml.safe_dump(topic))
    assert run_build(tmp_path, "check").code == 0


def test_suggest_unknown_article_is_a_usage_error(
    site_dir: Path, run_build: Callable[..., Run]
) -> None:
    result = run_build(site_dir, "suggest", "first-stroy")
    assert result.code == 2
    assert "unknown article 'first-stroy' (did you mean 'first-story'?)" in result.err


def test_suggest_on_a_site_with_errors_reports_them(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    write_files(tmp_path, {**MINIMAL_SITE, "content/entities/x.yaml": "name: X\n"})
    result = run_build(tmp_path, "suggest")
    assert result.code == 1
    assert "content/entities/x.yaml:1:1: error: missing required key 'type'" in result.err
