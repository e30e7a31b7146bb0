"""Where the government's and civil society's accounts of a plan differ most.

For one period, every indicator total (cell "") that the government and a civil-society source
both report for the same area is a pair, at the areas where the civil-society source reported
(not the roll-ups above them, whose coverage differs); pairs are ranked by how far apart they are. Counts are
compared relatively (|a - b| / max(|a|, |b|): 0 the same, 1 one of them says nothing), ratios
and yes/no shares in percentage points (|a - b| on the 0-100 scale), because a 34 % against 12 %
disagreement is 22 points whatever the size of the denominators; scale and milestone steps as
the share of the whole scale between them. Both figures come from the
aggregate table, so each side's own rules over time and areas apply; nothing is merged. A
reader who does not see the detail compares the figures of the plan's published release instead
(`figures`, as the indicator selectors read it). A pair of which either figure is suppressed in
the release is not compared (`NotCompared`): its difference, with the other figure, would give
the hidden one away. The page lists such pairs with the flag's words; the API counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from wpsmonitor.core.periods import PeriodType, parse_period
from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.aggregation import ALL_PERIODS
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
)
from wpsmonitor.indicators.reading import flag_text
from wpsmonitor.indicators.reading_periods import filter_periods, plan_filter_periods
from wpsmonitor.indicators.selectors import Figures, plan_periods
from wpsmonitor.plans.models import Plan

# Kinds whose figure is a share (0-100 once multiplied by the factor, or 0-1 for yes/no).
POINT_KINDS = {
    IndicatorKind.PERCENTAGE,
    IndicatorKind.SHARE,
    IndicatorKind.YES_NO,
}
STEP_KINDS = {IndicatorKind.SCALE, IndicatorKind.MILESTONE}
LIMIT = 100

# One side of a pair: its value (None when suppressed), its flag and a primary flag's threshold.
Side = tuple[float | None, str, int | None]
Row = tuple[str, int, int, int, float | None, str, int | None]


def _step_label(indicator: Indicator, value: float | None) -> str:
    """A scale's or milestone's step by its label ("" for other kinds and other values)."""
    labels = indicator.scale_labels or []
    if (
        indicator.kind in STEP_KINDS
        and value is not None
        and value == int(value)
        and 0 <= int(value) < len(labels)
    ):
        return str(labels[int(value)])
    return ""


@dataclass(frozen=True)
class Divergence:
    indicator: Indicator
    area: Area
    source: Source
    government: float
    civil_society: float
    gap: float  # relative (0..1) for counts, percentage points for shares
    in_points: bool

    @property
    def in_steps(self) -> bool:
        """A scale or milestone: the figures are steps with labels ("Partial", "Initial")."""
        return self.indicator.kind in STEP_KINDS

    @property
    def government_label(self) -> str:
        """The government's step by its label ("" when not a labelled step)."""
        return _step_label(self.indicator, self.government)

    @property
    def civil_society_label(self) -> str:
        return _step_label(self.indicator, self.civil_society)

    @property
    def rank_key(self) -> float:
        # Points and ratios on one scale: 100 points apart ranks with "one says nothing".
        return self.gap / 100 if self.in_points else self.gap


@dataclass(frozen=True)
class NotCompared:
    """A pair of a release of which one figure or both are suppressed: not compared, since the
    difference and the figure shown would give the hidden one away. A suppressed side has no
    value, only its flag (and a primary flag's threshold)."""

    indicator: Indicator
    area: Area
    source: Source
    government: float | None
    civil_society: float | None
    government_flag: str
    civil_society_flag: str
    government_threshold: int | None = None
    civil_society_threshold: int | None = None

    @property
    def in_points(self) -> bool:
        return self.indicator.kind in POINT_KINDS

    @property
    def government_label(self) -> str:
        return _step_label(self.indicator, self.government)

    @property
    def civil_society_label(self) -> str:
        return _step_label(self.indicator, self.civil_society)

    @property
    def government_flag_text(self) -> str:
        """The flag's public words ("fewer than 5"), "" when the figure is shown."""
        return flag_text(self.government_flag, self.government_threshold)

    @property
    def civil_society_flag_text(self) -> str:
        return flag_text(self.civil_society_flag, self.civil_society_threshold)


@dataclass(frozen=True)
class Comparison:
    """The pairs of one period: those compared, most divergent first, and those a release
    reader cannot compare (always none for the detail), by indicator, area and source."""

    divergences: list[Divergence]
    not_compared: list[NotCompared]


def _scaled(indicator: Indicator, value: float) -> float:
    return value * 100 if indicator.kind == IndicatorKind.YES_NO else value


def _scope(
    plan: Plan, hidden: Q | None = None
) -> tuple[dict[int, Indicator], dict[int, Source], Source | None]:
    """`hidden`: the indicators the reader may not see (PlanAccess.hidden_indicators)."""
    query = Indicator.objects.filter(plan=plan, owner_organisation__isnull=True).exclude(
        kind__in=[IndicatorKind.NARRATIVE, IndicatorKind.LIST]
    )
    if hidden is not None:
        query = query.exclude(hidden)
    # Civil society's own indicators have no government figure to differ from.
    indicators = {i.pk: i for i in query}
    sources = {s.pk: s for s in Source.objects.all()}
    government = next((s for s in sources.values() if s.code == GOVERNMENT_SOURCE), None)
    return indicators, sources, government


def _rows(
    indicators: dict[int, Indicator],
    sources: dict[int, Source],
    government: Source,
    period_codes: list[str],
    figures: Figures = None,
    area_ids: list[int] | None = None,
) -> list[Row]:
    """(period, indicator, area, source, value, flag, threshold) of the totals both sides may
    be compared on, from the aggregates or from a release's figures (whose values are decimals;
    a suppressed one has no value and a flag); at these areas only when `area_ids` is given."""
    table = AggregateValue.objects.all() if figures is None else figures
    if area_ids is not None:
        table = table.filter(area_id__in=area_ids)
    shown = Q(value__isnull=False)
    table = table.filter(
        shown if figures is None else shown | ~Q(flag=""),
        indicator_id__in=list(indicators),
        period_code__in=period_codes,
        cell_key="",
        source_id__in=[
            pk
            for pk, s in sources.items()
            if s.pk == government.pk or s.kind == SourceKind.CIVIL_SOCIETY
        ],
    )
    fields = ("period_code", "indicator_id", "area_id", "source_id", "value")
    if figures is None:
        return [(*row, "", None) for row in table.values_list(*fields)]
    return [
        (p, i, a, s, None if v is None else float(v), flag, threshold)
        for p, i, a, s, v, flag, threshold in table.values_list(*fields, "flag", "threshold")
    ]


Pair = tuple[int, int, int, Side, Side]


def _pairs(
    rows: list[Row], government: Source, areas: dict[int, Area]
) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    """By period: (indicator, area, source, government's side, civil society's side) of the
    pairs compared, then of those not compared (a side suppressed)."""
    official: dict[tuple[str, int, int], Side] = {}
    shadow: list[tuple[str, int, int, int, Side]] = []
    for period, indicator_id, area_id, source_id, value, flag, threshold in rows:
        if value is None and not flag:
            continue  # nothing to compare or to show (excluded by the query)
        side = (value, flag, threshold)
        if source_id == government.pk:
            official[(period, indicator_id, area_id)] = side
        else:
            shadow.append((period, indicator_id, area_id, source_id, side))
    # Compared where the civil-society source reported, not at the totals above it: a
    # coalition that monitors two provinces is not "disagreeing" with the national total. A
    # suppressed district figure counts as reported: its province is still a roll-up.
    rolled_up = {(p, i, s, areas[a].parent_id) for p, i, a, s, _side in shadow}
    compared: dict[str, list[Pair]] = {}
    hidden: dict[str, list[Pair]] = {}
    for p, i, a, s, side in shadow:
        if (p, i, a) in official and (p, i, s, a) not in rolled_up:
            ours = official[(p, i, a)]
            both = ours[0] is not None and side[0] is not None
            (compared if both else hidden).setdefault(p, []).append((i, a, s, ours, side))
    return compared, hidden


def latest_compared_period(
    plan: Plan, period_codes: list[str], figures: Figures = None, hidden: Q | None = None
) -> str | None:
    """The latest of these periods (given oldest first) for which both the government and a
    civil-society source have a figure to compare; None when none has. Three queries."""
    indicators, sources, government = _scope(plan, hidden)
    if government is None or not indicators or not period_codes:
        return None
    rows = _rows(indicators, sources, government, period_codes, figures)
    areas = Area.objects.in_bulk({r[2] for r in rows if r[3] != government.pk})
    compared, _hidden = _pairs(rows, government, areas)
    return next((p for p in reversed(period_codes) if compared.get(p)), None)


def compare(
    plan: Plan,
    period_code: str,
    *,
    figures: Figures = None,
    hidden: Q | None = None,
    within: Area | None = None,
) -> Comparison:
    """Every pair of the period (four queries, whatever the plan's size): those compared, most
    divergent first, and those not compared. `hidden`: indicators the reader may not see.

    `within`: the pairs at this area and the areas below it only. Its areas are read first and
    named in the read of the figures, so that the aggregate index (indicator, area, source,
    cell, period) is sought rather than scanned: on a plan of millions of aggregates, the
    difference between a report built in its time and not (docs/reports.md, "Reads and
    performance"). Given the plan's own area, the pairs are the same (its figures are at its
    areas)."""
    indicators, sources, government = _scope(plan, hidden)
    if government is None or not indicators:
        return Comparison([], [])
    if within is None:
        rows = _rows(indicators, sources, government, [period_code], figures)
        areas = Area.objects.in_bulk({r[2] for r in rows if r[3] != government.pk})
    else:
        # A whole subtree: the areas below each one compared are read too, so that a roll-up
        # of civil society's figures is known as one.
        areas = {a.pk: a for a in Area.objects.filter(path__startswith=within.path)}
        rows = _rows(indicators, sources, government, [period_code], figures, list(areas))
    compared, not_compared = _pairs(rows, government, areas)
    found = []
    for indicator_id, area_id, source_id, ours, theirs in compared.get(period_code, []):
        indicator = indicators[indicator_id]
        gov = _scaled(indicator, ours[0] or 0.0)  # both sides have a value: compared
        cso = _scaled(indicator, theirs[0] or 0.0)
        in_points = indicator.kind in POINT_KINDS
        if in_points:
            gap = abs(gov - cso)
        elif indicator.kind in STEP_KINDS:
            # Steps of a scale: the share of the whole scale between the two accounts.
            gap = abs(gov - cso) / max(len(indicator.scale_labels) - 1, 1)
        else:
            largest = max(abs(gov), abs(cso))
            gap = abs(gov - cso) / largest if largest else 0.0
        found.append(
            Divergence(
                indicator=indicator,
                area=areas[area_id],
                source=sources[source_id],
                government=gov,
                civil_society=cso,
                gap=gap,
                in_points=in_points,
            )
        )
    found.sort(key=lambda d: (-d.rank_key, d.indicator.code, d.area.path))
    left = [
        NotCompared(
            indicator=indicators[i],
            area=areas[a],
            source=sources[s],
            government=None if ours[0] is None else _scaled(indicators[i], ours[0]),
            civil_society=None if theirs[0] is None else _scaled(indicators[i], theirs[0]),
            government_flag=ours[1],
            civil_society_flag=theirs[1],
            government_threshold=ours[2],
            civil_society_threshold=theirs[2],
        )
        for i, a, s, ours, theirs in not_compared.get(period_code, [])
    ]
    left.sort(key=lambda n: (n.indicator.code, n.area.path, n.source.code))
    return Comparison(found, left)


def plan_divergences(
    plan: Plan,
    period_code: str,
    *,
    limit: int | None = LIMIT,
    figures: Figures = None,
    hidden: Q | None = None,
    within: Area | None = None,
) -> list[Divergence]:
    """The pairs compared in the period, most divergent first (four queries, whatever the
    plan's size); the first `limit` of them (all with None). `hidden`: indicators the reader
    may not see. `within`: at this area and below only, read by the index (`compare`)."""
    found = compare(plan, period_code, figures=figures, hidden=hidden, within=within).divergences
    return found if limit is None else found[:limit]


def divergence_periods(plan: Plan, figures: Figures = None) -> list[str]:
    """The periods a reader may choose, oldest first (with ALL): the plan's, or for a reader
    of a release those its figures cover."""
    if figures is None:
        return filter_periods(plan_filter_periods(plan))
    # Every period with a figure has one at the plan's own area (areas roll up to it).
    at_plan = figures.filter(area_id=plan.area_id, cell_key="")
    return filter_periods(plan_periods(plan=plan, figures=at_plan))


def divergence_period(
    plan: Plan, periods: list[str], asked: str | None, figures: Figures = None
) -> str:
    """The period the divergence view shows: the one asked for when it is one of `periods`
    (the plan's filter periods, oldest first); else the latest year in which both the
    government and civil society have a figure to compare; else the latest year; else all
    periods."""
    if asked and asked in periods:
        return asked
    years = [p for p in periods if p != ALL_PERIODS and parse_period(p).type == PeriodType.YEAR]
    return latest_compared_period(plan, years, figures) or (years[-1] if years else ALL_PERIODS)
