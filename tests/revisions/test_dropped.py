"""A dropped indicator (docs/revisions.md, "Dropped indicators"): out of the framework of the
periods that start after its version's approval and of the current framework, kept for the
periods before, with its figures; a draft's drop hides nothing.

Hand-worked roll-up: outcome O2 holds IND-B and IND-C (yearly counts, target 10 in every
year, 5 reported each year: achievement 0.5). Version 2, approved on 15 July 2025, drops
IND-B. 2024 and 2025 started before: O2 counts 2 indicators, 2 measured. 2026 started after:
1 and 1. Quarters: 2025-Q3 (from 1 July) keeps it, 2025-Q4 does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.revisions.conftest import RevisionWorld

from wpsmonitor.indicators.in_force import (
    dropped_filter,
    dropped_for,
    dropped_of,
    in_force,
    in_force_filter,
)
from wpsmonitor.indicators.models import DataValue, Indicator
from wpsmonitor.indicators.selectors import plan_progress
from wpsmonitor.indicators.services import target_set
from wpsmonitor.plans.models import PlanVersion
from wpsmonitor.revisions import services

APPROVED = datetime(2025, 7, 15, 12, tzinfo=UTC)


def _draft_dropping_b(rw: RevisionWorld) -> PlanVersion:
    draft = services.revision_prepare(access=rw.access(), kind="midterm", review=rw.review)
    services.indicator_drop(access=rw.access(), version=draft, indicator=rw.b)
    return draft


def _codes(rw: RevisionWorld, starting: object) -> set[str]:
    qs = Indicator.objects.filter(plan=rw.plan)
    return set(in_force(qs, starting=starting).values_list("code", flat=True))  # type: ignore[arg-type]


def test_the_selector_by_period_and_now(rw: RevisionWorld) -> None:
    everything = {"IND-A", "IND-B"}
    draft = _draft_dropping_b(rw)
    # A draft hides nothing, for any period nor now.
    for starting in (None, "ALL", "2026", date(2030, 1, 1)):
        assert _codes(rw, starting) == everything
    assert dropped_of(Indicator.objects.get(pk=rw.b.pk)) is None
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    assert _codes(rw, "2024") == everything
    assert _codes(rw, "2025") == everything  # started before the approval
    assert _codes(rw, "2025Q3") == everything  # 1 July: under way on 15 July
    assert _codes(rw, date(2025, 7, 15)) == everything  # starts on the day: not after it
    assert _codes(rw, date(2025, 7, 16)) == {"IND-A"}
    assert _codes(rw, "2025Q4") == {"IND-A"}
    assert _codes(rw, "2026") == {"IND-A"}
    assert _codes(rw, None) == {"IND-A"}  # now
    assert _codes(rw, "ALL") == {"IND-A"}
    # The complement, and the same rule in Python.
    out = Indicator.objects.filter(plan=rw.plan).filter(dropped_filter(starting="2026"))
    assert list(out.values_list("code", flat=True)) == ["IND-B"]
    assert not Indicator.objects.filter(plan=rw.plan).filter(dropped_filter(starting="2025"))
    assert dropped_for(APPROVED, "2025Q4") and not dropped_for(APPROVED, "2025Q3")
    dropped = dropped_of(Indicator.objects.select_related("retired_in").get(pk=rw.b.pk))
    assert dropped is not None and (dropped.number, dropped.on) == (2, date(2025, 7, 15))
    assert dropped_of(Indicator.objects.get(pk=rw.b.pk), starting="2025") is None
    # Through a relation: the data values of indicators in force now.
    rw.world.value(rw.b, "2024", value=7)
    rw.world.value(rw.a, "2024", value=8)
    values = DataValue.objects.filter(in_force_filter(prefix="indicator__"))
    assert [v.value for v in values] == [8]
    # The figures are never touched.
    assert DataValue.objects.filter(indicator=rw.b).count() == 1


def test_a_future_approval_hides_nothing_now(rw: RevisionWorld) -> None:
    draft = _draft_dropping_b(rw)
    services.revision_approve(
        access=rw.access(), version=draft, at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    assert _codes(rw, None) == {"IND-A", "IND-B"}


def _hand_worked(rw: RevisionWorld) -> Indicator:
    c = rw.world.indicator("IND-C", time_rule="sum", frequency="year", node="O2")
    for indicator in (rw.b, c):
        for year in ("2024", "2025", "2026"):
            target_set(indicator=indicator, period=year, value=10)
            rw.world.value(indicator, year, value=5)
    return c


@pytest.mark.parametrize("approve", [True, False])
def test_the_roll_up_before_and_after_the_drop(rw: RevisionWorld, approve: bool) -> None:
    _hand_worked(rw)
    draft = _draft_dropping_b(rw)
    if approve:
        services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    rw.world.rebuild()

    def counted(period: str) -> tuple[int, int]:
        row = rw.world.node_progress("O2", period)
        assert row is not None
        return row.indicators_total, row.indicators_measured

    assert counted("2024") == (2, 2)
    assert counted("2025") == (2, 2)
    assert counted("2026") == ((1, 1) if approve else (2, 2))
    # Its figures are still computed: the indicator page reads them.
    assert rw.world.v(rw.b, "2026") == 5
    # The plan's own row and the pillar follow.
    plan_row = rw.world.node_progress(None, "2026")
    assert plan_row is not None and plan_row.indicators_measured == (1 if approve else 2)
    # The progress page's selector lists what it counts.
    progress = plan_progress(plan=rw.plan, period_code="2026", area=rw.world.areas["N"])
    listed = {p.indicator.code for item in progress.nodes for p in item.indicators}
    assert ("IND-B" in listed) is (not approve)
    assert progress.indicators_total == (2 if approve else 3)
    earlier = plan_progress(plan=rw.plan, period_code="2024", area=rw.world.areas["N"])
    assert "IND-B" in {p.indicator.code for item in earlier.nodes for p in item.indicators}
    assert earlier.indicators_total == 3


def test_a_partial_rebuild_leaves_it_out_too(rw: RevisionWorld) -> None:
    c = _hand_worked(rw)
    draft = _draft_dropping_b(rw)
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    rw.world.rebuild()
    from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates

    rebuild_plan_aggregates(rw.plan, indicators=[c.pk])
    row = rw.world.node_progress("O2", "2026")
    assert row is not None and (row.indicators_total, row.indicators_measured) == (1, 1)
    row = rw.world.node_progress("O2", "2024")
    assert row is not None and (row.indicators_total, row.indicators_measured) == (2, 2)


def test_approving_a_version_asks_for_a_rebuild(rw: RevisionWorld) -> None:
    """The roll-up leaves the dropped indicator out and measures against the new targets only
    once rebuilt: approving asks for the plan's rebuild (docs/revisions.md)."""
    from wpsmonitor.indicators.models import AggregateRun

    draft = _draft_dropping_b(rw)
    AggregateRun.objects.filter(plan=rw.plan).delete()
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    assert AggregateRun.objects.filter(plan=rw.plan).exists()
