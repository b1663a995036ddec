"""Versioned edits of incidents and knowledge-base proposals; the registry's change counter.

Revision ID: 0005_revisions
Revises: 0004_cases
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from azyl.appdb.base import UTCDateTime

revision: str = "0005_revisions"
down_revision: str | None = "0004_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("reverted_to", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_revisions_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint(
            "record_type",
            "record_id",
            "version",
            name=op.f("uq_revisions_record_type_record_id_version"),
        ),
    )
    op.create_table(
        "kb_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fact_id", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'accepted', 'rejected')",
            name=op.f("ck_kb_proposals_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_proposals")),
    )
    op.create_index(op.f("ix_kb_proposals_fact_id"), "kb_proposals", ["fact_id"])
    op.create_index(op.f("ix_kb_proposals_status"), "kb_proposals", ["status"])
    state = op.create_table(
        "registry_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_registry_state")),
    )
    op.bulk_insert(state, [{"name": "incidents", "counter": 0}])


def downgrade() -> None:
    op.drop_table("registry_state")
    op.drop_index(op.f("ix_kb_proposals_status"), table_name="kb_proposals")
    op.drop_index(op.f("ix_kb_proposals_fact_id"), table_name="kb_proposals")
    op.drop_table("kb_proposals")
    op.drop_table("revisions")
