"""Parse one chunk of the R package's flat CSV with numpy: no Python loop over lines.

A line is `codes,YYYY,value\\n` where `codes` is seven comma-separated codes
(the line's *series*). Per chunk of complete lines:

1. `np.flatnonzero` finds the newlines;
2. one 24-byte read per line, ending just before the newline, holds the last
   16 bytes of the codes and, for a one-digit value (nine lines in ten),
   `,YYYY,d`: one 64-bit comparison validates the commas and digits, and a few
   integer operations give the year and the value (the "SIMD within a register"
   trick). Lines with longer values are read again where their last comma is;
3. one 16-byte read at each line start holds its first codes: a line starts a
   new series when its codes differ in length or in those bytes (or, for codes
   longer than 32 bytes, in 32 more) from the previous line's;
4. only the first line of each series is split into its seven codes.

Everything unexpected raises `NotFlat`, and the file is then read by DuckDB.
This is the numpy reader; the compiled one (`_flatparse.c`, see
`azyl.store.flatseries`) gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

#: Longest value read as digits (BIGINT holds 18 digits safely).
MAX_DIGITS = 18
#: The longest code prefix (seven codes and six commas) read; longer lines fall back.
MAX_PREFIX = 64
#: The shortest code prefix this reader reads 16 bytes at a time.
MIN_PREFIX = 16
#: Zero bytes after each chunk, so that fixed-width reads near its end stay inside it.
PAD = MAX_PREFIX + 32
NDIMS = 7
_COMMA, _NEWLINE, _ZERO = 44, 10, 48


class NotFlat(Exception):
    """The file is not exactly in the shape this reader knows; read it another way."""


@dataclass(frozen=True)
class Chunk:
    """What one chunk holds; line numbers are local to the chunk.

    `series_years` is, per series, a bitmask of its years counted from
    `year_base`; `codes[d]` holds code `d` of each series as its 16 zero-padded
    bytes: the low and high 64-bit words, the high ones None when all codes
    fit in eight bytes.
    """

    lines: int
    series_line: I64
    series_years: U64
    year_base: int
    nonzero_series: I64
    nonzero_year: npt.NDArray[np.int16]
    nonzero_value: I64
    codes: list[tuple[U64, U64 | None]]


def _view(a: U8, dtype: str) -> npt.NDArray[Any]:
    """An unaligned view: element k holds the bytes of `dtype` that start at byte k.

    Gathering one 24-byte element per line costs about what gathering one byte
    does, so lines are compared and split through such views.
    """
    size = np.dtype(dtype).itemsize
    return np.ndarray((a.size - size + 1,), dtype=dtype, buffer=a.data, strides=(1,))


def _u64(value: bytes) -> np.uint64:
    return np.uint64(int.from_bytes(value, "little"))


# The 8 bytes before a newline, for a one-digit value: ",YYYY,d\n". XORing with
# ",0000,0\n" leaves 0 in the fixed bytes and 0..9 in the digit bytes exactly
# when the characters were right (XOR with '0' maps '0'..'9', and only them, to 0..9).
_EXPECT = _u64(b",0000,0\n")
_FIXED = _u64(b"\xff\0\0\0\0\xff\0\xff")
_SIX = _u64(b"\0\6\6\6\6\0\6\0")
_NIBBLE = _u64(b"\0\xf0\xf0\xf0\xf0\0\xf0\0")
# The same for the first six bytes only (",YYYY,"), for lines with longer values.
_FIXED6 = _u64(b"\xff\0\0\0\0\xff\0\0")
_SIX6 = _u64(b"\0\6\6\6\6\0\0\0")
_NIBBLE6 = _u64(b"\0\xf0\xf0\xf0\xf0\0\0\0")


def parse_chunk(chunk: bytes) -> Chunk:
    """Parse complete lines (followed by `PAD` zero bytes) into series, years and values."""
    a = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.flatnonzero(a[: a.size - PAD] == _NEWLINE)
    n = ends.size
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    codes_end = ends - 7
    tail = _view(a, "V24")[ends - 23].view("<u8").reshape(n, 3)
    x = tail[:, 2] ^ _EXPECT
    odd = np.flatnonzero((x & _FIXED) | ((x | (x + _SIX)) & _NIBBLE))
    digit = (x >> np.uint64(48)).astype(np.uint8)
    nonzero = digit != 0
    odd_values = np.empty(0, dtype=np.int64)
    if odd.size:
        odd_values, odd_end = _longer_values(a, ends[odd])
        codes_end[odd] = odd_end
        tail[odd] = _view(a, "V24")[odd_end - 16].view("<u8").reshape(odd.size, 3)
        x[odd] = tail[odd, 2] ^ _EXPECT
        if np.any((x[odd] & _FIXED6) | ((x[odd] | (x[odd] + _SIX6)) & _NIBBLE6)):
            raise NotFlat("a line that does not end in ,YYYY,<digits>")
        nonzero[odd] = odd_values != 0
    length = codes_end - starts
    if length.min() < MIN_PREFIX or length.max() > MAX_PREFIX:
        raise NotFlat("a line whose codes are shorter or longer than expected")
    years = _years(x)
    first = _series_starts(a, starts, codes_end, length, tail)
    series_years, base = _series_years(years, first)
    nz = np.flatnonzero(nonzero)
    values = digit[nz].astype(np.int64)
    if odd.size:
        values[np.searchsorted(nz, odd[odd_values != 0])] = odd_values[odd_values != 0]
    return Chunk(
        lines=n,
        series_line=first,
        series_years=series_years,
        year_base=base,
        nonzero_series=np.searchsorted(first, nz, side="right") - 1,
        nonzero_year=years[nz],
        nonzero_value=values,
        codes=_codes(a, starts[first], length[first]),
    )


def _longer_values(a: U8, ends: I64) -> tuple[I64, I64]:
    """Values of 1 to 18 digits, and where their line's codes end (5 before the comma)."""
    comma = ends - 2
    todo = np.arange(ends.size)
    for _ in range(MAX_DIGITS):
        todo = todo[a[comma[todo]] != _COMMA]
        if todo.size == 0:
            break
        comma[todo] -= 1
    else:
        raise NotFlat("a value longer than 18 digits, or a line without commas")
    digits = ends - comma - 1
    values = np.zeros(ends.size, dtype=np.int64)
    short = np.flatnonzero(digits <= 8)
    values[short] = _eight_digits(a, ends[short], digits[short])
    long = np.flatnonzero(digits > 8)
    for k in range(int(digits.max()) if long.size else 0):
        has = digits[long] > k
        digit = a[np.where(has, comma[long] + 1 + k, ends[long] - 1)] - np.uint8(_ZERO)
        if np.any(has & (digit > 9)):
            raise NotFlat("a value that is not a whole number of digits")
        values[long] = np.where(has, values[long] * 10 + digit, values[long])
    return values, comma - 5


_ZEROS = _u64(b"00000000")
_SIXES = _u64(b"\6" * 8)
_HIGHS = _u64(b"\xf0" * 8)


def _eight_digits(a: U8, ends: I64, digits: I64) -> I64:
    """Values of up to 8 digits ending before `ends`, read as one 64-bit word each.

    The bytes before the value are replaced by '0' (leading zeros); XOR with
    "00000000" then leaves 0..9 in every byte exactly when all were digits, and
    three multiplications combine them (as simdjson parses eight digits).
    """
    word: U64 = _view(a, "<u8")[ends - 8]
    low = (np.uint64(1) << ((8 - digits) * 8).astype(np.uint64)) - np.uint64(1)
    x: U64 = ((word & ~low) | (_ZEROS & low)) ^ _ZEROS
    if np.any((x | (x + _SIXES)) & _HIGHS):
        raise NotFlat("a value that is not a whole number of digits")
    x = ((x * np.uint64(2561)) >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF)
    x = ((x * np.uint64(6553601)) >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF)
    return ((x * np.uint64(42949672960001)) >> np.uint64(32)).astype(np.int64)


def _years(x: U64) -> npt.NDArray[np.int16]:
    """The year from bytes 1-4 of each validated `,YYYY,` word (digits already XORed to 0-9)."""
    digits = (x >> np.uint64(8)).astype(np.uint32)
    pairs = (digits * np.uint32(10) + (digits >> np.uint32(8))) & np.uint32(0x00FF00FF)
    return ((pairs * np.uint32(1 + (100 << 16))) >> np.uint32(16)).astype(np.int16)


def _series_starts(a: U8, starts: I64, codes_end: I64, length: I64, tail: U64) -> I64:
    """Lines whose seven codes differ from the previous line's (line 0 always starts one).

    Same length and same bytes: the first 16 and the last 16 bytes cover codes
    up to 32 bytes long; longer ones also compare bytes 16-31 and the 32 bytes
    before the last 16.
    """
    head = _view(a, "V16")[starts].view("<u8").reshape(starts.size, 2)
    new = np.empty(starts.size, dtype=bool)
    new[0] = True
    rest = new[1:]
    np.not_equal(length[1:], length[:-1], out=rest)
    for column in (head[:, 0], head[:, 1], tail[:, 0], tail[:, 1]):
        rest |= column[1:] != column[:-1]
    long = np.flatnonzero(length[1:] > 32)
    if long.size:
        here, before = long + 1, long
        pairs = _view(a, "V32")
        for at in (starts, codes_end - 32):
            mine = pairs[at[here]].view("<u8").reshape(-1, 4)
            theirs = pairs[np.maximum(at[before], 0)].view("<u8").reshape(-1, 4)
            rest[long] |= (mine != theirs).any(axis=1)
    return np.flatnonzero(new)


def _series_years(years: npt.NDArray[np.int16], first: I64) -> tuple[U64, int]:
    """Per series, a bitmask of its years from the chunk's first year; NotFlat on a repeat."""
    base = int(years.min())
    if int(years.max()) - base >= 64:
        raise NotFlat("years more than 63 apart")
    bits = np.left_shift(np.uint64(1), (years - base).astype(np.uint64))
    series_years = np.bitwise_or.reduceat(bits, first)
    if not np.array_equal(np.bitwise_count(series_years), np.diff(first, append=years.size)):
        raise NotFlat("a cell given twice (the same codes and year on two lines)")
    return series_years, base


#: LOW[k]: a mask of the k low bytes of a u64.
_LOW = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
#: BITS[k]: a mask of the k low bits of a u64.
_BITS = np.array([(1 << k) - 1 for k in range(65)], dtype=np.uint64)


def _codes(a: U8, starts: I64, length: I64) -> list[tuple[U64, U64 | None]]:
    """Split each series' first line into its seven codes, each as two u64 words.

    A zero byte inside the codes counts as a separator, so that it fails the
    comma count or the comma check: zero padding must stay unambiguous.
    """
    count = starts.size
    width = MAX_PREFIX + 16  # room to read a 16-byte code that starts near the end
    prefix = _view(a, f"V{width}")[starts].view(np.uint8)
    rows = prefix.reshape(count, width)[:, :MAX_PREFIX]
    marks = (rows == _COMMA) | (rows == 0)
    bits = np.packbits(marks, axis=1, bitorder="little").view("<u8").reshape(count)
    bits &= _BITS[length]
    if not np.all(np.bitwise_count(bits) == NDIMS - 1):
        raise NotFlat("a line without exactly eight commas")
    begin = np.empty((NDIMS, count), dtype=np.int64)
    end = np.empty((NDIMS, count), dtype=np.int64)
    begin[0] = 0
    base = np.arange(count, dtype=np.int64) * width
    for d in range(NDIMS - 1):
        lowest = bits & (~bits + np.uint64(1))
        end[d] = np.bitwise_count(lowest - np.uint64(1))  # the lowest set bit's index
        begin[d + 1] = end[d] + 1
        bits ^= lowest
    end[-1] = length
    if not np.all(prefix[base + end[:-1]] == _COMMA):
        raise NotFlat("a zero byte in a line's codes")
    size = end - begin
    if size.min() < 1 or size.max() > 16:
        raise NotFlat("an empty code, or a code longer than 16 characters")
    words = _view(prefix, "<u8")
    out: list[tuple[U64, U64 | None]] = []
    for d in range(NDIMS):
        at = base + begin[d]
        low = words[at] & _LOW[np.minimum(size[d], 8)]
        high = None
        if size[d].max() > 8:
            high = words[at + 8] & _LOW[np.clip(size[d] - 8, 0, 8)]
        out.append((low, high))
    return out
