"""Alembic environment: runs migrations on the engine azyl hands over.

`azyl.appdb.migrate` passes the engine in `config.attributes`; when Alembic's
own command line runs this file (developers autogenerating a revision), the
database comes from azyl's settings instead.
"""

from __future__ import annotations

from alembic import context

from azyl.appdb.base import Base
from azyl.appdb.engine import import_models, make_engine
from azyl.config import load_settings

import_models()
config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(load_settings().database)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("azyl runs migrations online only (against a database)")
run_migrations_online()
