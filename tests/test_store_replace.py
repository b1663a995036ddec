"""Moving a built database into place: atomic, the previous file deleted afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from azyl.store.replace import put_in_place, stale


def _previous_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".previous"))


def test_the_new_file_replaces_the_old_and_the_old_is_deleted_afterwards(tmp_path: Path) -> None:
    target, built = tmp_path / "stats.duckdb", tmp_path / ".stats.duckdb.1.building"
    target.write_bytes(b"old")
    built.write_bytes(b"new")
    with target.open("rb") as reader:  # a reader of the old database keeps reading it
        thread = put_in_place(built, target)
        assert target.read_bytes() == b"new" and not built.exists()
        assert thread is not None
        thread.join()
        assert reader.read() == b"old"
    assert _previous_files(tmp_path) == []


def test_a_first_build_has_nothing_to_delete(tmp_path: Path) -> None:
    target, built = tmp_path / "stats.duckdb", tmp_path / "built"
    built.write_bytes(b"new")
    assert put_in_place(built, target) is None
    assert target.read_bytes() == b"new"


def test_without_hard_links_a_plain_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, built = tmp_path / "stats.duckdb", tmp_path / "built"
    target.write_bytes(b"old")
    built.write_bytes(b"new")

    def no_links(*args: object) -> None:
        raise PermissionError("hard links are not allowed here")

    monkeypatch.setattr(os, "link", no_links)
    assert put_in_place(built, target) is None
    assert target.read_bytes() == b"new" and _previous_files(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "pid"),
    [
        (".stats.duckdb.123.building", 123),
        (".stats.duckdb.123.building.wal", 123),
        (".stats.duckdb.123.4.previous", 123),
        ("stats.duckdb", None),
        (".stats.duckdb.abc.building", None),
        (".stats.duckdb.123.previous", None),
        (".other.duckdb.123.building", None),
        (".stats.duckdb.123.building.bak", None),
    ],
)
def test_the_files_a_build_leaves_while_it_runs_are_known(name: str, pid: int | None) -> None:
    assert stale(Path("/data/stats.duckdb"), name) == pid
