"""The last stage: the finished figures replace the stored ones, in one short transaction.

Readers see either the old or the new figures. A partial rebuild replaces only its scope's
AggregateValue rows; NodeProgress is always rewritten whole.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from wpsmonitor.indicators.aggregation.achievement import finished_rows_sql
from wpsmonitor.indicators.aggregation.framework import roll_up_framework
from wpsmonitor.indicators.aggregation.workspace import (
    Progress,
    RebuildState,
    analyze,
    placeholders,
)
from wpsmonitor.indicators.models import AggregateRun
from wpsmonitor.plans.models import Plan

_COLUMNS = (
    "plan_id, indicator_id, period_code, area_id, source_id, cell_key, value, numerator, "
    "denominator, target, baseline, achievement, value_count, run"
)
_UPDATED = ", ".join(
    f"{c} = excluded.{c}"
    for c in (
        "plan_id",
        "value",
        "numerator",
        "denominator",
        "target",
        "baseline",
        "achievement",
        "value_count",
        "run",
    )
)


def publish(cursor: Any, state: RebuildState, plan: Plan, say: Progress) -> int:
    """Roll the achievements up the framework, then write; returns the number of rows written."""
    analyze(cursor, "agg_out")
    say("framework roll-up")
    roll_up_framework(cursor, state)
    say("writing")
    with transaction.atomic():
        # Serialise concurrent rebuilds of one plan (PostgreSQL); SQLite's write lock does it too.
        run = AggregateRun.objects.select_for_update().get(plan_id=plan.pk)
        run.generation += 1
        run.save(update_fields=["generation"])
        rows = _write_values(cursor, state, plan, run.generation)
        rows += _write_node_progress(cursor, plan)
    return rows


def _scope_filter(state: RebuildState) -> tuple[str, list[int]]:
    """The SQL condition (and its parameters) limiting a write to the indicators recomputed."""
    if state.scope is None:
        return "", []
    scope = sorted(state.scope)
    if not scope:
        return " AND 1 = 0", []  # nothing recomputed: only the roll-up is rewritten
    return f" AND indicator_id IN ({placeholders(scope)})", scope


def _write_values(cursor: Any, state: RebuildState, plan: Plan, generation: int) -> int:
    """Replace the scope's AggregateValue rows with the finished ones, stamped `generation`."""
    # SQLite: rows that exist are updated in place (their index entries stay put), then
    # what this rebuild did not write goes. PostgreSQL writes a new row version for every
    # update, so there it is cheaper to delete the plan's rows and insert afresh.
    upsert = connection.vendor == "sqlite"
    in_scope, scope = _scope_filter(state)
    if not upsert:
        cursor.execute(
            "DELETE FROM indicators_aggregatevalue WHERE indicator_id IN "
            f"(SELECT id FROM indicators_indicator WHERE plan_id = %s){in_scope}",
            [plan.pk, *scope],
        )
    conflict = (
        "ON CONFLICT (indicator_id, area_id, source_id, cell_key, period_code) "
        f"DO UPDATE SET {_UPDATED}"
        if upsert
        else ""
    )
    rows = 0
    for source in ("agg_unpivot", "agg_out"):
        # agg_wa is grouped by (indicator, area, source, period): rows land close together
        # in the unique index (indicator, area, source, cell, period).
        cursor.execute(
            f"INSERT INTO indicators_aggregatevalue ({_COLUMNS}) SELECT %s, indicator_id, "
            "code, area_id, source_id, cell_key, val, n, d, tgt, bl, ach, cnt, %s FROM ("
            f"{finished_rows_sql(source)}) AS f WHERE 1 = 1 {conflict}",
            [plan.pk, generation],
        )
        rows += cursor.rowcount
    # Whatever this rebuild did not write is gone from the data.
    cursor.execute(
        f"DELETE FROM indicators_aggregatevalue WHERE plan_id = %s AND run <> %s{in_scope}",
        [plan.pk, generation, *scope],
    )
    return rows


def _write_node_progress(cursor: Any, plan: Plan) -> int:
    """Replace the plan's NodeProgress rows with agg_node (node 0 is the plan: node null)."""
    cursor.execute("DELETE FROM indicators_nodeprogress WHERE plan_id = %s", [plan.pk])
    cursor.execute(
        "INSERT INTO indicators_nodeprogress (plan_id, node_id, period_code, area_id, "
        "source_id, indicators_total, indicators_measured, achievement) "
        "SELECT %s, CASE WHEN g.node_id = 0 THEN NULL ELSE g.node_id END, co.code, "
        "g.area_id, g.source_id, g.total, g.measured, g.ach "
        "FROM agg_node g CROSS JOIN agg_code co WHERE co.cid = g.cid",
        [plan.pk],
    )
    return int(cursor.rowcount)
