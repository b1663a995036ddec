"""Moving a finished database into place: atomically, without waiting for the old one to go.

`os.replace` over an existing file frees the old file's blocks inside the rename.
On a filesystem mounted with `discard` (the benchmark machine's ext4 is) that is
5-7 ms of waiting for the disk to trim the 20 MB of the previous database, at
the very end of a build whose new database is already complete. So the previous
file first gets a second name (a hard link, which costs nothing), the rename
then only drops a name, and a thread of its own deletes the second name
afterwards. The thread is not a daemon: a command that exits right after the
build still deletes the file. Where hard links are not possible, a plain
`os.replace`. A second name left behind by a process that was killed is
deleted by the next build (`stale`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import threading
from pathlib import Path

__all__ = ["put_in_place", "stale"]

_numbers = itertools.count(1)


def put_in_place(built: Path, target: Path) -> threading.Thread | None:
    """Replace `target` with `built` (atomically); the thread deleting the previous
    `target`, if there was one and it could be given a second name."""
    previous = _second_name(target)
    os.replace(built, target)
    if previous is None:
        return None
    thread = threading.Thread(target=_delete, args=(previous,), name="azyl-previous-db")
    thread.start()
    return thread


def stale(target: Path, name: str) -> int | None:
    """The process id in `name` when it is one of the files a build of `target` leaves
    while it runs (`.stats.duckdb.<pid>.building`, `.wal`, `.<pid>.<n>.previous`)."""
    prefix = re.escape(f".{target.name}.")
    match = re.match(prefix + r"(\d+)\.(?:building(?:\.wal)?|\d+\.previous)$", name)
    return int(match.group(1)) if match else None


def _second_name(target: Path) -> Path | None:
    """A hard link to `target` (None when there is no `target` or no link can be made)."""
    previous = target.with_name(f".{target.name}.{os.getpid()}.{next(_numbers)}.previous")
    try:
        os.link(target, previous)
    except OSError:  # no previous database, or a filesystem without hard links
        return None
    return previous


def _delete(path: Path) -> None:
    with contextlib.suppress(OSError):  # gone already, or not ours to delete: nothing lost
        path.unlink()
