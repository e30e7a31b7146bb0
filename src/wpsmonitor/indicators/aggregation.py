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
   margin); for "ALL" the target with the latest period for that area and cell. Targets are not
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
)
from wpsmonitor.plans.models import FrameworkNode, Plan

ALL_PERIODS = "ALL"

# Kinds whose figure across areas is a mean, not a sum; they are not disaggregated.
MEAN_KINDS = {IndicatorKind.YES_NO, IndicatorKind.SCALE, IndicatorKind.MILESTONE}
# Kinds whose value is numerator / denominator x factor.
RATIO_KINDS = {IndicatorKind.PERCENTAGE, IndicatorKind.SHARE}
NOT_AGGREGATED = {IndicatorKind.NARRATIVE}

Progress = Callable[[str], None]

_TEMP_TABLES = [
    "agg_ind",
    "agg_pmap",
    "agg_amap",
    "agg_cmap",
    "agg_scmap",
    "agg_list",
    "agg_t1",
    "agg_t2",
    "agg_out",
    "agg_tgt",
    "agg_bl",
    "agg_nmap",
    "agg_ntot",
    "agg_node",
]

_HAS_DATA = (
    "((ai.kind = 'percentage' AND dv.numerator IS NOT NULL AND dv.denominator IS NOT NULL)"
    " OR (ai.kind <> 'percentage' AND dv.value IS NOT NULL))"
)
_SERIES = "dv.indicator_id, pm.code, dv.area_id, dv.cell_id, dv.source_id"


def rebuild_plan_aggregates(plan: Plan, *, progress: Progress | None = None) -> int:
    """Recompute every aggregate of the plan; returns the number of rows written.

    The plan's AggregateValue and NodeProgress rows are replaced in one transaction (readers
    see the old figures until it commits) and the run is recorded in AggregateRun.
    """
    say = progress or (lambda _message: None)
    started = timezone.now()
    clock = time.perf_counter()
    AggregateRun.objects.update_or_create(
        plan_id=plan.pk, defaults={"started_at": started, "error": ""}
    )
    try:
        with connection.cursor() as cursor:
            _temp_drop(cursor)
            _tune(cursor)
            try:
                indicators = _prepare(cursor, plan, say)
                _compute(cursor, say)
                _derived(cursor, plan, indicators, say)
                rows = _publish(cursor, plan, say)
            finally:
                _temp_drop(cursor)
    except Exception as exc:
        AggregateRun.objects.filter(plan_id=plan.pk).update(error=str(exc)[:2000])
        raise
    seconds = time.perf_counter() - clock
    AggregateRun.objects.filter(plan_id=plan.pk).update(
        finished_at=timezone.now(), rows=rows, seconds=seconds, error=""
    )
    say(f"{plan.code}: {rows} rows in {seconds:.1f} s")
    return rows


# --- preparation: small mapping tables built in Python -------------------------------------


def _tune(cursor: Any) -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Temporary tables in memory and a bigger page cache: the stages sort millions of rows.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA cache_size = -131072")


def _temp_drop(cursor: Any) -> None:
    cursor.execute("DROP VIEW IF EXISTS agg_final")
    for name in _TEMP_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _create(cursor: Any, name: str, columns: str) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _fill(cursor: Any, name: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


def _cell_keys(code: str) -> list[str]:
    """The stored keys a cell adds into: the total and each of its one-dimension margins."""
    if code == TOTAL_CELL:
        return [""]
    return ["", *code.split(";")]


def _prepare(cursor: Any, plan: Plan, say: Progress) -> list[Indicator]:
    say(f"{plan.code}: preparing")
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related(
            "share_of", "share_dimension", "share_option"
        )
    )
    raw = [
        i for i in indicators if not i.is_derived and i.kind not in NOT_AGGREGATED
    ]  # fed by DataValue / ListItem

    _create(
        cursor,
        "agg_ind",
        "indicator_id BIGINT PRIMARY KEY, kind TEXT, time_rule TEXT, freq TEXT, "
        "factor DOUBLE PRECISION, direction TEXT, mean_kind INTEGER, is_raw INTEGER",
    )
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
                int(i in raw),
            )
            for i in indicators
            if i.kind not in NOT_AGGREGATED
        ],
    )

    _create(
        cursor,
        "agg_pmap",
        "period_id BIGINT, ptype TEXT, code TEXT, sort_key INTEGER, coarse INTEGER",
    )
    pmap: list[tuple[Any, ...]] = []
    for pk, ptype, code, start in Period.objects.values_list("pk", "type", "code", "start"):
        key = start.toordinal()
        pmap.append((pk, ptype, code, key, 0))
        pmap.extend((pk, ptype, coarse, key, 1) for coarse in enclosing_periods(code))
        pmap.append((pk, ptype, ALL_PERIODS, key, 1))
    _fill(cursor, "agg_pmap", pmap)
    cursor.execute("CREATE INDEX agg_pmap_period ON agg_pmap (period_id)")

    _create(cursor, "agg_amap", "area_id BIGINT, ancestor_id BIGINT")
    from wpsmonitor.directory.models import Area

    root_path = Area.objects.filter(pk=plan.area_id).values_list("path", flat=True).first() or ""
    root_depth = root_path.count("/") - 2  # index of the plan's area among path ids
    amap: list[tuple[int, int]] = []
    for pk, path in Area.objects.filter(path__startswith=root_path).values_list("pk", "path"):
        ids = [int(part) for part in path.strip("/").split("/")]
        amap.extend((pk, ancestor) for ancestor in ids[root_depth:])
    _fill(cursor, "agg_amap", amap)
    cursor.execute("CREATE INDEX agg_amap_area ON agg_amap (area_id)")

    scheme_ids = {i.scheme_id for i in raw}
    _create(cursor, "agg_cmap", "cell_id BIGINT, cell_key TEXT")
    cells = list(Cell.objects.filter(scheme_id__in=scheme_ids).values_list("pk", "code"))
    _fill(cursor, "agg_cmap", [(pk, key) for pk, code in cells for key in _cell_keys(code)])
    cursor.execute("CREATE INDEX agg_cmap_cell ON agg_cmap (cell_id)")

    # List indicators: their raw fact is the number of items per period, area and source,
    # counted on the total cell of the empty scheme.
    _create(
        cursor,
        "agg_list",
        "indicator_id BIGINT, period_id BIGINT, area_id BIGINT, cell_id BIGINT, "
        "source_id BIGINT, value DOUBLE PRECISION, numerator DOUBLE PRECISION, "
        "denominator DOUBLE PRECISION",
    )
    list_ids = [i.pk for i in raw if i.kind == IndicatorKind.LIST]
    if list_ids:
        from wpsmonitor.indicators.services import scheme_ensure

        total_cell = Cell.objects.get(scheme=scheme_ensure(dimension_codes=[]), code=TOTAL_CELL)
        marks = ", ".join(["%s"] * len(list_ids))
        cursor.execute(
            "INSERT INTO agg_list SELECT indicator_id, period_id, area_id, %s, source_id, "
            "COUNT(*), NULL, NULL FROM indicators_listitem "
            f"WHERE indicator_id IN ({marks}) "
            "GROUP BY indicator_id, period_id, area_id, source_id",
            [total_cell.pk, *list_ids],
        )
        cursor.execute(
            "INSERT INTO agg_cmap SELECT %s, '' WHERE NOT EXISTS "
            "(SELECT 1 FROM agg_cmap WHERE cell_id = %s)",
            [total_cell.pk, total_cell.pk],
        )

    _prepare_targets(cursor, indicators)
    _prepare_nodes(cursor, plan, indicators)
    return indicators


def _target_value(row: dict[str, Any], factor: float) -> float | None:
    if row["value"] is not None:
        return row["value"]
    if row["numerator"] is not None and row["denominator"]:
        return row["numerator"] / row["denominator"] * factor
    return None


def _prepare_targets(cursor: Any, indicators: list[Indicator]) -> None:
    factors = {i.pk: i.factor for i in indicators}
    fields = ["indicator_id", "area_id", "cell__code", "value", "numerator", "denominator"]
    _create(
        cursor,
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
    for (ind, area, key), (_order, value) in latest.items():
        targets[(ind, ALL_PERIODS, area, key)] = value
    _fill(cursor, "agg_tgt", [(*k, v) for k, v in targets.items()])
    cursor.execute("CREATE INDEX agg_tgt_key ON agg_tgt (indicator_id, area_id, cell_key, code)")

    _create(
        cursor,
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


def _prepare_nodes(cursor: Any, plan: Plan, indicators: list[Indicator]) -> None:
    """Indicator -> every node above it (and 0 for the plan), with indicator counts per node."""
    paths = dict(FrameworkNode.objects.filter(plan=plan).values_list("pk", "path"))
    nmap: list[tuple[int, int]] = []
    totals: dict[int, int] = defaultdict(int)
    for indicator in indicators:
        if indicator.kind in NOT_AGGREGATED:
            continue
        path = paths.get(indicator.node_id, "")
        nodes = [int(part) for part in path.strip("/").split("/") if part] + [0]
        for node in nodes:
            nmap.append((indicator.pk, node))
            totals[node] += 1
    _create(cursor, "agg_nmap", "indicator_id BIGINT, node_id BIGINT")
    _fill(cursor, "agg_nmap", nmap)
    cursor.execute("CREATE INDEX agg_nmap_ind ON agg_nmap (indicator_id)")
    _create(cursor, "agg_ntot", "node_id BIGINT PRIMARY KEY, total INTEGER")
    _fill(cursor, "agg_ntot", list(totals.items()))


# --- the set-based stages --------------------------------------------------------------------

_FACT_COLUMNS = (
    "indicator_id BIGINT, code TEXT, area_id BIGINT, source_id BIGINT, cell_key TEXT, "
    "v DOUBLE PRECISION, n DOUBLE PRECISION, d DOUBLE PRECISION, cnt BIGINT"
)


def _compute(cursor: Any, say: Progress) -> None:
    _create(
        cursor,
        "agg_t1",
        "indicator_id BIGINT, code TEXT, area_id BIGINT, cell_id BIGINT, source_id BIGINT, "
        "v DOUBLE PRECISION, n DOUBLE PRECISION, d DOUBLE PRECISION, cnt BIGINT",
    )
    say("time rules (per series)")
    for raw in ("indicators_datavalue", "agg_list"):
        join = (
            f"FROM {raw} dv JOIN agg_ind ai ON ai.indicator_id = dv.indicator_id "
            "JOIN agg_pmap pm ON pm.period_id = dv.period_id AND pm.ptype = ai.freq "
        )
        where = f"WHERE ai.is_raw = 1 AND {_HAS_DATA} "
        # SUM and NONE (NONE: the reported period only).
        cursor.execute(
            f"INSERT INTO agg_t1 SELECT {_SERIES}, SUM(dv.value), SUM(dv.numerator), "
            f"SUM(dv.denominator), COUNT(*) {join}{where}"
            "AND (ai.time_rule = 'sum' OR (ai.time_rule = 'none' AND pm.coarse = 0)) "
            f"GROUP BY {_SERIES}"
        )
        cursor.execute(
            f"INSERT INTO agg_t1 SELECT {_SERIES}, AVG(dv.value), AVG(dv.numerator), "
            f"AVG(dv.denominator), COUNT(*) {join}{where}AND ai.time_rule = 'average' "
            f"GROUP BY {_SERIES}"
        )
        if connection.vendor == "sqlite":
            # SQLite: bare columns of a MAX() aggregate come from the row holding the max.
            cursor.execute(
                "INSERT INTO agg_t1 SELECT indicator_id, code, area_id, cell_id, source_id, "
                "value, numerator, denominator, 1 FROM ("
                f"SELECT {_SERIES}, dv.value, dv.numerator, dv.denominator, "
                f"MAX(pm.sort_key) AS latest {join}{where}AND ai.time_rule = 'last' "
                f"GROUP BY {_SERIES}) AS picked"
            )
        else:
            cursor.execute(
                f"INSERT INTO agg_t1 SELECT DISTINCT ON ({_SERIES}) {_SERIES}, "
                f"dv.value, dv.numerator, dv.denominator, 1 {join}{where}"
                f"AND ai.time_rule = 'last' ORDER BY {_SERIES}, pm.sort_key DESC"
            )

    say("cells (totals and margins)")
    _create(cursor, "agg_t2", _FACT_COLUMNS)
    cursor.execute(
        "INSERT INTO agg_t2 SELECT t.indicator_id, t.code, t.area_id, t.source_id, cm.cell_key, "
        "SUM(t.v), SUM(t.n), SUM(t.d), SUM(t.cnt) FROM agg_t1 t "
        "JOIN agg_cmap cm ON cm.cell_id = t.cell_id "
        "JOIN agg_ind ai ON ai.indicator_id = t.indicator_id "
        "WHERE ai.mean_kind = 0 OR cm.cell_key = '' "
        "GROUP BY t.indicator_id, t.code, t.area_id, t.source_id, cm.cell_key"
    )

    say("areas (subtree roll-up)")
    _create(cursor, "agg_out", _FACT_COLUMNS)
    group = "t.indicator_id, t.code, am.ancestor_id, t.source_id, t.cell_key"
    area_join = (
        "FROM agg_t2 t JOIN agg_amap am ON am.area_id = t.area_id "
        "JOIN agg_ind ai ON ai.indicator_id = t.indicator_id "
    )
    cursor.execute(
        f"INSERT INTO agg_out SELECT {group}, SUM(t.v), SUM(t.n), SUM(t.d), SUM(t.cnt) "
        f"{area_join}WHERE ai.mean_kind = 0 GROUP BY {group}"
    )
    # Yes/no, scale, milestone: the mean over the areas of the subtree that have a value.
    cursor.execute(
        f"INSERT INTO agg_out SELECT {group}, AVG(t.v), NULL, NULL, COUNT(*) "
        f"{area_join}WHERE ai.mean_kind = 1 GROUP BY {group}"
    )


def _derived(cursor: Any, plan: Plan, indicators: list[Indicator], say: Progress) -> None:
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
        _shares(cursor, shares)
    formulas = [i for i in indicators if i.kind == IndicatorKind.FORMULA]
    if formulas:
        say("formulas")
        _formulas(cursor, formulas, by_code)


def _shares(cursor: Any, shares: list[Indicator]) -> None:
    """Numerator: the share_of cells with the option; denominator: all its cells."""
    _create(
        cursor,
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
            pairs = dict(p.split("=", 1) for p in code.split(";")) if code != TOTAL_CELL else {}
            if dim not in pairs:
                continue  # the option's dimension is not in this scheme: no share
            is_opt = int(pairs[dim] == opt)
            keys = [""] + [f"{d}={o}" for d, o in pairs.items() if d != dim]
            rows.extend((share.pk, base.pk, pk, key, is_opt) for key in keys)
    _fill(cursor, "agg_scmap", rows)
    cursor.execute("CREATE INDEX agg_scmap_cell ON agg_scmap (base_id, cell_id)")
    group = "sc.share_id, t.code, am.ancestor_id, t.source_id, sc.cell_key"
    cursor.execute(
        f"INSERT INTO agg_out SELECT {group}, NULL, "
        "SUM(CASE WHEN sc.is_opt = 1 THEN t.v ELSE 0 END), SUM(t.v), SUM(t.cnt) "
        "FROM agg_t1 t JOIN agg_scmap sc ON sc.base_id = t.indicator_id AND sc.cell_id = t.cell_id "
        f"JOIN agg_amap am ON am.area_id = t.area_id GROUP BY {group}"
    )


def _total_values(cursor: Any, indicator_ids: Iterable[int]) -> dict[int, dict[tuple, float]]:
    """Totals (cell "") of the given indicators from agg_out: id -> (code, area, source) -> value."""
    ids = list(indicator_ids)
    found: dict[int, dict[tuple, float]] = defaultdict(dict)
    if not ids:
        return found
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT o.indicator_id, o.code, o.area_id, o.source_id, {_VALUE_SQL} "
        "FROM agg_out o JOIN agg_ind ai ON ai.indicator_id = o.indicator_id "
        f"WHERE o.cell_key = '' AND o.indicator_id IN ({marks})",
        ids,
    )
    for ind, code, area, source, value in cursor.fetchall():
        if value is not None:
            found[ind][(code, area, source)] = value
    return found


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
    referenced = {c for codes in dependencies.values() for c in codes if c in by_code}
    totals = _total_values(
        cursor, [by_code[c].pk for c in referenced if by_code[c].kind != IndicatorKind.FORMULA]
    )
    values: dict[str, dict[tuple, float]] = {
        code: totals.get(by_code[code].pk, {}) for code in referenced
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
                denominator, value = None, numerator * indicator.factor
            else:
                denominator = den.evaluate(point)
                if not denominator:
                    continue  # no denominator or division by zero: no value
                value = numerator / denominator * indicator.factor
            results[key] = value
            count = sum(1 for c in refs if point[c] is not None)
            rows.append((indicator.pk, *key[:2], key[2], "", value, numerator, denominator, count))
        values[code] = results
        # agg_out columns: indicator, code, area, source, cell_key, v, n, d, cnt
        _fill(cursor, "agg_out", rows)


# Value of an aggregate row "o" of indicator "ai": ratio kinds divide at the very end.
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


def _publish(cursor: Any, plan: Plan, say: Progress) -> int:
    # The finished figures, with targets, baselines and achievement, as a view over agg_out.
    cursor.execute(
        "CREATE TEMPORARY VIEW agg_final AS "
        "SELECT x.indicator_id, x.code, x.area_id, x.source_id, x.cell_key, x.val, x.n, x.d, "
        f"x.tgt, x.bl, {_ACHIEVEMENT_SQL} AS ach, x.cnt FROM ("
        f"SELECT o.indicator_id, o.code, o.area_id, o.source_id, o.cell_key, {_VALUE_SQL} "
        "AS val, o.n, o.d, o.cnt, ai.kind, ai.direction, tg.value AS tgt, bl.value AS bl "
        "FROM agg_out o JOIN agg_ind ai ON ai.indicator_id = o.indicator_id "
        "LEFT JOIN agg_tgt tg ON tg.indicator_id = o.indicator_id AND tg.area_id = o.area_id "
        "AND tg.cell_key = o.cell_key AND tg.code = o.code "
        "LEFT JOIN agg_bl bl ON bl.indicator_id = o.indicator_id AND bl.area_id = o.area_id "
        "AND bl.cell_key = o.cell_key) AS x"
    )
    say("framework roll-up")
    _create(
        cursor,
        "agg_node",
        "node_id BIGINT, code TEXT, area_id BIGINT, source_id BIGINT, total INTEGER, "
        "measured INTEGER, ach DOUBLE PRECISION",
    )
    cursor.execute(
        "INSERT INTO agg_node SELECT nm.node_id, f.code, f.area_id, f.source_id, nt.total, "
        "COUNT(f.ach), AVG(CASE WHEN f.ach < 0 THEN 0.0 WHEN f.ach > 1 THEN 1.0 ELSE f.ach END) "
        "FROM agg_final f JOIN agg_nmap nm ON nm.indicator_id = f.indicator_id "
        "JOIN agg_ntot nt ON nt.node_id = nm.node_id WHERE f.cell_key = '' "
        "GROUP BY nm.node_id, f.code, f.area_id, f.source_id, nt.total"
    )
    say("writing")
    with transaction.atomic():
        # Serialise concurrent rebuilds of one plan (PostgreSQL); SQLite's write lock does it too.
        AggregateRun.objects.select_for_update().filter(plan_id=plan.pk).first()
        # By indicator, so the delete walks the one index of the table; plan_id catches
        # indicators that moved to another plan.
        cursor.execute(
            "DELETE FROM indicators_aggregatevalue WHERE indicator_id IN "
            "(SELECT id FROM indicators_indicator WHERE plan_id = %s)",
            [plan.pk],
        )
        cursor.execute("DELETE FROM indicators_aggregatevalue WHERE plan_id = %s", [plan.pk])
        cursor.execute("DELETE FROM indicators_nodeprogress WHERE plan_id = %s", [plan.pk])
        # In the order of the unique index: the B-tree grows at its end.
        cursor.execute(
            "INSERT INTO indicators_aggregatevalue (plan_id, indicator_id, period_code, area_id, "
            "source_id, cell_key, value, numerator, denominator, target, baseline, achievement, "
            "value_count) SELECT %s, indicator_id, code, area_id, source_id, cell_key, val, n, d, "
            "tgt, bl, ach, cnt FROM agg_final "
            "ORDER BY indicator_id, area_id, source_id, cell_key, code",
            [plan.pk],
        )
        rows = cursor.rowcount
        cursor.execute(
            "INSERT INTO indicators_nodeprogress (plan_id, node_id, period_code, area_id, "
            "source_id, indicators_total, indicators_measured, achievement) "
            "SELECT %s, CASE WHEN node_id = 0 THEN NULL ELSE node_id END, code, area_id, "
            "source_id, total, measured, ach FROM agg_node",
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
