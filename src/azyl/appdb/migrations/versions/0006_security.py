"""Security review (issue 18): addresses accounts signed in from; cases held after a web reset.

Revision ID: 0006_security
Revises: 0005_revisions
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from azyl.appdb.base import UTCDateTime

revision: str = "0006_security"
down_revision: str | None = "0005_revisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_addresses",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", "address", name=op.f("pk_known_addresses")),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("cases_held_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("cases_held_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("cases_held_at")
        batch.drop_column("cases_held_by")
    op.drop_table("known_addresses")
