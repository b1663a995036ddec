"""The templates the upload forms offer can be downloaded from the app and are accepted as is."""

from __future__ import annotations

import csv
import io

from azyl.config import Settings
from azyl.incidents.formats import COLUMNS, check_header
from webtools import client_for

CASE = "/static/downloads/case-profile-template.yaml"
INCIDENTS = "/static/downloads/incidents-template.csv"


def test_the_screening_page_offers_a_case_template_that_screens(settings: Settings) -> None:
    client = client_for(settings)
    assert f'href="{CASE}"' in client.get("/screening").text
    template = client.get(CASE)
    assert template.status_code == 200
    page = client.get("/screening")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/screening/file", files={"file": ("case.yaml", template.content)},
                         data={"csrf_token": token})  # fmt: skip
    assert answer.status_code == 200, answer.text[:500]
    assert 'id="report-title"' in answer.text


def test_the_incident_template_has_exactly_the_columns_an_import_reads(settings: Settings) -> None:
    client = client_for(settings)
    text = client.get(INCIDENTS).text
    (header,) = list(csv.reader(io.StringIO(text)))
    assert check_header(header) == []
    assert set(COLUMNS) - set(header) == {"stage", "created_at", "updated_at"}
