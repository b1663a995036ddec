"""Which facts hold on a date, for a state, a kind of practice and a person.

The semantics, which the screening engine and every surface share:

- **In force.** A fact is in force on D when `valid_from <= D` and either it
  has no `valid_until` or `D <= valid_until` (both ends count).
- **Concerns a state.** A fact concerns state X when X is its actor or one of
  its subjects. The EU stands for its members: a fact whose actor (or subject)
  is `EU` also concerns every state that is an EU member on D. Without a date
  (`find_facts(on=None)`), it concerns every state that was a member at some
  time while the fact was in force. Asking for `EU` itself matches facts that
  name the EU, not facts of its member states.
- **actor= / subject=** are the same test narrowed to one role.
- **Applies to a person.** In `applies_to`, an empty list means "everyone"
  on that axis. `nationality=N` keeps facts whose nationalities are empty or
  contain N; `region=` and `profile=` work the same way on regions and
  profiles. An attribute not given does not filter.

Results are sorted by fact id, so the same question always gives the same
list in the same order. Inputs are validated (unknown kinds and profiles
raise `InputError` naming the allowed values; states accept ISO alpha-2,
alpha-3, English names and the organisation codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from azyl import countries
from azyl.errors import InputError, UnknownCountry
from azyl.kb.model import Fact, KnowledgeBase
from azyl.kb.vocabulary import FACT_KINDS, PROFILES


def facts_in_force(
    kb: KnowledgeBase,
    on: date,
    *,
    state: str | None = None,
    kind: str | None = None,
    nationality: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    actor: str | None = None,
    subject: str | None = None,
) -> list[Fact]:
    """The facts in force on `on` that match every filter given, sorted by id."""
    return find_facts(
        kb,
        on=on,
        state=state,
        kind=kind,
        nationality=nationality,
        region=region,
        profile=profile,
        actor=actor,
        subject=subject,
    )


def find_facts(
    kb: KnowledgeBase,
    *,
    on: date | None = None,
    state: str | None = None,
    kind: str | None = None,
    nationality: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    actor: str | None = None,
    subject: str | None = None,
) -> list[Fact]:
    """Like `facts_in_force`, but `on=None` keeps facts of every period."""
    query = Query.build(
        on=on,
        state=state,
        kind=kind,
        nationality=nationality,
        region=region,
        profile=profile,
        actor=actor,
        subject=subject,
    )
    return select(kb, query)


def select(kb: KnowledgeBase, query: Query) -> list[Fact]:
    """The facts matching an already validated query, sorted by id."""
    return sorted((f for f in kb.facts.values() if query.matches(f)), key=lambda f: f.id)


def state_code(text: str) -> str:
    """An organisation code (EU, INTERPOL...) as is, or a country as ISO alpha-3."""
    if text.strip().upper() in countries.ORGANISATIONS:
        return text.strip().upper()
    try:
        return countries.alpha3(text)
    except UnknownCountry as exc:
        organisations = ", ".join(countries.ORGANISATIONS)
        raise UnknownCountry(
            f"{exc.message} (organisation codes: {organisations})", exc.details
        ) from None


def region_code(text: str) -> str:
    """An ISO 3166-2 code in canonical (upper) case; InputError otherwise."""
    code = text.strip().upper()
    if not countries.is_region(code):
        raise InputError(f"unknown region {text!r}: use an ISO 3166-2 code such as RU-CE or UA-43")
    return code


def check_choice(value: str, vocab: dict[str, str], what: str) -> str:
    """A vocabulary term, or InputError naming every allowed term."""
    if value not in vocab:
        raise InputError(f"unknown {what} {value!r}; allowed: {', '.join(vocab)}")
    return value


@dataclass(frozen=True)
class Query:
    """A validated question to the knowledge base (codes already canonical)."""

    on: date | None = None
    state: str | None = None
    kind: str | None = None
    nationality: str | None = None
    region: str | None = None
    profile: str | None = None
    actor: str | None = None
    subject: str | None = None

    @classmethod
    def build(
        cls,
        *,
        on: date | None = None,
        state: str | None = None,
        kind: str | None = None,
        nationality: str | None = None,
        region: str | None = None,
        profile: str | None = None,
        actor: str | None = None,
        subject: str | None = None,
    ) -> Query:
        """Validate and canonicalise user input (`Russia` -> RUS, `ru-ce` -> RU-CE)."""
        return cls(
            on=on,
            state=state_code(state) if state else None,
            kind=check_choice(kind, FACT_KINDS, "fact kind") if kind else None,
            nationality=countries.alpha3(nationality) if nationality else None,
            region=region_code(region) if region else None,
            profile=check_choice(profile, PROFILES, "profile") if profile else None,
            actor=state_code(actor) if actor else None,
            subject=state_code(subject) if subject else None,
        )

    def matches(self, fact: Fact) -> bool:
        if self.on is not None and not fact.in_force(self.on):
            return False
        if self.kind is not None and fact.kind != self.kind:
            return False
        if not fact.applies_to.admits(self.nationality, self.region, self.profile):
            return False
        if self.actor is not None and not self._names(fact, (fact.actor,), self.actor):
            return False
        if self.subject is not None and not self._names(fact, fact.subject, self.subject):
            return False
        return self.state is None or self._names(fact, fact.states, self.state)

    def _names(self, fact: Fact, codes: tuple[str, ...], wanted: str) -> bool:
        """True when one of `codes` is `wanted` or, being the EU, stands for it."""
        return any(code == wanted or _stands_for(code, wanted, fact, self.on) for code in codes)

    def to_dict(self) -> dict[str, str | None]:
        """The filters as given (canonical), for the `meta` of JSON outputs."""
        return {
            "as_of": self.on.isoformat() if self.on else None,
            "state": self.state,
            "kind": self.kind,
            "nationality": self.nationality,
            "region": self.region,
            "profile": self.profile,
            "actor": self.actor,
            "subject": self.subject,
        }


def _stands_for(code: str, state: str, fact: Fact, on: date | None) -> bool:
    """Whether `code` (the EU) stands for `state` on `on`, or during the fact's validity."""
    if code != "EU":
        return False
    if on is not None:
        return state in countries.expand("EU", on)
    end = fact.valid_until or date.max
    return any(
        member == state and joined <= end and (left is None or fact.valid_from <= left)
        for member, joined, left in countries.EU_MEMBERSHIP
    )
