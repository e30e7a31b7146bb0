"""The aggregate engine: rebuilds a plan's AggregateValue and NodeProgress rows from raw data.

Semantics (also in docs/computations.md)
----------------------------------------
Raw facts are DataValue rows (indicator, period, area, cell, source); a list indicator's raw fact
is the number of its ListItem rows per (period, area, source). Formula and share indicators have
no raw values. Only values at the indicator's frequency are aggregated (a yearly value on a
quarterly indicator would be counted twice under SUM); narrative indicators are not aggregated.

1. Time, per series (indicator x area x cell x source): every raw period also feeds each coarser
   standard period containing it (month -> quarter -> semester -> year) and "ALL", the plan to
   date. SUM adds periods; LAST takes the latest sub-period that has data; AVERAGE is the mean of
   the sub-periods that have data; NONE feeds no coarser period and no "ALL". A percentage applies
   the rule to numerator and denominator separately and divides only at the end.
2. Cells: cell_key "" is the total over all cells, "dim=opt" the one-dimension margin (the sum of
   the cells having that option). Full cross-tabs are computed on demand by
   selectors.indicator_table, not stored (that would triple the table for 16-cell schemes).
3. Areas (DHIS2): an area's figure is the sum over its subtree (its own values plus every
   descendant's), of the per-series figures of step 1. Yes/no, scale and milestone indicators
   take the mean over the areas of the subtree that have a value instead (for yes/no: the share
   of areas saying yes) and are not disaggregated. Areas are limited to the plan's area subtree.
4. Percentages and shares: value = sum of numerators / sum of denominators x factor.
   Share indicators: numerator = the share_of indicator's cells with share_dimension =
   share_option, denominator = all its cells, same period, area and source (after step 1 for the
   share_of indicator's rule); for the total and per margin of every other dimension
   (e.g. women's share per rank: "rank=inspector").
5. Formula indicators: numerator_formula and denominator_formula over other indicators' totals
   ("{CODE}"), per (period, area, source); value = numerator / denominator x factor, or
   numerator x factor when there is no denominator formula. Unknown codes, missing values and
   division by zero give no value (no row); formulas in a reference cycle give no value.
6. Targets and achievement: the target is the Target row for the same period, area and cell
   (the cell "total" for cell_key "", the cell with the same code for a one-dimension scheme's
   margin); for "ALL" the target with the latest period for that area and cell, for levels
   only: a flow (SUM/AVERAGE) has no target at "ALL", its running total is never measured
   against a one-year target. Targets are not
   rolled up or split: a province without its own target has no achievement. The baseline is
   the Baseline row for the indicator, area and cell. Achievement, stored uncapped:
   increase: (actual - baseline) / (target - baseline), baseline 0 if none;
   decrease: the same formula, but only with a baseline (progress from an unknown start is
   unknown); none when target == baseline; maintain: 1 when actual >= target, else
   actual / target; yes/no: the value itself (0..1). Capping to [0, 1] happens in roll-ups.
7. Framework roll-up (NodeProgress): per node and per plan (node null), per period, area and
   source: the mean of the capped achievements of the indicators in the node's subtree that
   have one (total cell), with the count measured and the count of indicators (narratives
   excluded). Action counts depend on today's date and are computed live by selectors.
8. Sources are never merged: every figure is per source.

How: the heavy lifting is set-based SQL over temporary tables (time, then cells, then areas),
portable between SQLite and PostgreSQL except for the LAST pick. The new rows replace the
plan's old rows in one short transaction, so readers see either the old or the new figures.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wpsmonitor.core.periods import enclosing_periods, parse_period
from wpsmonitor.indicators.formula import FormulaError, formula_order, formula_parse
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    AggregateRun,
    Baseline,
    Cell,
    Indicator,
    IndicatorKind,
    Period,
    Target,
    TimeRule,
)
from wpsmonitor.plans.models import FrameworkNode, Plan

ALL_PERIODS = "ALL"

# Kinds whose figure across areas is a mean, not a sum; they are not disaggregated.
MEAN_KINDS = {IndicatorKind.YES_NO, IndicatorKind.SCALE, IndicatorKind.MILESTONE}
# Kinds whose value is numerator / denominator x factor.
RATIO_KINDS = {IndicatorKind.PERCENTAGE, IndicatorKind.SHARE}
NOT_AGGREGATED = {IndicatorKind.NARRATIVE}

Progress = Callable[[str], None]


# Period types, finest first; the chain of levels runs from an indicator's frequency upwards.
_LEVELS = 6  # month, quarter, semester, year, ALL (+1 spare)

_HAS_DATA = (
    "((ai.kind = 'percentage' AND dv.numerator IS NOT NULL AND dv.denominator IS NOT NULL)"
    " OR (ai.kind <> 'percentage' AND dv.value IS NOT NULL))"
)

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


class _Traced:
    """A cursor that reports each statement's time (WPSMONITOR_AGGREGATION_TRACE=1)."""

    def __init__(self, cursor: Any, say: Progress) -> None:
        self._cursor, self._say = cursor, say

    def execute(self, sql: str, params: Any = None) -> Any:
        clock = time.perf_counter()
        result = self._cursor.execute(sql, params)
        self._say(f"    {time.perf_counter() - clock:6.2f} s  {' '.join(sql.split())[:110]}")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class _State:
    """What the stages share: temporary table names in use and the width of the cell slots."""

    def __init__(self) -> None:
        self.tables: list[str] = []
        self.views: list[str] = []
        self.slots = 1  # slot 0 is the total; then one slot per "dim=opt" of a scheme
        self.levels = 0  # how many agg_l<k> tables hold data
        self.depth = 1  # depth of the deepest area below the plan's (the plan's area is 1)
        self.node_depth = 0  # depth of the deepest framework node (the plan itself is 0)
        # A partial rebuild recomputes only these indicators (None: all of the plan's).
        self.scope: set[int] | None = None
        self.plan_indicators: list[int] = []


def rebuild_plan_aggregates(
    plan: Plan, *, progress: Progress | None = None, indicators: Iterable[int] | None = None
) -> int:
    """Recompute the aggregates of the plan; returns the number of rows written.

    With `indicators` (ids), only those are recomputed, with every indicator derived from them
    (shares, formulas) and the inputs those need; the framework roll-up is recomputed whole,
    reading the other indicators' stored figures. This is what an approval asks for: seconds
    instead of the minute a two-million-value plan takes whole. The result is the same as a
    full rebuild (tested).

    The rows replaced (the plan's, or the scope's) and NodeProgress are written in one
    transaction (readers see the old figures until it commits); the run is recorded in
    AggregateRun.
    """
    say = progress or (lambda _message: None)
    started = timezone.now()
    clock = time.perf_counter()
    AggregateRun.objects.update_or_create(
        plan_id=plan.pk, defaults={"started_at": started, "error": ""}
    )
    state = _State()
    state.scope = None if indicators is None else set(indicators)
    try:
        with connection.cursor() as cursor:
            if os.environ.get("WPSMONITOR_AGGREGATION_TRACE"):
                cursor = _Traced(cursor, say)  # type: ignore[assignment]  # same interface
            _tune(cursor)
            try:
                scoped = _prepare(cursor, state, plan, say)
                _compute(cursor, state, say)
                _derived(cursor, state, plan, scoped, say)
                rows = _publish(cursor, state, plan, say)
            finally:
                _temp_drop(cursor, state)
    except Exception as exc:
        AggregateRun.objects.filter(plan_id=plan.pk).update(error=str(exc)[:2000])
        raise
    seconds = time.perf_counter() - clock
    AggregateRun.objects.filter(plan_id=plan.pk).update(
        finished_at=timezone.now(), rows=rows, seconds=seconds, error=""
    )
    say(f"{plan.code}: {rows} rows in {seconds:.1f} s")
    return rows


# --- temporary tables -------------------------------------------------------------------------


def _tune(cursor: Any) -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Temporary tables in memory and a bigger page cache: the stages sort millions of rows.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA cache_size = -131072")


def _temp_drop(cursor: Any, state: _State) -> None:
    for name in reversed(state.views):
        cursor.execute(f"DROP VIEW IF EXISTS {name}")
    for name in reversed(state.tables):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    state.tables.clear()
    state.views.clear()


def _create(cursor: Any, state: _State, name: str, columns: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    state.tables.append(name)


def _view(cursor: Any, state: _State, name: str, sql: str) -> None:
    cursor.execute(f"DROP VIEW IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY VIEW {name} AS {sql}")
    state.views.append(name)


def _pk() -> str:
    # On SQLite only "INTEGER PRIMARY KEY" is the rowid itself: one B-tree probe per lookup.
    return "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "BIGINT PRIMARY KEY"


def _analyze(cursor: Any, *tables: str) -> None:
    # PostgreSQL plans temporary tables blind (autovacuum never sees them): give it statistics.
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _fill(cursor: Any, name: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


# --- preparation: small mapping tables built in Python ---------------------------------------


def _cell_pairs(code: str) -> list[str]:
    return [] if code == TOTAL_CELL else code.split(";")


def _prepare(cursor: Any, state: _State, plan: Plan, say: Progress) -> list[Indicator]:
    say(f"{plan.code}: preparing")
    everything = list(
        Indicator.objects.filter(plan=plan).select_related(
            "share_of", "share_dimension", "share_option"
        )
    )
    state.plan_indicators = [i.pk for i in everything if i.kind not in NOT_AGGREGATED]
    _prepare_nodes(cursor, state, plan, everything)
    if state.scope is not None:
        state.scope = _closure(everything, state.scope)
    indicators = [i for i in everything if state.scope is None or i.pk in state.scope]
    raw = [i for i in indicators if not i.is_derived and i.kind not in NOT_AGGREGATED]

    _create(
        cursor,
        state,
        "agg_ind",
        f"indicator_id {_pk()}, kind TEXT, time_rule TEXT, freq TEXT, "
        "factor DOUBLE PRECISION, direction TEXT, mean_kind INTEGER, is_raw INTEGER, "
        "scheme_id BIGINT, narrow INTEGER, rl INTEGER",
    )
    raw_ids = {i.pk for i in raw}
    share_bases = {i.share_of_id for i in indicators if i.kind == IndicatorKind.SHARE}
    rule_codes = {"sum": 0, "average": 1, "last": 2, "none": 3}
    _fill(
        cursor,
        "agg_ind",
        [
            (
                i.pk,
                i.kind,
                i.time_rule,
                i.frequency,
                i.factor,
                i.direction,
                int(i.kind in MEAN_KINDS),
                int(i.pk in raw_ids),
                i.scheme_id,
                # LAST and AVERAGE work per cell series (and share bases need their cells);
                # SUM and NONE commute with every roll-up, so they go to all slots at once.
                int(i.time_rule in ("last", "average") or i.pk in share_bases),
                rule_codes.get(i.time_rule, 3),
            )
            for i in indicators
            if i.kind not in NOT_AGGREGATED
        ],
    )

    # Periods get integer ids (cid) in agg_code; each reported period carries the ids of the
    # coarser periods containing it (p1 the next one up ... "ALL" last), so the time chain
    # needs no join.
    codes: dict[str, int] = {}
    periods = []
    for pk, ptype, code, start in Period.objects.values_list("pk", "type", "code", "start"):
        chain = [code, *enclosing_periods(code), ALL_PERIODS]
        ids: list[int | None] = [codes.setdefault(c, len(codes) + 1) for c in chain]
        ids += [None] * (5 - len(ids))
        periods.append((pk, ptype, start.toordinal(), *ids))
    _create(cursor, state, "agg_code", f"cid {_pk()}, code TEXT")
    _fill(cursor, "agg_code", [(cid, code) for code, cid in codes.items()])
    _create(
        cursor,
        state,
        "agg_period",
        f"period_id {_pk()}, ptype TEXT, sk INTEGER, "
        "cid INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER, p4 INTEGER",
    )
    _fill(cursor, "agg_period", periods)

    from wpsmonitor.directory.models import Area

    # Areas of the plan's subtree: ancestors (for shares) and parent and depth (roll-up).
    _create(cursor, state, "agg_amap", "area_id BIGINT, ancestor_id BIGINT")
    _create(
        cursor,
        state,
        "agg_area",
        f"area_id {_pk()}, parent_id BIGINT, depth INTEGER, leaf INTEGER",
    )
    root_path = Area.objects.filter(pk=plan.area_id).values_list("path", flat=True).first() or ""
    root_depth = root_path.count("/") - 2  # index of the plan's area among the path's ids
    amap: list[tuple[int, int]] = []
    areas: list[tuple[int, int | None, int]] = []
    for pk, path in Area.objects.filter(path__startswith=root_path).values_list("pk", "path"):
        lineage = [int(part) for part in path.strip("/").split("/")][root_depth:]
        amap.extend((pk, ancestor) for ancestor in lineage)
        areas.append((pk, lineage[-2] if len(lineage) > 1 else None, len(lineage)))
    parents = {parent for _pk_, parent, _depth in areas}
    _fill(cursor, "agg_amap", amap)
    _fill(cursor, "agg_area", [(*a, int(a[0] not in parents)) for a in areas])
    cursor.execute("CREATE INDEX agg_amap_area ON agg_amap (area_id)")
    state.depth = max([a[2] for a in areas] + [1])

    # Cell slots: per scheme, slot 0 is the total and slots 1.. the "dim=opt" margins. Each
    # cell carries 0/1 flags for the slots it adds into, so one GROUP BY fills every key.
    scheme_ids = {i.scheme_id for i in raw}
    list_cell = None
    if any(i.kind == IndicatorKind.LIST for i in raw):
        from wpsmonitor.indicators.services import scheme_ensure

        list_cell = Cell.objects.get(scheme=scheme_ensure(dimension_codes=[]), code=TOTAL_CELL)
        scheme_ids.add(list_cell.scheme_id)
    cells = list(
        Cell.objects.filter(scheme_id__in=scheme_ids).values_list("pk", "scheme_id", "code")
    )
    slot_of: dict[int, dict[str, int]] = defaultdict(lambda: {"": 0})
    for _cell, scheme_id, code in sorted(cells, key=lambda c: c[0]):
        keys = slot_of[scheme_id]
        for pair in _cell_pairs(code):
            keys.setdefault(pair, len(keys))
    state.slots = max([len(k) for k in slot_of.values()] + [1])
    flags = ", ".join(f"f{j} INTEGER" for j in range(state.slots))
    _create(cursor, state, "agg_cmap", f"cell_id {_pk()}, {flags}")
    rows = []
    for pk, scheme_id, code in cells:
        on = {0} | {slot_of[scheme_id][pair] for pair in _cell_pairs(code)}
        rows.append((pk, *(int(j in on) for j in range(state.slots))))
    _fill(cursor, "agg_cmap", rows)
    _create(cursor, state, "agg_slots", "scheme_id BIGINT, slot INTEGER, cell_key TEXT")
    _fill(
        cursor,
        "agg_slots",
        [(s, slot, key) for s, keys in slot_of.items() for key, slot in keys.items()],
    )
    cursor.execute("CREATE INDEX agg_slots_scheme ON agg_slots (scheme_id)")

    _create(
        cursor,
        state,
        "agg_list",
        "indicator_id BIGINT, period_id BIGINT, area_id BIGINT, cell_id BIGINT, "
        "source_id BIGINT, value DOUBLE PRECISION, numerator DOUBLE PRECISION, "
        "denominator DOUBLE PRECISION",
    )
    list_ids = [i.pk for i in raw if i.kind == IndicatorKind.LIST]
    if list_ids and list_cell is not None:
        # A list indicator's raw fact: the number of its items per period, area and source.
        marks = ", ".join(["%s"] * len(list_ids))
        cursor.execute(
            "INSERT INTO agg_list SELECT indicator_id, period_id, area_id, %s, source_id, "
            "COUNT(*), NULL, NULL FROM indicators_listitem "
            f"WHERE indicator_id IN ({marks}) "
            "GROUP BY indicator_id, period_id, area_id, source_id",
            [list_cell.pk, *list_ids],
        )

    _prepare_targets(cursor, state, indicators)
    _analyze(
        cursor,
        "agg_ind",
        "agg_code",
        "agg_period",
        "agg_amap",
        "agg_area",
        "agg_cmap",
        "agg_slots",
        "agg_list",
        "agg_tgt",
        "agg_bl",
        "agg_nodes",
        "agg_inode",
        "agg_ntot",
    )
    return indicators


def _closure(indicators: list[Indicator], scope: set[int]) -> set[int]:
    """The scope, with what is derived from it and what those derivations read.

    A share follows its base, and needs it; a formula follows any indicator it names, and
    needs all of them. Repeated until nothing is added (formulas may name formulas).
    """
    by_code = {i.code: i for i in indicators}
    references: dict[int, set[int]] = {}
    for i in indicators:
        if i.kind == IndicatorKind.SHARE and i.share_of_id is not None:
            references[i.pk] = {i.share_of_id}
        elif i.kind == IndicatorKind.FORMULA:
            codes: set[str] = set()
            for text in (i.numerator_formula, i.denominator_formula):
                try:
                    codes |= formula_parse(text).codes
                except FormulaError:
                    continue
            references[i.pk] = {by_code[c].pk for c in codes if c in by_code}
    scope = set(scope)
    while True:
        grown = set(scope)
        for derived, inputs in references.items():
            if derived in grown or inputs & grown:
                grown |= {derived} | inputs
        if grown == scope:
            return scope
        scope = grown


def _target_value(row: dict[str, Any], factor: float) -> float | None:
    if row["value"] is not None:
        return row["value"]
    if row["numerator"] is not None and row["denominator"]:
        return row["numerator"] / row["denominator"] * factor
    return None


def _prepare_targets(cursor: Any, state: _State, indicators: list[Indicator]) -> None:
    factors = {i.pk: i.factor for i in indicators}
    fields = ["indicator_id", "area_id", "cell__code", "value", "numerator", "denominator"]
    _create(
        cursor,
        state,
        "agg_tgt",
        "indicator_id BIGINT, code TEXT, area_id BIGINT, cell_key TEXT, value DOUBLE PRECISION",
    )
    targets: dict[tuple[int, str, int, str], float] = {}
    latest: dict[tuple[int, int, str], tuple[Any, float]] = {}
    for row in Target.objects.filter(indicator_id__in=factors).values(
        *fields, "period__code", "period__start", "period__end"
    ):
        value = _target_value(row, factors[row["indicator_id"]])
        if value is None:
            continue
        key = "" if row["cell__code"] == TOTAL_CELL else row["cell__code"]
        ind, area = row["indicator_id"], row["area_id"]
        targets[(ind, row["period__code"], area, key)] = value
        order = (row["period__end"], row["period__start"])
        if (ind, area, key) not in latest or latest[(ind, area, key)][0] < order:
            latest[(ind, area, key)] = (order, value)
    # A flow's plan-to-date figure is a running total over several years; measuring it against
    # a target set for one year would read 9,000 cases against 4,300 as 700 %. So "ALL" gets
    # the final target only for indicators whose figure over time is a level (last value).
    levels = {i.pk for i in indicators if i.time_rule not in (TimeRule.SUM, TimeRule.AVERAGE)}
    for (ind, area, key), (_order, value) in latest.items():
        if ind in levels:
            targets[(ind, ALL_PERIODS, area, key)] = value
    _fill(cursor, "agg_tgt", [(*k, v) for k, v in targets.items()])
    cursor.execute("CREATE INDEX agg_tgt_key ON agg_tgt (indicator_id, area_id, cell_key, code)")

    _create(
        cursor,
        state,
        "agg_bl",
        "indicator_id BIGINT, area_id BIGINT, cell_key TEXT, value DOUBLE PRECISION",
    )
    baselines = []
    for row in Baseline.objects.filter(indicator_id__in=factors).values(*fields):
        value = _target_value(row, factors[row["indicator_id"]])
        if value is not None:
            key = "" if row["cell__code"] == TOTAL_CELL else row["cell__code"]
            baselines.append((row["indicator_id"], row["area_id"], key, value))
    _fill(cursor, "agg_bl", baselines)
    cursor.execute("CREATE INDEX agg_bl_key ON agg_bl (indicator_id, area_id, cell_key)")


def _prepare_nodes(cursor: Any, state: _State, plan: Plan, indicators: list[Indicator]) -> None:
    """The framework tree for the roll-up: each node's parent and depth (node 0 is the plan, at
    depth 0), the node each indicator hangs on, and the count of indicators under every node."""
    paths = dict(FrameworkNode.objects.filter(plan=plan).values_list("pk", "path"))
    nodes: dict[int, tuple[int | None, int]] = {0: (None, 0)}
    for pk, path in paths.items():
        lineage = [int(part) for part in path.strip("/").split("/") if part]
        nodes[pk] = (lineage[-2] if len(lineage) > 1 else 0, len(lineage))
    inode: list[tuple[int, int]] = []
    totals: dict[int, int] = defaultdict(int)
    for indicator in indicators:
        # Civil society's own indicators have their figures but are not the plan's: they do
        # not count in its progress (nor would a draft one show through the counts).
        if indicator.kind in NOT_AGGREGATED or indicator.owner_organisation_id is not None:
            continue
        home = indicator.node_id if indicator.node_id in nodes else 0
        inode.append((indicator.pk, home))
        node: int | None = home
        while node is not None:
            totals[node] += 1
            node = nodes[node][0]
    _create(cursor, state, "agg_nodes", f"node_id {_pk()}, parent_id BIGINT, depth INTEGER")
    _fill(cursor, "agg_nodes", [(pk, parent, depth) for pk, (parent, depth) in nodes.items()])
    _create(cursor, state, "agg_inode", f"indicator_id {_pk()}, node_id BIGINT")
    _fill(cursor, "agg_inode", inode)
    _create(cursor, state, "agg_ntot", f"node_id {_pk()}, total INTEGER")
    _fill(cursor, "agg_ntot", list(totals.items()))
    state.node_depth = max(depth for _parent, depth in nodes.values())


# --- the set-based stages --------------------------------------------------------------------

# A narrow level table holds per-cell series figures for one granularity of periods: s, n, d
# are sums of values, numerators and denominators (the picked row for LAST), c how many
# reported periods went in, sk the order of the latest one, vs/vn/vd the figures after the
# rule (the mean for AVERAGE), cid the period and p1.. the periods above it.
_NARROW = (
    "ind BIGINT, cid INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER, p4 INTEGER, area BIGINT, "
    "cell BIGINT, source BIGINT, s DOUBLE PRECISION, n DOUBLE PRECISION, d DOUBLE PRECISION, "
    "c BIGINT, sk BIGINT, vs DOUBLE PRECISION, vn DOUBLE PRECISION, vd DOUBLE PRECISION, "
    "rl INTEGER"
)
_UP = "t.p1, t.p2, t.p3, t.p4"  # the period columns shifted one level up
_SERIES = "t.ind, t.p1, t.p2, t.p3, t.p4, t.area, t.cell, t.source"


def _values_join(state: _State, raw: str) -> str:
    """The raw values with their indicator. A full rebuild reads the whole table in order; a
    partial one starts from its few indicators and reaches their values through the index
    that leads with the indicator (SQLite keeps CROSS JOIN's order)."""
    if state.scope is None:
        return f"{raw} dv CROSS JOIN agg_ind ai"
    return f"agg_ind ai CROSS JOIN {raw} dv"


def _slot_names(count: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{x}{j}" for j in range(count) for x in "vndc"]


def _slot_columns(count: int) -> str:
    return ", ".join(
        f"{name} {'BIGINT' if name[0] == 'c' else 'DOUBLE PRECISION'}"
        for name in _slot_names(count)
    )


def _compute(cursor: Any, state: _State, say: Progress) -> None:
    k = state.slots
    wide = (
        "ind BIGINT, cid INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER, p4 INTEGER, area BIGINT, "
        f"source BIGINT, rl INTEGER, {_slot_columns(k)}"
    )
    raw_filter = (
        "WHERE ai.indicator_id = dv.indicator_id AND p.period_id = dv.period_id "
        f"AND p.ptype = ai.freq AND ai.is_raw = 1 AND {_HAS_DATA} "
    )
    say("time rules (per series)")
    # SUM and NONE: one pass over the values (CROSS JOIN keeps SQLite scanning the table in
    # order instead of through an index) straight into every slot, total and margins.
    _create(cursor, state, "agg_x0", wide)
    products = ", ".join(
        f"SUM(dv.value * cm.f{j}), SUM(dv.numerator * cm.f{j}), "
        f"SUM(dv.denominator * cm.f{j}), SUM(cm.f{j})"
        for j in range(k)
    )
    for raw in ("indicators_datavalue", "agg_list"):
        cursor.execute(
            "INSERT INTO agg_x0 SELECT dv.indicator_id, p.cid, p.p1, p.p2, p.p3, p.p4, "
            f"dv.area_id, dv.source_id, MAX(ai.rl), {products} "
            f"FROM {_values_join(state, raw)} CROSS JOIN agg_period p "
            f"CROSS JOIN agg_cmap cm {raw_filter}AND ai.narrow = 0 AND cm.cell_id = dv.cell_id "
            "GROUP BY dv.indicator_id, p.cid, p.p1, p.p2, p.p3, p.p4, dv.area_id, dv.source_id"
        )
    _analyze(cursor, "agg_x0")
    # Up the periods: SUM adds every slot; NONE stops at the reported period.
    sums = ", ".join(f"SUM(t.{name})" for name in _slot_names(k))
    level = 0
    while level < 5:
        src, dst = f"agg_x{level}", f"agg_x{level + 1}"
        _create(cursor, state, dst, wide)
        cursor.execute(
            f"INSERT INTO {dst} SELECT t.ind, {_UP}, NULL, t.area, t.source, 0, {sums} "
            "FROM " + src + " t WHERE t.rl = 0 AND t.p1 IS NOT NULL "
            "GROUP BY t.ind, t.p1, t.p2, t.p3, t.p4, t.area, t.source"
        )
        level += 1
        if cursor.rowcount == 0:
            break
    wide_levels = level + 1

    # LAST, AVERAGE and share bases: per cell series first.
    _create(cursor, state, "agg_l0", _NARROW)
    for raw in ("indicators_datavalue", "agg_list"):
        cursor.execute(
            "INSERT INTO agg_l0 SELECT dv.indicator_id, p.cid, p.p1, p.p2, p.p3, p.p4, "
            "dv.area_id, dv.cell_id, dv.source_id, dv.value, dv.numerator, dv.denominator, 1, "
            "p.sk, dv.value, dv.numerator, dv.denominator, ai.rl "
            f"FROM {_values_join(state, raw)} CROSS JOIN agg_period p {raw_filter}"
            "AND ai.narrow = 1"
        )
    _analyze(cursor, "agg_l0")
    is_avg = "MAX(t.rl) = 1"
    level = 0
    while level < 5:
        src, dst = f"agg_l{level}", f"agg_l{level + 1}"
        _create(cursor, state, dst, _NARROW)
        up = f"FROM {src} t WHERE t.p1 IS NOT NULL "
        cursor.execute(
            f"INSERT INTO {dst} SELECT t.ind, {_UP}, NULL, t.area, t.cell, t.source, "
            "SUM(t.s), SUM(t.n), SUM(t.d), SUM(t.c), MAX(t.sk), "
            f"CASE WHEN {is_avg} THEN SUM(t.s) / SUM(t.c) ELSE SUM(t.s) END, "
            f"CASE WHEN {is_avg} THEN SUM(t.n) / SUM(t.c) ELSE SUM(t.n) END, "
            f"CASE WHEN {is_avg} THEN SUM(t.d) / SUM(t.c) ELSE SUM(t.d) END, MAX(t.rl) "
            f"{up}AND t.rl IN (0, 1) GROUP BY {_SERIES}"
        )
        moved = cursor.rowcount
        if connection.vendor == "sqlite":
            # SQLite: the bare columns of a MAX() aggregate come from the row holding the max.
            cursor.execute(
                f"INSERT INTO {dst} SELECT ind, p1, p2, p3, p4, NULL, area, cell, source, "
                "s, n, d, 1, sk, s, n, d, 2 FROM (SELECT t.ind, t.p1, t.p2, t.p3, t.p4, t.area, "
                f"t.cell, t.source, t.s, t.n, t.d, MAX(t.sk) AS sk {up}AND t.rl = 2 "
                f"GROUP BY {_SERIES}) AS picked"
            )
        else:
            cursor.execute(
                f"INSERT INTO {dst} SELECT DISTINCT ON ({_SERIES}) t.ind, {_UP}, NULL, t.area, "
                "t.cell, t.source, t.s, t.n, t.d, 1, t.sk, t.s, t.n, t.d, 2 "
                f"{up}AND t.rl = 2 ORDER BY {_SERIES}, t.sk DESC"
            )
        moved += cursor.rowcount
        level += 1
        if moved == 0:
            break
    state.levels = level + 1

    say("cells (totals and margins)")
    _create(
        cursor,
        state,
        "agg_w",
        f"ind BIGINT, cid INTEGER, area BIGINT, source BIGINT, {_slot_columns(k)}",
    )
    names = ", ".join(_slot_names(k))
    for x in range(wide_levels):
        cursor.execute(f"INSERT INTO agg_w SELECT ind, cid, area, source, {names} FROM agg_x{x}")
    # Flags are 0/1: a product adds a cell into a slot or not (cheaper than CASE per slot).
    products = ", ".join(
        f"SUM(t.vs * cm.f{j}), SUM(t.vn * cm.f{j}), SUM(t.vd * cm.f{j}), SUM(t.c * cm.f{j})"
        for j in range(k)
    )
    for x in range(state.levels):
        cursor.execute(
            f"INSERT INTO agg_w SELECT t.ind, t.cid, t.area, t.source, {products} "
            f"FROM agg_l{x} t CROSS JOIN agg_cmap cm WHERE cm.cell_id = t.cell "
            "GROUP BY t.ind, t.cid, t.area, t.source"
        )

    _analyze(cursor, "agg_w", *(f"agg_l{x}" for x in range(state.levels)))
    say("areas (subtree roll-up)")
    # Depth by depth from the deepest areas up: an area's figure is its own plus its
    # children's. "ac" counts areas with a value: yes/no, scale and milestone take the mean.
    _create(
        cursor,
        state,
        "agg_wa",
        f"ind BIGINT, area BIGINT, source BIGINT, cid INTEGER, ac BIGINT, {_slot_columns(k)}",
    )
    sums = ", ".join(f"SUM(u.{name})" for name in _slot_names(k))
    own = (
        f"SELECT w.ind, w.area, w.source, w.cid, CASE WHEN w.v0 IS NULL THEN 0 ELSE 1 END AS ac, "
        f"{names} FROM agg_w w CROSS JOIN agg_area a WHERE a.area_id = w.area AND a.depth = %s"
    )
    for depth in range(state.depth, 0, -1):
        # agg_w holds one row per (indicator, area, source, period): a leaf area's figure is
        # its own row, copied without grouping (districts, the bulk of the rows, are leaves).
        # Sorted in the order of the stored table's unique index, so the final write lands
        # on neighbouring index pages.
        cursor.execute(
            f"INSERT INTO agg_wa {own} AND a.leaf = 1 ORDER BY w.ind, w.area, w.source, w.cid",
            [depth],
        )
        cursor.execute(
            f"INSERT INTO agg_wa SELECT u.ind, u.area, u.source, u.cid, SUM(u.ac), {sums} "
            f"FROM ({own} AND a.leaf = 0 "
            f"UNION ALL SELECT x.ind, a.parent_id, x.source, x.cid, x.ac, "
            + ", ".join(f"x.{name}" for name in _slot_names(k))
            + " FROM agg_wa x CROSS JOIN agg_area a WHERE a.area_id = x.area AND a.depth = %s"
            ") AS u GROUP BY u.ind, u.area, u.source, u.cid",
            [depth, depth + 1],
        )

    _analyze(cursor, "agg_wa")

    # The stored rows, one per slot that has data; mean kinds divide by the areas counted.
    def pick(letter: str, slot0: str) -> str:
        rest = " ".join(f"WHEN {j} THEN w.{letter}{j}" for j in range(1, k))
        return f"CASE sk.slot WHEN 0 THEN {slot0} {rest} END"

    _view(
        cursor,
        state,
        "agg_unpivot",
        "SELECT indicator_id, cid, area_id, source_id, cell_key, v, n, d, cnt FROM ("
        "SELECT w.ind AS indicator_id, w.cid, w.area AS area_id, w.source AS source_id, "
        "sk.cell_key, "
        + pick("v", "CASE WHEN ai.mean_kind = 1 THEN w.v0 / NULLIF(w.ac, 0) ELSE w.v0 END")
        + " AS v, "
        + pick("n", "w.n0")
        + " AS n, "
        + pick("d", "w.d0")
        + " AS d, "
        + pick("c", "CASE WHEN ai.mean_kind = 1 THEN w.ac ELSE w.c0 END")
        + " AS cnt FROM agg_wa w CROSS JOIN agg_ind ai CROSS JOIN agg_slots sk "
        "WHERE ai.indicator_id = w.ind AND sk.scheme_id = ai.scheme_id) AS u WHERE cnt > 0",
    )
    # Shares and formulas land here, already in stored shape.
    _create(
        cursor,
        state,
        "agg_out",
        "indicator_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, cell_key TEXT, "
        "v DOUBLE PRECISION, n DOUBLE PRECISION, d DOUBLE PRECISION, cnt BIGINT",
    )


def _derived(
    cursor: Any, state: _State, plan: Plan, indicators: list[Indicator], say: Progress
) -> None:
    by_code = {i.code: i for i in indicators}
    shares = [
        i
        for i in indicators
        if i.kind == IndicatorKind.SHARE
        and i.share_of is not None
        and i.share_of.plan_id == plan.pk
        and i.share_of.kind in (IndicatorKind.NUMBER, IndicatorKind.LIST)
        and i.share_dimension is not None
        and i.share_option is not None
    ]
    if shares:
        say("shares")
        _shares(cursor, state, shares)
    formulas = [i for i in indicators if i.kind == IndicatorKind.FORMULA]
    if formulas:
        say("formulas")
        _formulas(cursor, formulas, by_code)


def _shares(cursor: Any, state: _State, shares: list[Indicator]) -> None:
    """Numerator: the share_of cells with the option; denominator: all its cells."""
    _create(
        cursor,
        state,
        "agg_scmap",
        "share_id BIGINT, base_id BIGINT, cell_id BIGINT, cell_key TEXT, is_opt INTEGER",
    )
    cells: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, scheme_id, code in Cell.objects.filter(
        scheme_id__in={s.share_of.scheme_id for s in shares if s.share_of}
    ).values_list("pk", "scheme_id", "code"):
        cells[scheme_id].append((pk, code))
    rows: list[tuple[Any, ...]] = []
    for share in shares:
        base = share.share_of
        assert base is not None and share.share_dimension and share.share_option
        dim, opt = share.share_dimension.code, share.share_option.code
        for pk, code in cells[base.scheme_id]:
            pairs = dict(p.split("=", 1) for p in _cell_pairs(code))
            if dim not in pairs:
                continue  # the option's dimension is not in this scheme: no share
            is_opt = int(pairs[dim] == opt)
            keys = [""] + [f"{d}={o}" for d, o in pairs.items() if d != dim]
            rows.extend((share.pk, base.pk, pk, key, is_opt) for key in keys)
    _fill(cursor, "agg_scmap", rows)
    cursor.execute("CREATE INDEX agg_scmap_cell ON agg_scmap (base_id, cell_id)")
    bases = sorted({s.share_of.pk for s in shares if s.share_of})
    marks = ", ".join(["%s"] * len(bases))
    group = "sc.share_id, t.cid, am.ancestor_id, t.source, sc.cell_key"
    for x in range(state.levels):
        cursor.execute(
            f"INSERT INTO agg_out SELECT {group}, NULL, "
            "SUM(CASE WHEN sc.is_opt = 1 THEN t.vs ELSE 0 END), SUM(t.vs), SUM(t.c) "
            f"FROM agg_l{x} t CROSS JOIN agg_scmap sc CROSS JOIN agg_amap am "
            "WHERE sc.base_id = t.ind AND sc.cell_id = t.cell AND am.area_id = t.area "
            f"AND t.ind IN ({marks}) GROUP BY {group}",
            bases,
        )


def _formulas(cursor: Any, formulas: list[Indicator], by_code: dict[str, Indicator]) -> None:
    parsed = {}
    for indicator in formulas:
        try:
            parsed[indicator.code] = (
                formula_parse(indicator.numerator_formula),
                formula_parse(indicator.denominator_formula),
            )
        except FormulaError:
            continue  # refused when saved; an old bad formula just has no value
    dependencies = {code: num.codes | den.codes for code, (num, den) in parsed.items()}
    referenced = {
        by_code[c].pk
        for codes in dependencies.values()
        for c in codes
        if c in by_code and by_code[c].kind != IndicatorKind.FORMULA
    }
    totals: dict[int, dict[tuple, float]] = defaultdict(dict)
    if referenced:
        ids = sorted(referenced)
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT indicator_id, cid, area_id, source_id, v, n, d FROM agg_unpivot "
            f"WHERE cell_key = '' AND indicator_id IN ({marks}) UNION ALL "
            "SELECT indicator_id, cid, area_id, source_id, v, n, d FROM agg_out "
            f"WHERE cell_key = '' AND indicator_id IN ({marks})",
            ids + ids,
        )
        kinds = {i.pk: (i.kind, i.factor) for i in by_code.values()}
        for ind, cid, area, source, v, n, d in cursor.fetchall():
            kind, factor = kinds[ind]
            if kind in RATIO_KINDS:
                v = n * factor / d if n is not None and d else None
            if v is not None:
                totals[ind][(cid, area, source)] = v
    values: dict[str, dict[tuple, float]] = {
        code: totals.get(by_code[code].pk, {})
        for codes in dependencies.values()
        for code in codes
        if code in by_code
    }
    for code in formula_order(dependencies):
        indicator = by_code[code]
        num, den = parsed[code]
        refs = [c for c in num.codes | den.codes if c in values]
        keys = set().union(*(values[c].keys() for c in refs)) if refs else set()
        results: dict[tuple, float] = {}
        rows = []
        for key in keys:
            point = {c: values[c].get(key) for c in refs}
            numerator = num.evaluate(point)
            if numerator is None:
                continue
            if den.tree is None:
                denominator, result = None, numerator * indicator.factor
            else:
                denominator = den.evaluate(point)
                if not denominator:
                    continue  # no denominator or division by zero: no value
                result = numerator / denominator * indicator.factor
            results[key] = result
            count = sum(1 for c in refs if point[c] is not None)
            rows.append((indicator.pk, *key, "", result, numerator, denominator, count))
        values[code] = results
        _fill(cursor, "agg_out", rows)


def _final_sql(source: str) -> str:
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


def _publish(cursor: Any, state: _State, plan: Plan, say: Progress) -> int:
    _analyze(cursor, "agg_out")
    say("framework roll-up")
    _create(
        cursor,
        state,
        "agg_tot",
        "indicator_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, ach DOUBLE PRECISION",
    )
    for source in ("agg_unpivot", "agg_out"):
        cursor.execute(
            "INSERT INTO agg_tot SELECT indicator_id, cid, area_id, source_id, ach FROM ("
            f"{_final_sql(source)}) AS f WHERE f.cell_key = ''"
        )
    others = [i for i in state.plan_indicators if state.scope is not None and i not in state.scope]
    if others:
        # A partial rebuild: the roll-up also counts the stored figures of the indicators it
        # did not recompute (by indicator: the stored table's index leads with it).
        marks = ", ".join(["%s"] * len(others))
        cursor.execute(
            "INSERT INTO agg_tot SELECT av.indicator_id, co.cid, av.area_id, av.source_id, "
            "av.achievement FROM indicators_aggregatevalue av CROSS JOIN agg_code co "
            f"WHERE av.indicator_id IN ({marks}) AND av.cell_key = '' "
            "AND co.code = av.period_code",
            others,
        )
    # Depth by depth from the deepest nodes up, as for areas: a node's sum and count of capped
    # achievements are its own indicators' plus its children's; the mean comes at the end.
    _create(
        cursor,
        state,
        "agg_nacc",
        "node_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, s DOUBLE PRECISION, "
        "m BIGINT",
    )
    for depth in range(state.node_depth, -1, -1):
        cursor.execute(
            "INSERT INTO agg_nacc SELECT u.node_id, u.cid, u.area_id, u.source_id, SUM(u.s), "
            "SUM(u.m) FROM (SELECT im.node_id, f.cid, f.area_id, f.source_id, "
            "CASE WHEN f.ach < 0 THEN 0.0 WHEN f.ach > 1 THEN 1.0 ELSE f.ach END AS s, "
            "CASE WHEN f.ach IS NULL THEN 0 ELSE 1 END AS m "
            "FROM agg_tot f CROSS JOIN agg_inode im CROSS JOIN agg_nodes n "
            "WHERE im.indicator_id = f.indicator_id AND n.node_id = im.node_id AND n.depth = %s "
            "UNION ALL SELECT n.parent_id, x.cid, x.area_id, x.source_id, x.s, x.m "
            "FROM agg_nacc x CROSS JOIN agg_nodes n WHERE n.node_id = x.node_id AND n.depth = %s"
            ") AS u GROUP BY u.node_id, u.cid, u.area_id, u.source_id",
            [depth, depth + 1],
        )
    _analyze(cursor, "agg_nacc")
    _create(
        cursor,
        state,
        "agg_node",
        "node_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, total INTEGER, "
        "measured INTEGER, ach DOUBLE PRECISION",
    )
    cursor.execute(
        "INSERT INTO agg_node SELECT a.node_id, a.cid, a.area_id, a.source_id, nt.total, a.m, "
        "CASE WHEN a.m > 0 THEN a.s / a.m END "
        "FROM agg_nacc a CROSS JOIN agg_ntot nt WHERE nt.node_id = a.node_id"
    )
    _analyze(cursor, "agg_tot", "agg_node")
    say("writing")
    columns = (
        "plan_id, indicator_id, period_code, area_id, source_id, cell_key, value, numerator, "
        "denominator, target, baseline, achievement, value_count, run"
    )
    updated = ", ".join(
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
    with transaction.atomic():
        # Serialise concurrent rebuilds of one plan (PostgreSQL); SQLite's write lock does it too.
        run = AggregateRun.objects.select_for_update().get(plan_id=plan.pk)
        run.generation += 1
        run.save(update_fields=["generation"])
        # SQLite: rows that exist are updated in place (their index entries stay put), then
        # what this rebuild did not write goes. PostgreSQL writes a new row version for every
        # update, so there it is cheaper to delete the plan's rows and insert afresh.
        upsert = connection.vendor == "sqlite"
        scope = sorted(state.scope) if state.scope is not None else None
        if scope is None:
            in_scope = ""
        elif scope:
            in_scope = f" AND indicator_id IN ({', '.join(['%s'] * len(scope))})"
        else:
            in_scope = " AND 1 = 0"  # nothing recomputed: only the roll-up is rewritten
        if not upsert:
            cursor.execute(
                "DELETE FROM indicators_aggregatevalue WHERE indicator_id IN "
                f"(SELECT id FROM indicators_indicator WHERE plan_id = %s){in_scope}",
                [plan.pk, *(scope or [])],
            )
        conflict = (
            "ON CONFLICT (indicator_id, area_id, source_id, cell_key, period_code) "
            f"DO UPDATE SET {updated}"
            if upsert
            else ""
        )
        rows = 0
        for source in ("agg_unpivot", "agg_out"):
            # agg_wa is grouped by (indicator, area, source, period): rows land close together
            # in the unique index (indicator, area, source, cell, period).
            cursor.execute(
                f"INSERT INTO indicators_aggregatevalue ({columns}) SELECT %s, indicator_id, "
                "code, area_id, source_id, cell_key, val, n, d, tgt, bl, ach, cnt, %s FROM ("
                f"{_final_sql(source)}) AS f WHERE 1 = 1 {conflict}",
                [plan.pk, run.generation],
            )
            rows += cursor.rowcount
        # Whatever this rebuild did not write is gone from the data.
        cursor.execute(
            f"DELETE FROM indicators_aggregatevalue WHERE plan_id = %s AND run <> %s{in_scope}",
            [plan.pk, run.generation, *(scope or [])],
        )
        cursor.execute("DELETE FROM indicators_nodeprogress WHERE plan_id = %s", [plan.pk])
        cursor.execute(
            "INSERT INTO indicators_nodeprogress (plan_id, node_id, period_code, area_id, "
            "source_id, indicators_total, indicators_measured, achievement) "
            "SELECT %s, CASE WHEN g.node_id = 0 THEN NULL ELSE g.node_id END, co.code, "
            "g.area_id, g.source_id, g.total, g.measured, g.ach "
            "FROM agg_node g CROSS JOIN agg_code co WHERE co.cid = g.cid",
            [plan.pk],
        )
        rows += cursor.rowcount
    return rows


def period_sort_key(code: str) -> tuple[Any, ...]:
    """Order period codes by start, finest first, with "ALL" last."""
    if code == ALL_PERIODS:
        return (1,)
    parsed = parse_period(code)
    return (0, parsed.start, parsed.end)
