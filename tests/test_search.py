"""Full-text search: the page and the API find facts, sources and incidents, and refuse calmly.

Expected ids are read from the knowledge base's YAML files and the incident
seed here, with plain word splitting: every fact whose statement holds a word
must be among the results for that word (stemming may add more, never fewer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from azyl.config import Settings
from azyl.incidents import load_seed
from webtools import client_for

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "kb" / "facts"
SEED = REPO / "incidents" / "seed.yaml"


def _facts() -> dict[str, dict[str, Any]]:
    """Every fact file, by its id (`<area>.<file name>`, as kb/README.md defines it)."""
    return {
        f"{path.parent.name}.{path.stem}": yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(FACTS.glob("*/*.yaml"))
    }


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", (text or "").casefold()))


def _holding(docs: dict[str, dict[str, Any]], field: str, word: str) -> set[str]:
    return {key for key, doc in docs.items() if word in _words(doc.get(field))}


def _rare_word(docs: dict[str, dict[str, Any]], field: str, pattern: str) -> str:
    """A long word of `pattern`'s script that only a few documents hold (a telling search)."""
    counts: dict[str, int] = {}
    for doc in docs.values():
        for word in _words(doc.get(field)):
            if re.fullmatch(pattern, word):
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (counts[w] < 2, -counts[w], w))[0]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Iterator[TestClient]:
    from azyl.config import load_settings

    root = tmp_path_factory.mktemp("search")
    settings: Settings = load_settings(
        {"AZYL_DATA_DIR": str(root / "data"), "AZYL_MIRROR_DIR": str(mirror_dir),
         "AZYL_ONLINE": "no", "HOME": str(root)}
    )  # fmt: skip
    load_seed(settings)
    yield client_for(settings)


def _found(client: TestClient, q: str, kind: str) -> set[str]:
    answer = client.get("/api/search", params={"q": q, "kind": kind, "limit": 200})
    assert answer.status_code == 200, answer.text[:300]
    (group,) = answer.json()["data"]["groups"]
    assert group["total"] <= 200, "raise the limit: the test must see every result"
    return {item["id"] for item in group["items"]}


def test_a_word_of_a_statement_finds_every_fact_that_holds_it(client: TestClient) -> None:
    facts = _facts()
    word = _rare_word(facts, "statement", r"[a-z]{9,}")
    expected = _holding(facts, "statement", word)
    assert expected and expected <= _found(client, word, "fact")


def test_a_russian_word_of_a_statement_finds_every_fact_that_holds_it(client: TestClient) -> None:
    facts = _facts()
    word = _rare_word(facts, "statement_ru", r"[а-я]{9,}")
    expected = _holding(facts, "statement_ru", word)
    assert expected and expected <= _found(client, word, "fact")


def test_a_russian_word_finds_its_other_forms() -> None:
    """The stem of экстрадиция is that of экстрадиции: one index, both forms (Snowball)."""
    from azyl.search import Document, Field, Index, parse_query

    index = Index.build([Document("fact", "x", (Field("statement_ru", "запрос об экстрадиции"),))])
    assert [r.document.id for r in index.search(parse_query("Экстрадиция"))] == ["x"]


def test_an_incident_is_found_by_a_word_of_its_russian_summary(client: TestClient) -> None:
    seed = {doc["id"]: doc for doc in yaml.safe_load(SEED.read_text(encoding="utf-8"))}
    word = _rare_word(seed, "summary_ru", r"[а-я]{9,}")
    expected = _holding(seed, "summary_ru", word)
    assert expected and expected <= _found(client, word, "incident")


@pytest.mark.parametrize(
    ("key", "pattern"), [("label_ru", r"[а-я]{9,}"), ("name_ru", r"[а-яё]{7,}")]
)
def test_an_incident_is_found_by_a_word_of_its_target_in_russian(
    client: TestClient, key: str, pattern: str
) -> None:
    """A labelled target is searched by its Russian label, a named one by the name as Russian
    writing spells it (public incidents: an anonymous reader)."""
    seed = {
        doc["id"]: {key: doc["target"].get(key)}
        for doc in yaml.safe_load(SEED.read_text(encoding="utf-8"))
        if doc["visibility"] == "public"
    }
    word = _rare_word(seed, key, pattern)
    expected = _holding(seed, key, word)
    assert expected and expected <= _found(client, word, "incident")


def test_an_incident_is_found_by_the_state_the_target_lived_in(client: TestClient) -> None:
    """A returnee jailed at home has the origin as host and the removing state as residence
    (docs/incidents.md): searching that state's name finds them, in either language, even
    where the summary does not name it (four public records of the seed)."""
    from azyl.i18n import country_name

    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    lived = {
        (doc["residence"], doc["id"])
        for doc in seed
        if doc.get("residence") and doc["residence"] != doc.get("host")
        and doc["visibility"] == "public"
    }  # fmt: skip
    assert lived
    for state in sorted({state for state, _ in lived}):
        expected = {incident for where, incident in lived if where == state}
        for lang in ("en", "ru"):
            assert expected <= _found(client, country_name(state, lang), "incident"), (state, lang)


def test_a_nonsense_word_finds_nothing(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "qzxqvzzjw"}).json()["data"]
    assert answer["total"] == 0
    assert [g["total"] for g in answer["groups"]] == [0, 0, 0]


def test_the_page_marks_the_words_found_and_links_each_result(client: TestClient) -> None:
    facts = _facts()
    word = _rare_word(facts, "statement", r"[a-z]{9,}")
    page = client.get("/search", params={"q": word, "kind": "fact"})
    assert page.status_code == 200
    assert f"<mark>{word}</mark>" in page.text.casefold()
    for fact_id in _holding(facts, "statement", word):
        assert f'href="/kb/facts/{fact_id}"' in page.text


HOSTILE = [
    "\x00",
    "extradition\x00Poland",
    "a" * 5000,
    " ".join(f"w{i}" for i in range(40)),
    '"(foo OR bar*) AND NOT baz" NEAR/3 ^$ [.*] \\ {1,2} %s %n \' -- ;',
    "*",
    "**** ????",
    "\u202e\ufeff\u200b",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("path", ["/api/search", "/search"])
def test_hostile_input_is_refused_or_finds_nothing_never_a_server_error(
    client: TestClient, path: str, q: str
) -> None:
    answer = client.get(path, params={"q": q}, headers={"accept": "text/html"})
    assert answer.status_code < 500, answer.text[:300]
    if answer.status_code >= 400:
        assert answer.status_code in (400, 422)
        assert "Traceback" not in answer.text
    elif path.startswith("/api/"):
        assert answer.json()["data"]["total"] == 0


def test_a_refused_search_keeps_the_page_and_says_why_in_russian(client: TestClient) -> None:
    page = client.get("/search", params={"q": "a\x00b", "lang": "ru"})
    assert page.status_code == 422
    assert 'id="s-q-error"' in page.text and "управляющий символ" in page.text
    assert '<form class="search"' in page.text
