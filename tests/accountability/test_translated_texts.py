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


def _table(html: str, caption: str) -> str:
    return html.split(f"<caption>{caption}")[1].split("</table>")[0]


def test_the_tables_by_addressee_and_by_pillar_read_in_spanish_or_marked(
    tracker: Tracker,
) -> None:
    plan, ministry = tracker.plan, tracker.cycle.built.ministry
    pillar = plan.nodes.get(code="P1")
    path = f"/plans/{plan.code}/recommendations/"
    html = _spanish(tracker, path)
    by_addressee = _table(html, "Plenamente aplicadas, por destinatario")
    assert by_addressee.split("</caption>")[0].count(NOTE_ES) == 1  # in the caption, once
    assert f'<th scope="row"><span lang="en" dir="ltr">{ministry.name_en}</span></th>' in (
        by_addressee
    )
    by_pillar = _table(html, "Plenamente aplicadas, por pilar")
    assert by_pillar.split("</caption>")[0].count(NOTE_ES) == 1
    assert f'P1 <span lang="en" dir="ltr">{pillar.title_en}</span></th>' in by_pillar
    by_source = _table(html, "Plenamente aplicadas, por fuente")
    assert NOTE_ES not in by_source  # sources are the catalogue's words

    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    translations_set(obj=pillar, field="title", texts={"es": "Pilar de participación"})
    html = _spanish(tracker, path)
    assert '<th scope="row">Ministerio de Género</th>' in _table(
        html, "Plenamente aplicadas, por destinatario"
    )
    by_pillar = _table(html, "Plenamente aplicadas, por pilar")
    assert '<th scope="row">P1 Pilar de participación</th>' in by_pillar


def test_the_history_marks_the_responding_organisation_once(tracker: Tracker) -> None:
    ministry, r1 = tracker.cycle.built.ministry, tracker.recs["r1"]
    path = f"/plans/{tracker.plan.code}/recommendations/{r1.pk}/"
    history = _spanish(tracker, path).split('id="history-title"')[1].split("</ol>")[0]
    assert history.count(NOTE_ES) == 1
    assert f'<span lang="en" dir="ltr">{ministry.name_en}</span>' in history
    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    history = _spanish(tracker, path).split('id="history-title"')[1].split("</ol>")[0]
    assert "Ministerio de Género" in history and NOTE_ES not in history
