"""Translations and labels: the layer below everything a person reads.

N_(msgid)                       mark a string for translation
translations(lang)              the gettext catalogue of a language
label(vocabulary, key, lang)    a vocabulary term's label
country_name(code, lang)        a state's or organisation's short name
"""

from azyl.i18n.catalogue import (
    LANGUAGES,
    LOCALE_DIR,
    N_,
    catalogue_path,
    check_language,
    translations,
)
from azyl.i18n.labels import LABELS, country_name, label

__all__ = [
    "LABELS",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "catalogue_path",
    "check_language",
    "country_name",
    "label",
    "translations",
]
