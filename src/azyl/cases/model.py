"""The tables of saved cases (filled in with the saved-cases work)."""
