"""Versioned edits of incidents and knowledge-base proposals (tables added with the editing work).

Revision ID: 0005_revisions
Revises: 0004_cases
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005_revisions"
down_revision: str | None = "0004_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
