"""The reporting pages outside the entry sheet (assignments, to-do list, people) show the plan's
title, its indicators' and actions' titles and the organisations' names in the reader's
language; else in the original language, marked as such: once per table or list, after the text
when it stands alone (core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from tests.reporting.conftest import Cycle

from wpsmonitor.plans.services import translations_set

pytestmark = pytest.mark.django_db

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"
SHOWN_ES = "(Se muestra en inglés: aún no hay texto en español)"


def _spanish(cycle: Cycle, user: str, path: str) -> str:
    client = Client()
    client.force_login(cycle.users[user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def _assignments_table(html: str) -> str:
    return html.split('id="assignments-title"')[1].split("</table>")[0]


def test_assignments_show_spanish_texts_or_mark_the_english_ones(cycle: Cycle) -> None:
    plan, ministry = cycle.plan, cycle.built.ministry
    url = f"/plans/{plan.code}/reporting/assignments/"
    html = _spanish(cycle, "coordinator", url)
    table = _assignments_table(html)
    # Nothing in Spanish yet: each name marked English, the note once above the table.
    assert table.count(NOTE_ES) == 1
    assert f'<td><span lang="en" dir="ltr">{ministry.name_en}</span></td>' in table
    assert f'<span lang="en" dir="ltr">{cycle.action.title_en}' in table
    assert "Se muestra en inglés" not in table

    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    translations_set(obj=cycle.grid, field="title", texts={"es": "Mujeres capacitadas"})
    html = _spanish(cycle, "coordinator", url)
    title = html.split("<title>")[1].split("</title>")[0]
    assert "· Plan en español ·" in title and "<span" not in title
    assert '">Plan en español</a></li>' in html  # the breadcrumb: plain text
    assert f'<option value="{ministry.code}">Ministerio de Género</option>' in html
    assert f'<option value="i:{cycle.grid.code}">{cycle.grid.code} Mujeres capacitadas' in html
    table = _assignments_table(html)
    assert "<td>Ministerio de Género</td>" in table
    assert f'<span lang="en" dir="ltr">{ministry.name_en}' not in table


def test_the_note_names_an_organisations_own_original_language(cycle: Cycle) -> None:
    """An organisation written in French on an English plan: its name and the table's note say
    French, not the plan's English."""
    police = cycle.police
    police.original_language = "fr"
    police.name_fr = "Police nationale"
    police.save()
    coordinator = Client()
    coordinator.force_login(cycle.users["coordinator"])
    url = f"/plans/{cycle.plan.code}/reporting/assignments/"
    added = coordinator.post(
        url,
        {
            "do": "add",
            "organisation": police.code,
            "area": cycle.province.code,
            "item": f"i:{cycle.grid.code}",
        },
    )
    assert added.status_code == 302
    table = _assignments_table(_spanish(cycle, "coordinator", url))
    assert '<td><span lang="fr" dir="ltr">Police nationale</span></td>' in table
    note = table.split('<p class="small">')[1].split("</p>")[0]
    assert "francés" in note and "inglés" in note


def test_the_todo_list_marks_the_plan_title_and_notes_the_owed_table_once(cycle: Cycle) -> None:
    plan, ministry = cycle.plan, cycle.built.ministry
    html = _spanish(cycle, "focal", "/reporting/")
    # The plan's title stands alone: marked, and its own note after it.
    heading = html.split(f'id="plan-{plan.pk}">')[1].split("</h2>")[0]
    assert f'<span lang="en" dir="ltr">{plan.title_en}</span>' in heading
    assert SHOWN_ES in heading
    owed = html.split("<caption>")[1].split("</table>")[0]
    assert owed.count(NOTE_ES) == 1
    assert owed.split("</caption>")[0].count(NOTE_ES) == 1  # in the caption
    assert f'<span lang="en" dir="ltr">{ministry.name_en}</span>' in owed

    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    html = _spanish(cycle, "focal", "/reporting/")
    heading = html.split(f'id="plan-{plan.pk}">')[1].split("</h2>")[0]
    assert ">Plan en español</a>" in heading and "Se muestra" not in heading
    owed = html.split("<caption>")[1].split("</table>")[0]
    assert "<td>Ministerio de Género" in owed and NOTE_ES not in owed


def test_the_people_page_notes_the_organisations_names_once_a_table(cycle: Cycle) -> None:
    ministry = cycle.built.ministry
    html = _spanish(cycle, "coordinator", f"/plans/{cycle.plan.code}/reporting/people/")
    roles = html.split('id="roles-title"')[1].split("</table>")[0]
    assert roles.count(NOTE_ES) == 1
    assert f'<span lang="en" dir="ltr">{ministry.name_en}</span>' in roles
    translations_set(obj=ministry, field="name", texts={"es": "Ministerio de Género"})
    html = _spanish(cycle, "coordinator", f"/plans/{cycle.plan.code}/reporting/people/")
    roles = html.split('id="roles-title"')[1].split("</table>")[0]
    assert "Ministerio de Género" in roles
    assert f'<span lang="en" dir="ltr">{ministry.name_en}' not in roles
