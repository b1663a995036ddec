"""One severity for every pathway, finding and report: likelihood × gravity.

A step's *likelihood* says how documented and how imminent it is; the
*gravity* of a pathway is the danger documented at its end. Severity is one
function of the two (the table below, and docs/screening.md), used by every
rule, so that a finding can never claim more than the pathways it summarises,
and there is no `critical` without documented danger at the end.

    likelihood \\ gravity   grave      serious    undocumented
    imminent               critical   high       elevated
    likely                 high       high       low
    possible               elevated   elevated   low
    remote                 low        low        low
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from azyl.assess.vocabulary import GRAVITIES, LIKELIHOODS, rank

TABLE: Final[dict[tuple[str, str], str]] = {
    ("imminent", "grave"): "critical",
    ("imminent", "serious"): "high",
    ("imminent", "undocumented"): "elevated",
    ("likely", "grave"): "high",
    ("likely", "serious"): "high",
    ("likely", "undocumented"): "low",
    ("possible", "grave"): "elevated",
    ("possible", "serious"): "elevated",
    ("possible", "undocumented"): "low",
    ("remote", "grave"): "low",
    ("remote", "serious"): "low",
    ("remote", "undocumented"): "low",
}


def severity(likelihood: str, gravity: str) -> str:
    """The severity of a step of this likelihood that leads to danger of this gravity."""
    return TABLE[(likelihood, gravity)]


def least_likely(likelihoods: Iterable[str]) -> str:
    """A chain is as likely as its least likely step."""
    order = list(LIKELIHOODS)
    return max(likelihoods, key=order.index)


def at_most(likelihood: str, cap: str) -> str:
    """`likelihood`, lowered to `cap` if it is more likely than that."""
    return least_likely((likelihood, cap))


def gravest(gravities: Iterable[str]) -> str:
    order = list(GRAVITIES)
    return min(gravities, key=order.index)


def most_severe(severities: Iterable[str], default: str = "low") -> str:
    """The most serious severity of several (`default` for none)."""
    found = list(severities)
    return min(found, key=rank) if found else default
