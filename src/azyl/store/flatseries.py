"""The series of a flat file, read block after block: by the compiled parser, or by numpy.

A *series* is a run of lines with the same seven codes (successive years).
`SeriesReader` takes the file's complete lines block after block and gives the
whole file's `Series`: each series' years as a bitmask, the number of each of
its codes among its dimension's codes, and the lines whose value is not zero.

The compiled parser (`_flatparse.c`) carries its state from block to block
(the open series, the code numbers) and does all of this itself, without the
GIL. Without it, each block is parsed by numpy (`azyl.store.flatchunk`) into a
`Chunk`, and the chunks are put together here: codes numbered, and the series
cut in two by a block boundary joined again. Both give the very same `Series`
(the codes of a dimension are numbered in the order of their 16 zero-padded
bytes read as two little-endian words), and refuse the same files with NotFlat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from azyl.store.flatchunk import NDIMS, PAD, Chunk, NotFlat, parse_chunk

try:  # the compiled parser, built at install time when a compiler is present
    from azyl.store import _flatparse
except ImportError:  # pragma: no cover - depends on the install
    _flatparse = None  # type: ignore[assignment]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
#: Numbers of codes (int64 from numpy, uint16 from the compiled parser).
Ids = npt.NDArray[np.integer[Any]]

#: Whether `SeriesReader` runs the compiled parser (the benchmark reports it).
COMPILED = _flatparse is not None

#: Bytes a code may contain (Eurostat codes: TOTAL, Y18-34, EU27_2020...).
_CODE_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

__all__ = ["COMPILED", "CellArrays", "Cells", "Ids", "Series", "SeriesReader", "compiled_cells"]


@dataclass(frozen=True)
class Series:
    """A whole flat file as series (every array per series, or per non-zero value).

    `years[s]` has bit `y` set when series `s` reports year `year_base + y`;
    `ids[d][s]` is the number of its code of dimension `d` (header order) in
    `labels[d]`. `nonzero_*` are the lines whose value is not zero.
    """

    lines: int
    year_base: int
    years: U64
    ids: Sequence[Ids]
    labels: list[list[str]]
    nonzero_series: Ids
    nonzero_year: npt.NDArray[np.int16]
    nonzero_value: I64


@dataclass(frozen=True)
class CellArrays:
    """The arrays of a flat file's cells, made from its series (`flatcsv.FlatCells`
    adds the file's codes and values to them; it documents every field)."""

    group_year: npt.NDArray[np.int16]
    group_citizen: npt.NDArray[np.uint16]
    group_category: npt.NDArray[np.uint16]
    group_geo: npt.NDArray[np.uint16]
    group_breakdowns: U64
    nonzero_group: npt.NDArray[np.uint32]
    nonzero_breakdown: npt.NDArray[np.uint8]


#: The (sex, age) combinations present, as sex * ages + age, ascending, and the cells.
Cells = tuple[list[int], CellArrays]


def compiled_cells(series: Series, roles: Sequence[Ids], ages: int) -> Cells | None:
    """The cells of `series` computed by the compiled parser, in one pass without the GIL;
    None without it (or for more sex and age codes than it takes): numpy does it then.

    `roles` are the code numbers of geo, citizen, category, sex and age. NotFlat with
    the very reason the numpy version gives.
    """
    if _flatparse is None:
        return None
    geo, citizen, category, sex, age = (np.ascontiguousarray(r, dtype=np.uint16) for r in roles)
    nz_series = np.ascontiguousarray(series.nonzero_series, dtype=np.uint32)
    nz_year = np.ascontiguousarray(series.nonzero_year, dtype=np.int16)
    out = _flatparse.cells(np.ascontiguousarray(series.years), geo, citizen, category, sex, age,
                           ages, nz_series, nz_year, series.year_base)  # fmt: skip
    if isinstance(out, str):
        raise NotFlat(out)
    if out is None:
        return None
    used, year, citizen_, category_, geo_, breakdowns, nz_group, nz_breakdown = out
    return used, CellArrays(
        np.frombuffer(year or b"", dtype=np.int16),
        np.frombuffer(citizen_ or b"", dtype=np.uint16),
        np.frombuffer(category_ or b"", dtype=np.uint16),
        np.frombuffer(geo_ or b"", dtype=np.uint16),
        np.frombuffer(breakdowns or b"", dtype=np.uint64),
        np.frombuffer(nz_group or b"", dtype=np.uint32),
        np.frombuffer(nz_breakdown or b"", dtype=np.uint8),
    )


class SeriesReader:
    """Reads a file's complete lines, block after block, into its `Series`."""

    def __init__(self) -> None:
        self._parser = _flatparse.new() if _flatparse is not None else None
        self._chunks: list[Chunk] = []

    def add(self, data: bytes, start: int, stop: int) -> None:
        """The lines in `data[start:stop]`: `stop` is just after a newline, `start` < `stop`."""
        if self._parser is None:
            self._chunks.append(parse_chunk(b"".join((memoryview(data)[start:stop], bytes(PAD)))))
        elif (reason := _flatparse.add(self._parser, data, start, stop)) is not None:
            raise NotFlat(reason)

    def finish(self) -> Series:
        """Every series of the lines added; NotFlat when there were none."""
        series = _compiled(self._parser) if self._parser is not None else _joined(self._chunks)
        if series.lines == 0:
            raise NotFlat("no data lines")
        return series


# --- the compiled parser's arrays ------------------------------------------------------


def _compiled(parser: object) -> Series:
    lines, year_base, _wide, years, codes, nz_series, nz_year, nz_value, vocab = _flatparse.finish(
        parser
    )
    ids = np.frombuffer(codes or b"", dtype=np.uint16).reshape(NDIMS, -1)
    return Series(
        lines=lines,
        year_base=year_base,
        years=np.frombuffer(years or b"", dtype=np.uint64),
        ids=list(ids),
        labels=[_labels(words) for words in vocab],
        nonzero_series=np.frombuffer(nz_series or b"", dtype=np.uint32),
        nonzero_year=np.frombuffer(nz_year or b"", dtype=np.int16),
        nonzero_value=np.frombuffer(nz_value or b"", dtype=np.int64),
    )


# --- the numpy parser's chunks, put together --------------------------------------------


def _joined(chunks: list[Chunk]) -> Series:
    """The chunks as one file: years counted from the file's first year, codes numbered,
    series cut in two by a chunk boundary joined."""
    if not chunks:
        return Series(0, 0, np.empty(0, np.uint64), [np.empty(0, np.int64)] * NDIMS,
                      [[] for _ in range(NDIMS)], np.empty(0, np.int64),
                      np.empty(0, np.int16), np.empty(0, np.int64))  # fmt: skip
    ymin = min(c.year_base for c in chunks)
    years = np.concatenate([_rebase(c, ymin) for c in chunks])
    numbered = [_encode(*_code_words(chunks, d)) for d in range(NDIMS)]
    ids = [n for n, _ in numbered]
    series_base = np.cumsum([0] + [c.series_years.size for c in chunks])[:-1]
    nz_series = np.concatenate(
        [c.nonzero_series + b for c, b in zip(chunks, series_base, strict=True)]
    )
    new = _new_series(ids)
    if new is not None:
        years = _merge_years(years, new)
        nz_series = (np.cumsum(new) - 1)[nz_series]
        ids = [column[new] for column in ids]
    return Series(
        lines=int(sum(c.lines for c in chunks)),
        year_base=ymin,
        years=years,
        ids=ids,
        labels=[labels for _, labels in numbered],
        nonzero_series=nz_series,
        nonzero_year=np.concatenate([c.nonzero_year for c in chunks]),
        nonzero_value=np.concatenate([c.nonzero_value for c in chunks]),
    )


def _code_words(chunks: list[Chunk], d: int) -> tuple[U64, U64 | None]:
    """Code `d` of every series as low and high words (high None when all fit in 8 bytes)."""
    low = np.concatenate([c.codes[d][0] for c in chunks])
    if all(c.codes[d][1] is None for c in chunks):
        return low, None
    high = [c.codes[d][1] for c in chunks]
    return low, np.concatenate([np.zeros_like(c.codes[d][0]) if h is None else h
                                for c, h in zip(chunks, high, strict=True)])  # fmt: skip


def _rebase(chunk: Chunk, ymin: int) -> U64:
    """A chunk's year bitmasks counted from the file's first year instead of the chunk's."""
    shift = chunk.year_base - ymin
    if shift and int(np.bitwise_or.reduce(chunk.series_years)).bit_length() + shift > 64:
        raise NotFlat("years more than 63 apart")
    return chunk.series_years << np.uint64(shift)


def _new_series(ids: list[I64]) -> npt.NDArray[np.bool_] | None:
    """Which series start a new one: not those with the codes of the one before (a series
    cut in two by a chunk boundary). None when all do."""
    new = np.zeros(ids[0].size, dtype=bool)
    new[0] = True
    for column in ids:
        new[1:] |= column[1:] != column[:-1]
    return None if new.all() else new


def _merge_years(years: U64, new: npt.NDArray[np.bool_]) -> U64:
    """Join the year masks of series cut in two by a chunk boundary; NotFlat on a repeat."""
    first = np.flatnonzero(new)
    merged = np.bitwise_or.reduceat(years, first)
    counted = np.add.reduceat(np.bitwise_count(years).astype(np.int64), first)
    if not np.array_equal(np.bitwise_count(merged), counted):
        raise NotFlat("a cell given twice (the same codes and year on two lines)")
    return merged


def _encode(low: U64, high: U64 | None) -> tuple[I64, list[str]]:
    """Number the distinct codes of one dimension (one per series) and decode them once.

    Codes change rarely from one series to the next (the file is sorted), so
    only the series where the code changes are looked up.
    """
    change = np.empty(low.size, dtype=bool)
    change[0] = True
    np.not_equal(low[1:], low[:-1], out=change[1:])
    if high is not None:
        change[1:] |= high[1:] != high[:-1]
    at = np.flatnonzero(change)
    if high is not None:
        pairs = np.stack([low[at], high[at]], axis=1)
        vocabulary, index = np.unique(pairs, axis=0, return_inverse=True)
        words = [(int(lo), int(hi)) for lo, hi in vocabulary.tolist()]
    else:
        keys = low[at]
        vocab = np.unique(keys[:4096])
        while True:
            index = np.minimum(np.searchsorted(vocab, keys), vocab.size - 1)
            missing = vocab[index] != keys
            if not missing.any():
                break
            vocab = np.union1d(vocab, keys[missing])
        words = [(int(lo), 0) for lo in vocab.tolist()]
    labels = [_label(lo, hi) for lo, hi in words]
    ids = np.repeat(index.reshape(-1).astype(np.int64), np.diff(at, append=low.size))
    return ids, labels


def _labels(words: bytes) -> list[str]:
    """The codes of a dimension from their 16 zero-padded bytes each."""
    return [_label(lo, hi) for lo, hi in np.frombuffer(words, dtype="<u8").reshape(-1, 2).tolist()]


def _label(low: int, high: int) -> str:
    """A code's text from its 16 zero-padded bytes; NotFlat unless it is a plain code."""
    raw = (low.to_bytes(8, "little") + high.to_bytes(8, "little")).rstrip(b"\0")
    if not raw or not _CODE_BYTES.issuperset(raw):
        raise NotFlat(f"unexpected characters in the code {raw!r}")
    return raw.decode("ascii")
