"""The summary, hand-checked against the table in conftest.py; the API says the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.accountability.conftest import Tracker

from wpsmonitor.accountability import selectors, services
from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _rows(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {r["key"]: (r["total"], r["fully"]) for r in rows}


def test_summary_counts_by_hand(tracker: Tracker) -> None:
    access = PlanAccess.load(tracker.users["viewer"], tracker.plan)
    data = selectors.summary_data(selectors.summary(access))
    r = tracker.recs
    assert data["total"] == 4
    assert data["fully"] == 1
    assert data["by_status"] == {
        "not_started": 1,
        "in_progress": 1,
        "partly": 0,
        "fully": 1,
        "rejected": 1,
    }
    assert _rows(data["by_source"]) == {
        "cedaw": (1, 1),
        "upr": (1, 0),
        "midterm_review": (1, 0),
        "cso_shadow_report": (1, 0),
    }
    # r1 has two addressees and two pillars: it counts in each of their rows.
    assert _rows(data["by_addressee"]) == {"mogender": (3, 1), "police": (2, 1)}
    # r4 has two nodes in pillar P1: it counts once there.
    assert _rows(data["by_pillar"]) == {"P1": (3, 1), "P2": (2, 1)}
    # r1 fully implemented and r4 rejected are not overdue; r3 is due later.
    assert data["overdue"] == [r["r2"].pk]
    assert data["disagreements"] == [r["r1"].pk]


def test_filters(tracker: Tracker) -> None:
    access = PlanAccess.load(None, tracker.plan)
    r = tracker.recs

    def ids(**params: str) -> list[int]:
        filters = selectors.Filters.from_params(params)
        return sorted(x.pk for x in selectors.summary(access, filters).items)

    assert ids(pillar="P2") == sorted([r["r1"].pk, r["r3"].pk])
    assert ids(addressee="police") == sorted([r["r1"].pk, r["r3"].pk])
    assert ids(source="upr") == [r["r2"].pk]
    assert ids(status="rejected") == [r["r4"].pk]
    assert ids(pillar="nope") == []
    # An unknown source or status is no filter rather than an error.
    assert len(ids(source="bogus", status="bogus")) == 4


@pytest.mark.parametrize("params", [{}, {"pillar": "P1"}, {"addressee": "police"}])
def test_api_summary_equals_page_summary(tracker: Tracker, params: dict[str, str]) -> None:
    client = Client()
    viewer = tracker.users["viewer"]
    client.force_login(viewer)
    page = client.get(f"/plans/{tracker.plan.code}/recommendations/", params)
    assert page.status_code == 200
    _token, raw = ApiToken.issue(user=viewer, name="t")
    api = client.get(
        f"/api/v1/plans/{tracker.plan.code}/recommendations/summary",
        params,
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert api.status_code == 200
    assert api.json() == selectors.summary_data(page.context["summary"])


def test_page_shows_the_counts(tracker: Tracker) -> None:
    html = Client().get(f"/plans/{tracker.plan.code}/recommendations/").content.decode()
    assert "1 recommendation out of 4 fully implemented." in html
    assert "counts once in each of their rows" in html
    assert "disagrees" in html
    assert "SECRET DRAFT" not in html


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow(tracker: Tracker) -> None:
    client = Client()
    client.force_login(tracker.users["monitor"])
    code = tracker.plan.code
    urls = [
        f"/plans/{code}/recommendations/",
        f"/plans/{code}/recommendations/?pillar=P1",
        f"/api/v1/plans/{code}/recommendations/summary",
        f"/api/v1/plans/{code}/recommendations",
    ]
    before = [_count(client, u) for u in urls]
    u = tracker.users
    cycle = tracker.cycle
    for i in range(15):
        rec = services.recommendation_create(
            by=u["coordinator"],
            plan=tracker.plan,
            source="parliament",
            issued_on=tracker.recs["r1"].issued_on,
            text=f"More {i}",
            addressees=[cycle.built.ministry, cycle.police, cycle.other_cso],
            nodes=list(tracker.plan.nodes.all()[:3]),
        )
        services.assessment_save(
            by=u["monitor"],
            recommendation=rec,
            organisation=cycle.built.cso,
            status="fully",
            publish=True,
        )
    assert [_count(client, u) for u in urls] == before


def test_the_openapi_schema_lists_the_calls(tracker: Tracker) -> None:
    schema = Client().get("/api/v1/schema").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "recommendations_summary",
        "recommendations_list",
        "recommendation_get",
        "recommendation_create",
        "recommendation_respond",
        "recommendation_respond_with_evidence",
        "recommendation_assess",
        "recommendation_assessment_publish",
        "recommendation_decision",
    } <= operations
