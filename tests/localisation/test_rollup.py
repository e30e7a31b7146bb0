"""The roll-up and the matrix on the national plan, as each reader may read the local plans."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.finance.models import BudgetLine
from wpsmonitor.indicators.models import Indicator, IndicatorKind
from wpsmonitor.indicators.selectors import Figure
from wpsmonitor.localisation import selectors
from wpsmonitor.plans.models import FrameworkNode, PlanStatus
from wpsmonitor.plans.services import plan_update
from wpsmonitor.publishing.selectors import reading_for

from .conftest import Built

pytestmark = pytest.mark.django_db


def _rollup(built: Built, who: object) -> selectors.Rollup:
    return selectors.rollup(PlanAccess(who, built.nap), reading_for)  # type: ignore[arg-type]


def _by_code(rollup: selectors.Rollup) -> dict[str, selectors.IndicatorRollup]:
    return {item.indicator.code: item for item in rollup.indicators}


def test_local_figures_add_up_and_coverage_is_said(built: Built) -> None:
    found = _rollup(built, built.users["coord"])
    assert [lp.plan.code for lp in found.plans] == ["lap-p1", "lap-p2"]
    assert [(p.area.code, [pl.code for pl in p.plans]) for p in found.provinces] == [
        ("COD-P1", ["lap-p1"]),
        ("COD-P2", ["lap-p2"]),
        ("COD-P3", []),
    ]
    items = _by_code(found)
    cnt = items["CNT"].periods[0]
    assert cnt.period_code == "2024"
    assert [f.value if f else None for f in cnt.cells] == [10, 5]
    assert cnt.national is not None and cnt.national.value == 15
    pct = items["PCT"].periods[0]
    assert pct.national is not None
    # From the sums of numerators and denominators (5/15), never the mean of 30 % and 40 %.
    assert (pct.national.numerator, pct.national.denominator) == (5, 15)
    assert round(pct.national.value or 0, 2) == 33.33
    # LVL does not add up; it is localised and reported in P1 only.
    lvl = items["LVL"]
    assert lvl.periods[0].national is None
    assert [(p.code, localised, reported) for p, localised, reported in lvl.coverage] == [
        ("lap-p1", True, True),
        ("lap-p2", False, False),
    ]
    assert "FRM" not in items  # not localised anywhere


def test_a_restricted_indicator_is_left_out_for_who_may_not_read_it(built: Built) -> None:
    assert "RES" in _by_code(_rollup(built, built.users["coord"]))
    # The viewer of both plans sees the detail, without the restricted indicator.
    items = _by_code(_rollup(built, built.users["viewer"]))
    assert "RES" not in items
    assert items["CNT"].periods[0].cells[0] is not None


def test_a_reader_outside_the_local_plans_reads_their_release_only(built: Built) -> None:
    # A copy-down makes a draft: outside its members, nobody reads it, nor its figures.
    for who in (AnonymousUser(), built.users["stranger"]):
        assert _rollup(built, who).plans == []
    for plan in (built.p1_plan, built.p2_plan):
        plan_update(plan=plan, status=PlanStatus.IMPLEMENTATION)
    # No release is published: an anonymous reader and a stranger read no local figure at all.
    for who in (AnonymousUser(), built.users["stranger"]):
        found = _rollup(built, who)
        assert [lp.reading.detail for lp in found.plans] == [False, False]
        assert all(not item.periods for item in found.indicators)
        assert "RES" not in _by_code(found)
    # The viewer is a member of lap-p1 only: lap-p2's figures are its release's (none).
    found = _rollup(built, built.users["viewer"])
    cnt = _by_code(found)["CNT"].periods[0]
    assert [f.value if f else None for f in cnt.cells] == [10, None]
    assert cnt.national is not None and cnt.national.value == 10


def test_no_national_figure_when_a_local_one_is_hidden() -> None:
    indicator = Indicator(kind=IndicatorKind.NUMBER, factor=1)
    plan_a = FrameworkNode  # any object with an area: the plans below
    del plan_a

    class P:
        def __init__(self, path: str) -> None:
            self.area_id = path
            self.area = type("A", (), {"path": path})()

    one, two = P("/1/2/"), P("/1/3/")
    hidden = Figure(flag="primary", threshold=5)
    assert selectors._summed(indicator, [(one, Figure(value=20)), (two, hidden)]) == (
        None,
        "hidden",
    )
    # A district's plan under its province's is not added twice.
    district = P("/1/2/9/")
    total, note = selectors._summed(
        indicator, [(one, Figure(value=20)), (district, Figure(value=4)), (two, Figure(value=1))]
    )
    assert total is not None and (total.value, total.count, note) == (21, 2, "")


def test_matrix_outcomes_by_local_plan(built: Built) -> None:
    action = FrameworkNode.objects.get(plan=built.p1_plan, code="PAR.1.1.1")
    BudgetLine.objects.create(
        action=action, year=2024, funding_kind="national_budget", currency="CDF", allocated=1000
    )
    BudgetLine.objects.create(
        action=action, year=2025, funding_kind="national_budget", currency="CDF", allocated=500
    )
    found = selectors.matrix(PlanAccess(built.users["coord"], built.nap), reading_for)
    assert [p.code for p in found.plans] == ["lap-p1", "lap-p2"]
    rows = {row.outcome.code: row for row in found.rows}
    assert set(rows) == {"PAR.1", "PRO.1"}
    par_p1, par_p2 = rows["PAR.1"].cells
    assert par_p1.node is not None and par_p1.node.plan == built.p1_plan
    assert par_p1.budget == (("CDF", Decimal("1500")),)
    assert par_p2.node is not None and par_p2.budget == ()
    assert par_p1.progress is not None and par_p1.progress.actions.total == 1
    pro_p1, pro_p2 = rows["PRO.1"].cells
    assert pro_p1.node is not None and pro_p2.node is None  # P2 did not take it up
