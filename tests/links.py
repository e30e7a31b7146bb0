"""Links a user is shown must lead somewhere they may go (issue 12 §6): follow every link of
some pages, as that user, and collect those that answer 403 ("Not allowed")."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.test import Client

_HREF = re.compile(r'href="(/[^"#]*)')
# Not pages: static files, the API and its documentation, the language switch, the Django
# admin, sign-in; and downloads (their rights follow the page that links them).
_SKIPPED = ("/static/", "/api/", "/i18n/", "/admin/", "/accounts/", "/favicon")
_DOWNLOADS = (".xlsx", ".csv", ".pdf", "/file/", "/export/", "/template/", "/evidence/", "format=")


def page_links(page: str) -> set[str]:
    return {
        html.unescape(href)
        for href in _HREF.findall(page)
        if not href.startswith(_SKIPPED) and not any(d in href for d in _DOWNLOADS)
    }


def forbidden_links(client: Client, pages: Iterable[str]) -> dict[str, list[str]]:
    """{link: [pages showing it]} for every link on `pages` that answers 403 to this client."""
    shown: dict[str, list[str]] = {}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue
        for link in page_links(response.content.decode()):
            shown.setdefault(link, []).append(url)
    return {link: where for link, where in shown.items() if client.get(link).status_code == 403}
