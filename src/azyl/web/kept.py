"""Answers a process keeps: a least-recently-used table bounded by what its entries weigh.

The web app keeps what it computed from data that changes rarely (statistics,
the knowledge base, the registry until its change counter moves) under keys
that name everything the answer depends on. Requests run on many threads, so
the table is read and changed under a lock, held for a dictionary step only:
an answer is computed outside it, and two requests may compute the same one
(the second replaces the first, counted once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Kept:
    """Keeps answers until their total weight passes `limit`, then drops the oldest used."""

    def __init__(self, limit: int, weight: Callable[[Any], int] = lambda _: 1) -> None:
        self._limit = limit
        self._weight = weight
        self._table: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._table)

    def get(self, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The answer kept under `key`, computed and kept first if there is none."""
        with self._lock:
            if key in self._table:
                self._table.move_to_end(key)
                found: T = self._table[key]
                return found
        value = compute()  # outside the lock: other requests go on meanwhile
        with self._lock:
            if key in self._table:  # computed by another request meanwhile
                self._total -= self._weight(self._table[key])
            self._table[key] = value
            self._total += self._weight(value)
            while self._total > self._limit and len(self._table) > 1:
                _, dropped = self._table.popitem(last=False)
                self._total -= self._weight(dropped)
        return value
