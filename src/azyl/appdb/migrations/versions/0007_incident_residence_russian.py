"""Incidents: where the targeted exile lived, and Russian summaries.

`host` is the state where the act took place; `residence` is where the
targeted exile lived (relatives detained at home: host is the origin,
residence the exile's country). `mechanism_ru` and `summary_ru` hold the
reviewed Russian text.

Revision ID: 0007_incident_residence_russian
Revises: 0006_security
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_incident_residence_russian"
down_revision: str | None = "0006_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("residence", sa.String(3), nullable=True))
        batch.add_column(sa.Column("mechanism_ru", sa.Text(), nullable=True))
        batch.add_column(sa.Column("summary_ru", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("summary_ru")
        batch.drop_column("mechanism_ru")
        batch.drop_column("residence")
