"""The column splitter of the small CSV files: the compiled and numpy twins agree, with the
csv module on what they take, and both decline what they do not fully understand.

Every expected value comes from the csv module (or is written out here), never from
the splitter's own output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azyl.store import splitcsv
from azyl.store.decompress import decompressed_file
from azyl.store.splitcsv import Mode, NotSimple, Split, split_columns, split_numpy, unquote

RAW = Path(__file__).resolve().parent / "fixtures" / "raw"


def _rows(split: Split, ncols: int) -> list[list[str]]:
    """The fields of every line, rebuilt from a split made with every column DICT."""
    columns = [split.columns[i] for i in range(ncols)]
    return [
        [unquote(c.values[c.codes[line]]).decode() for c in columns] for line in range(split.lines)
    ]


def _by_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def _split(text: str, ncols: int, modes: list[Mode] | None = None) -> Split:
    data = text.encode()
    return split_columns(data, data.index(b"\n") + 1, modes or [Mode.DICT] * ncols)


GOOD = (
    'a,b,c,n\n'
    'x,"y, with a comma",,12\n'
    '"say ""hi""",plain,"",0\n'
    'x,"y, with a comma",z,\n'
    ',"",last,007'
)  # fmt: skip


@pytest.mark.usefixtures("splitter")
def test_fields_are_read_as_the_csv_module_reads_them() -> None:
    split = _split(GOOD, 4)
    assert _rows(split, 4) == _by_csv(GOOD)
    column = split.columns[1]
    assert column.values == [b'"y, with a comma"', b"plain", b'""']
    assert column.codes.tolist() == [0, 1, 0, 2]
    assert column.first_lines == [0, 1, 3]


@pytest.mark.usefixtures("splitter")
def test_number_and_skipped_columns() -> None:
    split = _split(GOOD, 4, [Mode.SKIP, Mode.DICT, Mode.SKIP, Mode.NUMBER])
    assert sorted(split.columns) == [1] and sorted(split.numbers) == [3]
    assert split.numbers[3].tolist() == [12, 0, -1, 7]


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        pytest.param("a,b\n1,2,3\n", None, id="a field too many"),
        pytest.param("a,b\n1\n", None, id="a field too few"),
        pytest.param("a,b\n1,2\n\n3,4\n", None, id="an empty line"),
        pytest.param('a,b\n1,x"y\n', None, id="a quote inside a field"),
        pytest.param('a,b\n1,"x"y\n', None, id="text after a closing quote"),
        pytest.param('a,b\n1,"x\ny"\n', None, id="a line break inside quotes"),
        pytest.param('a,b\n1,"xy\n', None, id="quotes left open"),
        pytest.param('a,b\n1,"x"y"\n', None, id="a single quote inside quotes"),
        pytest.param('a,b\n1,"\n', None, id="a lone quote"),
        pytest.param("a,b\r\n1,2\r\n", None, id="carriage returns"),
        pytest.param("a,b\n1,2\0\n", None, id="a zero byte"),
        pytest.param("a,b\n1,x\n", [Mode.DICT, Mode.NUMBER], id="a letter in a number"),
        pytest.param("a,b\n1,-2\n", [Mode.DICT, Mode.NUMBER], id="a minus sign"),
        pytest.param('a,b\n1,"2"\n', [Mode.DICT, Mode.NUMBER], id="a quoted number"),
        pytest.param("a,b\n1,1234567890123456789\n", [Mode.DICT, Mode.NUMBER], id="19 digits"),
        pytest.param("a,b\n1, 2\n", [Mode.DICT, Mode.NUMBER], id="a space in a number"),
    ],
)
@pytest.mark.usefixtures("splitter")
def test_what_is_not_simple_is_declined(text: str, modes: list[Mode] | None) -> None:
    with pytest.raises(NotSimple):
        _split(text, 2, modes)


_FIELD = st.one_of(
    st.text(alphabet='ab ,"\n\r\0é', max_size=5),  # anything, quotes and breaks included
    st.text(alphabet="xyz1", min_size=0, max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    raw=st.lists(
        st.lists(_FIELD, min_size=1, max_size=4).map(",".join), min_size=1, max_size=6
    ).map("\n".join)
)
def test_both_twins_agree_and_agree_with_the_csv_module(raw: str) -> None:
    """On any text: both decline, or both give the same fields as the csv module."""
    if splitcsv._splitcsv is None:
        pytest.skip("the compiled splitter is not built in this install")
    text = "h1,h2,h3\n" + raw
    data = text.encode()
    modes = [Mode.DICT] * 3
    try:
        compiled = split_columns(data, 9, modes)
    except NotSimple:
        compiled = None
    try:
        plain = split_numpy(data, 9, modes)
    except NotSimple:
        plain = None
    assert (compiled is None) == (plain is None)
    if compiled is None or plain is None:
        return
    assert _same(compiled, plain)
    assert _rows(compiled, 3) == _by_csv(text)


def _same(a: Split, b: Split) -> bool:
    return (
        a.lines == b.lines
        and a.columns.keys() == b.columns.keys()
        and all(
            np.array_equal(a.columns[i].codes, b.columns[i].codes)
            and a.columns[i].values == b.columns[i].values
            and a.columns[i].first_lines == b.columns[i].first_lines
            for i in a.columns
        )
        and a.numbers.keys() == b.numbers.keys()
        and all(np.array_equal(a.numbers[i], b.numbers[i]) for i in a.numbers)
    )


@pytest.mark.slow
def test_the_twins_split_the_small_mirror_files_identically(mirror_dir: Path) -> None:
    if splitcsv._splitcsv is None:
        pytest.skip("the compiled splitter is not built in this install")
    names = [
        "unhcr/PopulationStatistics_refugees/asylum_decisions.derived.csv.gz",
        "eurostat/dw-data_quantify-europe_asylum-seekers/migr_eirtn_Data_allcitizens.csv.gz",
        "eurostat/letisouza_knocking-on-france/migr_asydcfsta_asilo.csv.gz",
    ]
    for name in names:
        data = decompressed_file(mirror_dir / name)
        start = data.index(b"\n") + 1
        ncols = data[:start].count(b",") + 1
        modes = [Mode.NUMBER if name.startswith("unhcr") and i in (0, 10) else Mode.DICT
                 for i in range(ncols)]  # fmt: skip
        assert _same(split_columns(data, start, modes), split_numpy(data, start, modes)), name
