"""The floor of the statistics build: every input byte decompressed and read, nothing else.

A module of its own, importing only the build's reader, so that the benchmark's
fresh child processes can measure it without importing pandas with the rest of
`bench_stats`.
"""

from __future__ import annotations

from azyl.sources import SourceFile
from azyl.store.decompress import decompressed_chunks


def floor(files: list[SourceFile]) -> int:
    """Decompress and read every byte of every input, as the build's reader does."""
    total = 0
    for f in files:
        for block in decompressed_chunks(f.path):
            total += len(block)
    return total
