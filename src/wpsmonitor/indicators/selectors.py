"""Reads of computed figures for pages and the API. Every function makes a fixed number of
queries, whatever the size of the plan (no N+1): the heavy work was done by the aggregation
package (indicators/aggregation/).

All figures are per source ("gov" by default): official and civil-society figures never mix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wpsmonitor.accounts.access import Viewer
from wpsmonitor.core.periods import parse_period
from wpsmonitor.core.translated import Shown, shown
from wpsmonitor.core.vocabulary import Sensitivity
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS, MEAN_KINDS, period_sort_key
from wpsmonitor.indicators.in_force import Dropped, dropped_of
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    TOTAL_CELL,
    AggregateRun,
    AggregateValue,
    Cell,
    DataValue,
    Indicator,
    IndicatorKind,
    NodeProgress,
    Period,
    SchemeDimension,
    TargetChange,
    TimeRule,
)
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan, VersionStatus

# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One aggregate: an indicator's figure for a period, area, source and cell key."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    baseline: float | None = None
    target: float | None = None
    achievement: float | None = None  # raw (may be < 0 or > 1)
    count: int = 0
    # Read from a release (docs/publishing.md): a suppressed figure has no value and its flag
    # ("primary", "secondary", "derived") instead, with the threshold of a primary one.
    flag: str = ""
    threshold: int | None = None

    @property
    def suppressed(self) -> bool:
        return bool(self.flag)

    @property
    def achievement_capped(self) -> float | None:
        return None if self.achievement is None else min(1.0, max(0.0, self.achievement))

    @property
    def has_value(self) -> bool:
        return self.value is not None


EMPTY = Figure()


@dataclass(frozen=True)
class ActionCounts:
    total: int = 0
    not_started: int = 0
    ongoing: int = 0
    completed: int = 0
    cancelled: int = 0
    delayed: int = 0

    @property
    def completion(self) -> float | None:
        """Share of actions completed, among those not cancelled."""
        active = self.total - self.cancelled
        return self.completed / active if active else None

    def __add__(self, other: ActionCounts) -> ActionCounts:
        return ActionCounts(
            *(getattr(self, f) + getattr(other, f) for f in ActionCounts.__dataclass_fields__)
        )


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    figure: Figure
    # A narrative indicator's texts for the period, area and source shown (plan_progress's
    # `count_texts`); 0 otherwise.
    texts: int = 0

    # Shortcuts for templates and serializers.
    @property
    def value(self) -> float | None:
        return self.figure.value

    @property
    def achievement(self) -> float | None:
        return self.figure.achievement


@dataclass(frozen=True)
class NodeProgressItem:
    node: FrameworkNode
    depth: int  # 0 for pillars
    is_action: bool
    is_delayed: bool  # for actions, as of today
    indicators_total: int
    indicators_measured: int
    achievement: float | None  # mean of capped achievements in the subtree
    actions: ActionCounts  # actions in the subtree (the node itself if it is one)
    indicators: tuple[IndicatorProgress, ...]  # attached to this node
    children: tuple[NodeProgressItem, ...] = ()

    def walk(self) -> Iterator[NodeProgressItem]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class DroppedIndicator:
    """An indicator out of the framework of the period shown, and the version that dropped it."""

    indicator: Indicator
    dropped: Dropped


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    period_code: str
    area_id: int
    source_code: str
    indicators_total: int
    indicators_measured: int
    achievement: float | None
    actions: ActionCounts
    roots: tuple[NodeProgressItem, ...]
    rebuilt_at: datetime | None
    refresh_pending: bool  # a refresh was requested after the last rebuild finished
    # The plan's indicators a revision dropped before the period started (in_force.py): out of
    # the tree and the counts, kept with their figures; pages list them apart.
    dropped: tuple[DroppedIndicator, ...] = ()

    @property
    def dropped_groups(self) -> list[tuple[Dropped, list[Indicator]]]:
        """The dropped indicators by the version that dropped them, oldest first."""
        groups: dict[Dropped, list[Indicator]] = {}
        for item in self.dropped:
            groups.setdefault(item.dropped, []).append(item.indicator)
        return sorted(groups.items(), key=lambda pair: pair[0].number)

    @property
    def nodes(self) -> list[NodeProgressItem]:
        """All nodes in framework order (depth first)."""
        return [item for root in self.roots for item in root.walk()]


def _float(number: Any) -> float | None:
    return None if number is None else float(number)


def figure_from_row(row: dict[str, Any] | None) -> Figure:
    """A Figure from an AggregateValue or ReleaseFigure row read with .values() (EMPTY for no
    row). A release's figures are decimals: the pages compute with floats."""
    if row is None:
        return EMPTY
    return Figure(
        value=_float(row["value"]),
        numerator=_float(row["numerator"]),
        denominator=_float(row["denominator"]),
        baseline=row["baseline"],
        target=row["target"],
        achievement=row["achievement"],
        count=row["value_count"],
        flag=row.get("flag", ""),
        threshold=row.get("threshold"),
    )


_FIGURE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "baseline",
    "target",
    "achievement",
    "value_count",
)
_RELEASE_FIELDS = (*_FIGURE_FIELDS, "flag", "threshold")

Figures = QuerySet[Any] | None
"""Where the figures are read: None for the aggregates (what the platform holds, for those who
see the detail), or a release's figures (`publishing.selectors.figures_for`: the same columns,
plus each figure's flag) for everyone else. The selectors below read either alike."""


def _figure_rows(figures: Figures) -> tuple[QuerySet[Any], tuple[str, ...]]:
    if figures is None:
        return AggregateValue.objects.all(), _FIGURE_FIELDS
    return figures, _RELEASE_FIELDS


def figure_rows(figures: Figures) -> tuple[QuerySet[Any], tuple[str, ...]]:
    """The rows a reading's figures are read from, and their columns (for `figure_from_row`):
    for a feature above that reads several plans' figures at once (localisation)."""
    return _figure_rows(figures)


def _action_counts(nodes: list[FrameworkNode], today: date) -> ActionCounts:
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node.status] += 1
        counts["delayed"] += int(node.is_delayed(today))
    return ActionCounts(
        total=len(nodes),
        not_started=counts[ActionStatus.NOT_STARTED],
        ongoing=counts[ActionStatus.ONGOING],
        completed=counts[ActionStatus.COMPLETED],
        cancelled=counts[ActionStatus.CANCELLED],
        delayed=counts["delayed"],
    )


def _ordered_children(nodes: list[FrameworkNode]) -> dict[int | None, list[FrameworkNode]]:
    children: dict[int | None, list[FrameworkNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, n.code))
    return children


# --- plan progress --------------------------------------------------------------------------


def written_within(*, period_code: str, area: Area, source_code: str) -> Q:
    """A filter on DataValue or ListItem: those of a period (ALL: any; else the periods
    within it), an area and the areas below it, and a source. What the pages show of narrative
    texts and list items, and what the plan page counts."""
    q = Q(area__path__startswith=area.path, source__code=source_code)
    if period_code != ALL_PERIODS:
        parsed = parse_period(period_code)
        q &= Q(period__start__gte=parsed.start, period__end__lte=parsed.end)
    return q


def plan_progress(
    *,
    plan: Plan,
    period_code: str = ALL_PERIODS,
    area: Area | None = None,
    source_code: str = GOVERNMENT_SOURCE,
    today: date | None = None,
    figures: Figures = None,
    hidden: Q | None = None,
    count_texts: bool = False,
) -> PlanProgress:
    """The plan's framework in order with its figures for one period, area and source.

    `count_texts`: each narrative indicator also counts its texts there (`written_within`),
    in the query that lists the indicators (no query more); only for the detail (`figures`
    None), since a release carries no text.

    Six queries whatever the size of the plan. From a release (`figures`), the progress of each
    node is computed from the release's published figures, as the rebuild computes it from the
    aggregates: a suppressed figure counts as not measured, or its achievement would give it away.
    """
    today = today or timezone.localdate()
    area_id = area.pk if area is not None else plan.area_id
    nodes = list(
        FrameworkNode.objects.filter(plan=plan).select_related("level", "responsible_organisation")
    )
    # The plan's own indicators: civil society's own ones are beside the plan, not in its count.
    # Its version read with it: one a revision dropped before the period started is out of that
    # period's framework (in_force.py), listed apart in `dropped` (no query more).
    listed = Indicator.objects.filter(plan=plan, owner_organisation__isnull=True).select_related(
        "retired_in"
    )
    if hidden is not None:
        # What the reader may not see (PlanAccess.hidden_indicators: restricted ones) is not
        # listed; from the aggregates, the nodes' achievements still count it (a mean hides
        # its parts), from a release it is not there at all.
        listed = listed.exclude(hidden)
    if count_texts and figures is None:
        written = (
            DataValue.objects.filter(
                written_within(
                    period_code=period_code,
                    area=area if area is not None else plan.area,
                    source_code=source_code,
                ),
                indicator=OuterRef("pk"),
            )
            .exclude(text_value="")
            .order_by()
            .values("indicator")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # CASE: the subquery runs for narrative indicators only, never over a count's values.
        listed = listed.annotate(
            text_count=Case(
                When(
                    kind=IndicatorKind.NARRATIVE,
                    then=Coalesce(Subquery(written, output_field=IntegerField()), Value(0)),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    indicators: list[Indicator] = []
    dropped: list[DroppedIndicator] = []
    for indicator in listed.order_by("order", "code"):
        gone = dropped_of(indicator, starting=period_code)
        if gone is None:
            indicators.append(indicator)
        else:
            dropped.append(DroppedIndicator(indicator=indicator, dropped=gone))
    rows, fields = _figure_rows(figures)
    aggregates = {
        row["indicator_id"]: row
        for row in rows.filter(
            indicator_id__in=[i.pk for i in indicators],
            period_code=period_code,
            area_id=area_id,
            source__code=source_code,
            cell_key="",
        ).values("indicator_id", *fields)
    }
    # Keyed by node id; the plan's own row has node_id None.
    progress: dict[int | None, tuple[int, float | None]]
    if figures is None:
        progress = {
            row["node_id"]: (row["indicators_measured"], row["achievement"])
            for row in NodeProgress.objects.filter(
                plan=plan, period_code=period_code, area_id=area_id, source__code=source_code
            ).values("node_id", "indicators_measured", "achievement")
        }
    else:
        progress = _node_progress(nodes, indicators, aggregates)
    run = AggregateRun.objects.filter(plan=plan).first()

    by_node: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for indicator in indicators:
        by_node[indicator.node_id].append(
            IndicatorProgress(
                indicator=indicator,
                figure=figure_from_row(aggregates.get(indicator.pk)),
                texts=getattr(indicator, "text_count", 0),
            )
        )
    countable = {i.pk for i in indicators if i.kind != IndicatorKind.NARRATIVE}
    children = _ordered_children(nodes)

    def build(node: FrameworkNode, depth: int) -> NodeProgressItem:
        kids = tuple(build(child, depth + 1) for child in children.get(node.pk, []))
        own = tuple(by_node.get(node.pk, []))
        is_action = node.level.holds_actions
        actions = _action_counts([node], today) if is_action else ActionCounts()
        for kid in kids:
            actions = actions + kid.actions
        total = sum(1 for p in own if p.indicator.pk in countable) + sum(
            k.indicators_total for k in kids
        )
        measured, achievement = progress.get(node.pk, (0, None))
        return NodeProgressItem(
            node=node,
            depth=depth,
            is_action=is_action,
            is_delayed=is_action and node.is_delayed(today),
            indicators_total=total,
            indicators_measured=measured,
            achievement=achievement,
            actions=actions,
            indicators=own,
            children=kids,
        )

    roots = tuple(build(node, 0) for node in children.get(None, []))
    plan_measured, plan_achievement = progress.get(None, (0, None))
    actions = ActionCounts()
    for root in roots:
        actions = actions + root.actions
    rebuilt_at = run.finished_at if run else None
    return PlanProgress(
        plan=plan,
        period_code=period_code,
        area_id=area_id,
        source_code=source_code,
        indicators_total=len(countable),
        indicators_measured=plan_measured,
        achievement=plan_achievement,
        actions=actions,
        roots=roots,
        dropped=tuple(dropped),
        rebuilt_at=rebuilt_at,
        refresh_pending=bool(
            run and run.requested_at and (rebuilt_at is None or run.requested_at > rebuilt_at)
        ),
    )


def _node_progress(
    nodes: list[FrameworkNode], indicators: list[Indicator], figures: dict[int, dict[str, Any]]
) -> dict[int | None, tuple[int, float | None]]:
    """Per node (None for the plan), the count of measured indicators below it and the mean of
    their capped achievements: the rebuild's roll-up (aggregation.framework), over given figures."""
    parent = {node.pk: node.parent_id for node in nodes}
    sums: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for indicator in indicators:
        if indicator.kind == IndicatorKind.NARRATIVE:
            continue
        achievement = (figures.get(indicator.pk) or {}).get("achievement")
        if achievement is None:
            continue
        capped = min(1.0, max(0.0, achievement))
        node_id: int | None = indicator.node_id
        seen: set[int | None] = set()
        while node_id not in seen:  # up to the plan (None), once per node
            seen.add(node_id)
            sums[node_id][0] += capped
            sums[node_id][1] += 1
            if node_id is None:
                break
            node_id = parent.get(node_id)
    return {key: (int(m), s / m) for key, (s, m) in sums.items() if m}


# --- actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionGroup:
    key: str  # pillar node code, or organisation code ("" for actions without one)
    label: str
    counts: ActionCounts
    # The pillar's title or the organisation's name as the reader reads it, with its language
    # (core/translated.py): `label` is its text. None for an acronym (not translated).
    name: Shown | None = None


@dataclass(frozen=True)
class ActionsSummary:
    total: ActionCounts
    by_pillar: tuple[ActionGroup, ...]
    by_organisation: tuple[ActionGroup, ...]


def actions_summary(*, plan: Plan, today: date | None = None) -> ActionsSummary:
    """Action completion and delay by pillar (top-level node) and by responsible organisation.

    One query over the plan's nodes; "delayed" depends on today's date so it is never stored.
    """
    today = today or timezone.localdate()
    nodes = list(
        FrameworkNode.objects.filter(plan=plan).select_related("level", "responsible_organisation")
    )
    roots = sorted((n for n in nodes if n.parent_id is None), key=lambda n: (n.order, n.code))
    root_by_id = {n.pk: n for n in roots}
    actions = [n for n in nodes if n.level.holds_actions]
    by_pillar: dict[int, list[FrameworkNode]] = defaultdict(list)
    by_org: dict[str, list[FrameworkNode]] = defaultdict(list)
    org_labels: dict[str, str] = {}
    org_names: dict[str, Shown | None] = {}
    for action in actions:
        first = action.path.strip("/").split("/")[0]
        if first and int(first) in root_by_id:
            by_pillar[int(first)].append(action)
        org = action.responsible_organisation
        key = org.code if org else ""
        name = shown(org, "name") if org and not org.acronym else None
        org_names[key] = name
        org_labels[key] = (org.acronym or (name.text if name else "")) if org else ""
        by_org[key].append(action)
    return ActionsSummary(
        total=_action_counts(actions, today),
        by_pillar=tuple(
            ActionGroup(
                key=r.code,
                label=title.text,
                counts=_action_counts(by_pillar[r.pk], today),
                name=title,
            )
            for r in roots
            if by_pillar.get(r.pk)
            for title in [shown(r, "title", original=plan.original_language)]
        ),
        by_organisation=tuple(
            ActionGroup(
                key=k, label=org_labels[k], counts=_action_counts(v, today), name=org_names[k]
            )
            for k, v in sorted(by_org.items(), key=lambda kv: (kv[0] == "", org_labels[kv[0]]))
        ),
    )


# --- one indicator --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    period_code: str
    figure: Figure


def indicator_series(
    *,
    indicator: Indicator,
    area: Area | None = None,
    source_code: str = GOVERNMENT_SOURCE,
    cell_key: str = "",
    period_type: str | None = None,
    figures: Figures = None,
) -> list[SeriesPoint]:
    """The indicator's figures over time for one area (the plan's by default), in period order.

    `period_type` ("quarter", "year"...) keeps one granularity; "ALL" is left out. One query.
    """
    area_id = area.pk if area is not None else indicator.plan.area_id
    table, fields = _figure_rows(figures)
    rows = table.filter(
        indicator=indicator, area_id=area_id, source__code=source_code, cell_key=cell_key
    ).values("period_code", *fields)
    points = []
    for row in rows:
        code = row["period_code"]
        if code == ALL_PERIODS:
            continue
        if period_type and parse_period(code).type != period_type:
            continue
        points.append(SeriesPoint(period_code=code, figure=figure_from_row(row)))
    points.sort(key=lambda p: period_sort_key(p.period_code))
    return points


@dataclass(frozen=True)
class AreaFigure:
    area: Area
    figure: Figure


def indicator_by_area(
    *,
    indicator: Indicator,
    period_code: str = ALL_PERIODS,
    source_code: str = GOVERNMENT_SOURCE,
    parent: Area | None = None,
    figures: Figures = None,
) -> list[AreaFigure]:
    """The figures of the child areas of `parent` (the plan's area by default), by name. Two queries."""
    parent_id = parent.pk if parent is not None else indicator.plan.area_id
    children = list(Area.objects.filter(parent_id=parent_id).order_by("name"))
    table, fields = _figure_rows(figures)
    rows = {
        row["area_id"]: row
        for row in table.filter(
            indicator=indicator,
            area_id__in=[a.pk for a in children],
            source__code=source_code,
            cell_key="",
            period_code=period_code,
        ).values("area_id", *fields)
    }
    return [AreaFigure(area=a, figure=figure_from_row(rows.get(a.pk))) for a in children]


def plan_periods(
    *, plan: Plan, source_code: str | None = None, figures: Figures = None
) -> list[str]:
    """Period codes that have figures for the plan, in order ("ALL" last). One query."""
    rows: QuerySet[Any] = (
        NodeProgress.objects.filter(plan=plan, node__isnull=True) if figures is None else figures
    )
    if source_code:
        rows = rows.filter(source__code=source_code)
    codes = set(rows.order_by().values_list("period_code", flat=True).distinct())
    return sorted(codes, key=period_sort_key)


# --- the cross-tab --------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionInfo:
    code: str
    name: str
    options: tuple[tuple[str, str], ...]  # (code, name) in order


@dataclass(frozen=True)
class CrossTab:
    """An indicator's full disaggregation for one period, area and source.

    cells: full cell code -> figure; margins: "dim=opt" -> figure; total: the "" figure.
    Margins and total are the sums of the cells (for percentages: sums of numerators and
    denominators, divided at the end); targets and achievements come from the aggregates.
    """

    indicator: Indicator
    period_code: str
    area_id: int
    source_code: str
    dimensions: tuple[DimensionInfo, ...]
    cells: dict[str, Figure] = field(default_factory=dict)
    margins: dict[str, Figure] = field(default_factory=dict)
    total: Figure = EMPTY

    def cell(self, **options: str) -> Figure:
        """The figure of one full cell: table.cell(sex="F", age="18-29", disability="no")."""
        code = ";".join(f"{d.code}={options[d.code]}" for d in self.dimensions)
        return self.cells.get(code, EMPTY)


def _value_of(
    indicator: Indicator, v: float | None, n: float | None, d: float | None
) -> float | None:
    if indicator.kind in (IndicatorKind.PERCENTAGE, IndicatorKind.SHARE):
        return n * indicator.factor / d if n is not None and d else None
    return v


def _raw_sums(
    indicator: Indicator, period_code: str, area_id: int, source_code: str
) -> dict[str, tuple[float | None, float | None, float | None, int]]:
    """Per full cell code: (v, n, d, count) after the time rule per series and the area sum."""
    if period_code == ALL_PERIODS:
        if indicator.time_rule == TimeRule.NONE:
            return {}
        # The whole plan to date: the values before its start are history, never counted.
        plan_start = Plan.objects.filter(pk=indicator.plan_id).values("start")
        periods = Period.objects.filter(type=indicator.frequency, end__gte=Subquery(plan_start))
    else:
        parsed = parse_period(period_code)
        if indicator.time_rule == TimeRule.NONE and parsed.type != indicator.frequency:
            return {}
        periods = Period.objects.filter(
            type=indicator.frequency, start__gte=parsed.start, end__lte=parsed.end
        )
    area_path = Area.objects.filter(pk=area_id).values("path")
    rows = DataValue.objects.filter(
        indicator=indicator,
        source__code=source_code,
        period__in=periods,
        area__path__startswith=area_path,
    )
    if indicator.kind == IndicatorKind.PERCENTAGE:
        rows = rows.filter(numerator__isnull=False, denominator__isnull=False)
    else:
        rows = rows.filter(value__isnull=False)
    # Per series (area, cell): apply the time rule in Python over the few periods involved.
    series: dict[tuple[int, str], list[tuple[date, float | None, float | None, float | None]]]
    series = defaultdict(list)
    for area, cell, start, v, n, d in rows.values_list(
        "area_id", "cell__code", "period__start", "value", "numerator", "denominator"
    ):
        series[(area, cell)].append((start, v, n, d))
    cells: dict[str, list[float | None | int]] = {}
    for (_area, cell), points in series.items():
        if indicator.time_rule == TimeRule.LAST:
            _start, v, n, d = max(points, key=lambda p: p[0])
            figure = (v, n, d, 1)
        else:
            count = len(points)
            sums = [_sum(p[i] for p in points) for i in (1, 2, 3)]
            if indicator.time_rule == TimeRule.AVERAGE:
                sums = [None if s is None else s / count for s in sums]
            figure = (sums[0], sums[1], sums[2], count)
        acc = cells.setdefault(cell, [None, None, None, 0])
        for i in range(3):
            if figure[i] is not None:
                acc[i] = (acc[i] or 0) + figure[i]  # type: ignore[operator]
        acc[3] += figure[3]  # type: ignore[operator]
    return {k: (v[0], v[1], v[2], int(v[3] or 0)) for k, v in cells.items()}  # type: ignore[misc]


def _sum(values: Any) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def indicator_table(
    *,
    indicator: Indicator,
    period_code: str = ALL_PERIODS,
    area: Area | None = None,
    source_code: str = GOVERNMENT_SOURCE,
    figures: Figures = None,
) -> CrossTab:
    """The full cross-tab of one indicator, computed from DataValue with bounded queries (4).

    Derived (share, formula) and mean kinds show their stored margins and total only; so does
    a release (`figures`): it holds the total and the margins, never the full cells.
    """
    area_id = area.pk if area is not None else indicator.plan.area_id
    dimensions = []
    option_names: dict[str, dict[str, str]] = {}
    for sd in (
        SchemeDimension.objects.filter(scheme_id=indicator.scheme_id)
        .select_related("dimension")
        .prefetch_related("dimension__options")
    ):
        options = tuple((o.code, o.name) for o in sd.dimension.options.all())
        option_names[sd.dimension.code] = dict(options)
        dimensions.append(
            DimensionInfo(code=sd.dimension.code, name=sd.dimension.name, options=options)
        )
    rows, fields = _figure_rows(figures)
    stored = {
        row["cell_key"]: figure_from_row(row)
        for row in rows.filter(
            indicator=indicator,
            area_id=area_id,
            source__code=source_code,
            period_code=period_code,
        ).values("cell_key", *fields)
    }
    table = CrossTab(
        indicator=indicator,
        period_code=period_code,
        area_id=area_id,
        source_code=source_code,
        dimensions=tuple(dimensions),
    )
    if (
        figures is not None
        or indicator.is_derived
        or indicator.kind in MEAN_KINDS
        or indicator.kind
        in (
            IndicatorKind.LIST,
            IndicatorKind.NARRATIVE,
        )
    ):
        margins = {k: f for k, f in stored.items() if k}
        return CrossTab(**{**table.__dict__, "margins": margins, "total": stored.get("", EMPTY)})

    sums = _raw_sums(indicator, period_code, area_id, source_code)
    cells: dict[str, Figure] = {}
    margin_acc: dict[str, list[Any]] = defaultdict(lambda: [None, None, None, 0])
    for code, (v, n, d, count) in sums.items():
        cells[code] = Figure(
            value=_value_of(indicator, v, n, d), numerator=n, denominator=d, count=count
        )
        for key in ["", *([] if code == TOTAL_CELL else code.split(";"))]:
            acc = margin_acc[key]
            for i, part in enumerate((v, n, d)):
                if part is not None:
                    acc[i] = (acc[i] or 0) + part
            acc[3] += count

    def combine(key: str) -> Figure:
        v, n, d, count = margin_acc.get(key, (None, None, None, 0))
        ref = stored.get(key, EMPTY)
        return Figure(
            value=_value_of(indicator, v, n, d),
            numerator=n,
            denominator=d,
            baseline=ref.baseline,
            target=ref.target,
            achievement=ref.achievement,
            count=count,
        )

    margins = {
        f"{d.code}={opt}": combine(f"{d.code}={opt}") for d in dimensions for opt, _n in d.options
    }
    return CrossTab(**{**table.__dict__, "cells": cells, "margins": margins, "total": combine("")})


def aggregate_cell_keys(*, indicator: Indicator, figures: Figures = None) -> list[str]:
    """The stored cell keys of an indicator ("" first), for pickers. One query."""
    table, _fields = _figure_rows(figures)
    keys = set(
        table.filter(indicator=indicator).order_by().values_list("cell_key", flat=True).distinct()
    )
    return sorted(keys, key=lambda k: (k != "", k))


def cells_of(indicator: Indicator) -> list[str]:
    """The full cell codes of the indicator's scheme. One query."""
    return list(Cell.objects.filter(scheme_id=indicator.scheme_id).values_list("code", flat=True))


# Civil society's own indicators ----------------------------------------------------------------


def hidden_indicators_for(user: Viewer, plan: Plan) -> Q:
    """PlanAccess.hidden_indicators as one filter, without loading the user's roles first: the
    roles are subqueries, so a list read costs no extra query. The rule is access.py's: an
    organisation's draft indicator is hidden from all but its monitors, a restricted one from
    all but its readers (docs/publishing.md, "Restricted indicators")."""
    from wpsmonitor.accounts.access import hidden_indicators_filter

    return hidden_indicators_filter(user, plan)


def indicator_visible(user: Viewer, indicator: Indicator) -> bool:
    """Whether the user may see this indicator: a query only for a draft own indicator, a
    restricted one, or a share (its base may be restricted)."""
    drafted = indicator.owner_organisation_id is not None and indicator.published_at is None
    restricted = indicator.sensitivity == Sensitivity.RESTRICTED
    if not (drafted or restricted or indicator.share_of_id is not None):
        return True
    from wpsmonitor.accounts.access import PlanAccess

    return PlanAccess.load(user, indicator.plan).can_view_indicator(indicator)


@dataclass(frozen=True)
class HistoryPoint:
    """A value reported for a period before the plan started (an earlier plan generation)."""

    period_code: str
    cell_code: str
    value: float | None
    numerator: float | None
    denominator: float | None
    text: str


def indicator_history(*, indicator: Indicator, area: Area, source_code: str) -> list[HistoryPoint]:
    """The indicator's history at one area and source: its values for periods that end before
    the plan starts, oldest first, as stored (one query).

    They are kept beside the plan's values (same table, same audit) and told apart by their
    period alone: the rebuild leaves them out (aggregation/dimensions.prepare_periods), so they
    never count in the plan's totals or achievement (docs/computations.md, "History before
    the plan"). A percentage's value is computed from its terms, as the rebuild would.
    """
    rows = (
        DataValue.objects.filter(
            indicator=indicator,
            area=area,
            source__code=source_code,
            period__end__lt=Plan.objects.filter(pk=indicator.plan_id).values("start"),
        )
        .order_by("period__start", "period__end", "cell__code")
        .values_list(
            "period__code", "cell__code", "value", "numerator", "denominator", "text_value"
        )
    )
    points = []
    for period_code, cell_code, value, num, den, text in rows:
        if value is None and num is not None and den:
            value = num / den * indicator.factor
        points.append(HistoryPoint(period_code, cell_code, value, num, den, text))
    return points


# Targets changed by a revision -----------------------------------------------------------------


def target_changes(indicator: Indicator) -> list[TargetChange]:
    """The indicator's targets changed by an approved revision of its plan (docs/revisions.md,
    "Targets in force"), oldest change first, with their period, area, cell and version: one
    query, whatever their number.

    A `TargetChange` is written only when its version is approved, so a draft has none; the
    filter on the version's approval keeps it so should a row ever point to one."""
    return list(
        TargetChange.objects.filter(indicator=indicator, version__approved_at__isnull=False)
        .exclude(version__status__in=(VersionStatus.DRAFT, VersionStatus.ABANDONED))
        .select_related("period", "area", "cell", "version")
        .order_by("changed_at", "period__start", "period__end", "area__path", "cell__code", "pk")
    )


def changed_target_periods(changes: list[TargetChange], area: Area) -> set[str]:
    """The codes of the periods whose total target at `area` a revision changed (no query)."""
    return {c.period.code for c in changes if c.area_id == area.pk and c.cell.code == TOTAL_CELL}
