"""Hierarchical dimensions (issue 17, part 3): rank under category.

"general" sits under "officers", "private" under "troops": a cell category=troops;rank=general
is impossible and refused on every write path (the values import, the API's bulk write, the
services), with a message saying why; totals by category are derived from the ranks, even for
an indicator disaggregated by rank alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import IngestError, values_ingest
from wpsmonitor.indicators.models import (
    AggregateValue,
    Cell,
    DataValue,
    Dimension,
    DimensionOption,
    Indicator,
)
from wpsmonitor.indicators.services import (
    dimension_ensure,
    option_parents_set,
    scheme_ensure,
    target_set,
)

from .helpers import db_state, refused, write_csv
from .workbooks import SHEETS, write_plan_workbook

pytestmark = pytest.mark.django_db

CATEGORY = [("officers", "Officers"), ("troops", "Troops")]
RANK = [("general", "General"), ("colonel", "Colonel"), ("private", "Private")]


def _ranks(plan) -> None:
    dimension_ensure(code="category", name="Category", options=CATEGORY, plan=plan)
    rank = dimension_ensure(code="rank", name="Rank", options=RANK, plan=plan)
    officers = DimensionOption.objects.get(dimension__code="category", code="officers")
    troops = DimensionOption.objects.get(dimension__code="category", code="troops")
    option_parents_set(
        dimension=rank, parents={"general": officers, "colonel": officers, "private": troops}
    )
    node = plan.nodes.first() if hasattr(plan, "nodes") else None
    node = node or Indicator.objects.filter(plan=plan).first().node
    Indicator.objects.create(
        plan=plan,
        node=node,
        code="R2",
        title="Army staff by category and rank",
        kind="number",
        time_rule="sum",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["category", "rank"]),
    )
    Indicator.objects.create(
        plan=plan,
        node=node,
        code="R1",
        title="Army staff by rank",
        kind="number",
        time_rule="sum",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["rank"]),
    )


def test_only_the_combinations_the_hierarchy_allows_are_cells(small_plan) -> None:
    _ranks(small_plan)
    cells = set(Cell.objects.filter(scheme__code="category-rank").values_list("code", flat=True))
    assert cells == {
        "category=officers;rank=general",
        "category=officers;rank=colonel",
        "category=troops;rank=private",
    }


def test_the_values_import_refuses_an_impossible_combination_where_it_stands(
    small_plan, tmp_path: Path
) -> None:
    _ranks(small_plan)
    before = db_state()
    path = write_csv(
        tmp_path / "ranks.csv",
        [
            "ken-nap-2,R2,2021,KEN,category=officers;rank=general,,3,,,,",
            "ken-nap-2,R2,2021,KEN,category=troops;rank=general,,4,,,,",
        ],
    )
    assert refused(path) == [
        f"{path.name}:3:cell: rank general sits under category officers, not troops: "
        "that combination is impossible"
    ]
    assert db_state() == before


def test_the_api_write_and_the_services_refuse_it_too(small_plan) -> None:
    _ranks(small_plan)
    with pytest.raises(IngestError) as problems:
        values_ingest(
            plan="ken-nap-2",
            rows=[
                {
                    "indicator": "R2",
                    "period": "2021",
                    "area": "KEN",
                    "cell": "rank=private;category=officers",
                    "value": 5,
                }
            ],
        )
    (problem,) = problems.value.problems
    assert (problem.where, problem.column) == ("values[0]", "cell")
    assert "rank private sits under category troops, not officers" in problem.message
    with pytest.raises(ValidationError, match="rank general sits under category officers"):
        target_set(
            indicator=Indicator.objects.get(code="R2"),
            period="2021",
            area="KEN",
            cell="category=troops;rank=general",
            value=10,
        )
    assert not DataValue.objects.exists()


def test_totals_by_category_are_derived_from_the_ranks(small_plan) -> None:
    _ranks(small_plan)
    values_ingest(
        plan="ken-nap-2",
        rows=[
            {"indicator": code, "period": "2021", "area": "KEN", "cell": cell, "value": value}
            for code, cell, value in [
                ("R1", "rank=general", 2),
                ("R1", "rank=colonel", 5),
                ("R1", "rank=private", 40),
                ("R2", "category=officers;rank=general", 2),
                ("R2", "category=officers;rank=colonel", 5),
                ("R2", "category=troops;rank=private", 40),
            ]
        ],
    )
    rebuild_plan_aggregates(small_plan)

    def margin(code: str, key: str) -> float | None:
        row = AggregateValue.objects.filter(
            indicator__code=code, period_code="2021", area__code="KEN", cell_key=key
        ).first()
        return None if row is None else row.value

    # By rank alone: the categories are derived from the ranks, never typed.
    assert margin("R1", "category=officers") == 7
    assert margin("R1", "category=troops") == 40
    assert margin("R1", "") == 47  # the total, counted once
    assert margin("R2", "category=officers") == 7
    assert margin("R2", "rank=general") == 2
    assert margin("R2", "") == 47


def test_a_parent_that_would_make_a_cell_with_figures_impossible_is_refused(small_plan) -> None:
    _ranks(small_plan)
    values_ingest(
        plan="ken-nap-2",
        rows=[
            {
                "indicator": "R2",
                "period": "2021",
                "area": "KEN",
                "cell": "category=officers;rank=colonel",
                "value": 5,
            }
        ],
    )
    troops = DimensionOption.objects.get(dimension__code="category", code="troops")
    rank = Dimension.objects.get(code="rank")
    with pytest.raises(ValidationError, match="category=officers;rank=colonel holds figures"):
        option_parents_set(dimension=rank, parents={"colonel": troops})
    assert DimensionOption.objects.get(dimension=rank, code="colonel").parent.code == "officers"


def test_an_option_cannot_sit_under_itself_or_its_own_child(small_plan) -> None:
    _ranks(small_plan)
    general = DimensionOption.objects.get(dimension__code="rank", code="general")
    category = Dimension.objects.get(code="category")
    with pytest.raises(ValidationError, match="which is under it"):
        option_parents_set(dimension=category, parents={"officers": general})


def test_a_group_of_its_own_dimension_holds_no_figure_of_its_own(small_plan) -> None:
    """Under an option of the same dimension: "officers" of rank groups general and colonel."""
    rank = dimension_ensure(
        code="rank",
        name="Rank",
        options=[("officers", "Officers"), *RANK],
        plan=small_plan,
    )
    officers = DimensionOption.objects.get(dimension=rank, code="officers")
    option_parents_set(dimension=rank, parents={"general": officers, "colonel": officers})
    Indicator.objects.create(
        plan=small_plan,
        node=Indicator.objects.filter(plan=small_plan).first().node,
        code="R3",
        title="Army staff",
        kind="number",
        time_rule="sum",
        frequency="year",
        scheme=scheme_ensure(dimension_codes=["rank"]),
    )
    with pytest.raises(IngestError) as problems:
        values_ingest(
            plan="ken-nap-2",
            rows=[{"indicator": "R3", "period": "2021", "area": "KEN", "cell": "rank=officers"}],
        )
    assert "officers of rank groups colonel, general" in problems.value.problems[0].message
    values_ingest(
        plan="ken-nap-2",
        rows=[
            {"indicator": "R3", "period": "2021", "area": "KEN", "cell": c, "value": v}
            for c, v in [("rank=general", 2), ("rank=colonel", 5), ("rank=private", 40)]
        ],
    )
    rebuild_plan_aggregates(small_plan)
    officers_total = AggregateValue.objects.get(
        indicator__code="R3", period_code="2021", area__code="KEN", cell_key="rank=officers"
    )
    assert officers_total.value == 7


def _dimension_rows(parent_of_general: str) -> list[dict[str, str]]:
    return [
        *SHEETS["Dimensions"],
        {"dimension": "category", "option": "officers", "option_name": "Officers"},
        {"dimension": "category", "option": "troops", "option_name": "Troops"},
        {"dimension": "rank", "option": "general", "parent": parent_of_general},
        {"dimension": "rank", "option": "private", "parent": "category=troops"},
    ]


def test_the_dimensions_sheet_takes_the_parent(tmp_path: Path, db) -> None:
    from wpsmonitor.exchange.importer import import_files

    path = write_plan_workbook(
        tmp_path / "plan.xlsx", sheets={"Dimensions": _dimension_rows("category=officers")}
    )
    import_files(paths=[path])
    general = DimensionOption.objects.get(dimension__code="rank", code="general")
    assert (general.parent.dimension.code, general.parent.code) == ("category", "officers")


def test_an_unknown_parent_is_refused_on_its_row(tmp_path: Path, db) -> None:
    path = write_plan_workbook(
        tmp_path / "plan.xlsx", sheets={"Dimensions": _dimension_rows("category=generals")}
    )
    problems = refused(path)
    assert f"{path.name}:Dimensions:6:parent: unknown option 'category=generals' " in "\n".join(
        problems
    )
