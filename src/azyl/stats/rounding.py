"""Which UNHCR figures may be rounded, so that a page can say so beside them.

No UNHCR decision cell in the loaded release holds a count of 1, 2, 3 or 4,
while about a third of the non-zero "recognized" cells hold exactly 5
(docs/statistics.md, "Small numbers and rounding"): small counts reach the
published tables as 5. A count of 5 may therefore stand for anything from 1
to 5, and a rate built on it (5 of 5 = 100 %) is not what it seems. Pure
functions over rate rows; the pages and the API flag what they return.
"""

from __future__ import annotations

from azyl.stats.records import RateRow

#: The smallest non-zero count UNHCR's published decision tables hold.
UNHCR_SMALLEST = 5


def may_be_rounded(row: RateRow) -> bool:
    """True when a UNHCR count behind the row's rates is exactly the smallest published
    value, so the true count may be anything from 1 to it."""
    if row.source != "UNHCR":
        return False
    counts = (row.recognized, row.complementary, row.rejected)
    return any(count == UNHCR_SMALLEST for count in counts)
