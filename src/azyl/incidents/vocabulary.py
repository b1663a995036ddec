"""Closed vocabularies of the incident registry, declared once.

Tactics follow the three stages of the Central Asian Political Exiles (CAPE)
database described in seed 001 (Lemon, Furstenberg and Heathershaw): exiles
are first put "on notice" (threats, wanted lists, INTERPOL notices, pressure on
relatives), then detained abroad, then rendered back or attacked. An incident's
stage is derived from its tactics: the furthest stage any tactic reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

#: CAPE stages in escalating order.
STAGES: Final[dict[str, str]] = {
    "on_notice": "Threatened, watched, listed as wanted, or pressured through relatives.",
    "detained": "Arrested or detained abroad, usually at the origin state's request.",
    "rendered_or_attacked": (
        "Extradited, deported, abducted or rendered home, or physically attacked."
    ),
}

#: Tactics, each with the CAPE stage it reaches and a definition.
TACTICS: Final[dict[str, tuple[str, str]]] = {
    "threat": ("on_notice", "Threats or intimidation of the target."),
    "surveillance": ("on_notice", "Watching, following or tracking the target abroad."),
    "family_reprisal": ("on_notice", "Detention, threats or punishment of relatives at home."),
    "wanted_list": ("on_notice", "Placement on a national or interstate wanted list."),
    "interpol_red_notice": ("on_notice", "An INTERPOL Red Notice requested by the origin state."),
    "interpol_diffusion": ("on_notice", "An INTERPOL diffusion sent by the origin state."),
    "regional_alert": ("on_notice", "An alert through CIS or SCO channels."),
    "extradition_request": ("on_notice", "A formal request to extradite the target."),
    "digital_attack": ("on_notice", "Hacking, phishing or doxxing of the target."),
    "passport_confiscation": ("on_notice", "Confiscation or invalidation of passports."),
    "property_seizure": ("on_notice", "Seizure of the target's or relatives' property."),
    "entry_ban": ("on_notice", "A ban on entering the territory (e.g. from occupied Crimea)."),
    "trial_in_absentia": ("on_notice", "A trial or conviction in the target's absence."),
    "detention": ("detained", "Arrest or detention of the target abroad."),
    "extradition": ("rendered_or_attacked", "Formal extradition to the origin state."),
    "deportation": ("rendered_or_attacked", "Deportation or expulsion towards the origin state."),
    "rendition": ("rendered_or_attacked", "Informal handover to the origin state's agents."),
    "abduction": ("rendered_or_attacked", "Kidnapping of the target."),
    "assault": ("rendered_or_attacked", "Physical attack on the target."),
    "assassination": ("rendered_or_attacked", "Killing or attempted killing of the target."),
    "disappearance": ("rendered_or_attacked", "The target disappeared after contact with agents."),
}

#: What became of the target, as far as the sources say.
OUTCOMES: Final[dict[str, str]] = {
    "released": "Freed after detention.",
    "extradited": "Extradited to the origin state.",
    "deported": "Deported or expelled.",
    "rendered": "Handed over informally to the origin state.",
    "disappeared": "Whereabouts unknown after the incident.",
    "killed": "Killed.",
    "imprisoned": "Imprisoned (in the host or origin state).",
    "protected": "Granted asylum or another protection.",
    "returned_under_pressure": "Returned home under pressure.",
    # Added for the Crimea cases of seed 001 (Andreyuk & Gliesche): residents deported
    # from, or banned from re-entering, occupied Crimea are neither returned nor protected.
    "displaced": "Driven out of, or barred from returning to, the place where they lived.",
    "ongoing": "The situation continued when the source was written.",
    "unknown": "The sources do not say.",
}

#: Who may see an incident.
VISIBILITY: Final[dict[str, str]] = {
    "public": "Shown to anyone and included in public exports.",
    "restricted": "Shown only to signed-in team members; left out of public exports.",
}

#: How precisely an incident's date is known. For `month` and `year` the date is the
#: first day of the period. `before` is for incidents a source reports without dating
#: them (seed 001 dates Red Notices and reprisals only by the article that reported
#: them): the date is the latest day the source implies, usually its own date.
DATE_PRECISION: Final[tuple[str, ...]] = ("day", "month", "year", "before")


def stage_of(tactics: Iterable[str]) -> str:
    """The CAPE stage reached: the furthest stage of any tactic used."""
    order = list(STAGES)
    reached = [order.index(TACTICS[t][0]) for t in tactics]
    if not reached:
        raise ValueError("an incident needs at least one tactic to have a stage")
    return order[max(reached)]


#: Freedom House's categories of physical transnational repression, as its reports name
#: them: "detention, assault, physical intimidation, unlawful deportation, rendition, or
#: suspected assassination" (Out of Sight, Not Out of Reach, 2021, summary, para. 2) and
#: "assassinations, abductions, assaults, detentions, and unlawful deportations" (its
#: statement on the 2024 data, 6 February 2025, para. 3). Only Freedom House's inclusion
#: criteria were read (physical reach by the origin state, documentation, victims tied to
#: it), not its definition of each category, so tactics map by name within those criteria
#: (docs/incidents.md, "What Freedom House counts").
FREEDOM_HOUSE: Final[dict[str, str]] = {
    "assassination": "Assassination or attempt (Freedom House: suspected assassination).",
    "assault": "Assault.",
    "detention": "Detention.",
    "rendition": "Rendition.",
    "abduction": "Abduction (a category of Freedom House's 2024 data).",
    "deportation": (
        "Deportation: Freedom House counts unlawful deportations only; azyl's count "
        "includes every deportation towards the origin state in the registry."
    ),
}
#: The Freedom House category each azyl tactic counts under; tactics absent here are not
#: physical in Freedom House's sense, or have no category of that name (extradition,
#: disappearance, threat).
TACTIC_FREEDOM_HOUSE: Final[dict[str, str]] = {
    "assassination": "assassination",
    "assault": "assault",
    "detention": "detention",
    "rendition": "rendition",
    "abduction": "abduction",
    "deportation": "deportation",
}
