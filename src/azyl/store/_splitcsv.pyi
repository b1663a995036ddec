# Buffers: `data` is bytes; `codes` and `numbers` writable numpy arrays (uint32, int64).
def split_columns(
    data: bytes,
    start: int,
    modes: bytes,
    delimiter: int,
    bound: int,
    codes: object,
    numbers: object,
    /,
) -> tuple[str, int] | tuple[int, list[tuple[list[bytes], list[int]]]]: ...
