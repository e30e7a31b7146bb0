"""Response times on a small known set (docs/stories.md, "Response times"): medians and
shares within the target, by province and period, on the page and in the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from tests.earlywarning.conftest import WarningWorld

from wpsmonitor.earlywarning.models import Signal
from wpsmonitor.earlywarning.selectors import response_times

pytestmark = pytest.mark.django_db

TODAY = date(2025, 7, 1)


def _signal(
    ww: WarningWorld, area: str, received: date, ack: date | None = None, action: date | None = None
) -> Signal:
    status = "action_taken" if action else "acknowledged" if ack else "received"
    return Signal.objects.create(
        plan=ww.plan,
        organisation=ww.women,
        category="displacement",
        area=ww.world.areas[area],
        observed_on=received,
        severity="medium",
        source_type="monitor",
        description="x",
        status=status,
        received_on=received,
        acknowledged_on=ack,
        referred_on=ack if action else None,
        referred_to=ww.ministry if action else None,
        action_on=action,
    )


@pytest.fixture
def known(ww: WarningWorld) -> WarningWorld:
    # 2025Q1: Province 1 (two districts), Province 2.
    _signal(ww, "D11", date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 10))  # 1 and 4 days
    _signal(ww, "D12", date(2025, 1, 10), date(2025, 1, 15))  # 5 days; no action, overdue
    _signal(ww, "D21", date(2025, 2, 1), date(2025, 2, 3), date(2025, 2, 3))  # 2 and 2 days
    # 2025Q2: one overdue, one still within its target on TODAY (left out of the shares).
    _signal(ww, "P2", date(2025, 4, 1))
    _signal(ww, "D21", date(2025, 6, 29))
    return ww


def _rows(ww: WarningWorld, by: str):  # type: ignore[no-untyped-def]
    return {
        (r.period, r.province.name if r.province else "all"): r
        for r in response_times(ww.plan, by=by, target=3, today=TODAY)
    }


def test_by_quarter_and_province(known: WarningWorld) -> None:
    rows = _rows(known, "quarter")
    assert list(rows) == [
        ("2025Q1", "all"),
        ("2025Q1", "Province 1"),
        ("2025Q1", "Province 2"),
        ("2025Q2", "all"),
        ("2025Q2", "Province 2"),
    ]
    q1 = rows[("2025Q1", "all")]
    assert q1.received == 3
    assert (q1.acknowledge.done, q1.acknowledge.median, q1.acknowledge.within) == (3, 2.0, 2 / 3)
    # Responded: 4 and 2 days; the unanswered one is past its target, so it counts against.
    assert (q1.respond.done, q1.respond.median, q1.respond.counted) == (2, 3.0, 3)
    assert q1.respond.within == 1 / 3
    p1 = rows[("2025Q1", "Province 1")]
    assert (p1.acknowledge.median, p1.acknowledge.within) == (3.0, 0.5)
    assert (p1.respond.median, p1.respond.within) == (4.0, 0.0)
    q2 = rows[("2025Q2", "all")]
    assert q2.received == 2 and q2.acknowledge.done == 0 and q2.acknowledge.median is None
    assert (q2.acknowledge.counted, q2.acknowledge.within) == (1, 0.0)


def test_by_year(known: WarningWorld) -> None:
    year = _rows(known, "year")[("2025", "all")]
    assert year.received == 5 and year.acknowledge.median == 2.0
    assert (year.acknowledge.counted, year.acknowledge.within) == (4, 0.5)


def test_the_page_and_the_api_show_them(known: WarningWorld) -> None:
    client = Client()
    client.force_login(known.users["viewer"])
    page = client.get(f"/plans/{known.plan.code}/early-warning/response-times/?by=quarter&target=3")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Province 2" in html and "67" in html
    api = client.get(f"/api/v1/plans/{known.plan.code}/early-warning/response-times?by=quarter")
    body = api.json()
    assert body["target_days"] == 3 and body["by"] == "quarter"
    first = body["rows"][0]
    assert (first["period"], first["province"], first["received"]) == ("2025Q1", None, 3)
    assert first["acknowledge"] == {
        "done": 3,
        "median_days": 2.0,
        "within_target": 2 / 3,
        "counted": 3,
    }
    p1 = body["rows"][1]
    assert p1["province"] == "SEN-P1" and p1["respond"]["median_days"] == 4.0
    bad = client.get(f"/api/v1/plans/{known.plan.code}/early-warning/response-times?target=0")
    assert bad.status_code == 400
