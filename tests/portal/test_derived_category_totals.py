"""The indicator page lists the totals by category that the aggregation derives from the ranks
(issue 17, part 3; docs/computations.md, "Hierarchical dimensions"), for an indicator
disaggregated by rank alone.

By hand: category officers = ranks general + colonel, troops = private. Staff by rank (SUM):
2024Q1 general 2 (P1), colonel 3 (P1) and 4 (P2); 2024Q2 general 1 (P2). No private reported.
Year 2024: officers 2 + 3 + 4 + 1 = 10; 2024Q1: 9; 2024Q2: 1. Troops: no figure, no row.
"""

from __future__ import annotations

import pytest
from django.test import Client

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import DimensionOption, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import dimension_ensure, indicator_create, option_parents_set

from .conftest import BuiltPlan
from .test_pages import text_of

pytestmark = pytest.mark.django_db

CAPTION = "By Category (derived from Rank)"


def _staff_by_rank(built: BuiltPlan) -> None:
    plan = built.plan
    dimension_ensure(
        code="category",
        name="Category",
        options=[("officers", "Officers"), ("troops", "Troops")],
        plan=plan,
    )
    rank = dimension_ensure(
        code="rank",
        name="Rank",
        options=[("general", "General"), ("colonel", "Colonel"), ("private", "Private")],
        plan=plan,
    )
    corps = {o.code: o for o in DimensionOption.objects.filter(dimension__code="category")}
    option_parents_set(
        dimension=rank,
        parents={
            "general": corps["officers"],
            "colonel": corps["officers"],
            "private": corps["troops"],
        },
    )
    indicator_create(
        plan=plan,
        node=built.indicators[0].node,
        code="STAFF",
        title="Staff by rank",
        kind=IndicatorKind.NUMBER,
        unit="people",
        time_rule=TimeRule.SUM,
        scheme=["rank"],
    )
    first, second = (p.code for p in built.provinces)
    rows = [
        ("2024Q1", first, "general", 2),
        ("2024Q1", first, "colonel", 3),
        ("2024Q1", second, "colonel", 4),
        ("2024Q2", second, "general", 1),
    ]
    values_ingest(
        rows=[
            {"indicator": "STAFF", "period": q, "area": a, "cell": f"rank={r}", "value": v}
            for q, a, r, v in rows
        ],
        plan=plan.code,
    )
    rebuild_plan_aggregates(plan)


def test_the_page_shows_the_category_totals_derived_from_the_ranks(
    detail_client: Client, small_plan: BuiltPlan
) -> None:
    _staff_by_rank(small_plan)
    url = "/plans/nap-3/indicators/STAFF/"
    year = text_of(detail_client.get(url, {"period": "2024"}).content.decode())
    assert f"{CAPTION}, 2024" in year
    assert "Officers General, Colonel 10" in year
    # Troops: a category none of whose ranks reported shows nothing, not 0.
    assert "Troops" not in year.split(CAPTION, 1)[1].split("Each figure by", 1)[0]
    assert "Each figure by Category is derived: the sum of the figures by Rank under it" in year
    quarter = text_of(detail_client.get(url, {"period": "2024Q1"}).content.decode())
    assert "Officers General, Colonel 9" in quarter
    area = text_of(
        detail_client.get(
            url, {"period": "2024", "area": small_plan.provinces[1].code}
        ).content.decode()
    )
    assert "Officers General, Colonel 5" in area


def test_no_derived_table_without_figures_or_without_a_hierarchy(
    detail_client: Client, small_plan: BuiltPlan
) -> None:
    _staff_by_rank(small_plan)
    # A source with no rank figure: no table at all (not a table of zeros).
    empty = text_of(
        detail_client.get(
            "/plans/nap-3/indicators/STAFF/", {"period": "2024", "source": "cso-shadow"}
        ).content.decode()
    )
    assert "Shadow report" in empty and CAPTION not in empty
    # An indicator whose dimensions sit under nothing: no such table.
    by_sex = text_of(
        detail_client.get("/plans/nap-3/indicators/IND-1-1-N/", {"period": "2024"}).content.decode()
    )
    assert "(derived from" not in by_sex and "Each figure by" not in by_sex
