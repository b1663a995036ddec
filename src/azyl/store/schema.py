"""The statistics database: the publishers' datasets as plain tables.

One table per dataset, one row per published figure, with the countries as
ISO 3166-1 alpha-3 codes (Eurostat's groups such as `EU28` kept as published),
and every row stamped with the `provenance_id` of the file it came from.
`provenance` says where each file came from; `problems` keeps what the build
reported about it; `build_info` how and from what the database was built.

What reads each table (every table the build loads is read):

- `unhcr_decisions`: recognition and protection rates, the lottery, dispersion
  (`azyl.stats`), country pages, screening's destination figures;
- `unhcr_applications`: asylum applications on the country pages and in the API;
- `eurostat_asydcfsta`: Eurostat first-instance decisions beside UNHCR's;
- `eurostat_eirfs`: refusals of entry at the external borders, cited by
  screening's border findings;
- `eurostat_eirtn`: returns after an order to leave, cited by screening's
  removal findings.
"""

from __future__ import annotations

from typing import Final

#: Bumped whenever a table changes; a database of another version is rebuilt.
SCHEMA_VERSION: Final = "8"

_EUROSTAT_COLUMNS = """(
    year SMALLINT NOT NULL,
    citizen VARCHAR NOT NULL,
    geo VARCHAR NOT NULL,
    sex VARCHAR,
    age VARCHAR,
    category VARCHAR,
    extra VARCHAR,
    value BIGINT,
    flag VARCHAR,
    provenance_id INTEGER NOT NULL
)"""

DDL: Final[tuple[str, ...]] = (
    """CREATE TABLE provenance (
        id INTEGER PRIMARY KEY,
        adapter VARCHAR NOT NULL,
        publisher VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        bytes BIGINT NOT NULL,
        format VARCHAR NOT NULL,
        retrieved_at VARCHAR NOT NULL,
        licence VARCHAR NOT NULL,
        release VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        note VARCHAR NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_skipped BIGINT NOT NULL,
        loaded_at TIMESTAMP NOT NULL
    )""",
    "CREATE TABLE problems (provenance_id INTEGER, line BIGINT, problem VARCHAR NOT NULL)",
    "CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE unhcr_decisions (
        year SMALLINT NOT NULL,
        origin VARCHAR NOT NULL,
        asylum VARCHAR NOT NULL,
        procedure_type VARCHAR,
        dec_level VARCHAR,
        dec_pc VARCHAR,
        recognized INTEGER,
        complementary INTEGER,
        rejected INTEGER,
        closed INTEGER,
        total INTEGER,
        provenance_id INTEGER NOT NULL
    )""",
    """CREATE TABLE unhcr_applications (
        year SMALLINT NOT NULL,
        origin VARCHAR NOT NULL,
        asylum VARCHAR NOT NULL,
        procedure_type VARCHAR,
        app_type VARCHAR,
        dec_level VARCHAR,
        app_pc VARCHAR,
        applied INTEGER,
        provenance_id INTEGER NOT NULL
    )""",
    f"CREATE TABLE eurostat_asydcfsta {_EUROSTAT_COLUMNS}",
    f"CREATE TABLE eurostat_eirfs {_EUROSTAT_COLUMNS}",
    f"CREATE TABLE eurostat_eirtn {_EUROSTAT_COLUMNS}",
)

#: Indexes for the questions the application asks (one origin, one country of asylum).
INDEXES: Final[tuple[str, ...]] = (
    "CREATE INDEX unhcr_decisions_origin ON unhcr_decisions (origin)",
    "CREATE INDEX unhcr_decisions_asylum ON unhcr_decisions (asylum)",
    "CREATE INDEX unhcr_applications_origin ON unhcr_applications (origin)",
)
