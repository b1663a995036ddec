"""Saved cases encrypted at rest: cases, their runs, and who they are shared with.

Revision ID: 0004_cases
Revises: 0003_audit
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from azyl.appdb.base import UTCDateTime

revision: str = "0004_cases"
down_revision: str | None = "0003_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("wrapped_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_cases_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_owner_id"), "cases", ["owner_id"])
    op.create_table(
        "case_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("kb_version", sa.String(120), nullable=False),
        sa.Column("ran_at", UTCDateTime(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_runs_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_runs")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_case_runs_case_id_number")),
    )
    op.create_index(op.f("ix_case_runs_case_id"), "case_runs", ["case_id"])
    op.create_table(
        "case_shares",
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_shares_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_shares")),
    )
    op.create_index(op.f("ix_case_shares_user_id"), "case_shares", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_shares_user_id"), table_name="case_shares")
    op.drop_table("case_shares")
    op.drop_index(op.f("ix_case_runs_case_id"), table_name="case_runs")
    op.drop_table("case_runs")
    op.drop_index(op.f("ix_cases_owner_id"), table_name="cases")
    op.drop_table("cases")
