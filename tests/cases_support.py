"""Builders for the saved-cases tests: accounts, a screening context, an example profile.

The context is the real knowledge base without statistics or incidents, so
that which facts are in force on a date can be read from the knowledge base
itself and compared with what a run cites.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Engine

from azyl.accounts.model import User
from azyl.accounts.roles import Role
from azyl.appdb import session_scope
from azyl.assess import Context
from azyl.assess.adapters import NoRates
from azyl.cases import Actor
from azyl.config import load_settings
from azyl.incidents.query import IncidentIndex
from azyl.kb import KnowledgeBase, load_configured_kb

#: A profile whose values the encryption tests look for in the raw database bytes.
#: A fact that enters into force between two reruns of PROFILE and bears on it: persecution
#: of anti-war Russians (confiscation of property, from 15 February 2024) is evidence of the
#: danger at the end of every pathway to Russia.
ENTERING_FACT = "persecution.rus-property-confiscation-2024"

PROFILE: dict[str, Any] = {
    "person": {"citizenship": ["RUS"], "region": "RU-CE", "profiles": ["anti_war"]},
    "route": [
        {"country": "KAZ", "role": "transit"},
        {"country": "POL", "role": "first_eu_entry", "fingerprinted": True},
    ],
    "current_country": "DEU",
    "stage": "dublin_procedure",
    "proposed_action": {"type": "dublin_transfer", "to": "POL"},
    "as_of": "2024-05-01",
}


@cache
def knowledge_base() -> KnowledgeBase:
    return load_configured_kb(load_settings({}))


@cache
def context() -> Context:
    kb = knowledge_base()
    return Context(
        facts=tuple(kb.facts.values()),
        kb_version=kb.version.label,
        rates=NoRates(),
        incidents=IncidentIndex(()),
    )


def add_user(engine: Engine, username: str, role: Role = Role.CASEWORKER) -> Actor:
    """An account (no usable password: the library tests never sign in) as an Actor."""
    with session_scope(engine) as session:
        user = User(username=username, display_name=username, role=role.value,
                    password_hash="not-a-hash", disabled=False)  # fmt: skip
        session.add(user)
        session.flush()
        return Actor.of(user, "192.0.2.1")
