"""The number of SQL queries of every read does not grow with the size of the plan."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.conftest import ApiClient, World

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.directory.services import area_subdivision_ensure
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import (
    Cell,
    GlobalIndicator,
    Indicator,
    IndicatorKind,
    Target,
    TimeRule,
)
from wpsmonitor.indicators.services import period_ensure, scheme_ensure
from wpsmonitor.plans.models import FrameworkLevel, FrameworkNode, Plan, PlanKind

PATHS = [
    ("/plans", {}),
    ("/plans/ken-nap-2", {}),
    ("/plans/ken-nap-2/framework", {}),
    ("/plans/ken-nap-2/indicators", {}),
    ("/plans/ken-nap-2/indicators/PAR-1", {}),
    ("/plans/ken-nap-2/values", {}),
    ("/plans/ken-nap-2/values", {"indicator": "PAR-1", "area": "KEN", "source": "gov"}),
    ("/plans/ken-nap-2/progress", {}),
    ("/plans/ken-nap-2/progress", {"period": "2024", "area": "KE-30"}),
    ("/plans/ken-nap-2/indicators/PAR-1/aggregates", {}),
    ("/plans/ken-nap-2/indicators/BIG-4-3/aggregates", {"period": "2024"}),
    ("/plans/ken-nap-2/indicators/BIG-4-3/aggregates", {"period": "2024", "cells": "true"}),
    (
        "/plans/ken-nap-2/values",
        {"period": "2024", "area": "KE-30", "updated_since": "2000-01-01T00:00:00Z"},
    ),
]


def grow(world: World, size: int) -> None:
    """Add `size` provinces, actions with partners, indicators (sex x age) and their values."""
    nap = world.nap
    action_level = FrameworkLevel.objects.get(plan=nap, code="action")
    outcome = FrameworkNode.objects.get(plan=nap, code="O2.1")
    orgs = [
        Organisation.objects.create(
            code=f"org-{size}-{i}", name=f"Org {i}", type=OrganisationType.CIVIL_SOCIETY
        )
        for i in range(3)
    ]
    for i in range(size):
        Plan.objects.create(
            code=f"ken-lap-{size}-{i}",
            title=f"Local plan {i}",
            kind=PlanKind.LOCAL,
            parent=nap,
            area=world.nairobi,
            start=date(2024, 1, 1),
            end=date(2025, 12, 31),
        )
    provinces = [
        area_subdivision_ensure(parent=world.ken, code=f"KE-P{size}-{i}", name=f"Province {i}")
        for i in range(size)
    ]
    scheme = scheme_ensure(dimension_codes=["sex", "age"])
    cells = list(Cell.objects.filter(scheme=scheme).values_list("code", flat=True))
    references = [
        GlobalIndicator.objects.create(
            vocabulary="gnwp", code=f"{size}.{i}", title="x", catalogue_version="1"
        )
        for i in range(3)
    ]
    rows = []
    for i in range(size):
        node = FrameworkNode.objects.create(
            plan=nap,
            level=action_level,
            parent=outcome,
            code=f"A-{size}-{i}",
            title=f"Action {i}",
            order=10 + i,
            responsible_organisation=orgs[i % 3],
        )
        node.partner_organisations.set(orgs)
        indicator = Indicator.objects.create(
            plan=nap,
            node=outcome,
            code=f"BIG-{size}-{i}",
            title=f"Big {i}",
            kind=IndicatorKind.NUMBER,
            time_rule=TimeRule.SUM,
            scheme=scheme,
            frequency="quarter",
            order=10 + i,
        )
        indicator.references.set(references)
        for cell in cells[:3]:
            Target.objects.create(
                indicator=indicator,
                period=period_ensure("2027"),
                area=world.ken,
                cell=Cell.objects.get(scheme=scheme, code=cell),
                value=50,
            )
        for quarter in (1, 2, 3, 4):
            for province in provinces[:4]:
                for cell in cells:
                    rows.append(
                        {
                            "indicator": indicator.code,
                            "period": f"2024Q{quarter}",
                            "area": province.code,
                            "cell": cell,
                            "value": quarter,
                        }
                    )
    values_ingest(plan=nap.code, rows=rows)
    rebuild_plan_aggregates(nap)


def query_counts(api: ApiClient) -> dict[str, int]:
    counts = {}
    api.get("/plans")  # first use of the token writes last_used_at once
    for path, params in PATHS:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(path, **params)
        assert response.status_code == 200, (path, response.json())
        counts[f"{path} {params}"] = len(captured)
    return counts


def test_reads_make_the_same_number_of_queries_for_a_plan_ten_times_bigger(
    world: World, reader_api: ApiClient
) -> None:
    grow(world, 4)
    small = query_counts(reader_api)
    grow(world, 40)  # 40 more actions, indicators, provinces, local plans; ~10,000 values
    big = query_counts(reader_api)
    assert big == small
    # And the counts are small: at most a dozen queries for any read, and one more for who
    # reads what (a member the detail, anyone else the published release).
    assert max(small.values()) <= 13, small
