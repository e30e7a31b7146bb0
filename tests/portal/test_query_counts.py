"""The number of SQL queries a page makes must not grow with the size of the plan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import add_round, add_values, build_plan

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    """Queries of the second of two identical requests."""
    client.get(url, params)  # warm caches (content types, translations) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("/", None),
    ("/plans/{plan}/", None),
    ("/plans/{plan}/", {"period": "2024Q1", "source": "cso-shadow"}),
    ("/plans/{plan}/areas/", None),
    ("/plans/{plan}/indicators/IND-1-1-N/", None),
    ("/plans/{plan}/indicators/IND-1-1-N/", {"period": "2024", "area": "COD-P1"}),
    ("/plans/{plan}/indicators/IND-1-1-N/", {"cells": "on"}),
    ("/plans/{plan}/indicators/IND-1-1-P/", None),
    # The dashboard with indicators off track (a past year) and reporting completeness.
    ("/plans/{plan}/", {"period": "2024"}),
    ("/areas/COD/", None),
    ("/areas/COD-P1/", None),
    # Shadow monitoring: divergence (figures and actions), the actions, one action, the
    # civil-society indicators.
    ("/plans/{plan}/divergence/", {"period": "2024"}),
    ("/plans/{plan}/actions/", None),
    ("/plans/{plan}/actions/P1.O1.1.A1/", None),
    ("/plans/{plan}/civil-society-indicators/", None),
    # Downloads read what their page reads.
    ("/plans/{plan}/", {"download": "csv", "table": "completeness"}),
    ("/plans/{plan}/", {"period": "2024", "download": "xlsx", "table": "indicators"}),
    ("/plans/{plan}/indicators/IND-1-1-N/", {"download": "csv", "table": "series"}),
    ("/plans/{plan}/indicators/IND-1-1-N/", {"download": "xlsx", "table": "by_area"}),
    ("/areas/COD-P1/", {"download": "csv", "table": "plans"}),
    ("/areas/COD-P1/", {"download": "csv", "table": "actions-{plan}"}),
]


def counts_for(client: Client, plan: str) -> list[int]:
    return [
        count_queries(
            client,
            url.format(plan=plan),
            {k: v.format(plan=plan) for k, v in params.items()} if params else None,
        )
        for url, params in PAGES
    ]


def test_query_counts_do_not_grow_with_the_plan(client: Client) -> None:
    small = build_plan(code="small", pillars=1, outcomes_per_pillar=1, actions_per_output=1)
    add_values(small, quarters=("2024Q1",))
    add_round(small)
    small_counts = counts_for(client, "small")

    # Six times the pillars, four times the outcomes, eight times the actions, more periods.
    large = build_plan(code="large", pillars=6, outcomes_per_pillar=4, actions_per_output=8)
    add_values(large, quarters=("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"))
    add_round(large)
    # The area pages now also show the small plan: more plans must not mean more queries.
    large_counts = counts_for(client, "large")
    assert large.plan.nodes.count() > 20 * small.plan.nodes.count()
    assert large_counts == small_counts
    # And small in absolute terms: no page is anywhere near an N+1 pattern.
    assert max(large_counts) <= 20, large_counts
