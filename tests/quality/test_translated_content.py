"""The quality pages in the reader's language: a plan written in English read by a Spanish
reader shows the Spanish texts there are, and the English ones marked as such with the note
once a list (core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan
from wpsmonitor.plans.services import translations_set

from .conftest import World, build_full, national

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def _spanish(path: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_the_lists_show_spanish_titles_or_english_ones_marked(world: World) -> None:
    plan = build_full(world)
    translations_set(obj=plan, field="title", texts={"es": "Plan nacional completo"})
    a2 = FrameworkNode.objects.get(plan=plan, code="A2")
    translations_set(obj=a2, field="title", texts={"es": "Incluir a mujeres en la comisión"})
    html = _spanish("/plans/q-full/quality/")
    assert "Plan nacional completo" in html.split("</nav>")[0]  # the breadcrumb

    # The one action without a responsible institution has a Spanish title: no mark, no note.
    responsible = _section(html, "missing-responsible")
    assert "Incluir a mujeres en la comisión" in responsible
    assert '<span lang="en"' not in responsible and NOTE_ES not in responsible
    # An indicator without a target has only its English title: marked, the note once.
    targets = _section(html, "missing-baselines_targets")
    assert '<span lang="en" dir="ltr">Women in parliament</span>' in targets
    assert targets.count(NOTE_ES) == 1
    # The local plan found under the plan: its English title marked too.
    local = _section(html, "found-localisation")
    assert '<span lang="en" dir="ltr">Local plan nbo</span>' in local
    assert local.count(NOTE_ES) == 1

    translations_set(
        obj=Indicator.objects.get(plan=plan, code="I2"),
        field="title",
        texts={"es": "Mujeres en el parlamento"},
    )
    targets = _section(_spanish("/plans/q-full/quality/"), "missing-baselines_targets")
    assert "Mujeres en el parlamento" in targets and "Women in parliament" not in targets
    assert '<span lang="en" dir="ltr">Training held</span>' in targets  # I3: still English


@pytest.mark.django_db
def test_the_comparison_marks_a_plan_without_a_spanish_title(world: World) -> None:
    build_full(world)
    national(world, "q-other")
    translations_set(
        obj=Plan.objects.get(code="q-full"), field="title", texts={"es": "Plan nacional completo"}
    )
    other = Plan.objects.get(code="q-other")
    plans = _section(_spanish("/plans/compare/"), "plans-title")
    assert "Plan nacional completo" in plans
    assert f'<span lang="en" dir="ltr">{other.title_en}</span>' in plans
    assert plans.count(NOTE_ES) == 1
