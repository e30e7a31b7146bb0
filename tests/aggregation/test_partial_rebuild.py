"""A rebuild limited to the indicators whose values changed gives exactly the figures of a
full rebuild: the indicators themselves, the shares and formulas derived from them, and the
whole framework roll-up (which also reads the stored figures of the indicators left alone)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.ingest import values_ingest
from wpsmonitor.indicators.models import AggregateValue, DataValue, Indicator, NodeProgress

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bigplan import build_big_plan  # noqa: E402

pytestmark = pytest.mark.django_db


def _snapshot(plan) -> tuple[list[tuple], list[tuple]]:  # type: ignore[no-untyped-def]
    rows = sorted(
        AggregateValue.objects.filter(plan=plan).values_list(
            "indicator_id",
            "period_code",
            "area_id",
            "source_id",
            "cell_key",
            "value",
            "numerator",
            "denominator",
            "target",
            "baseline",
            "achievement",
            "value_count",
        )
    )
    nodes = sorted(
        NodeProgress.objects.filter(plan=plan).values_list(
            "node_id",
            "period_code",
            "area_id",
            "source_id",
            "indicators_total",
            "indicators_measured",
            "achievement",
        ),
        key=repr,
    )
    return rows, nodes


def _approx(snapshot: tuple[list[tuple], list[tuple]]) -> tuple[list[tuple], list[tuple]]:
    # Sums in another order may differ in the last bits of a float.
    def clean(row: tuple) -> tuple:
        return tuple(round(x, 9) if isinstance(x, float) else x for x in row)

    return [clean(r) for r in snapshot[0]], [clean(r) for r in snapshot[1]]


def test_a_partial_rebuild_equals_a_full_one() -> None:
    plan = build_big_plan(values=15_000, progress=lambda _m: None)
    rebuild_plan_aggregates(plan)
    before = _snapshot(plan)
    police = Indicator.objects.get(plan=plan, code="POL1")  # the base of a women's share
    counted = Indicator.objects.get(plan=plan, code="N01")  # named by a formula
    changed = []
    for indicator in (police, counted):
        value = DataValue.objects.filter(indicator=indicator, value__isnull=False).first()
        assert value is not None
        changed.append(
            {
                "indicator": indicator.code,
                "period": value.period.code,
                "area": value.area.code,
                "cell": value.cell.code,
                "source": value.source.code,
                "value": value.value + 1000,
            }
        )
    DataValue.objects.filter(indicator=counted).order_by("pk").last().delete()  # type: ignore[union-attr]
    values_ingest(rows=changed, plan=plan.code)

    rebuild_plan_aggregates(plan, indicators=[police.pk, counted.pk])
    partial = _snapshot(plan)
    assert partial != before  # the change shows
    rebuild_plan_aggregates(plan)
    assert _approx(partial) == _approx(_snapshot(plan))


def test_an_empty_scope_rewrites_only_the_roll_up() -> None:
    plan = build_big_plan(values=3_000, progress=lambda _m: None)
    rebuild_plan_aggregates(plan)
    before = _snapshot(plan)
    rebuild_plan_aggregates(plan, indicators=[])
    assert _approx(_snapshot(plan)) == _approx(before)
