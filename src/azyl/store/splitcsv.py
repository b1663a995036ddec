"""Split a small, regular CSV file into columns, each read once per distinct value.

The mirror's small files (UNHCR's CSV, Eurostat's old label exports and
SDMX-CSV: 386,000 lines together) repeat the same few hundred codes and labels
on every line. DuckDB's general CSV reader costs far more per line than the
bytes are worth; this splitter finds the fields of every line in one pass and
*dictionary-encodes* them: per line, the number of its field's raw bytes among
the column's distinct values. The caller decodes, unquotes and translates each
distinct value once, then hands DuckDB numpy columns.

The compiled splitter (`_splitcsv.c`, built when a C compiler is present) and
`split_numpy` give the very same `Split`. Both accept only the simple shape
(every line with the header's number of fields; a field either unquoted, without
quotes, or wholly quoted with doubled inner quotes; no line break, carriage
return or zero byte inside a field) and raise `NotSimple` otherwise; the file is
then read by DuckDB, which names malformed lines.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

try:  # the compiled twin of `split_numpy`, built at install time when a compiler is present
    from azyl.store import _splitcsv
except ImportError:  # pragma: no cover - depends on the install
    _splitcsv = None  # type: ignore[assignment]

#: Whether `split_columns` runs the compiled splitter (the benchmark reports it).
COMPILED = _splitcsv is not None

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

#: Longest number a `NUMBER` column reads (BIGINT holds 18 digits safely).
MAX_DIGITS = 18
_QUOTE, _NEWLINE, _CR, _ZERO = 34, 10, 13, 0


class NotSimple(Exception):
    """The file is not in the simple shape the splitter reads; read it another way."""


class Mode(enum.IntEnum):
    """What to do with one column."""

    SKIP = 0  #: checked for its shape, not kept
    DICT = 1  #: dictionary-encoded raw bytes (quotes included)
    NUMBER = 2  #: 1 to 18 digits, unquoted, or empty (-1)


@dataclass(frozen=True)
class Column:
    """A dictionary-encoded column: `values[codes[line]]` is the line's raw field.

    Values are numbered in order of first appearance; `first_lines[k]` is the
    0-based data line where `values[k]` first appears (file line: + 2).
    """

    codes: U32
    values: list[bytes]
    first_lines: list[int]


@dataclass(frozen=True)
class Split:
    """The columns of a file: dictionary columns and number columns, by column index."""

    lines: int
    columns: dict[int, Column]
    numbers: dict[int, I64]


def split_columns(data: bytes, start: int, modes: Sequence[Mode], delimiter: str = ",") -> Split:
    """Split `data[start:]` (complete lines after the header) into columns, one `Mode` each."""
    if len(delimiter) != 1 or delimiter in '"\r\n' or not 0 < ord(delimiter) < 128:
        raise ValueError(f"unsupported delimiter {delimiter!r}")
    if _splitcsv is None:
        return split_numpy(data, start, modes, delimiter)
    # A line holds at least one byte per field (a delimiter or its newline): a bound that
    # needs no pass over the data. The arrays hold a line's values side by side, so that
    # the memory past the lines found is never touched (nor zeroed by the kernel).
    bound = (len(data) - start) // len(modes) + 1
    dicts = [i for i, m in enumerate(modes) if m is Mode.DICT]
    numbers = [i for i, m in enumerate(modes) if m is Mode.NUMBER]
    codes = np.empty((bound, len(dicts)), dtype=np.uint32)
    values = np.empty((bound, len(numbers)), dtype=np.int64)
    outcome = _splitcsv.split_columns(
        data, start, bytes(modes), ord(delimiter), bound, codes, values
    )
    if isinstance(outcome[0], str):
        raise NotSimple(f"{outcome[0]} (data line {int(outcome[1]) + 1})")
    lines, vocab = outcome
    assert isinstance(lines, int) and isinstance(vocab, list)
    return Split(
        lines=lines,
        columns={
            i: Column(codes[:lines, k], words, firsts)
            for k, (i, (words, firsts)) in enumerate(zip(dicts, vocab, strict=True))
        },
        numbers={i: values[:lines, k] for k, i in enumerate(numbers)},
    )


def unquote(raw: bytes) -> bytes:
    """A field's bytes as read: without its quotes, inner doubled quotes single."""
    if raw[:1] == b'"':
        return raw[1:-1].replace(b'""', b'"')
    return raw


# --- the numpy twin ----------------------------------------------------------------------


def split_numpy(data: bytes, start: int, modes: Sequence[Mode], delimiter: str = ",") -> Split:
    """The same `Split` as the compiled splitter, with numpy (no Python loop over lines)."""
    a = np.frombuffer(data, dtype=np.uint8)[start:]
    if a.size and a[-1] != _NEWLINE:
        a = np.concatenate([a, np.array([_NEWLINE], dtype=np.uint8)])
    if np.any((a == _CR) | (a == _ZERO)):
        raise NotSimple("a carriage return or zero byte")
    begin, end = _fields(a, ord(delimiter), len(modes))
    _check_quotes(a, begin, end)
    columns, numbers = {}, {}
    for i, mode in enumerate(modes):
        if mode is Mode.DICT:
            columns[i] = _dictionary(a, begin[:, i], end[:, i])
        elif mode is Mode.NUMBER:
            numbers[i] = _numbers(a, begin[:, i], end[:, i])
    return Split(lines=begin.shape[0], columns=columns, numbers=numbers)


def _fields(a: npt.NDArray[np.uint8], delimiter: int, ncols: int) -> tuple[I64, I64]:
    """Start and end of every field, as (lines, ncols) arrays; NotSimple on a ragged line.

    A delimiter or newline separates fields unless it is inside quotes, that is
    after an odd number of quotes (doubled quotes keep the count's parity).
    """
    separator = (a == delimiter) | (a == _NEWLINE)
    quotes = a == _QUOTE
    if quotes.any():
        inside = (np.cumsum(quotes) & 1).astype(bool)
        if inside[-1]:
            raise NotSimple("quotes left open")
        if np.any(inside & (a == _NEWLINE)):
            raise NotSimple("a line break inside quotes")
        separator &= ~inside
    at = np.flatnonzero(separator)
    newline = a[at] == _NEWLINE
    lines = int(np.count_nonzero(newline))
    if at.size != lines * ncols or not newline[ncols - 1 :: ncols].all():
        raise NotSimple("a line with another number of fields than the header")
    begin = np.empty(at.size, dtype=np.int64)
    begin[:1] = 0
    begin[1:] = at[:-1] + 1
    return begin.reshape(lines, ncols), at.reshape(lines, ncols)


def _check_quotes(a: npt.NDArray[np.uint8], begin: I64, end: I64) -> None:
    """NotSimple unless every field with a quote is wholly quoted, inner quotes doubled."""
    q = np.flatnonzero(a == _QUOTE)
    if q.size == 0:
        return
    starts, ends = begin.reshape(-1), end.reshape(-1)
    field = np.searchsorted(starts, q, side="right") - 1
    opening = q == starts[field]
    closing = q == ends[field] - 1
    quoted = field[np.flatnonzero(np.diff(field, prepend=-1))]  # `field` never decreases
    if not (np.all(a[starts[quoted]] == _QUOTE) and np.all(a[ends[quoted] - 1] == _QUOTE)):
        raise NotSimple("a quote inside an unquoted field, or text after a closing quote")
    if np.any(ends[quoted] - starts[quoted] < 2):
        raise NotSimple("quotes left open")
    inner = q[~(opening | closing)]
    if inner.size:
        run_start = np.empty(inner.size, dtype=bool)
        run_start[0] = True
        run_start[1:] = np.diff(inner) != 1
        lengths = np.diff(np.append(np.flatnonzero(run_start), inner.size))
        if np.any(lengths % 2):
            raise NotSimple("a quote inside quotes that is not doubled")


def _words(a: npt.NDArray[np.uint8], begin: I64, end: I64) -> npt.NDArray[np.uint64]:
    """Each field's bytes, zero-padded to a whole number of 8-byte words, as (fields,
    words) little-endian integers: distinct fields have distinct rows (zero bytes were
    refused before), and a field of up to 8 bytes is a single number."""
    size = end - begin
    width = max((int(size.max()) if size.size else 0) + 7, 8) // 8 * 8
    offsets = np.arange(width, dtype=np.int64)
    index = np.minimum(begin[:, None] + offsets, a.size - 1)
    cells = np.where(offsets < size[:, None], a[index], 0).astype(np.uint8)
    return cells.view("<u8")


def _dictionary(a: npt.NDArray[np.uint8], begin: I64, end: I64) -> Column:
    """Number the distinct fields of a column in order of first appearance."""
    if begin.size == 0:
        return Column(np.empty(0, dtype=np.uint32), [], [])
    words = _words(a, begin, end)
    # Sort the fields (stably: each run of equal fields starts with its first line),
    # number the runs, then renumber them in order of first appearance.
    order = (
        np.lexsort(words.T[::-1]) if words.shape[1] > 1 else np.argsort(words[:, 0], kind="stable")
    )
    ranked = words[order]
    new = np.empty(order.size, dtype=bool)
    new[0] = True
    new[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
    first = np.sort(order[new])  # the first line of each distinct field, in file order
    number = np.empty(order.size, dtype=np.uint32)
    number[order] = np.cumsum(new) - 1  # the field's run, in sorted order
    rank = np.empty(first.size, dtype=np.uint32)
    rank[number[first]] = np.arange(first.size, dtype=np.uint32)
    return Column(
        codes=rank[number],
        values=[words[k].tobytes().rstrip(b"\0") for k in first.tolist()],
        first_lines=first.tolist(),
    )


def _numbers(a: npt.NDArray[np.uint8], begin: I64, end: I64) -> I64:
    """The digits of each field as a number, -1 for an empty field (as the compiled
    splitter reads them: 1 to 18 digits, unquoted, else NotSimple)."""
    size = end - begin
    if size.size and size.max() > MAX_DIGITS:
        raise NotSimple("a number column holding something else than 1 to 18 digits")
    values = np.zeros(size.size, dtype=np.int64)
    for k in range(int(size.max()) if size.size else 0):
        has = size > k
        digit = a[np.minimum(begin + k, a.size - 1)].astype(np.int64) - 48
        if np.any(has & ((digit < 0) | (digit > 9))):
            raise NotSimple("a number column holding something else than 1 to 18 digits")
        values = np.where(has, values * 10 + digit, values)
    values[size == 0] = -1
    return values


__all__ = [
    "COMPILED",
    "Column",
    "Mode",
    "NotSimple",
    "Split",
    "split_columns",
    "split_numpy",
    "unquote",
]
