"""Small, hand-written incident documents for tests (not taken from the seed).

`doc(**changes)` is one valid incident in the nested document form; tests
change the one field they are about. The knowledge-base source it cites and
its quote are real (seed 001), so the same documents pass quote checks.
"""

from __future__ import annotations

import copy
from typing import Any

KB_SOURCE = "fpc-closing-the-door-2017"
KB_QUOTE = "On 15 June 2015, Belarusian authorities detained Shabnam Khudoydodova"

_BASE: dict[str, Any] = {
    "id": "test-incident",
    "date": "2015-06-15",
    "date_precision": "day",
    "origin": "TJK",
    "origin_region": None,
    "host": "BLR",
    "host_region": None,
    "target": {"name": None, "label": "Test target", "profiles": ["political_activist"]},
    "relatives_targeted": False,
    "relatives_relation": None,
    "tactics": ["extradition_request", "detention"],
    "outcome": "released",
    "mechanism": "Detained at the origin state's request.",
    "summary": "A test incident.",
    "sources": [{"source": KB_SOURCE, "pinpoint": "fn 86", "quote": KB_QUOTE}],
    "confidence": "medium",
    "visibility": "public",
    "notes": None,
}


def doc(**changes: Any) -> dict[str, Any]:
    """A valid incident document with some top-level fields changed."""
    result = copy.deepcopy(_BASE)
    result.update(copy.deepcopy(changes))
    return result


def target(name: str | None = None, label: str | None = None, *profiles: str) -> dict[str, Any]:
    """A target sub-document."""
    return {"name": name, "label": label, "profiles": list(profiles)}
