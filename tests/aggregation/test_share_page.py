"""A derived share of a disaggregated indicator on its page and in its downloads: every cell
of the dimensions it keeps, not "This indicator is not disaggregated" (issue 12 §6)."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wpsmonitor.indicators.models import IndicatorKind, TimeRule

from .conftest import World

pytestmark = pytest.mark.django_db


def test_the_share_page_and_download_show_each_rank_and_age(world: World) -> None:
    officers = world.indicator("POL3", scheme=["sex", "rank", "age"], time_rule=TimeRule.LAST)
    world.indicator(
        "POL3-F",
        kind=IndicatorKind.SHARE,
        time_rule=TimeRule.LAST,
        share_of=officers,
        share_dimension="sex",
        share_option="F",
    )
    for sex, rank, age, value in [
        ("F", "constable", "18-29", 30),
        ("M", "constable", "18-29", 70),
        ("F", "inspector", "30-59", 5),
        ("M", "inspector", "30-59", 45),
    ]:
        world.value(officers, "2024Q1", "N", value, cell=f"sex={sex};rank={rank};age={age}")
    world.rebuild()
    client = Client()
    # An administrator sees the detail: the share's full cells (a release holds its margins).
    client.force_login(
        get_user_model().objects.create_user("staff", is_staff=True, is_superuser=True)
    )
    url = f"/plans/{world.plan.code}/indicators/POL3-F/?period=2024Q1"
    page = client.get(url).content.decode()
    assert "This indicator is not disaggregated" not in page
    assert "Police rank by Age group" in page  # the two-way table of the kept dimensions
    assert "30.0%" in page and "10.0%" in page  # constables 18-29, inspectors 30-59
    download = client.get(url + "&download=csv&table=disaggregation")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    by_cell = {tuple(r[:2]): r[2] for r in rows[1:]}
    assert float(by_cell[("Constable", "18-29")]) == pytest.approx(30)
    assert float(by_cell[("Inspector", "30-59")]) == pytest.approx(10)
