"""Each publisher format is read with its flags and quirks, and bad lines are named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from azyl.sources import adapter_for
from azyl.sources.base import Format, MirrorEntry, SourceFile
from azyl.store.loaders import load_file
from azyl.store.schema import DDL

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    for statement in DDL:
        connection.execute(statement)
    yield connection
    connection.close()


def _source(adapter: str, name: str, fmt: Format, encoding: str = "utf-8") -> SourceFile:
    entry = MirrorEntry(name, fmt, "test extract", "2026-01-01", "file://test", encoding)
    return adapter_for(adapter).source_file(RAW / name, entry)


def test_unhcr_csv_keeps_good_rows_and_names_each_bad_line(con: duckdb.DuckDBPyConnection) -> None:
    source = _source("unhcr_decisions", "unhcr_asylum_decisions_malformed.csv", Format.UNHCR_CSV)
    result = load_file(con, source, adapter_for("unhcr_decisions"), 1)
    assert result.rows == 3
    assert result.skipped == 4
    assert sorted(p.line for p in result.problems if p.line) == [4, 5, 7, 8]
    assert all(p.message.startswith(f"{source.path}:") for p in result.problems)
    rows = con.execute(
        "SELECT origin, asylum, dec_level FROM unhcr_decisions ORDER BY 1, 2"
    ).fetchall()
    assert rows == [("NAM", "DEU", "NA"), ("RUS", "AUT", "FA"), ("RUS", "DEU", "NA")]


def test_eurostat_bulk_tsv_keeps_flags_and_not_available_cells(
    con: duckdb.DuckDBPyConnection,
) -> None:
    source = _source("eurostat_asydcfsta", "migr_asydcfsta_extract.tsv.gz", Format.EUROSTAT_TSV)
    result = load_file(con, source, adapter_for("eurostat_asydcfsta"), 1)
    assert result.rows == 9 * 3 - 1
    (bad,) = [p for p in result.problems if p.line is not None]
    assert bad.line == 8 and "'n/a '" in bad.problem

    def cell(geo: str, decision: str, year: int) -> tuple[object, object]:
        row = con.execute(
            "SELECT value, flag FROM eurostat_asydcfsta "
            "WHERE geo = ? AND category = ? AND year = ?",
            [geo, decision, year],
        ).fetchone()
        assert row is not None
        return row[0], row[1]

    assert cell("DEU", "TOTAL", 2022) == (1500, "p")
    assert cell("DEU", "HUMSTAT", 2022) == (12, "e")
    assert cell("DEU", "HUMSTAT", 2023) == (None, "c")  # ": c" confidential, kept with its flag
    assert cell("DEU", "GENCONV", 2023) == (None, None)  # ":" not available
    assert cell("GRC", "TOTAL_POS", 2023) == (7, "b")  # Eurostat's EL is Greece
    citizens = con.execute("SELECT DISTINCT citizen FROM eurostat_asydcfsta ORDER BY 1").fetchall()
    assert citizens == [("NAM",), ("RUS",)]  # NA is Namibia


def test_label_export_reads_thousands_separators_and_skips_unknown_labels(
    con: duckdb.DuckDBPyConnection,
) -> None:
    source = _source("eurostat_eirtn", "migr_eirtn_labels_extract.csv", Format.EUROSTAT_LABELS)
    result = load_file(con, source, adapter_for("eurostat_eirtn"), 1)
    assert result.rows == 4
    assert result.skipped == 2
    problems = {p.line: p.problem for p in result.problems}
    assert "Oceania" in problems[5]
    assert "five" in problems[6]
    rows = con.execute(
        "SELECT year, geo, citizen, value, flag FROM eurostat_eirtn ORDER BY year, geo"
    ).fetchall()
    assert rows == [
        (2015, "DEU", "RUS", 1385, None),
        (2015, "GRC", "GEO", None, None),
        (2016, "EU28", "RUS", 10550, "d"),
        (2016, "POL", "UKR", 20935, "p"),
    ]


def test_sdmx_csv_keeps_obs_flag_and_rejects_a_malformed_value(
    con: duckdb.DuckDBPyConnection,
) -> None:
    source = _source("eurostat_asydcfsta", "migr_asydcfsta_sdmx_extract.csv", Format.SDMX_CSV)
    result = load_file(con, source, adapter_for("eurostat_asydcfsta"), 1)
    assert result.rows == 3
    assert [p.line for p in result.problems] == [5]
    row = con.execute(
        "SELECT value, flag FROM eurostat_asydcfsta WHERE citizen = 'GEO' AND sex = 'T' "
        "AND category = 'TOTAL_POS'"
    ).fetchone()
    assert row == (95, "p")


def test_a_renamed_column_stops_the_file_with_line_one(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    text = (RAW / "unhcr_asylum_decisions_malformed.csv").read_text().replace("dec_pc", "pc", 1)
    path = tmp_path / "renamed.csv"
    path.write_text(text)
    source = replace(
        _source("unhcr_decisions", "unhcr_asylum_decisions_malformed.csv", Format.UNHCR_CSV),
        path=path,
    )
    with pytest.raises(Exception) as caught:
        load_file(con, source, adapter_for("unhcr_decisions"), 1)
    assert f"{path}:1: unexpected columns" in str(caught.value)
