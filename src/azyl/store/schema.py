"""The tables of the statistics store (DuckDB), declared once.

Every data row carries `provenance_id`, the id of the `provenance` record of
the exact file (and its sha256) it was read from (a flat file's non-zero values
carry it in the high bits of their cell number, see below). Publisher tables
keep the publisher's own granularity; nothing is summed or dropped at load
time. Codes are ISO 3166-1 alpha-3 (`RUS`), except the publishers' groups and
special codes, which are kept as published (UNHCR `UNK` unknown, `XXA`
stateless; Eurostat `TOTAL`, `EU27_2020`, `STLS`...).

Bump SCHEMA_VERSION whenever a table changes: the next build then rebuilds
from scratch, and opening an older file says so instead of failing oddly.
"""

from __future__ import annotations

SCHEMA_VERSION = "7"

#: Eurostat datasets. Each has, with the publisher's geo and citizen codes as
#: read (translating 6 million codes at load time would double the build time):
#:
#: * `<name>_rows`: one row per cell, from bulk TSV, SDMX-CSV and label exports
#:   read by DuckDB's reader; `<name>_coded`, the same read by the fast readers,
#:   text as numbers into `text_values`, for the datasets in `CODED`;
#: * `<name>_coverage`, `<name>_nonzero`, `<name>_breakdowns`: the sparse form of
#:   the R package's flat CSV (see `azyl.store.flatcsv`): which cells each
#:   (citizen, category, geo, year) reports, as a bitmask over the file's sex ×
#:   age breakdowns, and the values that are not zero (keyed by one number per
#:   cell, provenance id × 2³² + group × 64 + breakdown: the provenance inside
#:   the key rather than in a column of its own, which DuckDB would write and
#:   compress 612,052 times over for the mirror's file); every other reported
#:   cell is a zero, and a cell not reported is absent, as in the file;
#: * the view `<name>_raw`: all together, one row per cell as published (the
#:   sparse part is joined in once a flat file is stored, `raw_view`);
#: * the view `<name>`: the same with geo and citizen as ISO alpha-3.
#:
#: Label-based exports are translated from their labels at load time, so their
#: rows already hold alpha-3 codes, which the view passes through.
EUROSTAT_TABLES = ("eurostat_asyappctza", "eurostat_asydcfsta", "eurostat_eirtn", "eurostat_eirfs")

#: Datasets whose fast readers store the text columns as numbers into the file's
#: `text_values` (`<dataset>_coded`), about half as costly for DuckDB to write as
#: text; the dataset's view shows the text again. Files read by DuckDB's reader go to
#: `<dataset>_rows` as text. The application queries only `unhcr_decisions` of them,
#: and not through its view: `azyl.store.queries` turns the texts it asks for into
#: each file's numbers and the numbers it gets back into text (the view's joins made
#: the rates two to four times slower).
CODED = frozenset({
    "unhcr_decisions", "unhcr_applications",
    "eurostat_asyappctza", "eurostat_eirtn", "eurostat_eirfs",
})  # fmt: skip

#: A column: name, type, comment.
Column = tuple[str, str, str]

UNHCR_DECISIONS: tuple[Column, ...] = (
    ("provenance_id", "SMALLINT NOT NULL", ""),
    ("year", "SMALLINT NOT NULL", ""),
    ("origin", "VARCHAR NOT NULL", "coo_iso"),
    ("asylum", "VARCHAR NOT NULL", "coa_iso"),
    ("origin_unhcr", "VARCHAR", "UNHCR's own code (coo)"),
    ("asylum_unhcr", "VARCHAR", "coa"),
    ("procedure_type", "VARCHAR", "G government, J joint, U UNHCR"),
    ("dec_level", "VARCHAR", "FI, NA (new applications!), FA, AR, RA, JR, ..."),
    ("dec_pc", "VARCHAR", "P persons, C cases"),
    ("recognized", "UINTEGER", "dec_recognized"),
    ("complementary", "UINTEGER", "dec_other"),
    ("rejected", "UINTEGER", "dec_rejected"),
    ("closed", "UINTEGER", "dec_closed"),
    ("total", "UINTEGER", "dec_total, as published (rounded separately)"),
)

UNHCR_APPLICATIONS: tuple[Column, ...] = (
    ("provenance_id", "SMALLINT NOT NULL", ""),
    ("year", "SMALLINT NOT NULL", ""),
    ("origin", "VARCHAR NOT NULL", ""),
    ("asylum", "VARCHAR NOT NULL", ""),
    ("origin_unhcr", "VARCHAR", ""),
    ("asylum_unhcr", "VARCHAR", ""),
    ("procedure_type", "VARCHAR", ""),
    ("app_type", "VARCHAR", ""),
    ("dec_level", "VARCHAR", ""),
    ("app_pc", "VARCHAR", ""),
    ("applied", "UINTEGER", ""),
)

#: The columns of every Eurostat dataset's rows.
EUROSTAT_COLUMNS: tuple[Column, ...] = (
    ("provenance_id", "SMALLINT NOT NULL", ""),
    ("year", "SMALLINT NOT NULL", ""),
    ("geo", "VARCHAR NOT NULL", "reporting country as published (EL, DE, EU27_2020...)"),
    ("citizen", "VARCHAR NOT NULL", "citizenship as published (RU, STLS, TOTAL...)"),
    ("sex", "VARCHAR", "Eurostat code (T, M, F, UNK) or NULL if no such dimension"),
    ("age", "VARCHAR", "Eurostat code (TOTAL, Y18-34, ...) or NULL"),
    ("category", "VARCHAR", "the dataset's measure: asyl_app, decision, c_dest, reason"),
    ("extra", "VARCHAR", "any other dimension, as name=value;name=value"),
    ("value", "BIGINT", "NULL where the publisher printed ':' (not available)"),
    ("flag", "VARCHAR", "Eurostat flags as published (p, e, d, b, c...), or NULL"),
)


def _create_table(name: str, columns: tuple[Column, ...], coded: bool = False) -> str:
    """CREATE TABLE; `coded`: text columns as numbers into `text_values`."""
    lines = []
    for k, (column, kind, comment) in enumerate(columns):
        if coded and kind.startswith("VARCHAR"):
            kind = kind.replace("VARCHAR", "UINTEGER")
            comment = f"text_values.code: {comment}" if comment else "text_values.code"
        comma = "," if k < len(columns) - 1 else ""
        lines.append(f"    {column} {kind}{comma}" + (f"  -- {comment}" if comment else ""))
    return f"CREATE TABLE {name} (\n" + "\n".join(lines) + "\n)"


def _decoded(name: str, columns: tuple[Column, ...]) -> str:
    """SELECT the rows of the coded table `name` with their text again, columns in order."""
    text = [c for c, kind, _ in columns if kind.startswith("VARCHAR")]
    select = ", ".join(f"t_{c}.text AS {c}" if c in text else f"c.{c}" for c, _, _ in columns)
    joins = " ".join(
        f"LEFT JOIN text_values t_{c} ON t_{c}.provenance_id = c.provenance_id "
        f"AND t_{c}.code = c.{c}"
        for c in text
    )
    return f"SELECT {select} FROM {name} c {joins}"


def rows_table(table: str) -> str:
    """Where DuckDB's readers put a dataset's rows, as text."""
    if table in EUROSTAT_TABLES or table in CODED:
        return f"{table}_rows"
    return table


def coded_table(table: str) -> str | None:
    """Where the fast readers put a dataset's rows, text as numbers (None: as text)."""
    return f"{table}_coded" if table in CODED else None


def _unhcr(table: str, columns: tuple[Column, ...]) -> tuple[str, ...]:
    if table not in CODED:
        return (_create_table(table, columns),)
    return (
        _create_table(f"{table}_rows", columns),
        _create_table(f"{table}_coded", columns, coded=True),
        f"CREATE VIEW {table} AS SELECT * FROM {table}_rows UNION ALL "
        f"{_decoded(f'{table}_coded', columns)}",
    )


def _eurostat(t: str) -> tuple[str, ...]:
    coded = (_create_table(f"{t}_coded", EUROSTAT_COLUMNS, coded=True),) if t in CODED else ()
    return (
        _create_table(f"{t}_rows", EUROSTAT_COLUMNS),
        *coded,
        f"""CREATE TABLE {t}_coverage (
            provenance_id SMALLINT NOT NULL,
            cell_group UINTEGER NOT NULL,   -- numbered per file, in file order
            year SMALLINT NOT NULL,
            geo USMALLINT NOT NULL,         -- eurostat_labels codes
            citizen USMALLINT NOT NULL,
            category USMALLINT NOT NULL,
            breakdowns UBIGINT NOT NULL     -- bit b set: the cell of breakdown b is reported
        )""",
        f"""CREATE TABLE {t}_nonzero (
            cell UBIGINT NOT NULL,          -- provenance_id << 32 | cell_group * 64 + breakdown
            value UINTEGER NOT NULL         -- a count of people, never zero
        )""",
        f"""CREATE TABLE {t}_breakdowns (
            provenance_id SMALLINT NOT NULL,
            breakdown UTINYINT NOT NULL,
            sex VARCHAR NOT NULL,
            age VARCHAR NOT NULL
        )""",
        raw_view(t, cells=False),
        f"""CREATE VIEW {t} AS SELECT r.provenance_id, r.year,
            coalesce(g.code, r.geo) AS geo, coalesce(c.code, r.citizen) AS citizen,
            r.sex, r.age, r.category, r.extra, r.value, r.flag
        FROM {t}_raw r
        LEFT JOIN eurostat_codes g ON g.eurostat = r.geo
        LEFT JOIN eurostat_codes c ON c.eurostat = r.citizen""",
    )


def raw_view(table: str, cells: bool) -> str:
    """The view `<table>_raw`: one row per cell as published, from every form stored.

    The rows read by DuckDB's reader (`_rows`), those of the fast readers (`_coded`,
    for the `CODED` datasets, text joined back), and, with `cells`, the sparse cells
    of a flat file expanded again. The build starts without them and switches when
    a flat file has been stored, so that datasets without one (all but
    `migr_asyappctza`) are queried without the joins that expand the cells.
    """
    t = table
    parts = [f"SELECT * FROM {t}_rows"]
    if t in CODED:
        parts.append(_decoded(f"{t}_coded", EUROSTAT_COLUMNS))
    if cells:
        parts.append(f"""SELECT c.provenance_id, c.year, g.label, z.label, b.sex, b.age, k.label,
        CAST(NULL AS VARCHAR), coalesce(v.value, 0), CAST(NULL AS VARCHAR)
    FROM {t}_coverage c
    JOIN {t}_breakdowns b ON b.provenance_id = c.provenance_id
        AND (c.breakdowns >> b.breakdown) & 1 = 1
    LEFT JOIN {t}_nonzero v
        ON v.cell = (c.provenance_id::UBIGINT << 32) | (c.cell_group * 64 + b.breakdown)
    JOIN eurostat_labels g ON g.provenance_id = c.provenance_id
        AND g.dimension = 'geo' AND g.code = c.geo
    JOIN eurostat_labels z ON z.provenance_id = c.provenance_id
        AND z.dimension = 'citizen' AND z.code = c.citizen
    JOIN eurostat_labels k ON k.provenance_id = c.provenance_id
        AND k.dimension = 'category' AND k.code = c.category""")
    return f"CREATE OR REPLACE VIEW {t}_raw AS\n" + "\nUNION ALL\n".join(parts)


DDL: tuple[str, ...] = (
    """CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE provenance (
        id SMALLINT PRIMARY KEY,
        adapter VARCHAR NOT NULL,
        publisher VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        source_path VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL,
        format VARCHAR NOT NULL,
        retrieved_at VARCHAR NOT NULL,
        licence VARCHAR NOT NULL,
        release VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        note VARCHAR NOT NULL,
        rows_loaded BIGINT,
        rows_skipped BIGINT,
        loaded_at TIMESTAMP
    )""",
    """CREATE TABLE problems (provenance_id SMALLINT, line BIGINT, problem VARCHAR)""",
    # The texts of the coded tables (`CODED`), numbered per file.
    """CREATE TABLE text_values (
        provenance_id SMALLINT NOT NULL,
        code UINTEGER NOT NULL,
        text VARCHAR NOT NULL
    )""",
    *_unhcr("unhcr_decisions", UNHCR_DECISIONS),
    *_unhcr("unhcr_applications", UNHCR_APPLICATIONS),
    """CREATE TABLE eurostat_codes (eurostat VARCHAR PRIMARY KEY, code VARCHAR NOT NULL)""",
    # The codes of a flat file's dimensions, numbered per file (`dimension` is
    # geo, citizen or category); the sparse tables hold the numbers.
    """CREATE TABLE eurostat_labels (
        provenance_id SMALLINT NOT NULL,
        dimension VARCHAR NOT NULL,
        code USMALLINT NOT NULL,
        label VARCHAR NOT NULL
    )""",
    *(ddl for t in EUROSTAT_TABLES for ddl in _eurostat(t)),
)


def physical_tables(table: str) -> tuple[str, ...]:
    """The tables that hold a dataset's rows (to delete one file's rows from)."""
    coded = (f"{table}_coded", "text_values") if table in CODED else ()
    if table in EUROSTAT_TABLES:
        parts = ("rows", "coverage", "nonzero", "breakdowns")
        return (*(f"{table}_{part}" for part in parts), *coded, "eurostat_labels")
    return (rows_table(table), *coded)


def delete_file_rows(table: str, pid: int) -> tuple[str, ...]:
    """The statements that delete the rows of the file of provenance `pid` from dataset
    `table`: by `provenance_id`, or, in a flat file's non-zero values, by the high 32
    bits of the cell number, where the provenance id is kept."""
    return tuple(
        f"DELETE FROM {t} WHERE {'cell >> 32' if t.endswith('_nonzero') else 'provenance_id'}"
        f" = {pid}"
        for t in physical_tables(table)
    )


#: The table DERIVED is computed from (as soon as its files are loaded).
DERIVED_FROM = "unhcr_decisions"

#: Built after loading: which decision levels each country of asylum reported,
#: per year and procedure type, so that the first-instance level can be chosen
#: without scanning the decisions table.
DERIVED: tuple[str, ...] = (
    # The distinct (asylum, year, procedure, level) of the coded rows first, on their
    # numbers (some 5,000 of 114,000 rows), then their text: not the view's joins per row.
    """CREATE TABLE unhcr_levels AS
        SELECT asylum, year, procedure_type, list(dec_level ORDER BY dec_level) AS levels
        FROM (
            SELECT DISTINCT asylum, year, procedure_type, dec_level FROM unhcr_decisions_rows
            UNION
            SELECT a.text, c.year, p.text, l.text
            FROM (SELECT DISTINCT provenance_id, asylum, year, procedure_type, dec_level
                  FROM unhcr_decisions_coded) c
            JOIN text_values a ON a.provenance_id = c.provenance_id AND a.code = c.asylum
            LEFT JOIN text_values p
                ON p.provenance_id = c.provenance_id AND p.code = c.procedure_type
            LEFT JOIN text_values l ON l.provenance_id = c.provenance_id AND l.code = c.dec_level
        )
        GROUP BY ALL""",
)
