"""The number of SQL queries a page makes must not grow with the size of the plan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import add_values, build_plan

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
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
]


def test_query_counts_do_not_grow_with_the_plan(client: Client) -> None:
    small = build_plan(code="small", pillars=1, outcomes_per_pillar=1, actions_per_output=1)
    add_values(small, quarters=("2024Q1",))
    small_counts = [
        count_queries(client, url.format(plan="small"), params) for url, params in PAGES
    ]

    # Six times the pillars, four times the outcomes, eight times the actions, more periods.
    large = build_plan(code="large", pillars=6, outcomes_per_pillar=4, actions_per_output=8)
    add_values(large, quarters=("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"))
    large_counts = [
        count_queries(client, url.format(plan="large"), params) for url, params in PAGES
    ]
    assert large.plan.nodes.count() > 20 * small.plan.nodes.count()
    assert large_counts == small_counts
    # And small in absolute terms: no page is anywhere near an N+1 pattern.
    assert max(large_counts) <= 20, large_counts
