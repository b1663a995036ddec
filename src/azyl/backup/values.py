"""Column values as JSON and back, exactly: dates, aware timestamps, bytes, decimals, JSON.

JSON has no date, no bytes and no decimal, so those values are written as a
one-key object naming their type (`{"$datetime": "2026-11-22T10:00:00.000001+00:00"}`).
A JSON column's own objects and lists are wrapped as `{"$json": ...}`, so that
every object in a backup row is a tag and nothing can be misread as one.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from azyl.errors import InputError


def encode(value: Any) -> Any:
    """A JSON-ready form of one column value that `decode` turns back into an equal value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"$float": repr(value)}  # keeps nan and inf, which JSON cannot
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dict | list):
        return {"$json": value}
    raise InputError(f"a column holds a {type(value).__name__}, which backups cannot store yet")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "$float": float,
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$time": dt.time.fromisoformat,
    "$bytes": lambda text: base64.b64decode(text, validate=True),
    "$decimal": Decimal,
    "$json": lambda value: value,
}


def decode(value: Any) -> Any:
    """The column value `encode` wrote."""
    if not isinstance(value, dict):
        return value
    ((tag, inner),) = value.items()
    return _DECODERS[tag](inner)
