"""Read a publisher file's bytes, gunzipping on the fly, in large chunks.

One function, shared by the build's fast reader and by the benchmark's floor
(`bench/bench_stats.py`), so that the floor measures exactly the decompressor
the build uses. zlib releases the GIL while it inflates, so a thread running
`decompressed_chunks` keeps one core busy while another parses the previous
chunk.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

#: Compressed bytes read per step: about 3 MB of text out of the Eurostat CSV,
#: small enough for the parser to work in the processor's cache.
READ_SIZE = 1 << 18

#: zlib's window bits for a gzip header and trailer.
_GZIP = 16 + zlib.MAX_WBITS


def decompressed_chunks(path: Path, read_size: int = READ_SIZE) -> Iterator[bytes]:
    """The bytes of `path` in order, gunzipped when the name ends in `.gz`.

    Concatenated gzip members (what `cat a.gz b.gz` makes) are read as one
    stream, as `gzip` and DuckDB read them. Raises `zlib.error` for a corrupt
    file and `EOFError` for a truncated one.
    """
    with path.open("rb") as handle:
        if path.suffix != ".gz":
            while block := handle.read(read_size * 8):
                yield block
            return
        inflater, fed = zlib.decompressobj(_GZIP), False
        while block := handle.read(read_size):
            while block:
                fed = True
                out = inflater.decompress(block)
                if out:
                    yield out
                if not inflater.eof:
                    break
                block = inflater.unused_data  # the next gzip member, if any
                inflater, fed = zlib.decompressobj(_GZIP), False
        if fed and not inflater.eof:
            raise EOFError(f"{path}: the compressed file ends before its end-of-stream marker")


def decompressed_file(path: Path) -> bytes:
    """All the bytes of a small file at once: the same zlib, inflating each gzip member in
    one call, so that no list of chunks is joined (and copied) afterwards."""
    data = path.read_bytes()
    if path.suffix != ".gz":
        return data
    parts = []
    while data:
        inflater = zlib.decompressobj(_GZIP)
        parts.append(inflater.decompress(data))
        if not inflater.eof:
            raise EOFError(f"{path}: the compressed file ends before its end-of-stream marker")
        data = inflater.unused_data
    return parts[0] if len(parts) == 1 else b"".join(parts)
