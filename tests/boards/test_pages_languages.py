"""The board's pages show the plan's title and the organisations' names in the reader's
language; else in the original language, marked as such: once per table or list, after the name
when it stands alone (core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from tests.boards.conftest import Built

from wpsmonitor.boards import services
from wpsmonitor.plans.services import translations_set

pytestmark = pytest.mark.django_db

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"
SHOWN_ES = "(Se muestra en inglés: aún no hay texto en español)"


def _spanish(user: AbstractBaseUser, path: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def _current_members(html: str) -> str:
    return html.split('id="current-title"')[1].split("</table>")[0]


def test_the_board_page_marks_english_names_once_and_shows_spanish_ones(built: Built) -> None:
    plan, ministry = built.plan, built.cycle.built.ministry
    path = f"/plans/{plan.code}/board/"
    members = _current_members(_spanish(built.users["coordinator"], path))
    assert members.count(NOTE_ES) == 1
    assert f'<td><span lang="en" dir="ltr">{ministry.name_en}</span></td>' in members
    assert "Se muestra en inglés" not in members

    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    for org in {seat.organisation for seat in built.seats.values()}:
        translations_set(obj=org, field="name", texts={"es": f"Org {org.code} en español"})
    html = _spanish(built.users["coordinator"], path)
    assert '">Plan en español</a></li>' in html  # the breadcrumb: plain text
    members = _current_members(html)
    assert f"<td>Org {ministry.code} en español</td>" in members
    assert NOTE_ES not in members and '<span lang="en"' not in members
    # The seat form's organisations, in Spanish too.
    assert f">Org {ministry.code} en español (" in html.split('id="add-title"')[1]


def test_the_report_page_notes_the_signatures_and_marks_the_readers_own_seat(
    built: Built,
) -> None:
    ministry = built.cycle.built.ministry
    services.report_sign(by=built.users["focal"], report=built.awaiting)
    path = f"/plans/{built.plan.code}/reports/{built.awaiting.pk}/"
    html = _spanish(built.users["focal"], path)
    signatures = html.split('id="signatures-title"')[1].split("</table>")[0]
    assert signatures.count(NOTE_ES) == 1
    assert f'(<span lang="en" dir="ltr">{ministry.name_en}</span>)' in signatures
    # "You sit on the board for: …": a single name, its own note after it.
    seat = html.split('id="signatures-title"')[1].split("</table>")[1].split("</p>")[0]
    assert f'<span lang="en" dir="ltr">{ministry.name_en}</span> ' in seat and SHOWN_ES in seat

    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    html = _spanish(built.users["focal"], path)
    signatures = html.split('id="signatures-title"')[1].split("</table>")[0]
    assert "(Ministerio de Género)" in signatures and NOTE_ES not in signatures
