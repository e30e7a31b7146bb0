"""Time rules, percentages, the area roll-up, cells and sources, with hand-checked figures."""

from __future__ import annotations

import pytest

from wpsmonitor.indicators.models import IndicatorKind, TimeRule

from .conftest import CSO, World

pytestmark = pytest.mark.django_db

QUARTERS = [("2024Q1", 10), ("2024Q2", 20), ("2024Q3", 30), ("2024Q4", 40), ("2025Q1", 50)]


def _fill(world: World, indicator, area: str = "N") -> None:
    for period, value in QUARTERS:
        world.value(indicator, period, area, value)


def test_sum_adds_periods_up_to_years_and_all(world: World) -> None:
    trained = world.indicator("SUM", time_rule=TimeRule.SUM)
    _fill(world, trained)
    world.rebuild()
    assert world.v(trained, "2024Q2") == 20
    assert world.v(trained, "2024S1") == 30
    assert world.v(trained, "2024S2") == 70
    assert world.v(trained, "2024") == 100
    assert world.v(trained, "2025") == 50
    assert world.v(trained, "ALL") == 150
    assert world.agg(trained, "2024").value_count == 4


def test_last_takes_latest_period_with_data_never_summed(world: World) -> None:
    seats = world.indicator("LAST", time_rule=TimeRule.LAST)
    _fill(world, seats)
    world.rebuild()
    assert world.v(seats, "2024S1") == 20
    assert world.v(seats, "2024S2") == 40
    assert world.v(seats, "2024") == 40
    assert world.v(seats, "ALL") == 50


def test_last_skips_periods_without_data(world: World) -> None:
    seats = world.indicator("LAST", time_rule=TimeRule.LAST)
    world.value(seats, "2024Q1", "N", 11)
    world.value(seats, "2024Q2", "N", 12)
    world.rebuild()
    assert world.v(seats, "2024") == 12  # Q3 and Q4 have no data: Q2 stands for the year
    assert world.agg(seats, "2024S2") is None


def test_last_is_applied_per_area_then_summed(world: World) -> None:
    # P1 reports twice, P2 only in Q1: the national figure for the semester is each
    # province's latest value added up (7 + 3), not the latest national total (7).
    officers = world.indicator("LAST-AREA", time_rule=TimeRule.LAST)
    world.value(officers, "2024Q1", "P1", 5)
    world.value(officers, "2024Q2", "P1", 7)
    world.value(officers, "2024Q1", "P2", 3)
    world.rebuild()
    assert world.v(officers, "2024S1", "N") == 10
    assert world.v(officers, "2024Q2", "N") == 7


def test_average_is_the_mean_of_periods_with_data(world: World) -> None:
    avg = world.indicator("AVG", time_rule=TimeRule.AVERAGE)
    _fill(world, avg)
    world.rebuild()
    assert world.v(avg, "2024S1") == 15
    assert world.v(avg, "2024") == 25
    assert world.v(avg, "ALL") == 30
    assert world.agg(avg, "2024").value_count == 4


def test_none_rule_has_no_coarser_periods(world: World) -> None:
    once = world.indicator("NONE", time_rule=TimeRule.NONE)
    _fill(world, once)
    world.rebuild()
    assert world.v(once, "2024Q3") == 30
    assert world.agg(once, "2024") is None
    assert world.agg(once, "ALL") is None


def test_values_off_the_indicator_frequency_are_not_counted(world: World) -> None:
    trained = world.indicator("FREQ", time_rule=TimeRule.SUM)
    world.value(trained, "2024Q1", "N", 10)
    world.value(trained, "2024", "N", 999)  # a yearly value on a quarterly indicator
    world.rebuild()
    assert world.v(trained, "2024") == 10


def test_percentage_is_sum_of_numerators_over_sum_of_denominators(world: World) -> None:
    pct = world.indicator("PCT", kind=IndicatorKind.PERCENTAGE, time_rule=TimeRule.SUM)
    world.value(pct, "2024Q1", "N", numerator=1, denominator=2)  # 50 %
    world.value(pct, "2024Q2", "N", numerator=30, denominator=40)  # 75 %
    world.rebuild()
    row = world.agg(pct, "2024S1")
    assert (row.numerator, row.denominator) == (31, 42)
    assert row.value == pytest.approx(31 / 42 * 100)  # 73.81, the mean of percentages is 62.5
    assert row.value != pytest.approx(62.5)


def test_percentage_across_areas_and_average_rule(world: World) -> None:
    pct = world.indicator("PCT-AVG", kind=IndicatorKind.PERCENTAGE, time_rule=TimeRule.AVERAGE)
    world.value(pct, "2024Q1", "D11", numerator=1, denominator=2)
    world.value(pct, "2024Q2", "D11", numerator=3, denominator=4)
    world.value(pct, "2024Q1", "D21", numerator=30, denominator=40)
    world.rebuild()
    # D11 over the semester: mean numerator 2, mean denominator 3; D21: 30 / 40.
    row = world.agg(pct, "2024S1", "N")
    assert (row.numerator, row.denominator) == (32, 43)
    assert row.value == pytest.approx(32 / 43 * 100)
    assert world.v(pct, "2024S1", "D11") == pytest.approx(200 / 3)


def test_area_roll_up_sums_the_subtree_over_three_levels(world: World) -> None:
    count = world.indicator("AREA")
    world.value(count, "2024Q1", "D11", 1)
    world.value(count, "2024Q1", "D12", 2)
    world.value(count, "2024Q1", "D21", 4)
    world.value(count, "2024Q1", "P1", 10)  # the province's own value counts too (DHIS2)
    world.value(count, "2024Q1", "N", 100)
    world.rebuild()
    assert world.v(count, "2024Q1", "D11") == 1
    assert world.v(count, "2024Q1", "P1") == 13
    assert world.v(count, "2024Q1", "P2") == 4
    assert world.v(count, "2024Q1", "N") == 117
    assert world.v(count, "2024", "P1") == 13


def test_yes_no_across_areas_is_the_share_of_areas_saying_yes(world: World) -> None:
    law = world.indicator("YES", kind=IndicatorKind.YES_NO, time_rule=TimeRule.LAST)
    world.value(law, "2024Q1", "D11", 1)
    world.value(law, "2024Q1", "D12", 1)
    world.value(law, "2024Q1", "D21", 0)
    world.value(law, "2024Q2", "D21", 1)
    world.rebuild()
    assert world.v(law, "2024Q1", "N") == pytest.approx(2 / 3)
    assert world.v(law, "2024", "N") == 1  # D21 said yes in Q2: all three districts
    assert world.v(law, "2024Q1", "P1") == 1
    assert world.agg(law, "2024Q1", "N").value_count == 3


def test_list_indicator_counts_items(world: World) -> None:
    laws = world.indicator("LIST", kind=IndicatorKind.LIST, time_rule=TimeRule.SUM)
    for _i in range(3):
        world.item(laws, "2024Q1", "P1")
    world.item(laws, "2024Q2", "P2")
    world.item(laws, "2024Q2", "N")
    world.rebuild()
    assert world.v(laws, "2024Q1", "N") == 3
    assert world.v(laws, "2024", "N") == 5
    assert world.v(laws, "2024", "P1") == 3


def test_margins_are_sums_of_cells_and_total_is_sum_of_any_margin(world: World) -> None:
    people = world.indicator("CELLS", scheme=["sex", "age"])
    figures = {
        ("F", "0-17"): 1,
        ("F", "18-29"): 2,
        ("F", "30-59"): 4,
        ("M", "18-29"): 8,
        ("M", "60+"): 16,
    }
    for (sex, age), value in figures.items():
        world.value(people, "2024Q1", "D11", value, cell=f"sex={sex};age={age}")
        world.value(people, "2024Q2", "D21", value * 100, cell=f"sex={sex};age={age}")
    world.rebuild()
    assert world.v(people, "2024Q1", "N", cell_key="sex=F") == 7
    assert world.v(people, "2024Q1", "N", cell_key="sex=M") == 24
    assert world.v(people, "2024Q1", "N", cell_key="age=18-29") == 10
    assert world.v(people, "2024Q1", "N", cell_key="age=30-59") == 4
    assert world.v(people, "2024Q1", "N") == 31
    assert world.v(people, "2024", "N") == 31 * 101
    for period in ("2024Q1", "2024S1", "2024", "ALL"):
        total = world.v(people, period)
        for dim, options in (("sex", ["F", "M"]), ("age", ["0-17", "18-29", "30-59", "60+"])):
            margin = sum(world.v(people, period, cell_key=f"{dim}={o}") or 0 for o in options)
            assert margin == total
    # Full cells are not stored: the cross-tab selector computes them.
    assert world.agg(people, "2024Q1", cell_key="sex=F;age=0-17") is None


def test_sources_are_never_merged(world: World) -> None:
    seats = world.indicator("SRC")
    world.value(seats, "2024Q1", "P1", 10)
    world.value(seats, "2024Q1", "P1", 99, source=CSO)
    world.value(seats, "2024Q1", "P2", 1, source=CSO)
    world.rebuild()
    assert world.v(seats, "2024Q1", "N") == 10
    assert world.v(seats, "2024Q1", "N", source=CSO) == 100
    assert world.agg(seats, "2024Q1", "P2") is None
