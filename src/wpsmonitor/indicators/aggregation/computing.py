"""Steps 1 to 3, as set-based SQL over the temporary tables: time, then cells, then areas.

Time rules run on two tracks. SUM and NONE commute with every roll-up, so their values go
straight into every cell slot at once ("wide" tables agg_x<k>, one per level of periods).
LAST and AVERAGE (and the bases of share indicators) must be computed per cell series first
("narrow" tables agg_l<k>), and are spread over the slots afterwards. Both tracks meet in
agg_w (per indicator, area, source and period, one column group per slot), which is rolled up
the area tree into agg_wa and unpivoted into the stored shape by the view agg_unpivot.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from wpsmonitor.indicators.aggregation.workspace import (
    Progress,
    RebuildState,
    analyze,
    create_table,
    create_view,
)

# Periods per series: month, quarter, semester, year, ALL, so at most five steps up.
_MAX_LEVEL = 5

# A raw value counts when it has its figures: both terms of a percentage, else the value.
_HAS_DATA = (
    "((ai.kind = 'percentage' AND dv.numerator IS NOT NULL AND dv.denominator IS NOT NULL)"
    " OR (ai.kind <> 'percentage' AND dv.value IS NOT NULL))"
)
# The raw values that are aggregated: those of raw indicators, at the indicator's frequency.
_RAW_FILTER = (
    "WHERE ai.indicator_id = dv.indicator_id AND p.period_id = dv.period_id "
    f"AND p.ptype = ai.freq AND ai.is_raw = 1 AND {_HAS_DATA} "
)

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


def _values_join(state: RebuildState, raw: str) -> str:
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


def compute(cursor: Any, state: RebuildState, say: Progress) -> None:
    """Fill agg_wa and the view agg_unpivot with the raw indicators' figures; create agg_out,
    where the derived indicators' figures will land."""
    say("time rules (per series)")
    wide_levels = _time_rules_by_slot(cursor, state)
    _time_rules_by_cell(cursor, state)
    say("cells (totals and margins)")
    _cells(cursor, state, wide_levels)
    analyze(cursor, "agg_w", *(f"agg_l{x}" for x in range(state.levels)))
    say("areas (subtree roll-up)")
    _areas(cursor, state)
    analyze(cursor, "agg_wa")
    _unpivot(cursor, state)
    # Shares and formulas land here, already in stored shape.
    create_table(
        cursor,
        state,
        "agg_out",
        "indicator_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, cell_key TEXT, "
        "v DOUBLE PRECISION, n DOUBLE PRECISION, d DOUBLE PRECISION, cnt BIGINT",
    )


def _wide_columns(slots: int) -> str:
    return (
        "ind BIGINT, cid INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER, p4 INTEGER, area BIGINT, "
        f"source BIGINT, rl INTEGER, {_slot_columns(slots)}"
    )


def _time_rules_by_slot(cursor: Any, state: RebuildState) -> int:
    """SUM and NONE into agg_x0, agg_x1, ...; returns how many of those tables were made."""
    k = state.slots
    wide = _wide_columns(k)
    # One pass over the values (CROSS JOIN keeps SQLite scanning the table in order instead
    # of through an index) straight into every slot, total and margins.
    create_table(cursor, state, "agg_x0", wide)
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
            f"CROSS JOIN agg_cmap cm {_RAW_FILTER}AND ai.narrow = 0 AND cm.cell_id = dv.cell_id "
            "GROUP BY dv.indicator_id, p.cid, p.p1, p.p2, p.p3, p.p4, dv.area_id, dv.source_id"
        )
    analyze(cursor, "agg_x0")
    # Up the periods: SUM adds every slot; NONE stops at the reported period.
    sums = ", ".join(f"SUM(t.{name})" for name in _slot_names(k))
    level = 0
    while level < _MAX_LEVEL:
        src, dst = f"agg_x{level}", f"agg_x{level + 1}"
        create_table(cursor, state, dst, wide)
        cursor.execute(
            f"INSERT INTO {dst} SELECT t.ind, {_UP}, NULL, t.area, t.source, 0, {sums} "
            "FROM " + src + " t WHERE t.rl = 0 AND t.p1 IS NOT NULL "
            "GROUP BY t.ind, t.p1, t.p2, t.p3, t.p4, t.area, t.source"
        )
        level += 1
        if cursor.rowcount == 0:
            break
    return level + 1


def _time_rules_by_cell(cursor: Any, state: RebuildState) -> None:
    """LAST, AVERAGE and share bases, per cell series, into agg_l0, agg_l1, ...; sets
    state.levels."""
    create_table(cursor, state, "agg_l0", _NARROW)
    for raw in ("indicators_datavalue", "agg_list"):
        cursor.execute(
            "INSERT INTO agg_l0 SELECT dv.indicator_id, p.cid, p.p1, p.p2, p.p3, p.p4, "
            "dv.area_id, dv.cell_id, dv.source_id, dv.value, dv.numerator, dv.denominator, 1, "
            "p.sk, dv.value, dv.numerator, dv.denominator, ai.rl "
            f"FROM {_values_join(state, raw)} CROSS JOIN agg_period p {_RAW_FILTER}"
            "AND ai.narrow = 1"
        )
    analyze(cursor, "agg_l0")
    is_avg = "MAX(t.rl) = 1"
    level = 0
    while level < _MAX_LEVEL:
        src, dst = f"agg_l{level}", f"agg_l{level + 1}"
        create_table(cursor, state, dst, _NARROW)
        up = f"FROM {src} t WHERE t.p1 IS NOT NULL "
        # SUM and AVERAGE (a share base may have either): sums, and the mean for AVERAGE.
        cursor.execute(
            f"INSERT INTO {dst} SELECT t.ind, {_UP}, NULL, t.area, t.cell, t.source, "
            "SUM(t.s), SUM(t.n), SUM(t.d), SUM(t.c), MAX(t.sk), "
            f"CASE WHEN {is_avg} THEN SUM(t.s) / SUM(t.c) ELSE SUM(t.s) END, "
            f"CASE WHEN {is_avg} THEN SUM(t.n) / SUM(t.c) ELSE SUM(t.n) END, "
            f"CASE WHEN {is_avg} THEN SUM(t.d) / SUM(t.c) ELSE SUM(t.d) END, MAX(t.rl) "
            f"{up}AND t.rl IN (0, 1) GROUP BY {_SERIES}"
        )
        moved = cursor.rowcount
        moved += _pick_last(cursor, dst, up)
        level += 1
        if moved == 0:
            break
    state.levels = level + 1


def _pick_last(cursor: Any, dst: str, up: str) -> int:
    """LAST: per series one level up, the row of the latest sub-period; returns rows added."""
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
    return int(cursor.rowcount)


def _cells(cursor: Any, state: RebuildState, wide_levels: int) -> None:
    """agg_w: both tracks per (indicator, period, area, source), one column group per slot."""
    k = state.slots
    create_table(
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


def _areas(cursor: Any, state: RebuildState) -> None:
    """agg_wa: agg_w rolled up the plan's area subtree.

    Depth by depth from the deepest areas up: an area's figure is its own plus its
    children's. "ac" counts areas with a value: yes/no, scale and milestone take the mean.
    """
    k = state.slots
    create_table(
        cursor,
        state,
        "agg_wa",
        f"ind BIGINT, area BIGINT, source BIGINT, cid INTEGER, ac BIGINT, {_slot_columns(k)}",
    )
    names = ", ".join(_slot_names(k))
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


def _unpivot(cursor: Any, state: RebuildState) -> None:
    """The view agg_unpivot: the stored rows, one per slot that has data; mean kinds divide by
    the areas counted."""
    k = state.slots

    def pick(letter: str, slot0: str) -> str:
        rest = " ".join(f"WHEN {j} THEN w.{letter}{j}" for j in range(1, k))
        return f"CASE sk.slot WHEN 0 THEN {slot0} {rest} END"

    create_view(
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
