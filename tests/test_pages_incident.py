"""One incident's page: where the person lived is shown when it is not where the act happened."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from azyl.config import Settings
from azyl.incidents.edits import create_incident, import_rules
from azyl.incidents.references import catalogue_for
from edit_support import app_on
from incident_docs import doc


def _dl(page: str) -> str:
    return page[page.index('<dl class="meta">') : page.index("</dl>")]


@pytest.mark.parametrize(
    ("lang", "heading", "state"),
    [("en", "Lived in", "Germany"), ("ru", "Место жительства", "Германия")],
)
def test_a_returnee_jailed_at_home_shows_the_state_that_removed_them(
    settings: Settings, app_engine: Engine, lang: str, heading: str, state: str
) -> None:
    """docs/incidents.md records a returnee jailed at home with the origin as host and the
    removing state as residence: the page names that state, or a reader of "Tajikistan ->
    Tajikistan" would not learn from where the person was sent."""
    rules = import_rules(catalogue_for(settings))
    returnee = doc(id="returnee", host="TJK", residence="DEU", tactics=["deportation"],
                   outcome="imprisoned")  # fmt: skip
    create_incident(app_engine, returnee, rules=rules, actor="t")
    create_incident(app_engine, doc(id="abroad", residence="BLR"), rules=rules, actor="t")
    client = TestClient(app_on(settings, app_engine))
    shown = _dl(client.get(f"/incidents/returnee?lang={lang}").text)
    assert f"<dt>{heading}</dt>" in shown and f'<a href="/countries/DEU">{state}</a>' in shown
    # Lived where it happened (host BLR, residence BLR): nothing to add.
    assert f"<dt>{heading}</dt>" not in _dl(client.get(f"/incidents/abroad?lang={lang}").text)
