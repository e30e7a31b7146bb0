"""The plan page's actions by pillar in the reader's language: a Spanish reader of a plan written
in English reads the Spanish titles of its pillars where there are some, the English ones marked,
the note once in the table's caption (core/translated.py, docs/languages.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.plans.models import FrameworkNode
from wpsmonitor.plans.services import translations_set

from .conftest import BuiltPlan, publish_release
from .test_translated_content import NOTE_ES, page_html

pytestmark = pytest.mark.django_db


def _actions_by_pillar(html: str) -> str:
    return html.split('id="actions-title"')[1].split("</table>")[0]


def test_the_actions_by_pillar_in_spanish_or_marked_in_english(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan = plan_with_values.plan
    translations_set(
        obj=FrameworkNode.objects.get(plan=plan, code="P1"), field="title", texts={"es": "Pilar 1"}
    )
    table = _actions_by_pillar(page_html(client, "es", "/plans/nap-3/"))
    assert "Pilar 1</th>" in table
    assert '<span lang="en" dir="ltr">Pillar 2</span>' in table
    assert '<span lang="en" dir="ltr">Pillar 1</span>' not in table
    assert table.split("</caption>")[0].count(NOTE_ES) == 1


def test_the_public_key_figures_mark_a_pillar_without_a_spanish_title(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan = plan_with_values.plan
    publish_release(plan)
    translations_set(
        obj=FrameworkNode.objects.get(plan=plan, code="P1"), field="title", texts={"es": "Pilar 1"}
    )
    html = page_html(client, "es", "/plans/nap-3/public/")
    table = html.split("<caption>Acciones por pilar")[1].split("</table>")[0]
    assert "Pilar 1</th>" in table
    assert '<span lang="en" dir="ltr">Pillar 2</span>' in table
    assert table.split("</caption>")[0].count(NOTE_ES) == 1
