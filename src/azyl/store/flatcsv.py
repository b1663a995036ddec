"""A fast, exact reader for the flat CSV the R `eurostat` package writes.

The mirror's `migr_asyappctza` file is 230 MB of lines such as
`A,PER,RU,F,Y18-34,ASY_APP,DE,2016,1250`: seven dimension codes, a year and a
count, sorted so that consecutive lines differ mostly in the year. DuckDB's
general CSV reader parses it no faster than pandas; this reader knows the shape
and uses it:

* zlib inflates the file in a second thread (zlib releases the GIL) while this
  thread hands each inflated block of complete lines to the series reader
  (`azyl.store.flatseries`: the compiled parser, or its numpy twin), never
  looping over lines in Python;
* a *series* is a run of lines with the same seven codes (successive years):
  only the first line of each is split into codes, numbered per dimension;
* the series then become the sparse cells below, with numpy.

Anything it does not fully understand raises `NotFlat` (a wrong comma count, a
non-digit, an empty field, an unexpected code, a duplicate cell...), and the
caller reads the file with DuckDB instead, which reports malformed lines by file
and line. So this reader is only ever an exact shortcut, never a second opinion.

The result (`FlatCells`) is sparse and lossless: the *reported* cells, grouped
by (citizen, category, geo, year) with a bitmask of the sex × age breakdowns
present, and the cells whose value is not zero. A cell absent from the file is
a ':' (not available) in this R-derived file; a present zero is a real zero;
the coverage keeps the two apart.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from azyl.store.decompress import READ_SIZE, decompressed_chunks
from azyl.store.flatchunk import NDIMS, NotFlat
from azyl.store.flatseries import CellArrays, Cells, Ids, Series, SeriesReader, compiled_cells

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

__all__ = ["ROLES", "FlatCells", "NotFlat", "read_flat"]

#: The roles of the seven dimensions: the store keeps these five and requires
#: `freq` and `unit` to be the same on every line (the R file has one of each).
ROLES = ("geo", "citizen", "sex", "age", "category")
CONSTANT = ("freq", "unit")

#: Groups a file may have: the store numbers its cells group * 64 + breakdown in 32 bits.
MAX_GROUPS = 1 << 26

#: The largest value the store keeps as a number of 32 bits (a count of people).
MAX_VALUE = (1 << 32) - 1


@dataclass(frozen=True)
class FlatCells(CellArrays):
    """One flat file, read into the sparse cell store's layout.

    `labels[role]` lists the codes of a dimension as published (`RU`, `DE`...);
    the integer columns index into them. A *group* is one (citizen, category,
    geo, year); `group_breakdowns` is a bitmask over `breakdowns`, the (sex, age)
    pairs of the file: bit `b` is set when the cell for breakdown `b` is in the
    file. `nonzero_*` are the cells whose value is not zero: their group (row
    index), breakdown bit and value. Every other reported cell is a zero.
    """

    lines: int
    labels: dict[str, list[str]]
    breakdowns: list[tuple[str, str]]
    nonzero_value: U32  # every value fits: MAX_VALUE


def read_flat(
    path: Path,
    header: Sequence[str],
    roles: dict[str, str],
    *,
    read_size: int = READ_SIZE,
    stop: threading.Event | None = None,
) -> FlatCells:
    """Read a flat file whose first line is `header`.

    `roles` maps the header's dimension names to `ROLES` (`{"asyl_app":
    "category", "geo": "geo", ...}`); the two other dimensions must be `freq` and
    `unit`. `read_size` is the compressed bytes inflated per step (tests make it
    tiny, to cut series across chunks). Raises `NotFlat` with the reason when the
    file is not exactly in the expected shape (or when `stop` is set: the caller
    no longer needs it), and `zlib.error`, `EOFError` or `OSError` when it cannot
    be read.
    """
    dims = list(header[:-2])
    if list(header[-2:]) != ["TIME_PERIOD", "values"] or len(dims) != NDIMS:
        raise NotFlat(f"unexpected columns {','.join(header)}")
    if sorted(roles) != sorted(d for d in dims if d not in CONSTANT):
        raise NotFlat(f"dimensions {dims} do not match the roles {roles}")
    if sorted(roles.values()) != sorted(ROLES):
        raise NotFlat(f"roles {roles} do not cover {ROLES}")
    reader = SeriesReader()
    for span in _line_spans(path, header, read_size, stop):
        reader.add(*span)
    return _cells(reader.finish(), dims, roles)


# --- chunks of complete lines, inflated in a second thread -------------------------------


def _line_spans(
    path: Path, header: Sequence[str], read_size: int, stop: threading.Event | None = None
) -> Iterator[tuple[bytes, int, int]]:
    """Spans `(data, start, stop)` of complete data lines (header removed), in file order.

    Each inflated block is parsed in place from its first line start to just
    after its last newline; only the line cut by a block boundary is copied,
    joined with its end, as a span of its own.
    """
    carry = b""
    skip = -1  # bytes of the header still to skip; -1 until the header line is seen
    for block in _prefetched(decompressed_chunks(path, read_size)):
        if stop is not None and stop.is_set():
            raise NotFlat("stopped: no longer needed")
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            carry += block
            continue
        begin = 0
        if skip < 0:
            head = carry + block[: block.index(b"\n") + 1]
            skip = _header_length(head, header) - len(carry)
            carry, begin = b"", skip
        elif carry:
            begin = block.index(b"\n") + 1
            yield carry + block[:begin], 0, len(carry) + begin
            carry = b""
        if begin < cut:
            yield block, begin, cut
        carry = block[max(begin, cut) :]
    if skip < 0:
        raise NotFlat("no complete header line")
    if carry:
        yield carry + b"\n", 0, len(carry) + 1  # a last line without its newline


def _header_length(data: bytes, header: Sequence[str]) -> int:
    """Bytes of the header line (newline included), after checking it is `header`."""
    end = data.index(b"\n") + 1
    line = data[:end].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n")
    if line != ",".join(header):
        raise NotFlat(f"header line {line!r} is not plain comma-separated codes")
    return end


def _prefetched(blocks: Iterator[bytes], depth: int = 16) -> Iterator[bytes]:
    """Run `blocks` in a second thread, up to `depth` chunks ahead of the consumer.

    Deep enough (16 blocks of about 3 MB) that inflating, the longest chain of the
    build, never waits for a parser that the build's other threads held back.
    """
    box: queue.Queue[bytes | BaseException | None] = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for block in blocks:
                if stop.is_set():
                    return
                box.put(block)
            box.put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(exc)
        finally:
            close = getattr(blocks, "close", None)
            if close is not None:
                close()  # closes the file now, not when the generator is collected

    worker = threading.Thread(target=produce, name="azyl-inflate", daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                box.get_nowait()
            except queue.Empty:
                worker.join(0.01)


# --- all chunks together -----------------------------------------------------------------


def _cells(series: Series, dims: list[str], roles: dict[str, str]) -> FlatCells:
    """The coverage of each (citizen, category, geo, year) and the non-zero cells."""
    for d, name in enumerate(dims):
        if name not in roles and len(series.labels[d]) != 1:
            raise NotFlat(f"{name} takes several values: {', '.join(series.labels[d])}")
    at = {role: dims.index(name) for name, role in roles.items()}
    geo, citizen, sex, age, category = (series.ids[at[role]] for role in ROLES)
    labels = {role: series.labels[at[role]] for role in ROLES}
    n_age = len(labels["age"])
    cells = compiled_cells(series, (geo, citizen, category, sex, age), n_age)
    if cells is None:
        cells = _numpy_cells(series, geo, citizen, category, sex.astype(np.int64) * n_age + age)
    used, arrays = cells
    if arrays.group_year.size > MAX_GROUPS:
        raise NotFlat(f"more than {MAX_GROUPS:,} (citizen, category, geo, year) groups")
    values = series.nonzero_value
    if values.size and int(values.max()) > MAX_VALUE:
        raise NotFlat(f"a value above {MAX_VALUE:,}")
    return FlatCells(
        **vars(arrays),
        lines=series.lines,
        labels={role: labels[role] for role in ("geo", "citizen", "category")},
        breakdowns=[(labels["sex"][b // n_age], labels["age"][b % n_age]) for b in used],
        nonzero_value=values.astype(np.uint32),
    )


def _numpy_cells(series: Series, geo: Ids, citizen: Ids, category: Ids, combination: I64) -> Cells:
    """`_cells`' arrays with numpy: the twin of the compiled parser's `cells`."""
    ymin, years, nz_series = series.year_base, series.years, series.nonzero_series
    span = int(np.bitwise_or.reduce(years)).bit_length()
    used, slot = _breakdowns(combination)
    block, block_first = _blocks(geo, citizen, category, slot)
    coverage = _coverage(years, slot, block, block_first.size, span)
    present = np.flatnonzero(coverage)
    group_of = np.zeros(coverage.size, dtype=np.uint32)
    group_of[present] = np.arange(present.size, dtype=np.uint32)
    first = block_first[present // span]
    return used.tolist(), CellArrays(
        group_year=(present % span + ymin).astype(np.int16),
        group_citizen=citizen[first].astype(np.uint16),
        group_category=category[first].astype(np.uint16),
        group_geo=geo[first].astype(np.uint16),
        group_breakdowns=coverage[present],
        nonzero_group=group_of[block[nz_series] * span + (series.nonzero_year - ymin)],
        nonzero_breakdown=slot[nz_series].astype(np.uint8),
    )


def _breakdowns(combination: I64) -> tuple[I64, I64]:
    """The (sex, age) combinations present, in order, and each series' rank among them."""
    present = np.bincount(combination) > 0
    used = np.flatnonzero(present)
    if used.size > 64:
        raise NotFlat("more than 64 sex × age breakdowns")
    rank = np.cumsum(present) - 1
    return used, rank[combination]


def _blocks(geo: Ids, citizen: Ids, category: Ids, slot: I64) -> tuple[I64, I64]:
    """Runs of series with the same (geo, citizen, category): block of each series, firsts.

    NotFlat if a block's codes come back later in the file, or a breakdown
    repeats within a block: the file is then not sorted the way this reader needs.
    """
    new = np.empty(geo.size, dtype=bool)
    new[0] = True
    np.not_equal(geo[1:], geo[:-1], out=new[1:])
    new[1:] |= citizen[1:] != citizen[:-1]
    new[1:] |= category[1:] != category[:-1]
    first = np.flatnonzero(new)
    c, g, k = (x[first].astype(np.int64) for x in (citizen, geo, category))
    key = (c * (int(geo.max()) + 1) + g) * (int(category.max()) + 1) + k
    if np.unique(key).size != first.size:
        raise NotFlat("the series of one citizenship, category and geo are not together")
    bits = np.left_shift(np.uint64(1), slot.astype(np.uint64))
    seen = np.bitwise_or.reduceat(bits, first)
    if not np.array_equal(np.bitwise_count(seen), np.diff(first, append=geo.size)):
        raise NotFlat("a series given twice")
    return np.cumsum(new) - 1, first


def _coverage(series_years: U64, slot: I64, block: I64, blocks: int, span: int) -> U64:
    """Bitmask of the breakdowns reported, per (block, year), as one array of blocks × span.

    Each series puts its bitmask of years at (its block, its breakdown); the
    coverage is the same bits read the other way, per (block, year) over the
    breakdowns: a bit-matrix transpose, done with `unpackbits` and `packbits`.
    Breakdowns are distinct within a block (checked before).
    """
    width = next(w for w in (8, 16, 32, 64) if span <= w)
    slots = (int(slot.max()) + 8) // 8 * 8
    years = np.zeros(blocks * slots, dtype=f"<u{width // 8}")
    years[block * slots + slot] = series_years
    bits = np.unpackbits(years.view(np.uint8), bitorder="little").reshape(blocks, slots, width)
    by_year = np.ascontiguousarray(bits[:, :, :span].transpose(0, 2, 1))
    packed = np.packbits(by_year.reshape(-1), bitorder="little").reshape(blocks * span, -1)
    wide = np.zeros((blocks * span, 8), dtype=np.uint8)
    wide[:, : packed.shape[1]] = packed
    return wide.view("<u8").reshape(-1)
