"""Pages kept in memory are kept only where every reader sees the same page.

The atlas is rendered once per question for visitors who are not signed in; a
signed-in page names its reader and carries their form token, so it must never
be kept and shown to the next visitor (nor the visitor's page to a signed-in one).
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from auth_support import client_on, make_user, sign_in
from azyl.accounts.roles import Role
from azyl.config import Settings


def test_a_signed_in_atlas_is_never_shown_to_the_next_visitor(
    built_settings: Settings, sqlite_engine: Engine
) -> None:
    signed = client_on(built_settings, sqlite_engine)
    make_user(sqlite_engine, "mariam", Role.CASEWORKER, display_name="Mariam K.")
    sign_in(signed, "mariam")
    mine = signed.get("/?origin=BLR")
    assert mine.status_code == 200 and "Mariam K." in mine.text
    assert 'name="csrf-token"' in mine.text

    visitor = TestClient(signed.app)  # the same server, another browser
    theirs = visitor.get("/?origin=BLR")
    assert theirs.status_code == 200
    assert "Mariam K." not in theirs.text and 'name="csrf-token"' not in theirs.text
    assert "Mariam K." in signed.get("/?origin=BLR").text  # and she still sees her own
