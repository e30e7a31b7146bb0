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
