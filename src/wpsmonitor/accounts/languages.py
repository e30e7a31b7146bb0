"""Each user's language: read here, written by services.language_set (docs/languages.md).

A user's stored language is applied when they sign in (it becomes the language cookie the
LocaleMiddleware reads), and the mail they are sent is written in it: a mail to several people
goes out once per language, each in its readers' language, never in the sender's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpResponse

from wpsmonitor.accounts.models import UserLanguage
from wpsmonitor.core.languages import supported_language

# The language of a user, through a relation: values_list(f"{prefix}{LANGUAGE_LOOKUP}").
LANGUAGE_LOOKUP = "language_setting__language"


def stored_language(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The user's stored language, None when they have chosen none."""
    if user is None or not user.is_authenticated:
        return None
    try:  # through the relation, so that select_related("language_setting") saves the query
        code = user.language_setting.language  # type: ignore[attr-defined,union-attr]
    except UserLanguage.DoesNotExist:
        return None
    return supported_language(code)


def language_of(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language to write to the user in: theirs, else the site's default."""
    return stored_language(user) or settings.LANGUAGE_CODE


def by_language(recipients: Iterable[tuple[str | None, str | None]]) -> dict[str, list[str]]:
    """(e-mail, stored language or None) pairs grouped by language, each list sorted and
    without empty or repeated addresses (an address with two languages gets the first)."""
    seen: set[str] = set()
    groups: dict[str, list[str]] = defaultdict(list)
    for email, code in recipients:
        if not email or email in seen:
            continue
        seen.add(email)
        groups[supported_language(code) or settings.LANGUAGE_CODE].append(email)
    return {language: sorted(emails) for language, emails in sorted(groups.items())}


def remember_in_cookie(response: HttpResponse, language: str) -> None:
    """Set the language cookie as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
