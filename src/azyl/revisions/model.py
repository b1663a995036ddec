"""The tables of versioned edits (filled in with the editing work)."""
