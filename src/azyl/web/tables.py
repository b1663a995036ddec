"""Sorting a listed table by a column named in the address, as Datasette does.

`?_sort=host` sorts ascending by a column, `?_sort_desc=date` descending; a
column the table does not have is an `InputError` naming the ones it has.
The same order is used for the page and for its CSV and JSON downloads, so a
download holds exactly the rows the page lists, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import failure

Row = TypeVar("Row")


@dataclass(frozen=True)
class Order:
    column: str
    descending: bool = False

    def params(self) -> dict[str, str | None]:
        """The query parameters that ask for this order (the other one removed)."""
        if self.descending:
            return {"_sort_desc": self.column, "_sort": None}
        return {"_sort": self.column, "_sort_desc": None}


def parse_order(
    sort: str | None, sort_desc: str | None, columns: Sequence[str], default: Order
) -> Order:
    """The order asked for, or the table's default; InputError for a column it does not have."""
    if sort and sort_desc:
        raise failure(
            InputError,
            N_("give either _sort or _sort_desc, not both"),
            {"parameter": "_sort", "problem": "both"},
        )
    column = sort or sort_desc
    if not column:
        return default
    if column not in columns:
        raise failure(
            InputError,
            N_("cannot sort by {column}: use one of {columns}"),
            {"parameter": "_sort", "problem": "unknown_column", "allowed": list(columns)},
            column=repr(column),
            columns=", ".join(columns),
        )
    return Order(column, descending=bool(sort_desc))


def sort_rows(
    rows: Sequence[Row], order: Order, keys: Mapping[str, Callable[[Row], Any]], tie: str
) -> list[Row]:
    """Rows by the order's column (empty values last either way), then by `tie` ascending."""
    key, tie_key = keys[order.column], keys[tie]
    by_tie = sorted(rows, key=tie_key)
    present = [r for r in by_tie if key(r) not in (None, "")]
    empty = [r for r in by_tie if key(r) in (None, "")]
    return sorted(present, key=key, reverse=order.descending) + empty
