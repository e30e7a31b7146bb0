"""The focal point reads the sheet's indicator names in their language, else in the plan's
language marked as such, with the note once above the sheet (core/translated.py)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from tests.reporting.conftest import Cycle

from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.services import translations_set
from wpsmonitor.reporting.models import Submission

pytestmark = pytest.mark.django_db

NOTE_ES = "Algunos textos se muestran en inglés: aún no hay texto en español"


def test_the_sheet_shows_spanish_names_and_marks_the_others(cycle: Cycle) -> None:
    focal = Client()
    focal.force_login(cycle.users["focal"])
    focal.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = focal.post(
        f"/plans/{cycle.plan.code}/reporting/2025Q1/start/",
        {"organisation": cycle.built.ministry.code, "area": cycle.province.code},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(organisation=cycle.built.ministry, area=cycle.province)
    url = f"/submissions/{submission.pk}/edit/"
    page = focal.get(url).content.decode()
    legends = len(re.findall(r'<legend id="legend-\d+">', page))
    assert legends >= 2
    # No Spanish names yet: each legend marked English, the note once above the indicators
    # (and once above the actions' table), never after each name.
    blocks = page.split('<fieldset class="indicator-block')
    assert blocks[0].count(NOTE_ES) == 1
    indicator_blocks = [b for b in blocks[1:] if 'data-ind="' in b.split(">")[0]]
    assert len(indicator_blocks) == legends
    assert all(NOTE_ES not in b for b in indicator_blocks)
    assert page.count('</span> <span lang="en" dir="ltr">') >= legends
    # The heading's plan title and the organisation are single texts: their own note.
    assert "Se muestra en inglés" not in "".join(blocks[1:])

    for indicator in Indicator.objects.filter(plan=cycle.plan):
        translations_set(
            obj=indicator, field="title", texts={"es": f"Indicador {indicator.code} en español"}
        )
    page = focal.get(url).content.decode()
    codes = re.findall(r'<legend id="legend-\d+"><span class="code">([^<]+)</span>', page)
    assert len(codes) == legends
    assert all(f"</span> Indicador {code} en español</legend>" in page for code in codes)
    # Every name in Spanish: no note about indicators, no legend marked English.
    sheet = page.split('<legend id="legend-')
    assert all('<span lang="en"' not in part.split("</legend>")[0] for part in sheet[1:])
