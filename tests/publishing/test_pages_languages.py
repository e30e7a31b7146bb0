"""The releases pages show the plan's title in the reader's language, else in the original
language marked as such, with its note (core/translated.py, docs/languages.md)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from tests.publishing.conftest import ReleaseWorld

from wpsmonitor.plans.services import translations_set

pytestmark = pytest.mark.django_db

SHOWN_ES = "(Se muestra en inglés: aún no hay texto en español)"


def _spanish(rw: ReleaseWorld, path: str) -> str:
    client = Client()
    client.force_login(rw.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def _plan_fact(html: str) -> str:
    return html.split('<dl class="facts">')[1].split("</dd>")[0]


def test_the_release_page_shows_the_spanish_title_or_marks_the_english_one(
    rw: ReleaseWorld,
) -> None:
    plan = rw.plan
    client = Client()
    client.force_login(rw.coordinator)
    assert client.post(f"/plans/{plan.code}/releases/prepare/").status_code == 302
    path = f"/plans/{plan.code}/releases/1/"
    fact = _plan_fact(_spanish(rw, path))
    assert f'<span lang="en" dir="ltr">{plan.title_en}</span>' in fact and SHOWN_ES in fact

    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    html = _spanish(rw, path)
    assert _plan_fact(html).endswith(f"<dd>Plan en español ({plan.code})")
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Plan en español" in title
    releases = _spanish(rw, f"/plans/{plan.code}/releases/")
    assert '">Plan en español</a></li>' in releases  # the breadcrumb
