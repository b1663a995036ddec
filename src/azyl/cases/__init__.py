"""Saved cases: screenings kept for later, encrypted at rest (see azyl.cases.model)."""
