"""The plan's figures: counts by kind × province × year across all holders, after disclosure
control (defenders/selectors.py: figures)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.defenders.conftest import RegisterWorld

from wpsmonitor.defenders.selectors import figures

pytestmark = pytest.mark.django_db


def _cells(rw: RegisterWorld, year: int, kind: str) -> dict[str, int | None]:
    shown = figures(rw.plan)
    table = next(t for t in shown.tables if t.year == year)
    labels = {"threat": "Threat", "physical_attack": "Physical attack"}
    cells = next(cells for label, cells in table.rows if label == labels[kind])
    names = [p.name for p in shown.provinces] + ["not recorded"]
    return dict(zip(names, cells, strict=True))


def test_small_counts_are_never_shown_large_ones_are_counted_across_holders(
    rw: RegisterWorld,
) -> None:
    # Province 1: 2 threats (one district, one holder): fewer than the threshold (5).
    rw.incident(area=rw.world.areas["D11"])
    rw.incident(area=rw.world.areas["D11"])
    # Province 2: 5 threats by two holders, in a district and the province itself.
    for _ in range(3):
        rw.incident(area=rw.world.areas["D21"])
    for _ in range(2):
        rw.incident(by="other", holder=rw.others, area=rw.world.areas["P2"])
    assert _cells(rw, 2025, "threat") == {
        "Province 1": None,
        "Province 2": 5,
        "not recorded": None,
    }
    # A zero is not told from a small count.
    assert _cells(rw, 2025, "physical_attack") == {
        "Province 1": None,
        "Province 2": None,
        "not recorded": None,
    }
    page = Client().get(reverse("defenders:figures", args=[rw.plan.code])).content.decode()
    shown = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert shown == ["5"]  # the only figure on the page: not the 2, not a zero
    assert "fewer than 5" in page


def test_the_threshold_is_the_plans(rw: RegisterWorld) -> None:
    rw.plan.disclosure_threshold = 3
    rw.plan.save(update_fields=["disclosure_threshold"])
    for _ in range(3):
        rw.incident(area=rw.world.areas["D11"])
    rw.incident(area=rw.world.areas["D12"], kind="physical_attack")
    assert _cells(rw, 2025, "threat")["Province 1"] == 3
    assert _cells(rw, 2025, "physical_attack")["Province 1"] is None


def test_an_incident_without_a_province_counts_as_not_recorded(rw: RegisterWorld) -> None:
    for area in (None, rw.world.areas["N"], None, rw.world.areas["N"], None):
        rw.incident(area=area)
    assert _cells(rw, 2025, "threat") == {
        "Province 1": None,
        "Province 2": None,
        "not recorded": 5,
    }


def test_the_tables_shape_tells_nothing(rw: RegisterWorld) -> None:
    # Every year of the plan until this one and every kind and province, incident or not.
    rw.incident(occurred_on=date(2023, 6, 1))  # before the plan: the years reach back to it
    shown = figures(rw.plan)
    years = [t.year for t in shown.tables]
    assert years[-1] == 2023 and 2024 in years and 2025 in years
    assert all(len(t.rows) == 9 for t in shown.tables)
    assert all(v is None for t in shown.tables for _label, cells in t.rows for v in cells)
