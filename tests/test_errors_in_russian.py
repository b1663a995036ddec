"""Every error a web user can cause reads in Russian on a Russian page and in English on an
English one (issue 22: "Russian throughout, including error messages").

One representative mistake per area a caseworker, an editor or an admin meets:
the case file and the screening form, saved cases, accounts, knowledge-base
proposals, incident imports and edits, list filters and the framework's own
parameter checks, upload and parse limits. Each is made twice, on the page in
Russian and in English; the Russian expected is the translators' wording as
written by hand in the catalogue (src/azyl/i18n/locale/ru/.../messages.po), the
English the sentence the library says, never captured output. The JSON API
keeps English for the same mistake (tests/test_errors_translated.py).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import ValidationError
from sqlalchemy import Engine

from auth_support import client_on
from azyl.accounts.roles import Role
from azyl.assess.profile import _problem_lines
from azyl.config import Settings
from azyl.i18n.message import render
from azyl.kb.documents import SourceDoc
from azyl.validation import said
from azyl.web.validation import validation_text
from edit_support import app_on, client_as, form_of
from incident_docs import doc
from webtools import client_for

HTML = {"accept": "text/html"}
Ask = Callable[[TestClient, str], Response]


def _said(page: Response) -> str:
    """The page's text as a reader sees it (entities such as &#39; unescaped)."""
    return html.unescape(page.text)


class _Errors(HTMLParser):
    """The text of a page's error elements (`error-message`, `field-error(s)`)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # elements open inside (and including) an error element
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or "error" in (dict(attrs).get("class") or ""):
            self.depth += tag not in ("br", "input", "img", "meta", "link")

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


#: Three English words in a row, outside «names», 'quoted values' (what the user typed) and
#: `commands`.
_ENGLISH = re.compile(r"\b[A-Za-z]+(?: [A-Za-z]+){2,}\b")
_QUOTED = re.compile(r"«[^»]*»|'[^']*'|\"[^\"]*\"|`[^`]*`")


def _english_in_errors(page: Response) -> list[str]:
    """Runs of English words in the error messages of a page (none on a Russian page)."""
    errors = _Errors()
    errors.feed(page.text)
    return _ENGLISH.findall(_QUOTED.sub(" ", " ".join(errors.text)))


def test_english_in_an_error_message_is_found_outside_quotes_and_commands() -> None:
    page = Response(
        422,
        text='<main><p>Three English words here</p><p class="error-message" role="alert">'
        "x.yaml: недопустимый YAML: mapping values are not allowed; 'as you typed it' "
        "«Refugee Data Finder» `azyl kb list`</p></main>",
    )
    assert _english_in_errors(page) == ["mapping values are not allowed"]


def _both(ask: Ask, client: TestClient, status: int, russian: str, english: str) -> None:
    """The same mistake on a Russian page and on an English page, each in its own language."""
    ru = ask(client, "ru")
    assert ru.status_code == status, ru.text[:400]
    assert russian in _said(ru), _said(ru)[-3000:]
    assert english not in _said(ru)
    assert _english_in_errors(ru) == []
    en = ask(client, "en")
    assert en.status_code == status, en.text[:400]
    assert english in _said(en), _said(en)[-3000:]
    assert russian not in _said(en)


# -- the case file and the screening form (anonymous visitors and caseworkers) ---------------

CASE_FILES = [
    (
        "twice.yaml",
        b"stage: a\nstage: b\n",
        422,
        "twice.yaml: строка 2: ключ 'stage' встречается дважды в одном наборе полей",
        "twice.yaml: line 2: the key 'stage' appears twice in one mapping",
    ),
    (
        "deep.json",
        b'{"as_of": ' + b"[" * 100 + b"]" * 100 + b"}",
        422,
        "вложенность значений больше 32 уровней",
        "values are nested more than 32 levels deep",
    ),
    (
        "aliases.yaml",
        b"a: &x [1]\nb: *x\n",
        422,
        "якоря и ссылки YAML (&name, *name) не принимаются; выпишите каждое значение полностью",
        "YAML anchors and aliases (&name, *name) are not accepted; write each value out",
    ),
    (
        "list.yaml",
        b"- RUS\n- POL\n",
        422,
        "профиль дела должен быть набором полей (объект YAML или JSON)",
        "a case profile must be a mapping of fields (YAML or JSON object)",
    ),
    (
        "latin1.yaml",
        b"\xff\xfe stage: x\n",
        422,
        "latin1.yaml: текст не в кодировке UTF-8 (байт 1 — 0xff); сохраните файл в UTF-8",
        "latin1.yaml: not UTF-8 text (byte 1 is 0xff); save the file as UTF-8",
    ),
    (
        "big.yaml",
        b"# padding\n" * 110_000,
        413,
        "big.yaml: файл больше допустимых для него 1,0 МиБ; ничего не прочитано",
        "big.yaml: the file is larger than the 1.0 MiB accepted for it; nothing was read",
    ),
]


@pytest.mark.parametrize(("name", "content", "status", "russian", "english"), CASE_FILES)
def test_a_case_file_azyl_cannot_read_is_explained_in_the_pages_language(
    settings: Settings, name: str, content: bytes, status: int, russian: str, english: str
) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/screening/file?lang={lang}", files={"file": (name, content)})

    _both(ask, client_for(settings), status, russian, english)


def test_a_country_the_screening_form_does_not_know_is_named_in_russian(
    settings: Settings,
) -> None:
    form = {"citizenship": "RUS", "current_country": "Germny", "stage": "dublin_procedure"}

    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/screening?lang={lang}", data=form)

    _both(
        ask,
        client_for(settings),
        422,
        "неизвестная страна 'Germny': укажите код ISO 3166 (RUS, RU) или название на русском "
        "или английском; возможно, имелась в виду DEU (Германия)?",
        "unknown country 'Germny': use an ISO 3166 code (RUS, RU) or a name in English or "
        "Russian; did you mean DEU (Germany)?",
    )


def test_a_body_larger_than_the_server_accepts_is_refused_in_russian(settings: Settings) -> None:
    big = b"# padding\n" * (settings.max_upload_bytes // 10 + 1)
    mib = settings.max_upload_bytes / 2**20
    assert mib == int(mib)  # the default: a whole number of MiB, written with one decimal

    def ask(client: TestClient, lang: str) -> Response:
        files = {"file": ("big.yaml", big)}
        return client.post(f"/screening/file?lang={lang}", files=files, headers=HTML)

    _both(
        ask,
        client_for(settings),
        413,
        f"запрос больше, чем принимает этот сервер ({int(mib)},0 МиБ, AZYL_MAX_UPLOAD_BYTES); "
        "отправьте файл меньшего размера или разделите его",
        f"the request is larger than this server accepts ({int(mib)}.0 MiB, "
        "AZYL_MAX_UPLOAD_BYTES); send a smaller file or split it",
    )


# -- list filters and the framework's own parameter checks -----------------------------------


@pytest.mark.parametrize(
    ("query", "russian", "english"),
    [
        (
            "year=3000",
            "параметр «год»: значение должно быть не больше 2100",
            'the parameter "year" must be 2100 or less',
        ),
        (
            "year=nineteen",
            "параметр «год»: значение должно быть целым числом",
            'the parameter "year" must be a whole number',
        ),
        (
            "origin=Narnia",
            "неизвестная страна 'Narnia': укажите код ISO 3166 (RUS, RU) или название",
            "unknown country 'Narnia': use an ISO 3166 code (RUS, RU) or a name",
        ),
    ],
)
def test_a_bad_filter_on_the_atlas_is_explained_in_the_pages_language(
    settings: Settings, query: str, russian: str, english: str
) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        return client.get(f"/?{query}&lang={lang}", headers=HTML)

    _both(ask, client_for(settings), 422, russian, english)


# -- saved cases (caseworkers) ----------------------------------------------------------------


@pytest.fixture
def app(settings: Settings, app_engine: Engine) -> FastAPI:
    return app_on(settings, app_engine)


def test_saved_cases_that_do_not_exist_or_are_forbidden_say_so_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    caseworker = client_as(app, app_engine, Role.CASEWORKER)
    _both(
        lambda c, lang: c.get(f"/cases/nope?lang={lang}", headers=HTML),
        caseworker,
        404,
        "дела 'nope', доступного вам, нет",
        "there is no case 'nope' that you can open",
    )
    viewer = client_as(app, app_engine, Role.VIEWER)
    _both(
        lambda c, lang: c.get(f"/cases?lang={lang}", headers=HTML),
        viewer,
        403,
        "для этого нужна роль «специалист по делам» или выше; ваша роль — «читатель»",
        "this needs the caseworker role or higher; yours is viewer",
    )


def test_bad_input_to_a_saved_case_is_explained_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    client = client_as(app, app_engine, Role.CASEWORKER)
    _both(
        lambda c, lang: c.post(f"/cases?lang={lang}", data={"title": "x" * 201}, headers=HTML),
        client,
        422,
        "поле «название»: значение должно содержать не более 200 символов",
        'the field "title" must be at most 200 characters long',
    )
    _both(
        lambda c, lang: c.post(f"/cases?lang={lang}", data={"title": "R."}, headers=HTML),
        client,
        422,
        "проверка для сохранения не передана; проверьте дело ещё раз",
        "the screening to save was not sent; screen the case again",
    )
    _both(
        lambda c, lang: c.get(f"/cases/any/compare?first=one&second=2&lang={lang}", headers=HTML),
        client,
        422,
        "параметр «первая проверка»: значение должно быть целым числом",
        'the parameter "first run" must be a whole number',
    )
    _both(
        lambda c, lang: c.post(f"/cases/any/erase?lang={lang}", data={}, headers=HTML),
        client,
        422,
        "отметьте флажок, чтобы подтвердить окончательное удаление дела",
        "tick the box to confirm that the case should be erased for good",
    )
    _both(
        lambda c, lang: c.post(
            f"/cases/any/runs?lang={lang}", data={"as_of": "2024-13-45"}, headers=HTML
        ),
        client,
        422,
        "'2024-13-45' — не дата: укажите её в виде ГГГГ-ММ-ДД",
        "'2024-13-45' is not a date: use YYYY-MM-DD",
    )


# -- accounts (everyone signed in, admins) ---------------------------------------------------


def test_account_mistakes_are_explained_in_russian(app: FastAPI, app_engine: Engine) -> None:
    client = client_as(app, app_engine, Role.VIEWER)
    differ = {"current": "whatever it is", "new": "one long password", "repeat": "another one"}
    _both(
        lambda c, lang: c.post(f"/account/password?lang={lang}", data=differ),
        client,
        422,
        "два новых пароля не совпадают; введите один и тот же пароль дважды",
        "the two new passwords differ; type the same one twice",
    )
    admin = client_as(app, app_engine, Role.ADMIN)
    bad_name = {"username": "Ana Maria!", "role": "viewer", "password": "a long enough one"}
    _both(
        lambda c, lang: c.post(f"/admin/users?lang={lang}", data=bad_name),
        admin,
        422,
        "недопустимое имя пользователя 'Ana Maria!': используйте от 1 до 64 символов",
        "the username 'Ana Maria!' is not valid: use 1 to 64 letters a-z",
    )


# -- knowledge-base proposals and incidents (editors) ----------------------------------------


def test_proposal_mistakes_are_explained_in_russian(app: FastAPI, app_engine: Engine) -> None:
    editor = client_as(app, app_engine, Role.EDITOR)
    _both(
        lambda c, lang: c.get(f"/kb/proposals/new?fact=Not%20an%20id&lang={lang}"),
        editor,
        422,
        "'Not an id' — не идентификатор факта: запишите его в виде <раздел>.<имя>",
        "'Not an id' is not a fact id: write <area>.<name>",
    )
    empty = {"fact_id": "safe_third_country.x-y", "text": "   "}
    _both(
        lambda c, lang: c.post(f"/kb/proposals/new?lang={lang}", data=empty),
        editor,
        422,
        "обязательное поле: YAML-текст факта",
        "is required: the fact's YAML",
    )
    _both(
        lambda c, lang: c.get(f"/kb/proposals/999?lang={lang}", headers=HTML),
        editor,
        404,
        "предложения № 999 к базе знаний нет",
        "no knowledge-base proposal 999",
    )


@pytest.mark.parametrize(
    ("name", "content", "russian", "english"),
    [
        (
            "registry.txt",
            b"id\nx\n",
            "registry.txt: по '.txt' формат не определить; укажите --format",
            "registry.txt: cannot tell the format from '.txt'; use --format",
        ),
        (
            "registry.xlsx",
            b"%PDF-1.7 a pdf renamed",
            "не удаётся прочитать как xlsx: это не книга XLSX",
            "cannot be read as xlsx: not an XLSX workbook (File is not a zip file)",
        ),
        (
            "registry.json",
            b'{"incidents": [',
            "строка 1: недопустимый JSON: здесь ожидалось значение (текст в двойных кавычках, "
            "число, true, false, null, список или объект)",
            "line 1: not valid JSON: a value was expected here (text in double quotes, a number, "
            "true, false, null, a list or an object)",
        ),
        (
            "registry.csv",
            b"id\n" + b"x" * 140_000 + b"\n",
            "это не таблица CSV: ячейка длиннее 131\xa0072 символов (строка 2)",
            "not a CSV table: a cell is longer than 131,072 characters (line 2)",
        ),
    ],
)
def test_an_incident_file_azyl_cannot_import_is_explained_in_russian(
    app: FastAPI, app_engine: Engine, name: str, content: bytes, russian: str, english: str
) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/incidents/import?lang={lang}", files={"file": (name, content)})

    _both(ask, client_as(app, app_engine, Role.EDITOR), 422, russian, english)


def test_an_unknown_incident_history_is_explained_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    _both(
        lambda c, lang: c.get(f"/incidents/no-such-one/history?lang={lang}", headers=HTML),
        client_as(app, app_engine, Role.EDITOR),
        404,
        "инцидента с идентификатором 'no-such-one' нет",
        "no incident with id 'no-such-one'",
    )


# -- a part of azyl this server does not have yet ---------------------------------------------


def test_statistics_not_built_are_explained_in_russian(
    settings: Settings, app_engine: Engine
) -> None:
    assert not settings.stats_db_path.exists()  # the test server has no statistics
    client: Any = client_on(settings, app_engine)
    _both(
        lambda c, lang: c.get(f"/?lang={lang}"),
        client,
        200,
        "база статистики ещё не собрана",
        "the statistics database has not been built yet",
    )


def test_the_fields_of_an_incident_form_are_explained_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    typed = doc(date="2015-02-30")
    typed["sources"][0]["source"] = "not-a-source"
    editor = client_as(app, app_engine, Role.EDITOR)

    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/incidents/new?lang={lang}", data=form_of(typed))

    _both(
        ask,
        editor,
        422,
        "2015-02-30 — такой даты в календаре нет",
        "2015-02-30 is not a date on the calendar",
    )
    _both(
        ask,
        editor,
        422,
        "'not-a-source' — не источник базы знаний (файла kb/sources/not-a-source.yaml нет)",
        "'not-a-source' is not a knowledge-base source (kb/sources/not-a-source.yaml does not "
        "exist)",
    )


def test_the_rows_of_an_incident_import_are_explained_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    bad = json.dumps(
        {"format": "azyl-incidents", "version": 1, "incidents": [doc(origin="Atlantis")]}
    ).encode()

    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/incidents/import?lang={lang}", files={"file": ("x.json", bad)})

    _both(
        ask,
        client_as(app, app_engine, Role.EDITOR),
        422,
        "строка 1: origin: неизвестная страна 'Atlantis'",
        "row 1: origin: unknown country 'Atlantis'",
    )


def test_a_key_given_twice_in_a_json_case_file_is_named_in_russian(settings: Settings) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        content = b'{"stage": "a", "stage": "b"}'
        return client.post(f"/screening/file?lang={lang}", files={"file": ("twice.json", content)})

    _both(
        ask,
        client_for(settings),
        422,
        "twice.json: недопустимый YAML или JSON: ключ 'stage' встречается дважды в одном объекте",
        "twice.json: not valid YAML or JSON: the key 'stage' appears twice in one object",
    )


def test_the_header_of_an_incident_spreadsheet_is_explained_in_russian(
    app: FastAPI, app_engine: Engine
) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        table = b"id,colour\nx,red\n"
        return client.post(f"/incidents/import?lang={lang}", files={"file": ("x.csv", table)})

    _both(
        ask,
        client_as(app, app_engine, Role.EDITOR),
        422,
        "неизвестный столбец 'colour'",
        "unknown column 'colour'",
    )


def test_the_knowledge_base_checks_of_a_proposal_are_explained_in_russian(
    app: FastAPI, app_engine: Engine, settings: Settings
) -> None:
    committed = (settings.kb_dir / "facts/safe_third_country/bgr-russia.yaml").read_text()
    line = committed.splitlines().index("actor: BGR") + 1
    broken = {"fact_id": "safe_third_country.bgr-russia",
              "text": committed.replace("actor: BGR", "actor: XXX")}  # fmt: skip

    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/kb/proposals/new?lang={lang}", data=broken)

    _both(
        ask,
        client_as(app, app_engine, Role.EDITOR),
        422,
        f"строка {line}: actor: 'XXX' — не трёхбуквенный код ISO 3166-1 и не код организации",
        f"line {line}: actor: 'XXX' is not an ISO 3166-1 alpha-3 code or an organisation code",
    )


def test_a_fact_that_does_not_exist_is_explained_in_russian(settings: Settings) -> None:
    _both(
        lambda c, lang: c.get(f"/kb/facts/no.such-fact?lang={lang}", headers=HTML),
        client_for(settings),
        404,
        "в базе знаний нет факта 'no.such-fact'",
        "no fact 'no.such-fact' in the knowledge base",
    )


# -- what a parser says, and checks of pydantic's own with no wording of ours -----------------

#: Text a parser refuses, with what the page says: each common problem has its own sentence
#: and its place; any other is a syntax error at that place, the library's English on the
#: English page only (src/azyl/i18n/parsers.py).
UNPARSED = [
    (
        "colon.yaml",
        b"stage: dublin: procedure\n",
        "colon.yaml: недопустимый YAML или JSON: двоеточие с пробелом начинает значение там, где "
        "его быть не может (заключите текст, содержащий «: », в кавычки или проверьте отступы) "
        "(строка 1, столбец 14)",
        "colon.yaml: not valid YAML or JSON: a colon and a space start a value where none can "
        "stand (put text that holds ': ' in quotes, or check the indentation) (line 1, column 14)",
    ),
    (
        "cut.json",
        b'{"stage": "dublin_procedure", "person": ',
        "cut.json: недопустимый YAML или JSON: здесь ожидалось значение (текст в двойных кавычках, "
        "число, true, false, null, список или объект) (строка 1, столбец 41)",
        "cut.json: not valid YAML or JSON: a value was expected here (text in double quotes, a "
        "number, true, false, null, a list or an object) (line 1, column 41)",
    ),
    (
        "quote.yaml",
        b"stage: 'dublin_procedure\n",
        "quote.yaml: недопустимый YAML или JSON: текст обрывается: не хватает закрывающей "
        "кавычки или скобки (строка 2, столбец 1)",
        "quote.yaml: not valid YAML or JSON: the text ends early: a closing quote or bracket is "
        "missing (line 2, column 1)",
    ),
    (
        "directive.yaml",
        b"%YAML 1.1\n%YAML 1.1\n---\nstage: x\n",
        "directive.yaml: недопустимый YAML или JSON: синтаксическая ошибка (строка 2, столбец 1)",
        "directive.yaml: not valid YAML or JSON: syntax error: found duplicate %YAML directive "
        "(line 2, column 1)",
    ),
    (
        "month.yaml",
        b"as_of: 2024-13-45\n",
        "month.yaml: недопустимый YAML или JSON: значение записано как дата или число, но ими не "
        "является; исправьте его или заключите в кавычки",
        "month.yaml: not valid YAML or JSON: a value written like a date or a number is not one "
        "(month must be in 1..12); correct it, or put it in quotes",
    ),
    (
        "tagged.yaml",
        b"as_of: !!timestamp soon\n",
        "tagged.yaml: недопустимый YAML или JSON: значение записано как дата или число",
        "tagged.yaml: not valid YAML or JSON: a value written like a date or a number is not one "
        "(a tagged value that cannot be built",
    ),
]


@pytest.mark.parametrize(("name", "content", "russian", "english"), UNPARSED)
def test_what_a_parser_refuses_is_said_in_russian_with_its_place(
    settings: Settings, name: str, content: bytes, russian: str, english: str
) -> None:
    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/screening/file?lang={lang}", files={"file": (name, content)})

    _both(ask, client_for(settings), 422, russian, english)


def test_a_parameter_too_large_a_number_is_explained_in_russian(settings: Settings) -> None:
    _both(
        lambda c, lang: c.get(f"/?year={'9' * 5000}&lang={lang}", headers=HTML),
        client_for(settings),
        422,
        "параметр «год»: значение — слишком большое число",
        'the parameter "year" is too large a number',
    )


#: A pydantic error type no table words (none a page can trigger today): how each layer says it.
_UNWORDED = {"type": "bytes_type", "msg": "Input should be a valid bytes", "input": "x"}


def test_a_check_of_pydantics_own_with_no_wording_of_ours_is_russian_on_a_russian_page() -> None:
    in_form = validation_text([{**_UNWORDED, "loc": ("query", "year")}])
    assert in_form is not None
    assert render(in_form, "ru") == "параметр «год»: значение недопустимо"
    english = 'the parameter "year" is not valid (Input should be a valid bytes)'
    assert render(in_form, "en") == english
    in_document = said({**_UNWORDED, "loc": ("title",)}, SourceDoc)  # type: ignore[typeddict-item]
    assert render(in_document, "ru") == "недопустимое значение"
    assert render(in_document, "en") == "not a valid value (Input should be a valid bytes)"
    error = ValidationError.from_exception_data(
        "CaseProfile", [{"type": "bytes_type", "loc": ("as_of",), "input": "x"}]
    )
    (in_case,) = _problem_lines(error)
    assert render(in_case, "ru") == "дата проверки: недопустимое значение"
    assert render(in_case, "en") == "as of: not a valid value (Input should be a valid bytes)"


# -- a fact proposed through the web, as the knowledge base's strict loader reads it ---------


def _proposal(settings: Settings, change: Callable[[str], str]) -> dict[str, str]:
    committed = (settings.kb_dir / "facts/safe_third_country/bgr-russia.yaml").read_text()
    return {"fact_id": "safe_third_country.bgr-russia", "text": change(committed)}


@pytest.mark.parametrize(
    ("change", "russian", "english"),
    [
        (
            lambda text: text.replace("  nationalities: []", "  nationalities: [RU]"),
            "строка 5: applies_to.nationalities[0]: 'RU' — не трёхбуквенный код ISO 3166-1 "
            "(возможно, имелся в виду RUS?)",
            "line 5: applies_to.nationalities[0]: 'RU' is not an ISO 3166-1 alpha-3 code (did you "
            "mean RUS?)",
        ),
        (
            lambda text: text.replace("actor: BGR", "actor: BGR: Bulgaria"),
            "строка 2: недопустимый YAML: двоеточие с пробелом начинает значение там, где его быть "
            "не может",
            "line 2: not valid YAML: a colon and a space start a value where none can stand",
        ),
        (
            lambda text: text.replace("actor: BGR", "actor: BGR\nactor: BGR"),
            "строка 3: actor: ключ повторяется (впервые указан в строке 2)",
            "line 3: actor: duplicate key (first given on line 2)",
        ),
        (
            lambda text: "# only a comment\n",
            "строка 1: ключей нет: файл пуст или содержит только комментарии",
            "line 1: no keys: the file is empty or holds only comments",
        ),
        (
            lambda text: "- kind\n- actor\n",
            "строка 1: ожидается набор полей (ключей со значениями)",
            "line 1: expected a mapping of keys to values",
        ),
        (  # azyl.limits, before any YAML is composed: an anchor on the second line
            lambda text: "# a comment\nnote: &n one\n" + text,
            "строка 2: якоря и ссылки YAML (&name, *name) не принимаются; выпишите каждое "
            "значение полностью",
            "line 2: YAML anchors and aliases (&name, *name) are not accepted; write each "
            "value out",
        ),
        (  # ... and values nested 40 deep on the first line
            lambda text: "deep: " + "[" * 40 + "]" * 40 + "\n" + text,
            "строка 1: вложенность значений больше 32 уровней — больше, чем нужно любому "
            "документу, который читает azyl; ничего не прочитано",
            "line 1: values are nested more than 32 levels deep, more than any document azyl "
            "reads needs; nothing was read",
        ),
    ],
)
def test_a_proposed_fact_the_strict_loader_refuses_is_explained_in_russian(
    app: FastAPI,
    app_engine: Engine,
    settings: Settings,
    change: Callable[[str], str],
    russian: str,
    english: str,
) -> None:
    proposal = _proposal(settings, change)

    def ask(client: TestClient, lang: str) -> Response:
        return client.post(f"/kb/proposals/new?lang={lang}", data=proposal)

    _both(ask, client_as(app, app_engine, Role.EDITOR), 422, russian, english)
