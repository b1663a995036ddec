"""The definitions every rate output carries in its metadata (and docs/statistics.md)."""

from __future__ import annotations

from azyl.store.queries import FIRST_INSTANCE_LEVELS

#: Why the latest UNHCR year is marked (the mirror's PROVENANCE.md: "2025 figures are the
#: latest vintage and may be provisional"): a year is first published in the release that ends
#: with it, and the next release can revise it.
PROVISIONAL = (
    "true for UNHCR rows of the latest year in the loaded release: the first figures "
    "published for that year, which the next release may revise; cite them as provisional"
)

DEFINITIONS: dict[str, str] = {
    "recognition_rate": "recognized / (recognized + complementary + rejected)",
    "protection_rate": "(recognized + complementary) / (recognized + complementary + rejected)",
    "closed_share": "closed / (recognized + complementary + rejected + closed)",
    "total_decided": "recognized + complementary + rejected (closed cases are never counted)",
    "eurostat_protection_rate": "TOTAL_POS / TOTAL (migr_asydcfsta, first instance); "
    "recognized = GENCONV, complementary = TOTAL_POS - GENCONV, rejected = REJECTED; "
    "TOTAL = TOTAL_POS + REJECTED where the file has no TOTAL row",
    "interval": "Wilson score interval, 95% (z = 1.959964), on total_decided",
    "small_n": "true when total_decided is below the small-number threshold",
    "may_be_rounded": "true for UNHCR rows where recognized, complementary or rejected is "
    "exactly 5: UNHCR's tables hold no count of 1 to 4, so such a count may be 1 to 5",
    "unhcr_level": "per country of asylum, year and procedure type, the first of "
    + ", ".join(FIRST_INSTANCE_LEVELS)
    + " (first instance; new applications; first instance and appeal combined) that the "
    "country reported for any origin that year; procedure types (government, joint, UNHCR) "
    "are summed; decision_level lists the level(s) used",
    "basis": "UNHCR counts persons (P) or cases (C); 'persons+cases' marks a sum of both",
    "sources": "UNHCR and Eurostat figures are shown side by side with their source, "
    "never merged or averaged",
    "provisional": PROVISIONAL,
}
