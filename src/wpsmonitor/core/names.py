"""Names of reference data, shown in the reader's language.

Database rows hold one name. For the rows the platform itself creates (default dimensions and
options, framework and area levels, the government source) that name is an English msgid of
our catalogue, and country and subdivision names are pycountry's English names, for which
pycountry ships translations. Anything else (a plan's own wording) is shown as typed.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext_noop

# ISO 3166-1 names written back to front ("Congo, The Democratic Republic of the"), as people
# say them; msgids of our catalogue, so translated too. Areas keep the ISO name (pycountry's
# msgid for the other countries' translations); it is shortened where it is shown.
SHORT_COUNTRY_NAMES = {
    "Bolivia, Plurinational State of": gettext_noop("Bolivia"),
    "Congo, The Democratic Republic of the": gettext_noop("Democratic Republic of the Congo"),
    "Micronesia, Federated States of": gettext_noop("Micronesia"),
    "Iran, Islamic Republic of": gettext_noop("Iran"),
    "Korea, Republic of": gettext_noop("South Korea"),
    "Korea, Democratic People's Republic of": gettext_noop("North Korea"),
    "Moldova, Republic of": gettext_noop("Moldova"),
    "Palestine, State of": gettext_noop("Palestine"),
    "Taiwan, Province of China": gettext_noop("Taiwan"),
    "Tanzania, United Republic of": gettext_noop("Tanzania"),
    "Venezuela, Bolivarian Republic of": gettext_noop("Venezuela"),
    "Virgin Islands, British": gettext_noop("British Virgin Islands"),
    "Virgin Islands, U.S.": gettext_noop("United States Virgin Islands"),
}


@lru_cache(maxsize=16)
def _pycountry_catalogues(language: str) -> tuple[gettext.NullTranslations, ...]:
    return tuple(
        gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for domain in ("iso3166-1", "iso3166-2")
    )


def localized_name(text: str) -> str:
    if not text:
        return text
    if " × " in text:  # a generated scheme name: "Sex × Age group"
        return " × ".join(localized_name(part) for part in text.split(" × "))
    text = SHORT_COUNTRY_NAMES.get(text, text)
    translated = translation.gettext(text)
    if translated != text:
        return translated
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return text
    for catalogue in _pycountry_catalogues(language.split("-")[0]):
        translated = catalogue.gettext(text)
        if translated != text:
            return translated
    return text
