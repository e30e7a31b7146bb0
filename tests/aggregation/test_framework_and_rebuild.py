"""Framework roll-up, actions and delays, rebuild replacement, tasks, command, and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wpsmonitor.indicators.models import AggregateRun, AggregateValue, DataValue, IndicatorKind
from wpsmonitor.indicators.selectors import (
    actions_summary,
    indicator_by_area,
    indicator_series,
    indicator_table,
    plan_periods,
    plan_progress,
)
from wpsmonitor.indicators.services import target_set
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import ActionStatus
from wpsmonitor.plans.services import node_create

from .conftest import World, build_world

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)


def _framework(world: World):
    """O1: I1 at 50 %; O2: I2 at 150 % (capped to 100 %) and I3 without target; O3: I4 at 25 %."""
    figures = [("I1", "O1", 5, 10), ("I2", "O2", 15, 10), ("I3", "O2", 7, None), ("I4", "O3", 1, 4)]
    indicators = {}
    for code, node, value, target in figures:
        ind = world.indicator(code, node=node)
        world.value(ind, "2024Q1", "N", value)
        if target is not None:
            target_set(indicator=ind, period="2024", value=target)
        indicators[code] = ind
    world.indicator("TXT", kind=IndicatorKind.NARRATIVE, time_rule="none", node="O3")
    return indicators


def test_framework_roll_up_means_capped_achievements(world: World) -> None:
    _framework(world)
    world.rebuild()
    o2 = world.node_progress("O2", "2024")
    assert (o2.indicators_measured, o2.indicators_total) == (1, 2)
    assert o2.achievement == pytest.approx(1.0)
    pillar = world.node_progress("PA", "2024")
    assert (pillar.indicators_measured, pillar.indicators_total) == (2, 3)
    assert pillar.achievement == pytest.approx((0.5 + 1.0) / 2)
    plan = world.node_progress(None, "2024")
    assert (plan.indicators_measured, plan.indicators_total) == (3, 4)  # narrative left out
    assert plan.achievement == pytest.approx((0.5 + 1.0 + 0.25) / 3)
    assert world.node_progress("PA", "2024Q1").achievement is None  # no quarterly targets


def test_plan_progress_tree(world: World) -> None:
    _framework(world)
    world.rebuild()
    progress = plan_progress(plan=world.plan, period_code="2024", today=TODAY)
    assert [r.node.code for r in progress.roots] == ["PA", "PR"]
    assert [n.node.code for n in progress.nodes] == ["PA", "O1", "O2", "PR", "O3"]
    o2 = progress.nodes[2]
    assert [p.indicator.code for p in o2.indicators] == ["I2", "I3"]
    assert o2.indicators[0].figure.value == 15
    assert o2.indicators[0].figure.achievement == pytest.approx(1.5)
    assert o2.indicators[0].figure.achievement_capped == 1
    assert o2.indicators[1].figure.target is None
    assert progress.achievement == pytest.approx((0.5 + 1.0 + 0.25) / 3)
    assert (progress.indicators_measured, progress.indicators_total) == (3, 4)
    assert progress.rebuilt_at is not None
    assert plan_periods(plan=world.plan) == ["2024Q1", "2024S1", "2024", "ALL"]


def test_actions_completion_and_delay(world: World) -> None:
    outputs = {
        code: node_create(plan=world.plan, code=f"{code}.1", title="Output", parent=outcome)
        for code, outcome in world.outcomes.items()
    }
    actions = [
        ("A1", "O1", ActionStatus.COMPLETED, date(2024, 1, 1), date(2024, 12, 31)),  # done
        ("A2", "O1", ActionStatus.ONGOING, date(2024, 1, 1), date(2025, 3, 31)),  # late
        ("A3", "O2", ActionStatus.NOT_STARTED, date(2025, 1, 1), date(2026, 1, 1)),  # late
        ("A4", "O2", ActionStatus.NOT_STARTED, date(2025, 9, 1), date(2026, 1, 1)),  # fine
        ("A5", "O3", ActionStatus.CANCELLED, date(2024, 1, 1), date(2024, 6, 30)),  # not late
        ("A6", "O3", ActionStatus.ONGOING, date(2025, 1, 1), date(2025, 12, 31)),  # fine
    ]
    for code, parent, status, start, end in actions:
        node_create(
            plan=world.plan,
            code=code,
            title=code,
            parent=outputs[parent],
            status=status,
            planned_start=start,
            planned_end=end,
        )
    summary = actions_summary(plan=world.plan, today=TODAY)
    assert summary.total.total == 6
    assert summary.total.delayed == 2
    assert summary.total.completion == pytest.approx(1 / 5)
    by_pillar = {g.key: g.counts for g in summary.by_pillar}
    assert (by_pillar["PA"].total, by_pillar["PA"].delayed, by_pillar["PA"].completed) == (4, 2, 1)
    assert (by_pillar["PR"].total, by_pillar["PR"].delayed, by_pillar["PR"].cancelled) == (2, 0, 1)
    progress = plan_progress(plan=world.plan, today=TODAY)
    pa = progress.roots[0]
    assert (pa.actions.total, pa.actions.delayed) == (4, 2)
    assert [n.is_delayed for n in pa.walk() if n.is_action] == [False, True, True, False]
    # Later, the ongoing A6 passes its end too.
    assert actions_summary(plan=world.plan, today=date(2026, 2, 1)).total.delayed == 4


def test_rebuild_replaces_old_rows(world: World) -> None:
    count = world.indicator("GONE")
    kept = world.value(count, "2024Q1", "N", 3)
    removed = world.value(count, "2024Q2", "N", 4)
    world.rebuild()
    assert world.v(count, "2024") == 7
    removed.delete()
    world.rebuild()
    assert world.v(count, "2024") == 3
    assert world.agg(count, "2024Q2") is None
    kept.delete()
    world.rebuild()
    assert not AggregateValue.objects.filter(indicator=count).exists()
    run = AggregateRun.objects.get(plan=world.plan)
    assert run.finished_at is not None and run.seconds is not None


def test_rebuild_leaves_other_plans_alone(world: World) -> None:
    other = build_world(code="lap-test", country="SEN")
    mine = world.indicator("MINE")
    theirs = other.indicator("THEIRS")
    world.value(mine, "2024Q1", "N", 1)
    other.value(theirs, "2024Q1", "N", 2)
    other.rebuild()
    world.rebuild()
    assert other.v(theirs, "2024Q1") == 2
    assert world.v(mine, "2024Q1") == 1


def test_request_refresh_runs_after_commit(
    world: World, django_capture_on_commit_callbacks, settings
) -> None:
    # Settings may be read before tests/conftest.py sets WPSMONITOR_TASKS: force in-process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    count = world.indicator("TASK")
    world.value(count, "2024Q1", "N", 5)
    with django_capture_on_commit_callbacks(execute=True):
        request_refresh(world.plan)
        assert world.agg(count, "2024Q1") is None  # not before the commit
    assert world.v(count, "2024Q1") == 5
    run = AggregateRun.objects.get(plan=world.plan)
    assert run.requested_at <= run.finished_at


def test_rebuild_command_reports(world: World, capsys) -> None:
    count = world.indicator("CMD")
    world.value(count, "2024Q1", "N", 5)
    call_command("rebuild_aggregates", world.plan.code)
    out = capsys.readouterr().out
    assert "rows in" in out and world.plan.code in out
    assert world.v(count, "2024Q1") == 5
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_aggregates", "no-such-plan")


def test_cross_tab_cells_margins_and_total(world: World) -> None:
    people = world.indicator("TAB", scheme=["sex", "age"], time_rule="last")
    world.value(people, "2024Q1", "D11", 1, cell="sex=F;age=0-17")
    world.value(people, "2024Q2", "D11", 2, cell="sex=F;age=0-17")  # LAST: 2 stands for S1
    world.value(people, "2024Q1", "D21", 4, cell="sex=F;age=0-17")
    world.value(people, "2024Q1", "D21", 8, cell="sex=M;age=60+")
    world.rebuild()
    table = indicator_table(indicator=people, period_code="2024S1")
    assert table.cell(sex="F", age="0-17").value == 6
    assert table.cell(sex="M", age="60+").value == 8
    assert table.cell(sex="M", age="0-17").value is None
    assert table.margins["sex=F"].value == 6
    assert table.margins["age=60+"].value == 8
    assert table.total.value == 14
    # The on-demand table agrees with the stored aggregates.
    for key, figure in table.margins.items():
        assert figure.value == world.v(people, "2024S1", cell_key=key)
    assert table.total.value == world.v(people, "2024S1")
    p1 = indicator_table(indicator=people, period_code="2024Q1", area=world.areas["P1"])
    assert p1.total.value == 1


def test_series_and_by_area(world: World) -> None:
    count = world.indicator("SER")
    world.value(count, "2024Q1", "P1", 1)
    world.value(count, "2024Q2", "P2", 2)
    world.value(count, "2025Q1", "P2", 4)
    world.rebuild()
    quarters = indicator_series(indicator=count, period_type="quarter")
    assert [(p.period_code, p.figure.value) for p in quarters] == [
        ("2024Q1", 1),
        ("2024Q2", 2),
        ("2025Q1", 4),
    ]
    years = indicator_series(indicator=count, period_type="year", area=world.areas["P2"])
    assert [(p.period_code, p.figure.value) for p in years] == [("2024", 2), ("2025", 4)]
    by_area = indicator_by_area(indicator=count, period_code="ALL")
    assert [(a.area.code, a.figure.value) for a in by_area] == [("SEN-P1", 1), ("SEN-P2", 6)]


def _grow(world: World, size: int) -> None:
    for i in range(size):
        outcome = node_create(
            plan=world.plan, code=f"X{i}", title=f"Outcome {i}", parent=world.pillars["PR"]
        )
        world.outcomes[outcome.code] = outcome
        ind = world.indicator(f"G{i}", node=outcome.code)
        world.value(ind, "2024Q1", "P1", i)
        target_set(indicator=ind, period="2024", value=10)


def test_plan_progress_query_count_does_not_grow_with_plan_size(world: World) -> None:
    _grow(world, 3)
    world.rebuild()
    with CaptureQueriesContext(connection) as small:
        progress = plan_progress(plan=world.plan, period_code="2024")
        assert len(progress.nodes) == 5 + 3
    other = build_world(code="big-test", country="MLI")
    _grow(other, 15)
    other.rebuild()
    with CaptureQueriesContext(connection) as large:
        progress = plan_progress(plan=other.plan, period_code="2024")
        names = [p.indicator.code for n in progress.nodes for p in n.indicators]
        assert len(names) == 15
        assert all(n.node.level.code for n in progress.nodes)
    assert len(small) == len(large) <= 6
    with CaptureQueriesContext(connection) as summary:
        actions_summary(plan=other.plan)
    assert len(summary) == 1


def test_values_for_deleted_indicators_leave_no_aggregates(world: World) -> None:
    count = world.indicator("DEL")
    world.value(count, "2024Q1", "N", 5)
    world.rebuild()
    DataValue.objects.filter(indicator=count).delete()
    count.delete()
    world.rebuild()
    assert not AggregateValue.objects.filter(plan=world.plan).exists()
