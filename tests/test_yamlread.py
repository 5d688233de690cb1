from pathlib import Path

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


def test_tab_indentation_gets_a_hint() -> None:
    _, problems = read("a:\n\t- x\n")
    assert len(problems) == 1
    assert problems[0].startswith("x.yaml:2:1: error: invalid YAML")
    assert "tab" in problems[0]


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    _, problems = read("\n".join(lines) + "\n")
    assert len(problems) == 1 and "too many values" in problems[0]


def test_deep_nesting_is_a_diagnostic() -> None:
    _, problems = read("a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert len(problems) == 1 and "x.yaml:" in problems[0]
