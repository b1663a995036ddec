"""Translations: the Russian catalogue is complete, current, and every vocabulary has labels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from azyl.i18n import LABELS, catalogue_path, country_name, label, translations
from azyl.incidents import vocabulary as incidents
from azyl.kb import vocabulary as kb
from azyl.web.i18n import from_accept_language, negotiate

ROOT = Path(__file__).resolve().parent.parent


def test_no_msgid_is_left_untranslated_or_fuzzy_in_russian() -> None:
    with catalogue_path("ru").open("rb") as po:
        catalog = read_po(po, locale="ru")

    def done(m: object) -> bool:
        string = getattr(m, "string", "")
        return all(string) if isinstance(string, tuple) else bool(string)

    untranslated = [m.id for m in catalog if m.id and not done(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_placeholders_survive_translation() -> None:
    with catalogue_path("ru").open("rb") as po:
        catalog = read_po(po, locale="ru")
    for message in catalog:
        if message.id and "%(" in str(message.id):
            names = sorted(p for p in str(message.id).split("%(")[1:])
            for name in names:
                key = "%(" + name.split(")")[0] + ")"
                assert key in str(message.string), (message.id, message.string)


def test_the_catalogue_template_is_current_with_the_sources() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("vocabulary", "terms"),
    [
        ("fact_kinds", kb.FACT_KINDS),
        ("profiles", kb.PROFILES),
        ("confidence", kb.CONFIDENCE),
        ("source_kinds", kb.SOURCE_KINDS),
        ("stages", incidents.STAGES),
        ("tactics", incidents.TACTICS),
        ("outcomes", incidents.OUTCOMES),
        ("visibility", incidents.VISIBILITY),
        ("date_precision", dict.fromkeys(incidents.DATE_PRECISION)),
    ],
)
def test_every_vocabulary_term_has_a_label(vocabulary: str, terms: dict[str, object]) -> None:
    assert set(LABELS[vocabulary]) == set(terms)


def test_every_screening_vocabulary_term_has_a_label() -> None:
    from azyl.assess.vocabulary import catalog

    names = {"stages": "case_stages"}
    for vocabulary, terms in catalog().items():
        assert set(LABELS[names.get(vocabulary, vocabulary)]) == set(terms), vocabulary


def test_labels_translate_and_unknown_keys_stay_readable() -> None:
    assert label("tactics", "abduction", "ru") == "Похищение"
    assert label("tactics", "abduction", "en") == "Abduction"
    assert label("tactics", "new_tactic", "en") == "New tactic"


def test_country_names_come_from_the_iso_catalogue_in_russian() -> None:
    assert country_name("DEU", "ru") == "Германия"
    assert country_name("DEU", "en") == "Germany"
    assert country_name("EU", "ru") == "Европейский союз"


def test_language_choice_order_is_query_cookie_header_setting() -> None:
    assert negotiate("ru", "en", "en", "en") == "ru"
    assert negotiate(None, "ru", "en", "en") == "ru"
    assert negotiate(None, None, "de-DE,ru;q=0.8,en;q=0.5", "en") == "ru"
    assert negotiate(None, "xx", None, "ru") == "ru"
    assert from_accept_language("fr, de") is None


def test_english_catalogue_answers_the_msgids_themselves() -> None:
    assert translations("en").gettext("Screening report") == "Screening report"
    assert translations("ru").gettext("Screening report") == "Отчёт об оценке рисков"


def test_every_account_role_and_trace_output_has_a_label() -> None:
    from azyl.accounts.roles import Role

    assert set(LABELS["account_roles"]) == {role.value for role in Role}
    # The kinds of item the screening trace names (azyl.assess.engine._trace).
    assert set(LABELS["rule_outputs"]) == {"hop", "finding", "protective_argument"}
