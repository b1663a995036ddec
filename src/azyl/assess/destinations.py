"""How the person's nationality fares in each state that matters to the case.

The states on the route and on the pathways come first, then every Dublin state
with enough decisions for comparison, best-protecting first: the caseworker
sees at a glance where the same nationality is protected and where it is not.
Figures are the latest full year before the as-of date.
"""

from __future__ import annotations

from azyl.assess.model import Destination
from azyl.assess.screening import Screening, cell_of


def destinations(s: Screening) -> list[Destination]:
    """One row per nationality and relevant state, roles first, then comparison."""
    roles: dict[str, str] = {s.current: "current"}
    for state in s.route:
        roles.setdefault(state, "route")
    for state in sorted(s.states_on_pathways()):
        roles.setdefault(state, "pathway")
    out: list[Destination] = []
    for nationality in s.origins:
        for state, role in roles.items():
            if state in s.origins:
                continue
            rate = s.rate(nationality, state)
            out.append(Destination(nationality, state, role, cell_of(rate) if rate else None))
        comparison = [
            r
            for r in s.rates_for(nationality)
            if r.asylum not in roles
            and r.asylum in s.dublin
            and r.total_decided >= s.context.small_n
            and r.protection_rate is not None
        ]
        comparison.sort(key=lambda r: (-(r.protection_rate or 0.0), r.asylum))
        out += [Destination(nationality, r.asylum, "comparison", cell_of(r)) for r in comparison]
    return out
