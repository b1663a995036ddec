"""Bounded reading of untrusted text (`azyl.limits`): size, depth, nodes, aliases, repeated keys.

The hostile documents are the ones an adversarial review sent: a case file of
about 50 KB nested 25,000 levels deep crashed libyaml's composer (exit 139),
and JSON that deep raised RecursionError. Each is refused here, before any
parser builds anything, with a sentence naming the limit; documents within the
limits read as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from azyl.errors import CaseProfileError, InputError
from azyl.limits import (
    MAX_DEPTH,
    LimitExceeded,
    TooLarge,
    check_json,
    check_yaml,
    load_json,
    load_yaml,
    read_file,
)

DEEP = 25_000


def nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_yaml_nested_25000_levels_is_refused_without_parsing_it() -> None:
    text = "as_of: " + nested_json(DEEP) + "\n"
    assert 50_000 <= len(text.encode()) <= 51_000  # the reviewer's file
    with pytest.raises(LimitExceeded, match=f"nested more than {MAX_DEPTH} levels") as caught:
        load_yaml(text, "case.yaml")
    assert caught.value.details == {"limit": "depth", "max": MAX_DEPTH}
    assert caught.value.http_status == 422


def test_block_yaml_nested_too_deep_is_refused_too() -> None:
    lines = [" " * level + f"k{level}:" for level in range(MAX_DEPTH + 1)]
    with pytest.raises(LimitExceeded, match="nested more than"):
        check_yaml("\n".join(lines) + " x\n", "case.yaml")


def test_yaml_at_the_depth_limit_reads() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    text = "a: " + "[" * depth + "1" + "]" * depth
    value = load_yaml(text, "case.yaml")
    for _ in range(depth):
        value = value[0] if isinstance(value, list) else value["a"]
    assert value == [1] or value == 1


@pytest.mark.parametrize(
    "text", [nested_json(DEEP), "[" * 2_000_000, '{"a":' * DEEP + "1" + "}" * DEEP]
)
def test_json_nested_too_deep_is_refused_before_parsing(text: str) -> None:
    with pytest.raises(LimitExceeded, match="nested more than"):
        load_json(text)


def test_json_brackets_inside_strings_do_not_count() -> None:
    text = '{"notes": "' + "[" * 10_000 + '", "list": [[1]]}'
    assert load_json(text) == {"notes": "[" * 10_000, "list": [[1]]}


def test_json_exactly_at_the_limit_reads_and_one_more_does_not() -> None:
    assert load_json(nested_json(MAX_DEPTH)) is not None
    with pytest.raises(LimitExceeded):
        check_json(nested_json(MAX_DEPTH + 1), "body")


def test_malformed_shallow_json_is_left_for_the_parser_to_describe() -> None:
    with pytest.raises(ValueError, match="Expecting"):
        load_json('{"a": [1, 2}')


def test_a_key_given_twice_is_refused_in_json_and_yaml() -> None:
    with pytest.raises(ValueError, match="'a' appears twice"):
        load_json('{"a": 1, "a": 2}')
    with pytest.raises(InputError, match="line 3: the key 'as_of' appears twice"):
        load_yaml("as_of: 2020-01-01\nstage: x\nas_of: 2024-01-01\n", "case.yaml")
    # The same key in two different mappings is fine.
    assert load_yaml("a: {x: 1}\nb: {x: 2}\n", "f.yaml") == {"a": {"x": 1}, "b": {"x": 2}}


def test_anchors_and_aliases_are_refused_unless_allowed() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(LimitExceeded, match="anchors and aliases"):
        check_yaml(bomb, "case.yaml")
    check_yaml(bomb, "kb.yaml", aliases=True)


def test_too_many_nodes_are_refused() -> None:
    text = "[" + ", ".join(["1"] * 101) + "]"
    with pytest.raises(LimitExceeded, match="more than 100 values"):
        check_yaml(text, "f.yaml", max_nodes=100)


def test_a_file_is_read_no_further_than_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 2049)
    with pytest.raises(TooLarge, match="larger than the 2,048 bytes accepted") as caught:
        read_file(path, 2048)
    assert caught.value.http_status == 413
    assert read_file(path, 4096) == b"#" * 2049


def test_a_syntax_error_stays_a_yaml_error() -> None:
    with pytest.raises(yaml.YAMLError):
        check_yaml("a: [unclosed\n", "f.yaml")


def test_a_deep_case_file_on_disk_is_refused_by_load_case(tmp_path: Path) -> None:
    from azyl.assess import load_case

    path = tmp_path / "deep.json"
    path.write_text('{"as_of": ' + nested_json(DEEP) + "}")
    with pytest.raises(LimitExceeded, match=r"deep\.json: values are nested more than 32"):
        load_case(path)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " * (1024 * 1024))
    with pytest.raises(TooLarge, match=r"huge\.yaml: the file is larger than the 1\.0 MiB"):
        load_case(huge)


def test_a_number_of_thousands_of_digits_is_a_case_profile_error() -> None:
    from azyl.assess import read_case_document

    with pytest.raises(CaseProfileError, match="not valid YAML or JSON"):
        read_case_document(b'{"as_of": ' + b"9" * 5000 + b"}", "case.json")
