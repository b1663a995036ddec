"""Versioned edits: every change to an incident or a knowledge-base proposal, who and when."""
