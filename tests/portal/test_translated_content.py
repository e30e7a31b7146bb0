"""A plan's texts in the reader's language, or in the original language with a note saying so
(core/translated.py, docs/languages.md "Content in several languages")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from wpsmonitor.plans.services import translations_set

from .conftest import BuiltPlan
from .test_pages import text_of

pytestmark = pytest.mark.django_db


def page(client: Client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return text_of(client.get(path).content.decode())


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
