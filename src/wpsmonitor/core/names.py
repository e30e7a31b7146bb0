"""Names of reference data, shown in the reader's language.

Database rows hold one name. For the rows the platform itself creates (default dimensions and
options, framework and area levels, the government source) that name is an English msgid of
our catalogue, and country and subdivision names are pycountry's English names, for which
pycountry ships translations. Anything else (a plan's own wording) is shown as typed.

Imports may name an area or an option by any of those names, in any of the platform's
languages, as well as by its code (NameIndex).
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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


# ----------------------------------------------------------------------------- names to codes


def folded(text: str) -> str:
    """A name as it is compared: case, accents, hyphens and spacing left out
    ("Nord-Kivu", "nord kivu" and "NORD‑KIVU" are one; "Équateur" is "equateur")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.sub(" ", plain).split())


# Hyphens and dashes (U+2010 to U+2015), apostrophes, dots, commas and slashes.
_SEPARATORS = re.compile("[-_\u2010-\u2015'\u2019.,/]+")


def names_in_every_language(name: str) -> list[str]:
    """A stored name and what it is shown as in each of the platform's languages (its
    translation by our catalogue or pycountry's), without repeats."""
    from django.conf import settings

    names = [name]
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            shown = localized_name(name)
        if shown not in names:
            names.append(shown)
    return names


@dataclass(frozen=True)
class Named:
    """One object a text may name: its key, its code and every name it goes by."""

    key: Any
    code: str
    names: Sequence[str]


class NameIndex:
    """Find an object by its code or any of its names, case- and accent-insensitively.

    The code wins: exactly, then whatever its case; then the names (and codes) folded. A text
    that fits more than one object, or none, is refused with the candidates (LookupRefused).
    """

    def __init__(self, objects: Iterable[Named]) -> None:
        self.objects = list(objects)
        self._codes: dict[str, Named] = {}
        self._folded: dict[str, list[Named]] = {}
        for obj in self.objects:
            self._codes.setdefault(obj.code, obj)
            for text in (obj.code, *obj.names):
                found = self._folded.setdefault(folded(text), [])
                if obj not in found:
                    found.append(obj)

    def find(self, text: str) -> Named:
        text = text.strip()
        hit = self._codes.get(text)
        if hit is not None:
            return hit
        key = folded(text)
        found = self._folded.get(key, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise LookupRefused(text, found, ambiguous=True)
        close = difflib.get_close_matches(key, list(self._folded), n=5, cutoff=0.6)
        candidates: list[Named] = []
        for name in close:
            for obj in self._folded[name]:
                if obj not in candidates:
                    candidates.append(obj)
        raise LookupRefused(text, candidates[:5], ambiguous=False)


class LookupRefused(LookupError):
    """A text naming no object, or more than one; `candidates` are the likeliest."""

    def __init__(self, text: str, candidates: list[Named], *, ambiguous: bool) -> None:
        super().__init__(text)
        self.text = text
        self.candidates = candidates
        self.ambiguous = ambiguous

    def listed(self) -> str:
        """The candidates as "CD-NK (Nord-Kivu), CD-SK (Sud-Kivu)"."""
        return ", ".join(
            f"{c.code} ({c.names[0]})" if c.names and c.names[0] != c.code else c.code
            for c in self.candidates
        )
