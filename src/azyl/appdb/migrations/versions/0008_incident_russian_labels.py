"""Incidents: the Russian of a target's pseudonymous label and of which relatives.

`target_label_ru` and `relatives_relation_ru` hold the reviewed Russian of
`target_label` and `relatives_relation`, so a Russian page names a labelled
target in Russian (the relation stays restricted, as its English is).

Revision ID: 0008_incident_russian_labels
Revises: 0007_incident_residence_russian
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_incident_russian_labels"
down_revision: str | None = "0007_incident_residence_russian"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("target_label_ru", sa.String(200), nullable=True))
        batch.add_column(sa.Column("relatives_relation_ru", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("relatives_relation_ru")
        batch.drop_column("target_label_ru")
