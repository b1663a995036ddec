# The parser is an opaque capsule; the arrays come back as read-only memoryviews of
# the parser's own memory (numpy views them with frombuffer), None when empty; see
# _flatparse.c.
from typing import Any

import numpy.typing as npt

def new() -> object: ...
def add(parser: object, data: bytes, start: int, stop: int, /) -> str | None: ...
def finish(
    parser: object, /
) -> tuple[
    int,
    int,
    int,
    memoryview | None,
    memoryview | None,
    memoryview | None,
    memoryview | None,
    memoryview | None,
    list[bytes],
]: ...
def cells(
    years: npt.NDArray[Any],
    geo: npt.NDArray[Any],
    citizen: npt.NDArray[Any],
    category: npt.NDArray[Any],
    sex: npt.NDArray[Any],
    age: npt.NDArray[Any],
    n_age: int,
    nonzero_series: npt.NDArray[Any],
    nonzero_year: npt.NDArray[Any],
    year_base: int,
    /,
) -> (
    tuple[
        list[int],
        memoryview | None,
        memoryview | None,
        memoryview | None,
        memoryview | None,
        memoryview | None,
        memoryview | None,
        memoryview | None,
    ]
    | str
    | None
): ...
