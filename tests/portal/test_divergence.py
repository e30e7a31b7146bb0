"""The divergence view: government and civil-society figures side by side, ranked by the gap."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.portal.conftest import BuiltPlan, add_values, build_plan

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.shadow.divergence import plan_divergences


def test_pairs_are_ranked_by_gap_with_hand_checked_figures(plan_with_values: BuiltPlan) -> None:
    built = plan_with_values
    first, percentage = built.indicators[0], built.indicators[1]
    # add_values: government in province 1, 2024 = (10 + 5) + (20 + 10) = 45 for the count;
    # the shadow report: 7 + 3 per quarter = 20. A shadow percentage too: 8/20 vs 7/20 + 8/20.
    values_ingest(
        rows=[
            {
                "indicator": percentage.code,
                "period": quarter,
                "area": built.provinces[0].code,
                "source": "cso-shadow",
                "numerator": 2,
                "denominator": 20,
            }
            for quarter in ("2024Q1", "2024Q2")
        ],
        plan=built.plan.code,
    )
    rebuild_plan_aggregates(built.plan)
    found = plan_divergences(built.plan, "2024")
    assert [(d.indicator.code, d.area.code) for d in found] == [
        (first.code, built.provinces[0].code),
        (percentage.code, built.provinces[0].code),
    ]
    count, share = found
    assert (count.government, count.civil_society) == (45, 20)
    assert count.gap == pytest.approx(25 / 45) and not count.in_points
    # Percentages are LAST over time: 2024Q2 is 2*1+2 = 4 of 20 (20 %) against 2 of 20 (10 %).
    assert (share.government, share.civil_society) == (pytest.approx(20), pytest.approx(10))
    assert share.gap == pytest.approx(10) and share.in_points
    # A period where only the government reported gives no pair.
    assert plan_divergences(built.plan, "2025") == []


def test_the_page_ranks_downloads_and_keeps_its_query_count(
    plan_with_values: BuiltPlan, detail_client: Client
) -> None:
    client = detail_client  # the figures compared are the detail's (docs/publishing.md)
    url = f"/plans/{plan_with_values.plan.code}/divergence/?period=2024"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Shadow report" in body and "56 %" in body  # 25/45 of the larger figure
    download = client.get(url + "&download=csv&table=divergences")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][0] == plan_with_values.indicators[0].code
    assert float(rows[1][5]) == 45 and float(rows[1][6]) == 20
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    bigger = build_plan(code="nap-big", pillars=4, outcomes_per_pillar=3)
    add_values(bigger)
    with CaptureQueriesContext(connection) as large:
        client.get("/plans/nap-big/divergence/?period=2024")
    assert len(large) == len(small)


def test_a_draft_plan_has_no_public_divergence_page(client: Client, db: None) -> None:
    build_plan(code="nap-draft", status="draft")
    assert client.get("/plans/nap-draft/divergence/").status_code == 404
