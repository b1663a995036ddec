"""Versioned edits: every change to an incident or a knowledge-base proposal, who and when.

    history.append(session, "incident", id, snapshot, action=..., actor=...)  a new version
    history.versions(session, "incident", id)          every version, oldest first
    history.diff(before, after) -> [Change]            field by field, readable
    incidents.create_incident / update_incident / revert_incident   the registry's edits
    proposals.propose / edit_proposal / revert_proposal / decide    knowledge-base proposals
    counter.bump(session) / counter.read(engine)       the registry's change counter

This package imports nothing at its top level, so `azyl.incidents` (seed and
import) can record versions without an import cycle. docs/editing.md
describes the rules (who may edit, versions, conflicts, proposals).
"""
