"""Saved cases encrypted at rest (tables added with the saved-cases work).

Revision ID: 0004_cases
Revises: 0003_audit
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0004_cases"
down_revision: str | None = "0003_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
