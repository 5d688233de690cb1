"""The JSON Schemas for editors: made from the validator's own field definitions,
shipped in the package, accepted by check-jsonschema, and agreeing with the
validator on what is an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from builder.commands.schema import schemas
from builder.diagnostics import Diagnostics
from builder.source.load import read_raw
from builder.source.validate import Validator
from tests.conftest import ROOT

SHIPPED = ROOT / "builder" / "schemas"
SCHEMA_OF = {
    "site": "site.schema.json",
    "article": "article.schema.json",
    "entity": "entity.schema.json",
    "topic": "topic.schema.json",
}


def check_jsonschema() -> str:
    path = Path(sys.executable).parent / "check-jsonschema"
    assert path.exists(), f"{path} is missing: run `bash scripts/test`, which installs it"
    return str(path)


class TextDates(yaml.SafeLoader):
    """YAML as editors' tools read it: dates stay text (`2024-10-23` is a string)."""


TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_the_shipped_schemas_are_the_generated_ones() -> None:
    shipped = {p.name: json.loads(p.read_text()) for p in SHIPPED.glob("*.json")}
    assert shipped == schemas(), "run `build schema builder/schemas` after changing shapes.py"


def test_build_schema_writes_one_file_per_kind(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "schema", "schemas"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(SCHEMA_OF.values())
    assert result.stdout.splitlines() == [f"wrote schemas/{name}" for name in SCHEMA_OF.values()]
    subprocess.run(
        [check_jsonschema(), "--check-metaschema", *map(str, (tmp_path / "schemas").iterdir())],
        check=True,
    )


def test_check_jsonschema_accepts_the_demo(tmp_path: Path) -> None:
    content = ROOT / "content"
    files = {
        "site": [content / "site.yaml"],
        "entity": sorted((content / "entities").glob("*.yaml")),
        "topic": sorted((content / "topics").glob("*.yaml")),
        "article": [],
    }
    for article in sorted((content / "articles").glob("*.md")):
        front = article.read_text().split("---\n")[1]
        copy = tmp_path / f"{article.stem}.yaml"
        copy.write_text(front)
        files["article"].append(copy)
    for kind, paths in files.items():
        assert paths, kind
        result = subprocess.run(
            [check_jsonschema(), "--schemafile", str(SHIPPED / SCHEMA_OF[kind]), *map(str, paths)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_editor_settings_map_content_to_the_schemas() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapped = {Path(schema).name: glob for schema, glob in settings["yaml.schemas"].items()}
    assert mapped == {
        "site.schema.json": "content/site.yaml",
        "entity.schema.json": "content/entities/*.yaml",
        "topic.schema.json": "content/topics/*.yaml",
    }
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).is_file(), schema


ENTITY = "name: Kim\ntype: person\n"
TOPIC = "title: A story\n"
FACT = "facts:\n  - label: Troops\n    value: '10,000'\n"
REL = ENTITY + "relations:\n  - "
CASES: list[tuple[str, str, str, bool]] = [
    # (what it shows, kind, file text, valid)
    ("minimal entity", "entity", ENTITY, True),
    ("every entity key", "entity", ENTITY + "aliases: [Kim Jong Un]\nsummary: Leader.\n"
     "description: Longer.\nimage: {src: media/k.jpg, alt: Kim, credit: AP}\n"
     "links:\n  - {title: Wikipedia, url: 'https://en.wikipedia.org/wiki/Kim'}\n", True),
    ("a key left empty", "entity", ENTITY + "summary:\n", True),
    ("a number as a name", "entity", "name: 1984\ntype: other\n", True),
    ("missing type", "entity", "name: Kim\n", False),
    ("unknown type", "entity", "name: Kim\ntype: city\n", False),
    ("type still TODO", "entity", "name: Kim\ntype: TODO\n", False),
    ("unknown key", "entity", ENTITY + "nickname: K\n", False),
    ("name is a list", "entity", "name: [Kim]\ntype: person\n", False),
    ("empty alias", "entity", ENTITY + "aliases: ['']\n", False),
    ("alias is a number", "entity", ENTITY + "aliases: [5]\n", False),
    ("image with credit only", "entity", ENTITY + "image: {credit: AP}\n", True),
    ("image src without alt", "entity", ENTITY + "image: {src: media/k.jpg}\n", False),
    ("image with alt only", "entity", ENTITY + "image: {alt: Kim}\n", False),
    ("link not http", "entity", ENTITY + "links:\n  - {title: W, url: 'ftp://x.org/'}\n", False),
    ("link without url", "entity", ENTITY + "links:\n  - {title: W}\n", False),
    ("relation", "entity", ENTITY + "relations:\n  - {type: leader of, target: nk, since: 2011-12,"
     " source: a, quote: Kim, editorial: true}\n", True),
    ("relation target not an id", "entity", ENTITY + "relations:\n  - {type: x, target: NATO}\n",
     False),
    ("relation without target", "entity", ENTITY + "relations:\n  - {type: x}\n", False),
    ("quote without source", "entity", ENTITY + "relations:\n  - {type: x, target: y, quote: q}\n",
     False),
    ("since in words", "entity", REL + "{type: x, target: y, since: last year}\n",
     False),
    ("impossible month", "entity", REL + "{type: x, target: y, since: 2024-13}\n",
     False),
    ("editorial not a flag", "entity", REL + "{type: x, target: y, editorial: 1}\n",
     False),
    ("minimal topic", "topic", TOPIC, True),
    ("fact", "topic", TOPIC + FACT + "    claimed_by: ukraine\n    as_of: 2024-10\n"
     "    source: a\n    quote: at least 10,000 troops\n    note: n\n", True),
    ("claimant still TODO", "topic", TOPIC + FACT + "    claimed_by: TODO\n    as_of: TODO\n",
     True),
    ("label still TODO", "topic", TOPIC + "facts:\n  - {label: 'TODO: what', value: '5'}\n", True),
    ("fact without value", "topic", TOPIC + "facts:\n  - {label: Troops}\n", False),
    ("facts not a list", "topic", TOPIC + "facts: {label: a, value: b}\n", False),
    ("year as a number", "topic", TOPIC + "timeline:\n  - {date: 2024, text: War.}\n", True),
    ("timeline without date", "topic", TOPIC + "timeline:\n  - {text: War.}\n", False),
    ("timeline with time", "topic", TOPIC + "timeline:\n  - {date: '2024-10-23 14:05', text: W}\n",
     True),
    ("related not ids", "topic", TOPIC + "related: [Other Story]\n", False),
    ("minimal site", "site", "title: Desk\n", True),
    ("every site key", "site", "title: Desk\ndescription: D\nbase_url: https://x.org/\n"
     "language: en-GB\ntheme: house\ncname: news.x.org\nallow_html: false\n", True),
    ("language with underscore", "site", "title: Desk\nlanguage: en_GB\n", False),
    ("cname with a path", "site", "title: Desk\ncname: x.org/news\n", False),
    ("base_url not a URL", "site", "title: Desk\nbase_url: x.org\n", False),
    ("site without title", "site", "description: D\n", False),
    ("minimal article", "article", "title: T\ndate: 2024-10-23\n", True),
    ("every article key", "article", "title: T\ndate: 2024-10-23\nupdated: 2024-10-24\n"
     "publisher: P\nauthors: [A, B]\nurl: https://x.org/a\nlicense: L\n"
     "image: {credit: C}\ntopics: [t]\nentities: [e]\nsummary: S\ndraft: true\n", True),
    ("article without date", "article", "title: T\n", False),
    ("article date impossible", "article", "title: T\ndate: 2024-10-32\n", False),
    ("authors not text", "article", "title: T\ndate: 2024-05-06\nauthors: [1]\n", False),
    ("draft not a flag", "article", "title: T\ndate: 2024-05-06\ndraft: 'yes'\n", False),
]  # fmt: skip


def validator_accepts(kind: str, text: str, tmp_path: Path) -> bool:
    path = tmp_path / ("x.md" if kind == "article" else "x.yaml")
    path.write_text(f"---\n{text}---\nBody.\n" if kind == "article" else text)
    diags = Diagnostics()
    raw = read_raw(kind, "x", path, diags)
    record = Validator(diags).record(raw) if raw is not None else None
    return record is not None and not diags.errors


def schema_accepts(kind: str, text: str) -> bool:
    schema: dict[str, Any] = schemas()[SCHEMA_OF[kind]]
    data = yaml.load(text, Loader=TextDates)  # noqa: S506 (a SafeLoader)
    return not list(jsonschema.Draft7Validator(schema).iter_errors(data))


@pytest.mark.parametrize(("what", "kind", "text", "valid"), CASES, ids=[c[0] for c in CASES])
def test_schema_and_validator_agree(
    what: str, kind: str, text: str, valid: bool, tmp_path: Path
) -> None:
    assert validator_accepts(kind, text, tmp_path) is valid, "validator"
    assert schema_accepts(kind, text) is valid, "schema"
