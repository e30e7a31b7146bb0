"""Which of the platform's languages (settings.LANGUAGES) a code or an environment asks for.

The web pages follow the reader's choice (LocaleMiddleware: the language cookie, then the
browser's Accept-Language); a signed-in user's stored choice is in accounts. The command line
has neither: it follows the environment, as gettext programs do (LANGUAGE, LC_ALL, LC_MESSAGES,
then LANG).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_supported_language_variant

ENVIRONMENT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def supported_language(code: str | None) -> str | None:
    """The platform's language for a code such as "fr", "fr-FR", "fr_FR.UTF-8" or "es_CO@x"
    (None when it is none of them)."""
    if not code:
        return None
    tag = code.split(".", 1)[0].split("@", 1)[0].replace("_", "-").strip().lower()
    if not tag:
        return None
    try:
        return get_supported_language_variant(tag)
    except LookupError:
        return None


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The language a command line asks for: the first supported one of LANGUAGE (a list, as
    "fr:en"), LC_ALL, LC_MESSAGES and LANG; the C locale, or nothing supported, gives the
    platform's default (English)."""
    for variable in ENVIRONMENT_VARIABLES:
        for candidate in environ.get(variable, "").split(":"):
            if candidate in {"C", "POSIX"} or candidate.startswith("C."):
                return settings.LANGUAGE_CODE
            language = supported_language(candidate)
            if language is not None:
                return language
    return settings.LANGUAGE_CODE
