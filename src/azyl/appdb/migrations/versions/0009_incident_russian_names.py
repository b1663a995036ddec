"""Incidents: a named target's name as Russian-language writing spells it.

`target_name_ru` holds a public figure's name in Cyrillic (Илья Яшин for Ilya
Yashin), so a Russian page names them as Russian readers know them; the name
as the sources write it stays in `target_name`.

Revision ID: 0009_incident_russian_names
Revises: 0008_incident_russian_labels
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_incident_russian_names"
down_revision: str | None = "0008_incident_russian_labels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("target_name_ru", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("target_name_ru")
