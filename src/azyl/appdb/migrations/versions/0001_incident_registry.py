"""The incident registry: incidents with their tactics, target profiles and sources.

Revision ID: 0001_incident_registry
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from azyl.appdb.base import UTCDateTime

revision: str = "0001_incident_registry"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(3), nullable=False),
        sa.Column("origin_region", sa.String(8), nullable=True),
        sa.Column("host", sa.String(3), nullable=True),
        sa.Column("host_region", sa.String(8), nullable=True),
        sa.Column("target_name", sa.String(200), nullable=True),
        sa.Column("target_label", sa.String(200), nullable=True),
        sa.Column("relatives_targeted", sa.Boolean(), nullable=False),
        sa.Column("relatives_relation", sa.String(200), nullable=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("mechanism", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(8), nullable=False),
        sa.Column("visibility", sa.String(12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("seed_digest", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "target_name IS NOT NULL OR target_label IS NOT NULL",
            name=op.f("ck_incidents_target_named_or_labelled"),
        ),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year', 'before')",
            name=op.f("ck_incidents_date_precision_known"),
        ),
        sa.CheckConstraint(
            "visibility IN ('public', 'restricted')", name=op.f("ck_incidents_visibility_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_date"), "incidents", ["date"])
    op.create_index(op.f("ix_incidents_date_end"), "incidents", ["date_end"])
    op.create_index(op.f("ix_incidents_host"), "incidents", ["host"])
    op.create_index(op.f("ix_incidents_stage"), "incidents", ["stage"])
    op.create_index(op.f("ix_incidents_visibility"), "incidents", ["visibility"])
    op.create_index("ix_incidents_origin_host", "incidents", ["origin", "host"])

    op.create_table(
        "incident_tactics",
        sa.Column("incident_id", sa.String(120), nullable=False),
        sa.Column("tactic", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_tactics_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "tactic", name=op.f("pk_incident_tactics")),
    )
    op.create_index(op.f("ix_incident_tactics_tactic"), "incident_tactics", ["tactic"])

    op.create_table(
        "incident_profiles",
        sa.Column("incident_id", sa.String(120), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_profiles_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "profile", name=op.f("pk_incident_profiles")),
    )
    op.create_index(op.f("ix_incident_profiles_profile"), "incident_profiles", ["profile"])

    op.create_table(
        "incident_sources",
        sa.Column("incident_id", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(120), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("pinpoint", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "source_id IS NOT NULL OR url IS NOT NULL",
            name=op.f("ck_incident_sources_kb_source_or_url"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_sources_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "position", name=op.f("pk_incident_sources")),
    )


def downgrade() -> None:
    op.drop_table("incident_sources")
    op.drop_index(op.f("ix_incident_profiles_profile"), table_name="incident_profiles")
    op.drop_table("incident_profiles")
    op.drop_index(op.f("ix_incident_tactics_tactic"), table_name="incident_tactics")
    op.drop_table("incident_tactics")
    for name in ("origin_host", "visibility", "stage", "host", "date_end", "date"):
        op.drop_index(f"ix_incidents_{name}", table_name="incidents")
    op.drop_table("incidents")
