"""What a rebuild computes: the plan's indicators, a partial rebuild's scope, and the small
mapping tables the set-based stages read (built in Python before any heavy SQL runs)."""

from __future__ import annotations

from typing import Any

from wpsmonitor.indicators.aggregation.achievement import prepare_targets
from wpsmonitor.indicators.aggregation.dimensions import (
    prepare_areas,
    prepare_cells,
    prepare_periods,
)
from wpsmonitor.indicators.aggregation.framework import prepare_dropped, prepare_nodes
from wpsmonitor.indicators.aggregation.kinds import MEAN_KINDS, NOT_AGGREGATED
from wpsmonitor.indicators.aggregation.workspace import (
    Progress,
    RebuildState,
    analyze,
    create_table,
    fill,
    integer_pk,
    placeholders,
)
from wpsmonitor.indicators.formula import FormulaError, formula_parse
from wpsmonitor.indicators.models import Cell, Indicator, IndicatorKind
from wpsmonitor.plans.models import Plan

# Time rules as the integer code (agg_ind.rl) the time stage branches on.
_RULE_CODES = {"sum": 0, "average": 1, "last": 2, "none": 3}


def prepare(cursor: Any, state: RebuildState, plan: Plan, say: Progress) -> list[Indicator]:
    """Build every mapping table; returns the indicators in scope (derived ones included)."""
    say(f"{plan.code}: preparing")
    everything = list(
        Indicator.objects.filter(plan=plan).select_related(
            "share_of", "share_dimension", "share_option"
        )
    )
    state.plan_indicators = [i.pk for i in everything if i.kind not in NOT_AGGREGATED]
    prepare_nodes(cursor, state, plan, everything)
    if state.scope is not None:
        state.scope = _closure(everything, state.scope)
    indicators = [i for i in everything if state.scope is None or i.pk in state.scope]
    raw = [i for i in indicators if not i.is_derived and i.kind not in NOT_AGGREGATED]

    _prepare_indicators(cursor, state, indicators, raw)
    prepare_periods(cursor, state, plan)
    prepare_dropped(cursor, state, plan, everything)
    prepare_areas(cursor, state, plan)
    list_cell = prepare_cells(cursor, state, raw)
    _prepare_list_counts(cursor, state, raw, list_cell)
    prepare_targets(cursor, state, indicators)
    analyze(
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
        "agg_iout",
        "agg_nout",
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


def _prepare_indicators(
    cursor: Any, state: RebuildState, indicators: list[Indicator], raw: list[Indicator]
) -> None:
    """agg_ind: how each aggregated indicator of the scope is computed."""
    create_table(
        cursor,
        state,
        "agg_ind",
        f"indicator_id {integer_pk()}, kind TEXT, time_rule TEXT, freq TEXT, "
        "factor DOUBLE PRECISION, direction TEXT, mean_kind INTEGER, is_raw INTEGER, "
        "scheme_id BIGINT, narrow INTEGER, rl INTEGER",
    )
    raw_ids = {i.pk for i in raw}
    share_bases = {i.share_of_id for i in indicators if i.kind == IndicatorKind.SHARE}
    fill(
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
                _RULE_CODES.get(i.time_rule, 3),
            )
            for i in indicators
            if i.kind not in NOT_AGGREGATED
        ],
    )


def _prepare_list_counts(
    cursor: Any, state: RebuildState, raw: list[Indicator], list_cell: Cell | None
) -> None:
    """agg_list: a list indicator's raw fact, the number of its items per period, area and
    source, filed under the total cell; read by the time stage like DataValue."""
    create_table(
        cursor,
        state,
        "agg_list",
        "indicator_id BIGINT, period_id BIGINT, area_id BIGINT, cell_id BIGINT, "
        "source_id BIGINT, value DOUBLE PRECISION, numerator DOUBLE PRECISION, "
        "denominator DOUBLE PRECISION",
    )
    list_ids = [i.pk for i in raw if i.kind == IndicatorKind.LIST]
    if list_ids and list_cell is not None:
        cursor.execute(
            "INSERT INTO agg_list SELECT indicator_id, period_id, area_id, %s, source_id, "
            "COUNT(*), NULL, NULL FROM indicators_listitem "
            f"WHERE indicator_id IN ({placeholders(list_ids)}) "
            "GROUP BY indicator_id, period_id, area_id, source_id",
            [list_cell.pk, *list_ids],
        )
