"""Versioned records: every version of an incident or a knowledge-base proposal, who and when.

    history.append(session, "incident", id, snapshot, action=..., actor=...)  a new version
    history.versions(session, "incident", id)          every version, oldest first
    history.diff(before, after) -> [Change]            field by field, readable
    counter.bump(session) / counter.read(engine)       the registry's change counter
    proposals.propose / edit_proposal / revert_proposal / decide    knowledge-base proposals

The version store knows nothing of incidents: it sits below `azyl.incidents`,
whose edits, import and seed write their versions through
`azyl.incidents.versions`. docs/editing.md describes the rules (who may edit,
versions, conflicts, proposals).
"""
