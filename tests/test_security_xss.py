"""Script payloads typed into any text field come back escaped wherever they are shown.

Incidents and proposals (tests/test_pages_edit_xss.py), case titles and notes
(tests/test_pages_cases.py) and audit entries (tests/test_audit_page.py) have
their own tests; this one covers the screening form, whose every field is
echoed back when the form has a mistake or the report is shown, and an
account's display name, which appears in every page's navigation and on the
accounts page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auth_support import client_on, make_user, sign_in
from azyl.accounts.roles import Role
from azyl.appdb import open_database
from azyl.config import Settings
from test_pages_screening import FORM
from webtools import client_for

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
#: What must never appear unescaped in a page: a live tag or an attribute break-out.
LIVE = re.compile(r"<script>alert\(1\)|<img src=x onerror")

#: Fields the form echoes back (a case's title and notes show once saved: see the cases tests).
TEXT_FIELDS = ("region", "wanted_by", "current_country", "route-0-country", "citizenship", "as_of")


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_payload_in_any_screening_field_is_escaped(settings: Settings, field: str) -> None:
    response = client_for(settings).post("/screening", data={**FORM, field: PAYLOAD})
    assert response.status_code == 422  # none of these is a valid value: the form comes back
    assert LIVE.search(response.text) is None
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.text  # shown, escaped


def test_a_display_name_with_markup_is_escaped_in_the_navigation_and_the_accounts_page(
    built_settings: Settings, tmp_path: Path
) -> None:
    settings = built_settings.model_copy(
        update=dict(data_dir=tmp_path, stats_db=built_settings.stats_db_path)
    )
    engine = open_database(settings)
    make_user(engine, "boss", Role.ADMIN, display_name=PAYLOAD)
    client = client_on(settings, engine)
    sign_in(client, "boss")
    for path in ("/", "/about", "/admin/users", "/account"):
        page = client.get(path).text
        assert LIVE.search(page) is None, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
