"""Errors a reader causes are shown in the reader's language; the API keeps one language.

The library raises errors built with `azyl.i18n.message.failure`: their English
`message` serves the CLI, the logs and the JSON envelope, their `text` is
rendered in the page's language. Expected Russian wording is the translators'
(written by hand in the catalogue), not the code's output.
"""

from __future__ import annotations

import pytest

from azyl.config import Settings
from azyl.errors import InputError
from azyl.i18n import N_
from azyl.i18n.message import Country, error_text, failure
from webtools import client_for

HTML = {"accept": "text/html"}


def test_a_failure_keeps_english_for_the_log_and_a_template_for_the_reader() -> None:
    template = N_("no first-instance decisions for nationals of {origin:gen} in any year")
    exc = failure(InputError, template, origin=Country("BLR"))
    assert exc.message == "no first-instance decisions for nationals of Belarus in any year"
    assert (
        error_text(exc, "ru") == "нет решений первой инстанции по гражданам Беларуси ни за один год"
    )
    assert error_text(InputError("plain"), "ru") == "plain"  # an error without a template


def test_a_bad_date_on_a_russian_page_is_explained_in_russian(settings: Settings) -> None:
    page = client_for(settings).get("/kb?as_of=2024-13-45&lang=ru", headers=HTML)
    assert page.status_code == 422
    assert "«2024-13-45» — не дата: укажите её в виде ГГГГ-ММ-ДД" in page.text
    assert "is not a date" not in page.text


def test_the_api_answers_the_same_mistake_in_english(settings: Settings) -> None:
    answer = client_for(settings).get("/api/facts?as_of=2024-13-45&lang=ru")
    assert answer.status_code == 422
    assert "is not a date: write it as YYYY-MM-DD" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "there is nothing at /no-such-page"), ("ru", "по адресу /no-such-page ничего нет")],
)
def test_a_missing_page_is_explained_in_the_readers_language(
    settings: Settings, lang: str, expected: str
) -> None:
    page = client_for(settings).get(f"/no-such-page?lang={lang}", headers=HTML)
    assert page.status_code == 404
    assert expected in page.text
