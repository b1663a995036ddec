"""The application database: incidents now, accounts, saved cases and the audit log later.

Application data is transactional and edited by people, so it lives in a
relational database through SQLAlchemy 2 (typed ORM), with its schema evolved
by Alembic migrations shipped inside the package. SQLite (a file in the data
directory) is the default, so a caseworker's laptop needs no server;
PostgreSQL serves a team when `AZYL_DATABASE_URL` points to one.

    engine = open_database(settings)          # connect and bring the schema up to date
    with session_scope(engine) as session:    # one transaction, committed or rolled back
        ...

Other areas add their tables by subclassing `Base` in a module listed in
`MODEL_MODULES` and adding a migration under `migrations/versions/`.
"""

from azyl.appdb.base import Base, UTCDateTime, utc_now
from azyl.appdb.engine import MODEL_MODULES, make_engine, open_database, session_scope
from azyl.appdb.migrate import current_revision, head_revision, migrate

__all__ = [
    "MODEL_MODULES",
    "Base",
    "UTCDateTime",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "open_database",
    "session_scope",
    "utc_now",
]
