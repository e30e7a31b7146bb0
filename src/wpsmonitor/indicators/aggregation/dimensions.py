"""The mapping tables of the three dimensions the stages roll up: periods, areas and cells.

Built in Python from the small reference tables, so that the set-based stages need no
recursive SQL: each period carries the ids of the periods above it, each area its ancestors
and depth, each cell 0/1 flags for the totals and margins ("slots") it adds into.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.core.periods import enclosing_periods
from wpsmonitor.indicators import limits
from wpsmonitor.indicators.aggregation.periods import ALL_PERIODS
from wpsmonitor.indicators.aggregation.workspace import (
    RebuildState,
    create_table,
    fill,
    integer_pk,
)
from wpsmonitor.indicators.hierarchy import code_pairs, derived_pairs, option_tree
from wpsmonitor.indicators.models import (
    TOTAL_CELL,
    Cell,
    DisaggregationScheme,
    Indicator,
    IndicatorKind,
    Period,
)
from wpsmonitor.plans.models import Plan


def cell_pairs(code: str) -> list[str]:
    """The "dim=opt" pairs of a cell code (none for the total cell)."""
    return [] if code == TOTAL_CELL else code.split(";")


def prepare_periods(cursor: Any, state: RebuildState, plan: Plan) -> None:
    """agg_code and agg_period: integer ids for period codes, and each period's chain upwards.

    Each reported period carries the ids of the coarser periods containing it (p1 the next one
    up ... "ALL" last), so the time chain needs no join. Periods that end before the plan
    starts are left out: their values are the indicators' history (earlier plan generations,
    docs/computations.md, "History before the plan"), never counted in the plan's figures.
    """
    codes: dict[str, int] = {}
    periods = []
    for pk, ptype, code, start in Period.objects.filter(end__gte=plan.start).values_list(
        "pk", "type", "code", "start"
    ):
        chain = [code, *enclosing_periods(code), ALL_PERIODS]
        ids: list[int | None] = [codes.setdefault(c, len(codes) + 1) for c in chain]
        ids += [None] * (5 - len(ids))
        periods.append((pk, ptype, start.toordinal(), *ids))
    create_table(cursor, state, "agg_code", f"cid {integer_pk()}, code TEXT")
    fill(cursor, "agg_code", [(cid, code) for code, cid in codes.items()])
    state.period_codes = codes
    create_table(
        cursor,
        state,
        "agg_period",
        f"period_id {integer_pk()}, ptype TEXT, sk INTEGER, "
        "cid INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER, p4 INTEGER",
    )
    fill(cursor, "agg_period", periods)


def prepare_areas(cursor: Any, state: RebuildState, plan: Plan) -> None:
    """agg_amap and agg_area: the plan's area subtree, with ancestors (for shares) and parent
    and depth (for the roll-up); sets state.depth."""
    from wpsmonitor.directory.models import Area

    create_table(cursor, state, "agg_amap", "area_id BIGINT, ancestor_id BIGINT")
    create_table(
        cursor,
        state,
        "agg_area",
        f"area_id {integer_pk()}, parent_id BIGINT, depth INTEGER, leaf INTEGER",
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
    fill(cursor, "agg_amap", amap)
    fill(cursor, "agg_area", [(*a, int(a[0] not in parents)) for a in areas])
    cursor.execute("CREATE INDEX agg_amap_area ON agg_amap (area_id)")
    state.depth = max([a[2] for a in areas] + [1])


class RebuildRefused(Exception):
    """The plan holds what the rebuild cannot compute (the message says what)."""


def prepare_cells(cursor: Any, state: RebuildState, raw: list[Indicator]) -> Cell | None:
    """agg_cmap and agg_slots: the cell slots of the raw indicators' schemes; sets state.slots.

    Per scheme, slot 0 is the total and slots 1.. the "dim=opt" margins. Each cell carries 0/1
    flags for the slots it adds into, so one GROUP BY fills every key. Returns the total cell
    that list indicators' item counts are filed under (None when there is no list indicator).
    """
    scheme_ids = {i.scheme_id for i in raw}
    list_cell = None
    if any(i.kind == IndicatorKind.LIST for i in raw):
        from wpsmonitor.indicators.services import scheme_ensure

        list_cell = Cell.objects.get(scheme=scheme_ensure(dimension_codes=[]), code=TOTAL_CELL)
        scheme_ids.add(list_cell.scheme_id)
    cells = list(
        Cell.objects.filter(scheme_id__in=scheme_ids).values_list("pk", "scheme_id", "code")
    )
    # Hierarchical dimensions: a cell adds into its options' ancestors' margins too (rank
    # general into category=officers), so totals by category are derived from the ranks.
    tree = option_tree()
    margins = {
        code: cell_pairs(code) + derived_pairs(tree, code_pairs(code)) for _c, _s, code in cells
    }
    slot_of: dict[int, dict[str, int]] = defaultdict(lambda: {"": 0})
    for _cell, scheme_id, code in sorted(cells, key=lambda c: c[0]):
        keys = slot_of[scheme_id]
        for pair in margins[code]:
            keys.setdefault(pair, len(keys))
    state.slots = max([len(k) for k in slot_of.values()] + [1])
    if state.slots > limits.SCHEME_MAX_OPTIONS + 1:
        # Made before the limits (or around the services): one row of the work tables holds
        # four columns per slot, and the databases cap a row's columns (PostgreSQL 1,600).
        widest = max(slot_of, key=lambda s: len(slot_of[s]))
        scheme = DisaggregationScheme.objects.filter(pk=widest).first()
        raise RebuildRefused(
            _(
                "the disaggregation %(scheme)s has %(count)s options; the rebuild computes at "
                "most %(limit)s: split it into smaller disaggregations"
            )
            % {
                "scheme": scheme.code if scheme is not None else widest,
                "count": state.slots - 1,
                "limit": limits.SCHEME_MAX_OPTIONS,
            }
        )
    flags = ", ".join(f"f{j} INTEGER" for j in range(state.slots))
    create_table(cursor, state, "agg_cmap", f"cell_id {integer_pk()}, {flags}")
    rows = []
    for pk, scheme_id, code in cells:
        on = {0} | {slot_of[scheme_id][pair] for pair in margins[code]}
        rows.append((pk, *(int(j in on) for j in range(state.slots))))
    fill(cursor, "agg_cmap", rows)
    create_table(cursor, state, "agg_slots", "scheme_id BIGINT, slot INTEGER, cell_key TEXT")
    fill(
        cursor,
        "agg_slots",
        [(s, slot, key) for s, keys in slot_of.items() for key, slot in keys.items()],
    )
    cursor.execute("CREATE INDEX agg_slots_scheme ON agg_slots (scheme_id)")
    return list_cell
