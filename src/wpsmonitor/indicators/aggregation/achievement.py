"""Step 6: targets, baselines and achievement.

`prepare_targets` loads the Target and Baseline rows into agg_tgt and agg_bl (including the
"ALL" target of level indicators); `finished_rows_sql` joins them to computed figures and
works out the value and achievement of every row that is stored.
"""

from __future__ import annotations

from typing import Any

from wpsmonitor.indicators.aggregation.periods import ALL_PERIODS
from wpsmonitor.indicators.aggregation.workspace import RebuildState, create_table, fill
from wpsmonitor.indicators.models import TOTAL_CELL, Baseline, Indicator, Target, TimeRule
from wpsmonitor.indicators.targets_in_force import overrides

# Value of a narrow aggregate row "o" of indicator "ai": ratio kinds divide at the very end.
_VALUE_SQL = (
    "CASE WHEN ai.kind IN ('percentage', 'share') THEN "
    "(CASE WHEN o.d <> 0 THEN o.n * ai.factor / o.d END) ELSE o.v END"
)

_ACHIEVEMENT_SQL = """
CASE
  WHEN x.val IS NULL THEN NULL
  WHEN x.kind = 'yes_no' THEN x.val
  WHEN x.tgt IS NULL THEN NULL
  WHEN x.direction = 'maintain' THEN
    CASE WHEN x.val >= x.tgt THEN 1.0 WHEN x.tgt <> 0 THEN x.val / x.tgt END
  WHEN x.direction = 'decrease' THEN
    CASE WHEN x.bl IS NOT NULL AND x.tgt <> x.bl THEN (x.val - x.bl) / (x.tgt - x.bl) END
  ELSE
    CASE WHEN x.tgt <> COALESCE(x.bl, 0)
      THEN (x.val - COALESCE(x.bl, 0)) / (x.tgt - COALESCE(x.bl, 0)) END
END
"""

_FIELDS = ["indicator_id", "area_id", "cell__code", "value", "numerator", "denominator"]


def finished_rows_sql(source: str) -> str:
    """The finished rows of a narrow source, with target, baseline and achievement."""
    return (
        "SELECT x.indicator_id, x.cid, x.code, x.area_id, x.source_id, x.cell_key, x.val, x.n, "
        f"x.d, x.tgt, x.bl, {_ACHIEVEMENT_SQL} AS ach, x.cnt FROM ("
        f"SELECT o.indicator_id, o.cid, co.code, o.area_id, o.source_id, o.cell_key, "
        f"{_VALUE_SQL} AS val, o.n, o.d, o.cnt, ai.kind, ai.direction, tg.value AS tgt, "
        f"bl.value AS bl FROM {source} o CROSS JOIN agg_ind ai CROSS JOIN agg_code co "
        "LEFT JOIN agg_tgt tg ON tg.indicator_id = o.indicator_id AND tg.area_id = o.area_id "
        "AND tg.cell_key = o.cell_key AND tg.code = co.code "
        "LEFT JOIN agg_bl bl ON bl.indicator_id = o.indicator_id AND bl.area_id = o.area_id "
        "AND bl.cell_key = o.cell_key "
        "WHERE ai.indicator_id = o.indicator_id AND co.cid = o.cid) AS x"
    )


def _target_value(row: dict[str, Any], factor: float) -> float | None:
    if row["value"] is not None:
        return float(row["value"])
    if row["numerator"] is not None and row["denominator"]:
        return float(row["numerator"] / row["denominator"] * factor)
    return None


def _cell_key(cell_code: str) -> str:
    """The aggregates' cell_key of a target's or baseline's cell ("" for the total cell)."""
    return "" if cell_code == TOTAL_CELL else cell_code


def prepare_targets(cursor: Any, state: RebuildState, indicators: list[Indicator]) -> None:
    """agg_tgt (per period, with "ALL" for levels) and agg_bl (per indicator, area and cell)."""
    factors = {i.pk: i.factor for i in indicators}
    _prepare_target_table(cursor, state, indicators, factors)
    _prepare_baseline_table(cursor, state, factors)


def _prepare_target_table(
    cursor: Any, state: RebuildState, indicators: list[Indicator], factors: dict[int, float]
) -> None:
    create_table(
        cursor,
        state,
        "agg_tgt",
        "indicator_id BIGINT, code TEXT, area_id BIGINT, cell_key TEXT, value DOUBLE PRECISION",
    )
    targets: dict[tuple[int, str, int, str], float] = {}
    latest: dict[tuple[int, int, str], tuple[Any, float]] = {}
    for row in Target.objects.filter(indicator_id__in=factors).values(
        *_FIELDS, "period__code", "period__start", "period__end"
    ):
        value = _target_value(row, factors[row["indicator_id"]])
        if value is None:
            continue
        key = _cell_key(row["cell__code"])
        ind, area = row["indicator_id"], row["area_id"]
        targets[(ind, row["period__code"], area, key)] = value
        order = (row["period__end"], row["period__start"])
        if (ind, area, key) not in latest or latest[(ind, area, key)][0] < order:
            latest[(ind, area, key)] = (order, value)
    # A period that ended before a revision changed its target keeps the target then in force
    # (docs/revisions.md); "ALL" below is measured against the latest target, in force now.
    for (ind, code, area, cell_code), old in overrides(factors).items():
        if ind in factors:
            k = (ind, code, area, _cell_key(cell_code))
            if old is None:
                targets.pop(k, None)
            else:
                targets[k] = old
    # A flow's plan-to-date figure is a running total over several years; measuring it against
    # a target set for one year would read 9,000 cases against 4,300 as 700 %. So "ALL" gets
    # the final target only for indicators whose figure over time is a level (last value).
    levels = {i.pk for i in indicators if i.time_rule not in (TimeRule.SUM, TimeRule.AVERAGE)}
    for (ind, area, key), (_order, value) in latest.items():
        if ind in levels:
            targets[(ind, ALL_PERIODS, area, key)] = value
    fill(cursor, "agg_tgt", [(*k, v) for k, v in targets.items()])
    cursor.execute("CREATE INDEX agg_tgt_key ON agg_tgt (indicator_id, area_id, cell_key, code)")


def _prepare_baseline_table(cursor: Any, state: RebuildState, factors: dict[int, float]) -> None:
    create_table(
        cursor,
        state,
        "agg_bl",
        "indicator_id BIGINT, area_id BIGINT, cell_key TEXT, value DOUBLE PRECISION",
    )
    baselines = []
    for row in Baseline.objects.filter(indicator_id__in=factors).values(*_FIELDS):
        value = _target_value(row, factors[row["indicator_id"]])
        if value is not None:
            key = _cell_key(row["cell__code"])
            baselines.append((row["indicator_id"], row["area_id"], key, value))
    fill(cursor, "agg_bl", baselines)
    cursor.execute("CREATE INDEX agg_bl_key ON agg_bl (indicator_id, area_id, cell_key)")
