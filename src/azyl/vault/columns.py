"""Vault tokens in database columns: which rows a key did not encrypt (for rotation's batches).

A token names the key that made it (`azyl1.<key id>.…`), so "not yet under the
active key" is a prefix test the database can answer with an index; the
areas that keep encrypted values (`cases.rotation`, `accounts.rotation`) use
it to pick their next batch.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from azyl.vault.cipher import PREFIX


def not_under(column: InstrumentedAttribute[Any], key_id: str) -> ColumnElement[bool]:
    """SQL: the token in `column` was not made with `key_id`."""
    return ~column.startswith(f"{PREFIX}.{key_id}.", autoescape=True)
