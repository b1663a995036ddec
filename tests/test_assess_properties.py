"""The severity model's invariants, on generated cases (hypothesis).

For any knowledge base and any case, the screening must be coherent:

- the summary's headline is the most severe item in the report;
- a finding derived from steps is never more severe than the most severe pathway
  through those steps (and is low when no pathway goes through them);
- there is no critical item without documented grave danger at its end;
- every pathway is simple, at most MAX_HOPS long, as likely as its least likely step
  (or less, when its danger rests on stale evidence), and its severity is the table's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assess_support import Incident, context, fact
from azyl.assess import assess, parse_case
from azyl.assess.graph import MAX_HOPS
from azyl.assess.rules.removal_findings import MECHANISM_CODES
from azyl.assess.severity import TABLE, least_likely, most_severe
from azyl.assess.vocabulary import rank
from azyl.errors import CaseProfileError

STATES = ["DEU", "POL", "HRV", "BLR", "KAZ", "ARM", "TUR"]
ORIGINS = ["RUS", "TJK"]
KINDS = [
    "deportation_practice",
    "extradition_cooperation",
    "unsafe_for_profile",
    "persecution_practice",
    "safe_third_country_designation",
    "border_access_restriction",
    "readmission_agreement",
    "dublin_practice",
    "detention_conditions",
    "ipa_practice",
    "family_reprisal_practice",
]
PROFILES = ["deserter", "journalist", "lgbti"]
STEP_CODES = {*MECHANISM_CODES.values(), "direct_return", "deportation_to_unsafe_third_country"}


@st.composite
def facts(draw: st.DrawFn) -> list[Any]:
    found = []
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(KINDS))
        actor = draw(st.sampled_from([*STATES, *ORIGINS, "EU"]))
        subject = draw(st.lists(st.sampled_from(STATES + ORIGINS), max_size=2, unique=True))
        confirmed = draw(st.sampled_from([None, date(2016, 6, 1), date(2024, 6, 1)]))
        profiles = draw(st.lists(st.sampled_from(PROFILES), max_size=1))
        found.append(fact(f"x.f{i}", kind, actor, subject, confirmed=confirmed, profiles=profiles))
    return found


@st.composite
def incidents(draw: st.DrawFn) -> list[Incident]:
    found = []
    for i in range(draw(st.integers(0, 4))):
        tactic = draw(st.sampled_from(["rendition", "abduction", "threat", "extradition"]))
        stage = "on_notice" if tactic == "threat" else "rendered_or_attacked"
        found.append(
            Incident(
                f"inc-{i}",
                draw(st.sampled_from([date(2015, 1, 1), date(2023, 1, 1)])),
                draw(st.sampled_from(ORIGINS)),
                draw(st.sampled_from(STATES)),
                (tactic,),
                stage,
                target_profiles=tuple(draw(st.lists(st.sampled_from(PROFILES), max_size=1))),
            )
        )
    return found


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    origin = draw(st.sampled_from(ORIGINS))
    current = draw(st.sampled_from(STATES))
    route = draw(st.lists(st.sampled_from(STATES), max_size=3, unique=True))
    route = [s for s in route if s != current]
    steps = [
        {"country": s, "fingerprinted": draw(st.booleans()), "documents": draw(
            st.lists(st.sampled_from(["visa", "residence_permit", "passport"]), max_size=1))}
        for s in route
    ]  # fmt: skip
    data: dict[str, Any] = {
        "as_of": draw(st.sampled_from(["2017-06-01", "2025-06-01", "2026-09-01"])),
        "person": {
            "citizenship": [origin],
            "profiles": draw(st.lists(st.sampled_from(PROFILES), max_size=2, unique=True)),
            "wanted": draw(
                st.lists(st.sampled_from(["criminal_case", "interpol_red_notice"]), max_size=1)
            ),
            "relatives_in_origin": draw(st.booleans()),
            "public_profile": draw(st.booleans()),
        },
        "route": steps,
        "current_country": current,
        "stage": draw(
            st.sampled_from(
                [
                    "at_border",
                    "dublin_procedure",
                    "first_instance",
                    "rejected",
                    "removal_ordered",
                    "protected",
                ]
            )
        ),
    }
    if draw(st.booleans()):
        target = draw(st.sampled_from([*STATES, origin]))
        kind = "return_to_origin" if target == origin else "deportation"
        data["proposed_action"] = {"type": kind, "to": target}
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), facts(), incidents())
def test_the_report_is_coherent_whatever_the_case(
    data: dict[str, Any], kb: list[Any], registry: list[Incident]
) -> None:
    try:
        profile = parse_case(data)
    except CaseProfileError:
        assume(False)
        return
    result = assess(profile, context(kb, incidents=registry))
    every = [f.severity for f in result.findings] + [p.severity for p in result.pathways]
    assert result.summary.headline == most_severe(every)

    # Findings read all pathways; the report lists the first twelve, ranked by severity.
    for f in result.findings:
        if f.code in STEP_CODES and f.code != "deportation_to_unsafe_third_country":
            pair = f.states
            through = [
                p.severity
                for p in result.pathways
                if pair in {(h.source, h.target) for h in p.hops}
            ]
            if through:
                assert rank(f.severity) >= rank(most_severe(through)), (f.code, f.severity)
            elif len(result.pathways) < 12:
                assert f.severity == "low", (f.code, pair)
        if f.severity == "critical":
            assert f.gravity == "grave", f.code

    for p in result.pathways:
        assert len(set(p.states)) == len(p.states) and len(p.hops) <= MAX_HOPS
        weakest = least_likely(h.likelihood for h in p.hops)
        assert least_likely([p.likelihood, weakest]) == p.likelihood  # never more likely
        assert p.severity == TABLE[(p.likelihood, p.danger.gravity)]
        if p.severity == "critical":
            assert p.danger.gravity == "grave"
