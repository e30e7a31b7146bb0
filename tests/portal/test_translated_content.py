"""A plan's texts in the reader's language, or in the original language with a note saying so
(core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from wpsmonitor.plans.services import translations_set

from .conftest import BuiltPlan, publish_release
from .test_pages import text_of

pytestmark = pytest.mark.django_db


def page_html(client: Client, language: str, path: str) -> str:
    # Right after a change the public cache serves the previous copy once while it draws the
    # new one (shell/public_cache.py): these tests read the new one.
    for cache in caches.all():
        cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.content.decode()


def page(client: Client, language: str, path: str) -> str:
    return text_of(page_html(client, language, path))


def test_plan_and_indicator_texts_show_in_each_language(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan, indicator = plan_with_values.plan, plan_with_values.indicators[0]
    translations_set(
        obj=plan,
        field="title",
        texts={"fr": "Plan en français", "es": "Plan en español", "ar": "الخطة بالعربية"},
    )
    translations_set(
        obj=indicator, field="title", texts={"fr": "Femmes formées", "es": "Mujeres capacitadas"}
    )
    assert "Plan en français" in page(client, "fr", "/plans/nap-3/")
    spanish = page(client, "es", f"/plans/nap-3/indicators/{indicator.code}/")
    assert "Mujeres capacitadas" in spanish
    assert "Plan en español" in page(client, "es", "/plans/nap-3/")
    assert "الخطة بالعربية" in page(client, "ar", "/plans/nap-3/")
    english = page(client, "en", "/plans/nap-3/")
    assert plan.title_en in english and "Shown in" not in english


def test_a_missing_text_falls_back_to_the_original_language_with_a_note(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    indicator = plan_with_values.indicators[0]
    translations_set(obj=indicator, field="title", texts={"fr": "Femmes formées"})
    spanish = page(client, "es", f"/plans/nap-3/indicators/{indicator.code}/")
    # No Spanish text: the English original, marked as such (language names in Spanish).
    assert f"{indicator.title_en} (Se muestra en inglés: aún no hay texto en español)" in spanish
    html = client.get(f"/plans/nap-3/indicators/{indicator.code}/").content.decode()
    assert f'<span lang="en" dir="ltr">{indicator.title_en}</span>' in html
    # The tree on the plan page says it too.
    assert "Se muestra en inglés" in page(client, "es", "/plans/nap-3/")
    assert "Femmes formées" in page(client, "fr", f"/plans/nap-3/indicators/{indicator.code}/")


NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def test_home_and_area_pages_show_the_spanish_title_or_mark_the_english_one(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan = plan_with_values.plan
    area = plan_with_values.country
    # No Spanish title yet: the English one, marked with its language, and the note once.
    html = page_html(client, "es", "/")
    assert f'<span lang="en" dir="ltr">{plan.title_en}</span>' in html
    assert text_of(html).count(NOTE_ES) == 1
    area_html = page_html(client, "es", f"/areas/{area.code}/")
    assert f'<span lang="en" dir="ltr">{plan.title_en}</span>' in area_html
    assert NOTE_ES in text_of(area_html)

    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    spanish = page_html(client, "es", "/")
    assert (
        "Plan en español" in spanish and f'<span lang="en" dir="ltr">{plan.title_en}' not in spanish
    )
    # The lead organisation has no Spanish name: still marked, and the note still there once.
    lead = plan_with_values.plan.lead_organisation
    assert lead is not None
    assert f'<span lang="en" dir="ltr">{lead.name_en}</span>' in spanish
    assert text_of(spanish).count(NOTE_ES) == 1
    translations_set(obj=lead, field="name", texts={"es": "Ministerio de Género"})
    spanish = page(client, "es", "/")
    assert "Ministerio de Género" in spanish and NOTE_ES not in spanish
    assert "Plan en español" in page(client, "es", f"/areas/{area.code}/")
    assert "Plan en español" in page(client, "es", "/plans/nap-3/areas/")


def test_public_plan_page_marks_each_fallback_and_notes_it_once_a_table(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan = plan_with_values.plan
    publish_release(plan)
    translations_set(obj=plan, field="title", texts={"es": "Plan en español"})
    html = page_html(client, "es", "/plans/nap-3/public/")
    text = text_of(html)
    assert "Plan en español" in text
    # The pillars have no Spanish title: each marked, the note once in the table's caption.
    pillars = html.split('id="pillars-heading"')[1].split("</table>")[0]
    caption = pillars.split("<caption>")[1].split("</caption>")[0]
    assert NOTE_ES in caption
    assert pillars.count(NOTE_ES) == 1
    assert pillars.count('<span lang="en" dir="ltr">') >= 2
    assert "Se muestra en inglés" not in pillars


def test_a_table_with_every_text_in_spanish_has_no_note(
    client: Client, plan_with_values: BuiltPlan
) -> None:
    plan = plan_with_values.plan
    publish_release(plan)
    for node in plan.nodes.filter(parent__isnull=True):
        translations_set(obj=node, field="title", texts={"es": f"Pilar {node.code}"})
    html = page_html(client, "es", "/plans/nap-3/public/")
    pillars = html.split('id="pillars-heading"')[1].split("</table>")[0]
    assert "Pilar " in pillars and NOTE_ES not in pillars
    assert '<span lang="en"' not in pillars
