"""A figure for an area and figures for its sub-areas never sit side by side (issue 12 §5).

An area's figure is rolled up from its sub-areas' (docs/computations.md, "Areas"): a national
total typed beside the provinces' figures was added on top of them (44 where the provinces sum
to 22). Every write goes through the ingest, which refuses such a figure, naming the areas.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.aggregation.conftest import CSO, World

from wpsmonitor.indicators.ingest import IngestError, ResolvedFigure, figures_ingest, values_ingest
from wpsmonitor.indicators.models import DataValue, IndicatorKind, Period, TimeRule


def _row(code: str, area: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"indicator": code, "period": "2024Q1", "area": area, "value": value, **extra}


def _provinces(world: World, code: str = "CASES", **cell: Any) -> None:
    world.indicator(code, scheme=["sex"] if cell else [])
    values_ingest(
        plan=world.plan.code,
        rows=[_row(code, "SEN-P1", 10, **cell), _row(code, "SEN-P2", 12, **cell)],
    )


def test_a_national_total_beside_the_provinces_is_refused_naming_them(world: World) -> None:
    _provinces(world)
    with pytest.raises(IngestError) as refused:
        values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN", 22)])
    (problem,) = refused.value.problems
    assert problem.column == "area"
    assert "SEN-P1, SEN-P2" in problem.message and "counted twice" in problem.message
    assert not DataValue.objects.filter(area=world.areas["N"]).exists()
    world.rebuild()
    assert world.v(world.plan.indicators.get(code="CASES"), "2024Q1", "N") == 22  # not 44


def test_a_province_beside_a_national_figure_is_refused_naming_it(world: World) -> None:
    world.indicator("CASES")
    values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN", 22)])
    with pytest.raises(IngestError) as refused:
        # A district is below the country too, two levels down.
        values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN-D11", 3)])
    (problem,) = refused.value.problems
    assert problem.column == "area" and problem.message.startswith("SEN, above SEN-D11,")


def test_both_levels_in_one_input_are_refused_and_nothing_is_stored(world: World) -> None:
    world.indicator("CASES")
    rows = [_row("CASES", "SEN-D11", 1), _row("CASES", "SEN-D12", 2), _row("CASES", "SEN-P1", 3)]
    with pytest.raises(IngestError) as refused:
        values_ingest(plan=world.plan.code, rows=rows)
    assert [p.where for p in refused.value.problems] == ["values[0]", "values[1]", "values[2]"]
    assert "SEN-D11, SEN-D12" in refused.value.problems[2].message
    assert not DataValue.objects.exists()


def test_other_cells_sources_periods_and_narratives_do_not_overlap(world: World) -> None:
    _provinces(world, "BYSEX", cell="sex=F")
    world.indicator("STORY", kind=IndicatorKind.NARRATIVE, time_rule=TimeRule.NONE)
    result = values_ingest(
        plan=world.plan.code,
        rows=[
            _row("BYSEX", "SEN", 5, cell="sex=M"),  # the provinces gave sex=F only
            _row("BYSEX", "SEN", 9, cell="sex=F", source=CSO),  # another stream
            {**_row("BYSEX", "SEN", 6, cell="sex=F"), "period": "2024Q2"},
            {**_row("STORY", "SEN", None), "text": "National story"},
            {**_row("STORY", "SEN-P1", None), "text": "Province story"},
        ],
    )
    assert result.created == 5


def test_the_same_area_again_is_an_update_not_an_overlap(world: World) -> None:
    _provinces(world)
    result = values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN-P1", 11)])
    assert result.updated == 1


def test_an_approved_submission_is_held_to_the_same_rule(world: World) -> None:
    # The approval of a submission stores through figures_ingest, with ids, not codes.
    indicator = world.indicator("CASES")
    values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN", 22)])
    figure = ResolvedFigure(
        indicator_id=indicator.pk,
        period_id=Period.objects.get(code="2024Q1").pk,
        area_id=world.areas["P2"].pk,
        cell_id=indicator.scheme.cells.get(code="total").pk,
        source_id=world.sources["gov"].pk,
        value=12,
    )
    with pytest.raises(IngestError) as refused:
        figures_ingest(figures=[figure], plan=world.plan.code)
    assert "SEN, above SEN-P2" in refused.value.problems[0].message


def test_a_refusal_names_five_sub_areas_and_counts_the_rest(world: World) -> None:
    from wpsmonitor.directory.services import area_subdivision_ensure

    world.indicator("CASES")
    codes = [f"SEN-X{i}" for i in range(7)]
    for code in codes:
        area_subdivision_ensure(parent=world.areas["N"], code=code, name=code)
    values_ingest(plan=world.plan.code, rows=[_row("CASES", code, 1) for code in codes])
    with pytest.raises(IngestError) as refused:
        values_ingest(plan=world.plan.code, rows=[_row("CASES", "SEN", 7)])
    assert "SEN-X4 and 2 more" in refused.value.problems[0].message
