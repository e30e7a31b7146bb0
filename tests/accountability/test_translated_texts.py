"""A recommendation's text in the reader's language, else in the plan's language marked as such
(core/translated.py): the note once above a table of them, after the text on its own page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from tests.accountability.conftest import Tracker

from wpsmonitor.plans.services import translations_set

pytestmark = pytest.mark.django_db

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(tracker: Tracker, path: str) -> str:
    client = Client()
    client.force_login(tracker.users["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_recommendations_read_in_spanish_or_marked_in_english(tracker: Tracker) -> None:
    code, r1 = tracker.plan.code, tracker.recs["r1"]
    html = _spanish(tracker, f"/plans/{code}/recommendations/")
    # The whole list: every text marked English, the note once above the table.
    listing = html.split('id="list-title"')[1].split("</table>")[0]
    assert listing.count(NOTE_ES) == 1
    assert len(re.findall(r'<span lang="en" dir="ltr">', listing)) >= 4

    detail = _spanish(tracker, f"/plans/{code}/recommendations/{r1.pk}/")
    assert f'<span lang="en" dir="ltr">{r1.text_en}</span>' in detail
    assert "(Se muestra en inglés: aún no hay texto en español)" in detail

    translations_set(obj=r1, field="text", texts={"es": "Ratificar el protocolo."})
    detail = _spanish(tracker, f"/plans/{code}/recommendations/{r1.pk}/")
    assert "<p>Ratificar el protocolo.</p>" in detail
    assert (
        "Se muestra en inglés: aún no hay texto en español)</small></p></blockquote>" not in detail
    )
    listing = _spanish(tracker, f"/plans/{code}/recommendations/").split('id="list-title"')[1]
    assert "Ratificar el protocolo." in listing.split("</table>")[0]
