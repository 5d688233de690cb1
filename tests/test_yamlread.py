from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics, Loc
from builder.source.yamlread import YList, YMap, read_yaml

PATH = Path("x.yaml")


def read(text: str, offset: int = 0) -> tuple[object, list[str]]:
    diags = Diagnostics()
    value = read_yaml(text, PATH, diags, offset)
    return value, [d.shown() for d in diags.sorted()]


def test_values_keep_their_locations() -> None:
    value, problems = read("title: Hello\nitems:\n  - one\n  - two\n")
    assert problems == []
    assert isinstance(value, YMap)
    assert value.key_loc("items") == Loc(PATH, 2, 1)
    assert value.value_loc("title") == Loc(PATH, 1, 8)
    items = value["items"]
    assert isinstance(items, YList)
    assert items.item_locs == [Loc(PATH, 3, 5), Loc(PATH, 4, 5)]


def test_line_offset_for_front_matter() -> None:
    value, _ = read("title: Hello\n", offset=1)
    assert isinstance(value, YMap)
    assert value.key_loc("title") == Loc(PATH, 2, 1)


def test_dates_stay_text_even_when_invalid() -> None:
    value, problems = read("a: 2024-10-23\nb: 2025-13-04\nc: 2024\n")
    assert value == {"a": "2024-10-23", "b": "2025-13-04", "c": 2024}
    assert problems == []


def test_duplicate_keys_are_errors() -> None:
    value, problems = read("name: A\ntype: person\nname: B\n")
    assert problems == ["x.yaml:3:1: error: duplicate key 'name' (first given at line 1)"]
    assert isinstance(value, dict) and value["name"] == "A"


def test_python_tags_are_refused() -> None:
    _, problems = read("a: !!python/object/apply:os.system [echo hi]\n")
    assert problems == [
        "x.yaml:1:4: error: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    ]


@pytest.mark.parametrize(
    ("text", "place", "words"),
    [
        ("a:\n\t- x\n", "2:1", "a tab in the indentation: YAML indents with spaces only"),
        (
            "relations:\n  - type: x\n   target: y\n",
            "3:4",
            "indented 3 spaces, but the keys of the list item above it (line 2) are "
            "indented 4 spaces",
        ),
        ("name: X\n  type: y\n", "2:3", "indented more than the line above (2 spaces)"),
        (
            "name: X\nsummary: Note: this is it\n",
            "2:14",
            "a colon followed by a space inside the value of 'summary': put the whole "
            'value in quotes, as in summary: "Note: this is it"',
        ),
        ("name Iran\ntype: country\n", "1:5", "line 1 has no ':' after its key"),
        ("items:\n  - a\n  b\n", "3:3", "'b' is neither 'key: value' nor a list item"),
        ('title: "Kyiv\nname: x\n', "1:8", 'the quote " opened here is never closed'),
        ("topics: [a, b\nname: x\n", "1:9", "the '[' opened here is not closed"),
        ('quote: "He said" more\n', "1:18", "put the whole value in quotes"),
        ("name: @x\n", "1:7", "a value cannot start with '@': put the value in quotes"),
        ("summary: |\nfoo\n", "2:1", "must be indented below its key"),
        ("a: 1\n---\nb: 2\n", "2:1", "a second YAML document starts here"),
        ("a: x\x07y\n", "1:5", "a control character (#x0007)"),
    ],
)
def test_syntax_errors_are_told_in_an_editors_words(text: str, place: str, words: str) -> None:
    _, problems = read(text)
    assert len(problems) == 1
    assert problems[0].startswith(f"x.yaml:{place}: error: ")
    assert words in problems[0]
    assert "while parsing" not in problems[0].split("(YAML:")[0]


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    _, problems = read("\n".join(lines) + "\n")
    assert len(problems) == 1 and "too many values" in problems[0]


def test_deep_nesting_is_a_diagnostic() -> None:
    _, problems = read("a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert len(problems) == 1 and "x.yaml:" in problems[0]
