"""/api/health, /api/catalog, /api/countries and the API documentation."""

from __future__ import annotations

from azyl import countries
from azyl.config import Settings
from azyl.kb.vocabulary import FACT_KINDS
from webtools import assert_success, client_for


def test_health_reports_ok_and_the_version(settings: Settings) -> None:
    from azyl import __version__

    body = client_for(settings).get("/api/health").json()
    assert_success(body)
    assert body["data"] == {"status": "ok", "version": __version__}


def test_catalog_lists_every_fact_kind_with_its_definition(settings: Settings) -> None:
    body = client_for(settings).get("/api/catalog").json()
    kinds = {t["key"]: t["definition"] for t in body["data"]["fact_kinds"]}
    assert kinds == FACT_KINDS


def test_catalog_labels_follow_the_language(settings: Settings) -> None:
    client = client_for(settings)
    en = client.get("/api/catalog?lang=en").json()["data"]["stages"]
    ru = client.get("/api/catalog?lang=ru").json()["data"]["stages"]
    assert [t["label"] for t in en] == ["On notice", "Detained", "Rendered or attacked"]
    assert [t["label"] for t in ru] == [
        "Под наблюдением",
        "Задержан",
        "Выдан или подвергся нападению",
    ]


def test_countries_are_alpha3_and_mark_the_twelve_fsu_origins(settings: Settings) -> None:
    data = client_for(settings).get("/api/countries").json()["data"]
    assert all(len(c["code"]) == 3 for c in data)
    assert {c["code"] for c in data if c["fsu_origin"]} == set(countries.FSU_ORIGINS)


def test_docs_page_loads_swagger_from_this_server_only(settings: Settings) -> None:
    html = client_for(settings).get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body>")[0]


def test_vendored_assets_are_served(settings: Settings) -> None:
    client = client_for(settings)
    for path in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/azyl.css",
    ):
        assert client.get(path).status_code == 200, path
