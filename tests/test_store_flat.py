"""The R package's flat CSV: read fast into sparse tables, and exactly what a plain reading gives.

Every expected value here comes from reading the file with the csv module,
independently of azyl's reader, or from DuckDB's general CSV reader (the
fallback), never from the fast reader's own output.
"""

from __future__ import annotations

import csv
import gzip
import io
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from azyl.config import Settings
from azyl.errors import DataFileError
from azyl.sources import adapter_for
from azyl.sources.base import Format, MirrorEntry, SourceFile
from azyl.store import flatcsv, flatseries, load_flat
from azyl.store.decompress import decompressed_chunks
from azyl.store.flatcsv import FlatCells, NotFlat, read_flat
from azyl.store.loaders import LoadResult, fill_code_table, load_file, read_ahead
from azyl.store.schema import DDL, delete_file_rows

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"
EXTRACT = RAW / "migr_asyappctza_flat_extract.csv"
FLAT = "eurostat/bgautijonsson_asylum/migr_asyappctza_2024-01-18.derived.csv.gz"
HEADER = ["freq", "unit", "citizen", "sex", "age", "asyl_app", "geo", "TIME_PERIOD", "values"]
ROLES = {"citizen": "citizen", "sex": "sex", "age": "age", "asyl_app": "category", "geo": "geo"}
#: Post-Soviet origins, large and small origins, Namibia (NA) and Eurostat's groups.
SAMPLE = ("RU", "UA", "BY", "GE", "TJ", "SY", "AF", "NA", "EXT_EU27_2020", "STLS", "TOTAL", "UNK")

Cell = tuple[str, str, str, str, str, int]  # citizen, sex, age, asyl_app, geo, year


def csv_cells(
    lines: Iterator[str], citizens: set[str] | None = None
) -> tuple[dict[Cell, int], int]:
    """Cells of a flat file read with the csv module (all, or those of `citizens`)."""
    reader = csv.reader(lines)
    assert next(reader) == HEADER
    cells: dict[Cell, int] = {}
    count = 0
    for freq, unit, citizen, sex, age, app, geo, year, value in reader:
        count += 1
        if citizens is None or citizen in citizens:
            assert (freq, unit) == ("A", "PER")
            cells[(citizen, sex, age, app, geo, int(year))] = int(value)
    return cells, count


def stored_cells(con: duckdb.DuckDBPyConnection, where: str = "TRUE") -> dict[Cell, int]:
    rows = con.execute(
        "SELECT citizen, sex, age, category, geo, year, value FROM eurostat_asyappctza_raw "
        f"WHERE {where}"
    ).fetchall()
    cells = {(c, s, a, k, g, int(y)): v for c, s, a, k, g, y, v in rows}
    assert len(cells) == len(rows)  # no cell twice
    return cells


# -- the real file, through the whole build ------------------------------------------------


@pytest.mark.slow
def test_the_sparse_store_holds_every_cell_of_the_real_file_for_a_sample_of_citizens(
    built_settings: Settings, mirror_dir: Path
) -> None:
    with gzip.open(mirror_dir / FLAT, "rt", encoding="utf-8", newline="") as handle:
        expected, lines = csv_cells(handle, set(SAMPLE))
    with duckdb.connect(str(built_settings.stats_db_path), read_only=True) as con:
        (pid,) = con.execute(
            "SELECT id FROM provenance WHERE file_name = ?", [FLAT]
        ).fetchone() or (None,)
        codes = ", ".join(f"'{c}'" for c in SAMPLE)
        got = stored_cells(con, f"provenance_id = {pid} AND citizen IN ({codes})")
        (total,) = con.execute(
            f"SELECT count(*) FROM eurostat_asyappctza_raw WHERE provenance_id = {pid}"
        ).fetchone() or (None,)
        (sparse,) = con.execute("SELECT count(*) FROM eurostat_asyappctza_rows").fetchone() or (0,)
    assert got == expected
    assert total == lines == 6_268_730
    assert sparse < 50_000  # the flat file went to the sparse tables, not row by row
    # The comparison covers real zeros and cells the file does not report (':').
    assert sum(1 for v in expected.values() if v == 0) > 10_000
    years = {k[-1] for k in expected}
    series = Counter(k[:-1] for k in expected)
    assert any(n < len(years) for n in series.values())


# -- a recorded extract: the fast reader and DuckDB's reader agree ------------------------


def _connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for statement in DDL:
        con.execute(statement)
    fill_code_table(con)
    return con


def _source(path: Path) -> SourceFile:
    entry = MirrorEntry(path.name, Format.EUROSTAT_FLAT, "test extract", "2026-01-01", "file://t")
    return adapter_for("eurostat_asyappctza").source_file(path, entry)


Views = dict[str, list[tuple[object, ...]]]


def _load(
    path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool = True
) -> tuple[LoadResult, Views, bool]:
    """Load `path` into a fresh store (the fast reader allowed or not).

    Returns the load result, the rows of both views, and whether the sparse
    tables were used (the fast reader took the file).
    """
    with monkeypatch.context() as patch:
        if not fast:

            def refuse(*args: object, **kwargs: object) -> FlatCells:
                raise NotFlat("refused by the test")

            patch.setattr(load_flat, "read_flat", refuse)
        con = _connection()
        result = load_file(con, _source(path), adapter_for("eurostat_asyappctza"), 1)
    views = {
        view: con.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall()
        for view in ("eurostat_asyappctza_raw", "eurostat_asyappctza")
    }
    (sparse,) = con.execute("SELECT count(*) FROM eurostat_asyappctza_coverage").fetchone() or (0,)
    con.close()
    return result, views, sparse > 0


@pytest.mark.usefixtures("parser")
def test_the_fast_reader_and_duckdb_store_the_same_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, fast_rows, sparse = _load(EXTRACT, monkeypatch)
    slow, slow_rows, dense = _load(EXTRACT, monkeypatch, fast=False)
    assert sparse and not dense
    assert fast_rows == slow_rows
    assert (fast.rows, fast.skipped) == (slow.rows, slow.skipped) == (48, 0)
    assert [p.message for p in fast.problems] == [p.message for p in slow.problems]
    assert "'QQ'" in fast.problems[0].problem
    with EXTRACT.open(newline="") as handle:
        expected, _ = csv_cells(handle)
    rows = fast_rows["eurostat_asyappctza_raw"]
    assert {(r[3], r[4], r[5], r[6], r[2], r[1]): r[8] for r in rows} == expected
    translated = {(r[2], r[3]) for r in fast_rows["eurostat_asyappctza"]}
    assert ("DEU", "NAM") in translated and ("GRC", "RUS") in translated  # NA is Namibia


@pytest.mark.usefixtures("parser")
def test_series_cut_across_chunks_are_read_the_same(tmp_path: Path) -> None:
    with EXTRACT.open(newline="") as handle:
        expected, _ = csv_cells(handle)
    compressed = tmp_path / "extract.csv.gz"
    compressed.write_bytes(gzip.compress(EXTRACT.read_bytes()))
    for size in (1, 2, 3, 5, 8, 13, 40, 97, 1 << 18):
        for path in (compressed, EXTRACT):
            assert _cells(read_flat(path, HEADER, ROLES, read_size=size)) == expected


def _cells(cells: FlatCells) -> dict[Cell, int]:
    """Expand `FlatCells` into {(citizen, sex, age, category, geo, year): value}."""
    labels = cells.labels

    def key(group: int, bit: int) -> Cell:
        sex, age = cells.breakdowns[bit]
        return (
            labels["citizen"][cells.group_citizen[group]], sex, age,
            labels["category"][cells.group_category[group]],
            labels["geo"][cells.group_geo[group]], int(cells.group_year[group]),
        )  # fmt: skip

    out: dict[Cell, int] = {}
    for group, mask in enumerate(cells.group_breakdowns.tolist()):
        for bit in range(len(cells.breakdowns)):
            if mask >> bit & 1:
                out[key(group, bit)] = 0
    nonzero = zip(cells.nonzero_group.tolist(), cells.nonzero_breakdown.tolist(),
                  cells.nonzero_value.tolist(), strict=True)  # fmt: skip
    for group, bit, value in nonzero:
        assert out[key(group, bit)] == 0 and value != 0
        out[key(group, bit)] = value
    assert len(out) == cells.lines
    return out


def test_malformed_flat_lines_are_reported_by_line_and_the_rest_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = RAW / "migr_asyappctza_flat_malformed.csv"
    result, views, sparse = _load(path, monkeypatch)
    assert not sparse  # the fast reader declined; DuckDB read the file
    assert (result.rows, result.skipped) == (4, 2)
    assert [(p.path, p.line) for p in result.problems] == [(str(path), 4), (str(path), 5)]
    assert "48x5" in result.problems[0].problem
    assert "Found: 8" in result.problems[1].problem
    values = sorted(int(str(r[8])) for r in views["eurostat_asyappctza_raw"])
    assert values == [2305, 2580, 5255, 10985]


@pytest.mark.usefixtures("parser")
def test_two_flat_files_of_one_dataset_keep_their_cells_apart() -> None:
    """The non-zero values hold their file's provenance in their cell number: two
    files with the same cells do not mix, and one can be deleted alone."""
    con = _connection()
    adapter = adapter_for("eurostat_asyappctza")
    for pid in (1, 2):
        assert load_file(con, _source(EXTRACT), adapter, pid).rows == 48

    def values(pid: int) -> list[object]:
        return [r[0] for r in con.execute(
            "SELECT value FROM eurostat_asyappctza_raw WHERE provenance_id = ? ORDER BY ALL",
            [pid],
        ).fetchall()]  # fmt: skip

    with EXTRACT.open(newline="") as handle:
        expected = sorted(int(row["values"]) for row in csv.DictReader(handle))
    assert values(1) == values(2) == expected
    for statement in delete_file_rows("eurostat_asyappctza", 1):
        con.execute(statement)
    assert values(1) == [] and values(2) == expected
    (left,) = con.execute("SELECT count(*) FROM eurostat_asyappctza_nonzero").fetchone() or (0,)
    assert left == sum(v != 0 for v in expected)
    con.close()


def _variant(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


_GOOD = EXTRACT.read_text()
_LINE = "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,10985\n"
_BIG = f"A,PER,RU,T,TOTAL,ASY_APP,DE,2016,{2**32}\n"  # one more than the sparse store keeps


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_GOOD.replace("\n", "\r\n"), id="crlf"),
        pytest.param(_variant(_GOOD, _LINE, _LINE + _LINE), id="a cell twice in a row"),
        pytest.param(_GOOD + _LINE, id="a cell again at the end"),
        pytest.param(_GOOD + "A,PER,RU,T,TOTAL,ASY_APP,DE,2023,5\n", id="a series again later"),
        pytest.param(
            _variant(_GOOD, _LINE, '"A",PER,RU,T,TOTAL,ASY_APP,DE,2016,10985\n'), id="quoted"
        ),
        pytest.param(_variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,\n"), id="no value"),
        pytest.param(_variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,-5\n"), id="minus"),
        pytest.param(_variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,16,10985\n"), id="year"),
        pytest.param(_variant(_GOOD, _LINE, "A,PER,RU,T,,ASY_APP,DE,2016,10985\n"), id="empty"),
        pytest.param(
            _variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,1,5\n"), id="nine commas"
        ),
        pytest.param(_variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,1 \n"), id="space"),
        pytest.param(
            _variant(_GOOD, _LINE, "A,NR,RU,T,TOTAL,ASY_APP,DE,2016,10985\n"), id="two units"
        ),
        pytest.param(
            _variant(_GOOD, _LINE, "A,PER,R\0,T,TOTAL,ASY_APP,DE,2016,10985\n"), id="zero byte"
        ),
        pytest.param(
            _variant(_GOOD, _LINE, "A,PER,RU,T,TOTAL,ASY_APP,DE,2016,1234567890123456789\n"),
            id="19 digits",
        ),
        pytest.param(_variant(_GOOD, _LINE, _BIG), id="a value of 2**32"),
        pytest.param(_GOOD.replace("freq,unit", "unit,freq", 1), id="other header"),
        pytest.param(_variant(_GOOD, _LINE, _LINE.replace("2016", "1940")), id="years far apart"),
        pytest.param(_variant(_GOOD, _LINE, _LINE.replace("2016", "2O16")), id="letter in year"),
        pytest.param(_GOOD + "A,PER,R,T,T,A,D,2023,5\n", id="codes too short"),
    ],
)
@pytest.mark.usefixtures("parser")
def test_the_fast_reader_declines_what_it_does_not_know(tmp_path: Path, text: str) -> None:
    path = tmp_path / "variant.csv"
    path.write_bytes(text.encode())
    with pytest.raises(NotFlat):
        read_flat(path, HEADER, ROLES)


def test_a_value_too_large_for_the_sparse_store_is_stored_exactly_by_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(_variant(_GOOD, _LINE, _BIG))
    result, views, sparse = _load(path, monkeypatch)
    assert not sparse and (result.rows, result.skipped) == (48, 0)  # DuckDB read it all
    values = {int(str(r[8])) for r in views["eurostat_asyappctza_raw"]}
    assert 2**32 in values and 2**32 - 1 in values


def _block(sex_ages: list[tuple[str, str]], geo: str = "DE") -> str:
    """Lines of one (citizen, category, geo) block, one series per (sex, age), one year."""
    return "".join(f"A,PER,RU,{sex},{age},ASY_APP,{geo},2016,1\n" for sex, age in sex_ages)


_HEAD = ",".join(HEADER) + "\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(
            _HEAD + _block([("F", "TOTAL"), ("M", "TOTAL")]) + _block([("T", "TOTAL")], "FR")
            + _block([("T", "TOTAL")]),
            "the series of one citizenship, category and geo are not together",
            id="a block again later",
        ),
        pytest.param(
            _HEAD + _block([("F", "TOTAL"), ("M", "TOTAL"), ("F", "TOTAL")]),
            "a series given twice",
            id="a series again in its block",
        ),
        pytest.param(
            _HEAD + _block([(sex, f"Y{age}") for sex in ("F", "M", "T") for age in range(22)]),
            "more than 64 sex × age breakdowns",
            id="66 breakdowns",
        ),
    ],
)  # fmt: skip
@pytest.mark.usefixtures("parser")
def test_the_cells_are_refused_for_the_same_reason_by_both_readers(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "variant.csv"
    path.write_text(text)
    with pytest.raises(NotFlat) as refused:
        read_flat(path, HEADER, ROLES)
    assert str(refused.value) == reason


def _series_lines(years_values: list[tuple[str, str]], sex: str = "F") -> str:
    return "".join(f"A,PER,RU,{sex},TOTAL,ASY_APP,DE,{y},{v}\n" for y, v in years_values)


@pytest.mark.parametrize(
    "lines",
    [
        # years counted up across a carry of their digits, mostly zeros (as in the file)
        _series_lines([("0998", "0"), ("0999", "0"), ("1000", "0"), ("1001", "7")])
        + _series_lines([("1998", "0"), ("1999", "0"), ("2000", "0"), ("2001", "0")], "M"),
        _series_lines([("9997", "0"), ("9998", "0"), ("9999", "0")]),
        # a year skipped, a zero written twice over, a value after zeros, years going back
        _series_lines([("2010", "0"), ("2012", "0"), ("2013", "00"), ("2014", "0"),
                       ("2015", "3"), ("2016", "0"), ("2008", "0"), ("2009", "0")]),
        # a year given twice in a series: refused by both
        _series_lines([("2010", "0"), ("2011", "0"), ("2009", "0"), ("2010", "0")]),
        # bytes after the codes that only look like a zero line
        _series_lines([("2010", "0"), ("2011", "0\r")]),
        _series_lines([("2010", "0")]) + "A,PER,RU,F,TOTAL,ASY_APP,DE\0\0\0\0\0\0\0\0\n",
    ],
    ids=["carries", "the last years", "irregular", "twice", "carriage return", "zero bytes"],
)  # fmt: skip
def test_both_parsers_read_runs_of_years_and_zeros_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: str
) -> None:
    if flatseries._flatparse is None:
        pytest.skip("the compiled parser is not built in this install")
    path = tmp_path / "years.csv"
    path.write_text(",".join(HEADER) + "\n" + lines)

    def outcome() -> dict[str, object] | str:
        try:
            cells = read_flat(path, HEADER, ROLES)
        except NotFlat as refused:
            return str(refused)
        return {k: v.tolist() if hasattr(v, "tolist") else v for k, v in vars(cells).items()}

    compiled = outcome()
    monkeypatch.setattr(flatseries, "_flatparse", None)
    assert compiled == outcome()


def test_a_file_with_more_groups_than_cell_numbers_hold_is_left_to_duckdb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    groups = read_flat(EXTRACT, HEADER, ROLES).group_year.size
    monkeypatch.setattr(flatcsv, "MAX_GROUPS", groups - 1)
    with pytest.raises(NotFlat, match="groups"):
        read_flat(EXTRACT, HEADER, ROLES)


def test_the_compiled_parser_hands_its_arrays_over_once() -> None:
    compiled = flatseries._flatparse
    if compiled is None:
        pytest.skip("the compiled parser is not built in this install")
    line = b"A,PER,RU,T,TOTAL,ASY_APP,DE,2016,5\n"
    parser = compiled.new()
    assert compiled.add(parser, line, 0, len(line)) is None
    lines, year_base, _, years, *_ = compiled.finish(parser)
    assert lines == 1  # one series, its one year as a bit counted from year_base
    assert years is not None and bytes(years) == (1 << (2016 - year_base)).to_bytes(8, "little")
    with pytest.raises(ValueError, match="finished already"):  # its memory is numpy's now
        compiled.finish(parser)
    with pytest.raises(ValueError, match="finished already"):
        compiled.add(parser, line, 0, len(line))


def test_a_corrupt_or_truncated_gzip_raises(tmp_path: Path) -> None:
    data = gzip.compress(EXTRACT.read_bytes())
    truncated = tmp_path / "truncated.csv.gz"
    truncated.write_bytes(data[:-20])
    with pytest.raises(EOFError):
        read_flat(truncated, HEADER, ROLES)
    corrupt = tmp_path / "corrupt.csv.gz"
    corrupt.write_bytes(data[:20] + bytes(40) + data[60:])
    with pytest.raises(zlib.error):
        read_flat(corrupt, HEADER, ROLES)


def test_decompressed_chunks_read_concatenated_gzip_members(tmp_path: Path) -> None:
    text = EXTRACT.read_bytes()
    path = tmp_path / "members.csv.gz"
    path.write_bytes(gzip.compress(text[:500]) + gzip.compress(text[500:]))
    for size in (7, 1 << 18):
        assert b"".join(decompressed_chunks(path, size)) == text
    assert b"".join(decompressed_chunks(EXTRACT, 3)) == text
    assert io.BytesIO(gzip.decompress(path.read_bytes())).read() == text


@pytest.mark.slow
def test_the_compiled_and_numpy_parsers_read_the_real_file_identically(
    mirror_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if flatseries._flatparse is None:
        pytest.skip("the compiled parser is not built in this install")
    path = mirror_dir / FLAT
    compiled = read_flat(path, HEADER, ROLES)
    monkeypatch.setattr(flatseries, "_flatparse", None)
    plain = read_flat(path, HEADER, ROLES)
    for name, value in vars(compiled).items():
        other = getattr(plain, name)
        if hasattr(value, "dtype"):
            assert value.dtype == other.dtype and (value == other).all(), name
        else:
            assert value == other, name


def test_a_flat_file_read_ahead_is_stored_like_one_read_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_place, in_place_views, _ = _load(EXTRACT, monkeypatch)
    source, adapter = _source(EXTRACT), adapter_for("eurostat_asyappctza")
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(read_ahead, source, adapter)
        con = _connection()
        result = load_file(con, source, adapter, 1, ahead)
    with EXTRACT.open(newline="") as handle:
        expected, lines = csv_cells(handle)
    rows = con.execute("SELECT * FROM eurostat_asyappctza_raw ORDER BY ALL").fetchall()
    con.close()
    assert result.rows == lines == in_place.rows
    assert {(r[3], r[4], r[5], r[6], r[2], r[1]): r[8] for r in rows} == expected
    assert rows == in_place_views["eurostat_asyappctza_raw"]


def test_a_flat_file_with_a_bad_header_read_ahead_is_still_reported_on_line_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "renamed.csv"
    path.write_text(EXTRACT.read_text().replace("TIME_PERIOD", "TIME", 1))
    source, adapter = _source(path), adapter_for("eurostat_asyappctza")
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(read_ahead, source, adapter)
        assert ahead.result() is None
        with pytest.raises(DataFileError) as caught:
            load_file(_connection(), source, adapter, 1, ahead)
    assert (caught.value.line, "TIME_PERIOD" in caught.value.problem) == (1, True)


def test_a_read_ahead_told_to_stop_gives_up(tmp_path: Path) -> None:
    compressed = tmp_path / "extract.csv.gz"
    compressed.write_bytes(gzip.compress(EXTRACT.read_bytes()))
    stop = threading.Event()
    stop.set()
    with pytest.raises(NotFlat, match="stopped"):
        read_flat(compressed, HEADER, ROLES, stop=stop)
    assert read_ahead(_source(compressed), adapter_for("eurostat_asyappctza"), stop) is None
