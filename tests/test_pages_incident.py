"""One incident's page: where the person lived is shown when it is not where the act happened."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from azyl.config import Settings
from azyl.incidents.edits import create_incident, import_rules
from azyl.incidents.references import catalogue_for
from azyl.revisions.errors import RecordInvalid
from edit_support import app_on
from incident_docs import doc


def _dl(page: str) -> str:
    return page[page.index('<dl class="meta">') : page.index("</dl>")]


@pytest.mark.parametrize(
    ("lang", "heading", "state", "reach"),
    [
        ("en", "Lived in", "Germany", "Tajikistan → Tajikistan (lived in Germany)"),
        ("ru", "Место жительства", "Германия",
         "Таджикистан → Таджикистан (место жительства: Германия)"),
    ],
)  # fmt: skip
def test_a_returnee_jailed_at_home_shows_the_state_that_removed_them(
    settings: Settings, app_engine: Engine, lang: str, heading: str, state: str, reach: str
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
    # The heading and the origin's timeline say it too, and only for the returnee.
    assert reach in _h1(client.get(f"/incidents/returnee?lang={lang}").text)
    assert f"({state}" not in _h1(client.get(f"/incidents/abroad?lang={lang}").text)
    assert reach in client.get(f"/countries/TJK?lang={lang}").text


def _h1(page: str) -> str:
    return page[page.index("<h1>") : page.index("</h1>")]


def test_a_labelled_target_is_named_in_the_pages_language(
    settings: Settings, app_engine: Engine
) -> None:
    """A pseudonymous label is our own words, not a quotation: a Russian reader gets its
    reviewed Russian, in the heading and in the country page's timeline; without one, the
    English label is shown as written."""
    rules = import_rules(catalogue_for(settings))
    named = {"name": None, "label": "Chechen returnee", "label_ru": "Вернувшийся чеченец",
             "profiles": []}  # fmt: skip
    labelled = doc(id="labelled", target=named)
    create_incident(app_engine, labelled, rules=rules, actor="t")
    create_incident(app_engine, doc(id="english-only"), rules=rules, actor="t")
    client = TestClient(app_on(settings, app_engine))
    assert "Вернувшийся чеченец" in _h1(client.get("/incidents/labelled?lang=ru").text)
    assert "Chechen returnee" not in _h1(client.get("/incidents/labelled?lang=ru").text)
    assert "Chechen returnee" in _h1(client.get("/incidents/labelled?lang=en").text)
    english_only = doc()["target"]["label"]
    assert english_only in _h1(client.get("/incidents/english-only?lang=ru").text)
    timeline = client.get(f"/countries/{doc()['origin']}?lang=ru").text
    assert "Вернувшийся чеченец" in timeline and "Chechen returnee" not in timeline


def test_a_russian_label_needs_the_label_and_a_russian_relation_the_relation(
    settings: Settings, app_engine: Engine
) -> None:
    rules = import_rules(catalogue_for(settings))
    bare = doc(id="bare", target={"name": "A Public Figure", "label": None,
                                  "label_ru": "Метка", "profiles": []})  # fmt: skip
    with pytest.raises(RecordInvalid, match="Russian label but no label"):
        create_incident(app_engine, bare, rules=rules, actor="t")
    alone = doc(id="alone", relatives_targeted=True, relatives_relation=None,
                relatives_relation_ru="мать")  # fmt: skip
    with pytest.raises(RecordInvalid, match="without relatives_relation"):
        create_incident(app_engine, alone, rules=rules, actor="t")


def test_a_named_target_is_named_in_russian_where_a_russian_spelling_was_written(
    settings: Settings, app_engine: Engine
) -> None:
    """A public figure's name as Russian writing spells it (Иззат Амон) on Russian pages;
    the name as the sources write it on English ones, and on Russian ones where no Russian
    spelling was written."""
    rules = import_rules(catalogue_for(settings))
    spelled = {"name": "Izzat Amon", "name_ru": "Иззат Амон", "label": None, "profiles": []}
    create_incident(app_engine, doc(id="spelled", target=spelled), rules=rules, actor="t")
    as_written = {"name": "Someone Public", "label": None, "profiles": []}
    create_incident(app_engine, doc(id="as-written", target=as_written), rules=rules, actor="t")
    client = TestClient(app_on(settings, app_engine))
    assert "Иззат Амон" in _h1(client.get("/incidents/spelled?lang=ru").text)
    assert "Izzat Amon" not in _h1(client.get("/incidents/spelled?lang=ru").text)
    assert "Izzat Amon" in _h1(client.get("/incidents/spelled?lang=en").text)
    assert "Someone Public" in _h1(client.get("/incidents/as-written?lang=ru").text)
    timeline = client.get(f"/countries/{doc()['origin']}?lang=ru").text
    assert "Иззат Амон" in timeline and "Izzat Amon" not in timeline


def test_a_russian_name_needs_the_name(settings: Settings, app_engine: Engine) -> None:
    rules = import_rules(catalogue_for(settings))
    bare = doc(id="bare-name", target={"name": None, "name_ru": "Имя", "label": "A label",
                                       "profiles": []})  # fmt: skip
    with pytest.raises(RecordInvalid, match="Russian name but no name"):
        create_incident(app_engine, bare, rules=rules, actor="t")
