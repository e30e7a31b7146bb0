"""Step 7: the framework roll-up (NodeProgress).

`prepare_nodes` maps the framework tree into temporary tables before anything is computed;
`roll_up_framework` then takes the finished achievements (total cell) up the tree, depth by
depth, into agg_node, which publishing writes as NodeProgress.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from wpsmonitor.indicators.aggregation.achievement import finished_rows_sql
from wpsmonitor.indicators.aggregation.kinds import NOT_AGGREGATED
from wpsmonitor.indicators.aggregation.workspace import (
    RebuildState,
    analyze,
    create_table,
    fill,
    integer_pk,
    placeholders,
)
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import FrameworkNode, Plan, PlanVersion, VersionStatus


def prepare_nodes(
    cursor: Any, state: RebuildState, plan: Plan, indicators: list[Indicator]
) -> None:
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
    state.node_parent = {pk: parent for pk, (parent, _depth) in nodes.items()}
    state.indicator_node = dict(inode)
    create_table(
        cursor, state, "agg_nodes", f"node_id {integer_pk()}, parent_id BIGINT, depth INTEGER"
    )
    fill(cursor, "agg_nodes", [(pk, parent, depth) for pk, (parent, depth) in nodes.items()])
    create_table(cursor, state, "agg_inode", f"indicator_id {integer_pk()}, node_id BIGINT")
    fill(cursor, "agg_inode", inode)
    create_table(cursor, state, "agg_ntot", f"node_id {integer_pk()}, total INTEGER")
    fill(cursor, "agg_ntot", list(totals.items()))
    state.node_depth = max(depth for _parent, depth in nodes.values())


def prepare_dropped(
    cursor: Any, state: RebuildState, plan: Plan, indicators: list[Indicator]
) -> None:
    """agg_iout: the (indicator, period) pairs an approved revision's drop leaves out of the
    roll-up (the periods that start after its approval, and the plan to date: in_force.py);
    agg_nout: per node and period, how many of the indicators under it are out, taken off
    its total. The indicators' own figures are still computed: they keep their history."""
    from wpsmonitor.indicators.in_force import dropped_for

    approved = dict(
        PlanVersion.objects.filter(plan=plan)
        .exclude(status=VersionStatus.DRAFT)
        .values_list("pk", "approved_at")
    )
    out: list[tuple[int, int]] = []
    off: dict[tuple[int, int], int] = defaultdict(int)
    for indicator in indicators:
        home = state.indicator_node.get(indicator.pk)
        at = approved.get(indicator.retired_in_id) if indicator.retired_in_id else None
        if home is None or at is None:
            continue
        for code, cid in state.period_codes.items():
            if not dropped_for(at, code):
                continue
            out.append((indicator.pk, cid))
            node: int | None = home
            while node is not None:
                off[(node, cid)] += 1
                node = state.node_parent[node]
    create_table(cursor, state, "agg_iout", "indicator_id BIGINT, cid INTEGER")
    fill(cursor, "agg_iout", out)
    create_table(cursor, state, "agg_nout", "node_id BIGINT, cid INTEGER, n INTEGER")
    fill(cursor, "agg_nout", [(node, cid, n) for (node, cid), n in off.items()])


def roll_up_framework(cursor: Any, state: RebuildState) -> None:
    """agg_node: per node (0 for the plan), period, area and source, the count of indicators,
    the count measured and the mean of their capped achievements."""
    _collect_achievements(cursor, state)
    _sum_up_the_tree(cursor, state)
    create_table(
        cursor,
        state,
        "agg_node",
        "node_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, total INTEGER, "
        "measured INTEGER, ach DOUBLE PRECISION",
    )
    cursor.execute(
        "INSERT INTO agg_node SELECT a.node_id, a.cid, a.area_id, a.source_id, "
        "nt.total - COALESCE(nx.n, 0), a.m, CASE WHEN a.m > 0 THEN a.s / a.m END "
        "FROM agg_nacc a CROSS JOIN agg_ntot nt "
        "LEFT JOIN agg_nout nx ON nx.node_id = a.node_id AND nx.cid = a.cid "
        "WHERE nt.node_id = a.node_id"
    )
    analyze(cursor, "agg_tot", "agg_node")


def _collect_achievements(cursor: Any, state: RebuildState) -> None:
    """agg_tot: every indicator's achievement (total cell), computed now or, for those a
    partial rebuild leaves alone, as stored."""
    create_table(
        cursor,
        state,
        "agg_tot",
        "indicator_id BIGINT, cid INTEGER, area_id BIGINT, source_id BIGINT, ach DOUBLE PRECISION",
    )
    for source in ("agg_unpivot", "agg_out"):
        cursor.execute(
            "INSERT INTO agg_tot SELECT indicator_id, cid, area_id, source_id, ach FROM ("
            f"{finished_rows_sql(source)}) AS f WHERE f.cell_key = ''"
        )
    others = [i for i in state.plan_indicators if state.scope is not None and i not in state.scope]
    if others:
        # A partial rebuild: the roll-up also counts the stored figures of the indicators it
        # did not recompute (by indicator: the stored table's index leads with it).
        cursor.execute(
            "INSERT INTO agg_tot SELECT av.indicator_id, co.cid, av.area_id, av.source_id, "
            "av.achievement FROM indicators_aggregatevalue av CROSS JOIN agg_code co "
            f"WHERE av.indicator_id IN ({placeholders(others)}) AND av.cell_key = '' "
            "AND co.code = av.period_code",
            others,
        )
    # What a revision dropped before a period started is not in that period's framework.
    cursor.execute(
        "DELETE FROM agg_tot WHERE EXISTS (SELECT 1 FROM agg_iout o "
        "WHERE o.indicator_id = agg_tot.indicator_id AND o.cid = agg_tot.cid)"
    )


def _sum_up_the_tree(cursor: Any, state: RebuildState) -> None:
    """agg_nacc: per node, the sum and count of capped achievements below it.

    Depth by depth from the deepest nodes up, as for areas: a node's sum and count of capped
    achievements are its own indicators' plus its children's; the mean comes at the end.
    """
    create_table(
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
    analyze(cursor, "agg_nacc")
