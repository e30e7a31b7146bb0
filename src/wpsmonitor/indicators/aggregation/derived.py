"""Steps 4 and 5: share and formula indicators, computed from the other indicators' figures.

Shares read the per-cell level tables of their base (agg_l<k>); formulas read the totals of the
indicators they name (agg_unpivot, and agg_out for shares). Both write agg_out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from wpsmonitor.indicators.aggregation.dimensions import cell_pairs
from wpsmonitor.indicators.aggregation.kinds import RATIO_KINDS
from wpsmonitor.indicators.aggregation.workspace import (
    Progress,
    RebuildState,
    create_table,
    fill,
    placeholders,
)
from wpsmonitor.indicators.formula import FormulaError, formula_order, formula_parse
from wpsmonitor.indicators.models import Cell, Indicator, IndicatorKind
from wpsmonitor.plans.models import Plan


def compute_derived(
    cursor: Any, state: RebuildState, plan: Plan, indicators: list[Indicator], say: Progress
) -> None:
    """Shares and formulas of the scope, into agg_out (already in stored shape)."""
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


def _shares(cursor: Any, state: RebuildState, shares: list[Indicator]) -> None:
    """Numerator: the share_of cells with the option; denominator: all its cells."""
    create_table(
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
            pairs = dict(p.split("=", 1) for p in cell_pairs(code))
            if dim not in pairs:
                continue  # the option's dimension is not in this scheme: no share
            is_opt = int(pairs[dim] == opt)
            kept = [f"{d}={o}" for d, o in pairs.items() if d != dim]
            keys = ["", *kept]
            if len(kept) > 1:
                # Every cell of the dimensions the share keeps (rank × age), not only their
                # margins: cell_pairs gives the scheme's order, so the key is canonical.
                keys.append(";".join(kept))
            rows.extend((share.pk, base.pk, pk, key, is_opt) for key in keys)
    fill(cursor, "agg_scmap", rows)
    cursor.execute("CREATE INDEX agg_scmap_cell ON agg_scmap (base_id, cell_id)")
    bases = sorted({s.share_of.pk for s in shares if s.share_of})
    group = "sc.share_id, t.cid, am.ancestor_id, t.source, sc.cell_key"
    for x in range(state.levels):
        cursor.execute(
            f"INSERT INTO agg_out SELECT {group}, NULL, "
            "SUM(CASE WHEN sc.is_opt = 1 THEN t.vs ELSE 0 END), SUM(t.vs), SUM(t.c) "
            f"FROM agg_l{x} t CROSS JOIN agg_scmap sc CROSS JOIN agg_amap am "
            "WHERE sc.base_id = t.ind AND sc.cell_id = t.cell AND am.area_id = t.area "
            f"AND t.ind IN ({placeholders(bases)}) GROUP BY {group}",
            bases,
        )


def _formulas(cursor: Any, formulas: list[Indicator], by_code: dict[str, Indicator]) -> None:
    """Evaluate the formulas in dependency order, per (period, area, source), into agg_out."""
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
    totals = _referenced_totals(cursor, dependencies, by_code)
    values: dict[str, dict[tuple[Any, ...], float]] = {
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
        results: dict[tuple[Any, ...], float] = {}
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
        fill(cursor, "agg_out", rows)


def _referenced_totals(
    cursor: Any, dependencies: dict[str, set[str]], by_code: dict[str, Indicator]
) -> dict[int, dict[tuple[Any, ...], float]]:
    """The total-cell values of the non-formula indicators the formulas name, per indicator id
    and (period, area, source); ratio kinds are divided here."""
    referenced = {
        by_code[c].pk
        for codes in dependencies.values()
        for c in codes
        if c in by_code and by_code[c].kind != IndicatorKind.FORMULA
    }
    totals: dict[int, dict[tuple[Any, ...], float]] = defaultdict(dict)
    if referenced:
        ids = sorted(referenced)
        marks = placeholders(ids)
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
    return totals
