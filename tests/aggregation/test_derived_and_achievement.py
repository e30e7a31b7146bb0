"""Women's share, formulas, targets and achievement, with hand-checked figures."""

from __future__ import annotations

import pytest

from wpsmonitor.indicators.models import Direction, IndicatorKind, TimeRule
from wpsmonitor.indicators.services import baseline_set, target_set

from .conftest import World

pytestmark = pytest.mark.django_db

OFFICERS = {  # (sex, rank): officers in province 1, 2024Q1
    ("F", "constable"): 30,
    ("M", "constable"): 70,
    ("F", "inspector"): 5,
    ("M", "inspector"): 45,
}


def _police(world: World):
    officers = world.indicator("POL", scheme=["sex", "rank"], time_rule=TimeRule.LAST)
    share = world.indicator(
        "POL-F",
        kind=IndicatorKind.SHARE,
        time_rule=TimeRule.LAST,
        share_of=officers,
        share_dimension="sex",
        share_option="F",
    )
    return officers, share


def test_womens_share_total_and_by_rank(world: World) -> None:
    officers, share = _police(world)
    for (sex, rank), value in OFFICERS.items():
        world.value(officers, "2024Q1", "P1", value, cell=f"sex={sex};rank={rank}")
    world.rebuild()
    total = world.agg(share, "2024Q1", "P1")
    assert (total.numerator, total.denominator) == (35, 150)
    assert total.value == pytest.approx(100 * 35 / 150)  # 23.33 %
    assert world.v(share, "2024Q1", "P1", cell_key="rank=constable") == pytest.approx(30)
    assert world.v(share, "2024Q1", "P1", cell_key="rank=inspector") == pytest.approx(10)
    assert world.agg(share, "2024Q1", "P1", cell_key="sex=F") is None


def test_womens_share_across_areas_and_time_uses_the_counts_rule(world: World) -> None:
    officers, share = _police(world)
    for (sex, rank), value in OFFICERS.items():
        world.value(officers, "2024Q1", "P1", value, cell=f"sex={sex};rank={rank}")
    # Province 2 reports constables in Q1 and again in Q2 (officer counts are stocks: LAST).
    world.value(officers, "2024Q1", "P2", 1, cell="sex=F;rank=constable")
    world.value(officers, "2024Q1", "P2", 1, cell="sex=M;rank=constable")
    world.value(officers, "2024Q2", "P2", 10, cell="sex=F;rank=constable")
    world.value(officers, "2024Q2", "P2", 10, cell="sex=M;rank=constable")
    world.rebuild()
    # 2024: P1 (Q1 only) + P2's Q2 values: women 35 + 10 of 150 + 20 officers.
    row = world.agg(share, "2024", "N")
    assert (row.numerator, row.denominator) == (45, 170)
    assert row.value == pytest.approx(100 * 45 / 170)
    assert world.v(share, "2024", "N", cell_key="rank=constable") == pytest.approx(100 * 40 / 120)
    # Not the mean of the provinces' shares (23.3 % and 50 %).
    assert row.value != pytest.approx((100 * 35 / 150 + 50) / 2)


def test_formula_with_division_by_zero_gives_no_value(world: World) -> None:
    cases = world.indicator("CASES")
    staff = world.indicator("STAFF")
    ratio = world.indicator(
        "RATIO",
        kind=IndicatorKind.FORMULA,
        numerator_formula="{CASES} * 2",
        denominator_formula="{STAFF} - 4",
        factor=1,
    )
    world.value(cases, "2024Q1", "N", 30)
    world.value(staff, "2024Q1", "N", 9)
    world.value(cases, "2024Q2", "N", 10)
    world.value(staff, "2024Q2", "N", 4)  # denominator 4 - 4 = 0
    world.value(cases, "2024Q3", "N", 10)  # no staff figure: no value
    world.rebuild()
    assert world.v(ratio, "2024Q1") == pytest.approx(60 / 5)
    assert world.agg(ratio, "2024Q2") is None
    assert world.agg(ratio, "2024Q3") is None
    # Over the semester the formula sees the totals: (40 * 2) / (13 - 4).
    assert world.v(ratio, "2024S1") == pytest.approx(80 / 9)


def test_formula_cycles_and_unknown_codes_do_not_break_the_rebuild(world: World) -> None:
    base = world.indicator("BASE")
    a = world.indicator("FA", kind=IndicatorKind.FORMULA, numerator_formula="{BASE}", factor=1)
    b = world.indicator("FB", kind=IndicatorKind.FORMULA, numerator_formula="{FA} + 1", factor=1)
    # Written directly: the services refuse these, old data might still hold them.
    a.numerator_formula = "{FB} + {BASE}"
    a.save()
    ghost = world.indicator("FG", kind=IndicatorKind.FORMULA, numerator_formula="{BASE}", factor=1)
    ghost.numerator_formula = "{NOPE} + {BASE}"
    ghost.save()
    chained = world.indicator(
        "FC", kind=IndicatorKind.FORMULA, numerator_formula="{BASE} / 2", factor=100
    )
    world.value(base, "2024Q1", "N", 8)
    assert world.rebuild() > 0
    assert world.agg(a, "2024Q1") is None
    assert world.agg(b, "2024Q1") is None
    assert world.agg(ghost, "2024Q1") is None
    assert world.v(chained, "2024Q1") == pytest.approx(400)


def test_formula_over_a_formula_is_evaluated_in_order(world: World) -> None:
    base = world.indicator("BASE")
    first = world.indicator(
        "F1", kind=IndicatorKind.FORMULA, numerator_formula="{BASE} + 1", factor=1
    )
    second = world.indicator(
        "F2", kind=IndicatorKind.FORMULA, numerator_formula="{F1} * 10", factor=1
    )
    world.value(base, "2024Q1", "N", 4)
    world.rebuild()
    assert world.v(first, "2024Q1") == 5
    assert world.v(second, "2024Q1") == 50


def test_achievement_increase_with_and_without_baseline(world: World) -> None:
    with_base = world.indicator("INC-B")
    no_base = world.indicator("INC")
    baseline_set(indicator=with_base, period="2023", value=10)
    target_set(indicator=with_base, period="2024", value=30)
    target_set(indicator=no_base, period="2024", value=40)
    world.value(with_base, "2024Q1", "N", 20)
    world.value(no_base, "2024Q1", "N", 10)
    world.rebuild()
    row = world.agg(with_base, "2024")
    assert (row.target, row.baseline) == (30, 10)
    assert row.achievement == pytest.approx(0.5)  # (20 - 10) / (30 - 10)
    assert world.agg(no_base, "2024").achievement == pytest.approx(0.25)  # 10 / 40
    assert world.agg(no_base, "2024Q1").achievement is None  # no target for the quarter


def test_achievement_decrease_maintain_yes_no_and_over_achievement(world: World) -> None:
    down = world.indicator("DEC", direction=Direction.DECREASE, time_rule=TimeRule.LAST)
    down_nb = world.indicator("DEC-NB", direction=Direction.DECREASE, time_rule=TimeRule.LAST)
    keep = world.indicator("MNT", direction=Direction.MAINTAIN, time_rule=TimeRule.LAST)
    keep_low = world.indicator("MNT-L", direction=Direction.MAINTAIN, time_rule=TimeRule.LAST)
    law = world.indicator("YN", kind=IndicatorKind.YES_NO, time_rule=TimeRule.LAST)
    over = world.indicator("OVER")
    flat = world.indicator("FLAT")
    baseline_set(indicator=down, period="2023", value=100)
    baseline_set(indicator=flat, period="2023", value=50)
    for ind, target in ((down, 50), (down_nb, 50), (keep, 90), (keep_low, 90), (over, 10)):
        target_set(indicator=ind, period="2024", value=target)
    target_set(indicator=law, period="2024", value=1)
    target_set(indicator=flat, period="2024", value=50)
    world.value(down, "2024Q1", "N", 80)
    world.value(down_nb, "2024Q1", "N", 80)
    world.value(keep, "2024Q1", "N", 95)
    world.value(keep_low, "2024Q1", "N", 45)
    world.value(law, "2024Q1", "N", 1)
    world.value(over, "2024Q1", "N", 15)
    world.value(flat, "2024Q1", "N", 60)
    world.rebuild()
    assert world.agg(down, "2024").achievement == pytest.approx(0.4)  # (80-100)/(50-100)
    assert world.agg(down_nb, "2024").achievement is None  # decrease needs a baseline
    assert world.agg(keep, "2024").achievement == 1
    assert world.agg(keep_low, "2024").achievement == pytest.approx(0.5)
    assert world.agg(law, "2024").achievement == 1
    assert world.agg(over, "2024").achievement == pytest.approx(1.5)  # stored uncapped
    assert world.agg(flat, "2024").achievement is None  # target == baseline


def test_all_uses_the_latest_target_and_provinces_need_their_own(world: World) -> None:
    # A level (last value): the plan-to-date figure is measured against the final target.
    count = world.indicator("TGT", time_rule=TimeRule.LAST)
    target_set(indicator=count, period="2024", value=20)
    target_set(indicator=count, period="2025", value=40)
    target_set(indicator=count, period="2025", value=5, area=world.areas["P2"])
    world.value(count, "2024Q1", "P1", 10)
    world.value(count, "2025Q1", "P2", 10)
    world.rebuild()
    assert world.agg(count, "ALL").target == 40
    assert world.agg(count, "ALL").achievement == pytest.approx(0.5)  # P1 10 + P2 10 of 40
    assert world.agg(count, "2024").achievement == pytest.approx(0.5)  # 10 of 20
    assert world.agg(count, "ALL", "P1").achievement is None  # no provincial target
    assert world.agg(count, "ALL", "P2").achievement == pytest.approx(2.0)


def test_a_flow_is_measured_per_year_never_its_running_total_against_a_yearly_target(
    world: World,
) -> None:
    cases = world.indicator("FLOW")  # SUM: cases reported in each period
    baseline_set(indicator=cases, period="2023", value=100)
    target_set(indicator=cases, period="2024", value=150)
    target_set(indicator=cases, period="2025", value=200)
    for quarter in ("2024Q1", "2024Q2", "2025Q1", "2025Q2"):
        world.value(cases, quarter, "N", 90)
    world.rebuild()
    everything = world.agg(cases, "ALL")
    assert everything.value == 360  # the running total is still reported
    assert everything.target is None and everything.achievement is None
    assert world.agg(cases, "2024").achievement == pytest.approx(1.6)  # (180-100)/(150-100)
    assert world.agg(cases, "2025").achievement == pytest.approx(0.8)  # (180-100)/(200-100)


def test_percentage_target_and_margin_target(world: World) -> None:
    pct = world.indicator("PCT-T", kind=IndicatorKind.PERCENTAGE, scheme=["sex"])
    target_set(indicator=pct, period="2024", numerator=1, denominator=2)  # 50 %
    target_set(indicator=pct, period="2024", value=80, cell="sex=F")
    world.value(pct, "2024Q1", "N", cell="sex=F", numerator=3, denominator=5)
    world.value(pct, "2024Q1", "N", cell="sex=M", numerator=1, denominator=5)
    world.rebuild()
    total = world.agg(pct, "2024")
    assert total.value == pytest.approx(40)
    assert total.achievement == pytest.approx(0.8)
    women = world.agg(pct, "2024", cell_key="sex=F")
    assert women.value == pytest.approx(60)
    assert women.achievement == pytest.approx(0.75)


def test_a_share_keeps_every_cell_of_its_other_dimensions(world: World) -> None:
    """Issue 12 §6: women's share by rank and age, not only by rank and by age."""
    officers = world.indicator("POL3", scheme=["sex", "rank", "age"], time_rule=TimeRule.LAST)
    share = world.indicator(
        "POL3-F",
        kind=IndicatorKind.SHARE,
        time_rule=TimeRule.LAST,
        share_of=officers,
        share_dimension="sex",
        share_option="F",
    )
    for (sex, rank), value in OFFICERS.items():
        world.value(officers, "2024Q1", "P1", value, cell=f"sex={sex};rank={rank};age=18-29")
    world.value(officers, "2024Q1", "P1", 10, cell="sex=F;rank=inspector;age=30-59")
    world.value(officers, "2024Q1", "P1", 10, cell="sex=M;rank=inspector;age=30-59")
    world.rebuild()
    cell = "rank=inspector;age=18-29"
    assert world.v(share, "2024Q1", "P1", cell_key=cell) == pytest.approx(10)  # 5 of 50
    assert world.v(share, "2024Q1", "P1", cell_key="rank=inspector;age=30-59") == 50
    assert world.v(share, "2024Q1", "P1", cell_key="rank=inspector") == pytest.approx(100 * 15 / 70)
    assert world.v(share, "2024Q1", "P1", cell_key="age=18-29") == pytest.approx(35 / 1.5)
    assert world.v(share, "2024", "N", cell_key=cell) == pytest.approx(10)
