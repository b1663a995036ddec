"""Key rotation for saved cases: a fresh data key per case, wrapped by the new active key.

Re-wrapping alone would be enough for the new key to protect the case, but
the case would keep the data key an old keyring could unwrap from an old copy
of the database. So each case gets a new data key and its title, profile,
notes and every run are re-encrypted with it, in the same transaction as the
new wrapped key: a case is always entirely under one data key.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from azyl.cases.crypto import CaseCipher, wrap_key
from azyl.cases.model import Case, CaseRun
from azyl.vault import Vault
from azyl.vault.columns import not_under


class CaseKeys:
    """The wrapped data keys of saved cases (each protects every field of its case)."""

    name = "cases"

    def count_by_key(self, session: Session) -> Counter[str]:
        return Counter(Vault.key_id(t) for t in session.scalars(select(Case.wrapped_key)))

    def rotate_batch(self, session: Session, vault: Vault, limit: int) -> int:
        query = (
            select(Case)
            .where(not_under(Case.wrapped_key, vault.keyring.active))
            .order_by(Case.id)
            .limit(limit)
            .with_for_update()  # no re-run or erasure of these cases until the batch commits
        )
        rows = list(session.scalars(query))
        for row in rows:
            rekey(session, row, vault)
        return len(rows)


def rekey(session: Session, row: Case, vault: Vault) -> None:
    """Re-encrypt one case under a fresh data key wrapped by the active key."""
    old = CaseCipher.unwrap(row.id, row.wrapped_key, vault)
    new, key = CaseCipher.fresh(row.id)
    row.title = new.text("title", old.read_text("title", row.title))
    row.notes = new.text("notes", old.read_text("notes", row.notes))
    row.profile = new.profile(old.read_profile(row.profile))
    for run in session.scalars(select(CaseRun).where(CaseRun.case_id == row.id)):
        run.assessment = new.assessment(run.number, old.read_assessment(run.number, run.assessment))
    row.wrapped_key = wrap_key(row.id, key, vault)
