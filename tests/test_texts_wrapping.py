"""Written texts keep their words whole: a folded YAML line that ends after a hyphen
("кого-" then "либо" on the next line) reads as two words with a space between them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: A letter, a hyphen, a space, a letter: a word broken where a line was wrapped. Quotes are
#: left out (they are a source's words as read, and may hold a dash written that way).
BROKEN = re.compile(r"[A-Za-zА-Яа-яЁё]- [A-Za-zА-Яа-яЁё]")


def _texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "quote":
                yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _broken(files: list[Path]) -> list[str]:
    found = []
    for file in files:
        for path, text in _texts(yaml.safe_load(file.read_text(encoding="utf-8"))):
            found += [f"{file.name} {path}: {m.group()!r}" for m in BROKEN.finditer(text)]
    return found


def test_no_fact_or_incident_text_breaks_a_word_at_a_line_wrap() -> None:
    files = [*sorted((ROOT / "kb" / "facts").rglob("*.yaml")), ROOT / "incidents" / "seed.yaml"]
    assert _broken(files) == []


def test_the_check_finds_a_word_broken_at_a_wrap(tmp_path: Path) -> None:
    folded = tmp_path / "fact.yaml"
    folded.write_text("statement_ru: >-\n  не может выслать кого-\n  либо туда\n", encoding="utf-8")
    assert len(_broken([folded])) == 1
