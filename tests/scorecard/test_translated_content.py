"""The scorecard in the reader's language: a plan written in English read by a Spanish reader
shows the Spanish texts there are, and the English ones marked as such, the note once a table
(core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from wpsmonitor.indicators.models import Indicator, Source
from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import translations_set

from .conftest import Built

pytestmark = pytest.mark.django_db

URL = "/plans/nap-sc/scorecard/"
NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(built: Built, query: str = "") -> str:
    client = Client()
    client.force_login(built.users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(URL + query)
    assert answer.status_code == 200
    return answer.content.decode()


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_pillars_and_items_in_spanish_or_marked_in_english(built: Built) -> None:
    plan = built.plan
    translations_set(obj=plan, field="title", texts={"es": "Plan del cuadro de mando"})
    participation = FrameworkNode.objects.get(plan=plan, code="PAR")
    translations_set(obj=participation, field="title", texts={"es": "Participación (pilar)"})
    pro1 = Indicator.objects.get(plan=plan, code="PRO-01")
    translations_set(obj=pro1, field="title", texts={"es": "Mujeres atendidas"})
    html = _spanish(built, "?year=2025")

    # The plan's title in Spanish in the breadcrumb and the page's <title>.
    assert "Plan del cuadro de mando" in html.split("</nav>")[0]
    # The pillar table: PAR in Spanish, unmarked; PRO in English, marked, the note once.
    pillars = _table(html, "sc-national-pillars")
    assert "Participación (pilar)" in pillars
    assert '<span lang="en" dir="ltr">Participation</span>' not in pillars
    assert '<span lang="en" dir="ltr">Protection</span>' in pillars
    assert pillars.count(NOTE_ES) == 1
    # The scored items: PRO-01 in Spanish; the others' English titles marked, the note once.
    items = html.split('id="items-caption"')[1].split("</table>")[0]
    assert "Mujeres atendidas" in items
    assert f'<span lang="en" dir="ltr">{pro1.title_en}</span>' not in items
    assert '<span lang="en" dir="ltr">Indicator PRO-02</span>' in items
    assert '<span lang="en" dir="ltr">Action PRO 1</span>' in items  # an action's title
    assert items.count(NOTE_ES) == 1


def test_the_sources_organisation_in_spanish_or_marked_with_its_note(built: Built) -> None:
    organisation = Source.objects.get(code="cso-shadow").organisation
    assert organisation is not None
    heading = _spanish(built).split("<h2>")[1].split("</h2>")[0]
    assert f'<span lang="en" dir="ltr">{escape(organisation.name_en)}</span>' in heading
    assert "(Se muestra en inglés: aún no hay texto en español)" in heading
    translations_set(obj=organisation, field="name", texts={"es": "Red de Mujeres"})
    heading = _spanish(built).split("<h2>")[1].split("</h2>")[0]
    assert "Red de Mujeres" in heading and "Se muestra" not in heading
    # Every pillar in Spanish: the pillar table has no note.
    for node in FrameworkNode.objects.filter(plan=built.plan, parent__isnull=True):
        translations_set(obj=node, field="title", texts={"es": f"Pilar {node.code}"})
    pillars = _table(_spanish(built), "sc-national-pillars")
    assert "Pilar PAR" in pillars and NOTE_ES not in pillars
