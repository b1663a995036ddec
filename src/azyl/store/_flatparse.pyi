# Buffers: any object with the buffer protocol (bytes for `data`, writable numpy arrays after).
def parse_lines(
    data: object,
    start: int,
    stop: int,
    bound: int,
    series_line: object,
    series_years: object,
    nonzero_series: object,
    nonzero_year: object,
    nonzero_value: object,
    codes: object,
    /,
) -> tuple[str] | tuple[int, int, int, int, int]: ...
