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
(`figures`, as the indicator selectors read it): a suppressed figure has no value to compare.
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
from wpsmonitor.indicators.selectors import Figures
from wpsmonitor.plans.models import Plan

# Kinds whose figure is a share (0-100 once multiplied by the factor, or 0-1 for yes/no).
POINT_KINDS = {
    IndicatorKind.PERCENTAGE,
    IndicatorKind.SHARE,
    IndicatorKind.YES_NO,
}
STEP_KINDS = {IndicatorKind.SCALE, IndicatorKind.MILESTONE}
LIMIT = 100


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

    def _label(self, value: float) -> str:
        labels = self.indicator.scale_labels or []
        if self.in_steps and value == int(value) and 0 <= int(value) < len(labels):
            return str(labels[int(value)])
        return ""

    @property
    def government_label(self) -> str:
        """The government's step by its label ("" when not a labelled step)."""
        return self._label(self.government)

    @property
    def civil_society_label(self) -> str:
        return self._label(self.civil_society)

    @property
    def rank_key(self) -> float:
        # Points and ratios on one scale: 100 points apart ranks with "one says nothing".
        return self.gap / 100 if self.in_points else self.gap


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
) -> list[tuple[str, int, int, int, float | None]]:
    """(period, indicator, area, source, value) of the totals both sides may be compared on,
    from the aggregates or from a release's figures (whose values are decimals)."""
    table = AggregateValue.objects.all() if figures is None else figures
    rows = list(
        table.filter(
            indicator_id__in=list(indicators),
            period_code__in=period_codes,
            cell_key="",
            value__isnull=False,
            source_id__in=[
                pk
                for pk, s in sources.items()
                if s.pk == government.pk or s.kind == SourceKind.CIVIL_SOCIETY
            ],
        ).values_list("period_code", "indicator_id", "area_id", "source_id", "value")
    )
    if figures is None:
        return rows
    return [(p, i, a, s, None if v is None else float(v)) for p, i, a, s, v in rows]


def _pairs(
    rows: list[tuple[str, int, int, int, float | None]], government: Source, areas: dict[int, Area]
) -> dict[str, list[tuple[int, int, int, float, float]]]:
    """By period: (indicator, area, source, government's value, civil society's value)."""
    official: dict[tuple[str, int, int], float] = {}
    shadow: list[tuple[str, int, int, int, float]] = []
    for period, indicator_id, area_id, source_id, value in rows:
        if value is None:
            continue  # excluded by the query; the column is nullable
        if source_id == government.pk:
            official[(period, indicator_id, area_id)] = value
        else:
            shadow.append((period, indicator_id, area_id, source_id, value))
    # Compared where the civil-society source reported, not at the totals above it: a
    # coalition that monitors two provinces is not "disagreeing" with the national total.
    rolled_up = {(p, i, s, areas[a].parent_id) for p, i, a, s, _v in shadow}
    found: dict[str, list[tuple[int, int, int, float, float]]] = {}
    for p, i, a, s, value in shadow:
        if (p, i, a) in official and (p, i, s, a) not in rolled_up:
            found.setdefault(p, []).append((i, a, s, official[(p, i, a)], value))
    return found


def latest_compared_period(
    plan: Plan, period_codes: list[str], figures: Figures = None, hidden: Q | None = None
) -> str | None:
    """The latest of these periods (given oldest first) for which both the government and a
    civil-society source have a figure to compare; None when none has. Three queries."""
    indicators, sources, government = _scope(plan, hidden)
    if government is None or not indicators or not period_codes:
        return None
    rows = _rows(indicators, sources, government, period_codes, figures)
    areas = Area.objects.in_bulk({a for _p, _i, a, s, _v in rows if s != government.pk})
    compared = _pairs(rows, government, areas)
    return next((p for p in reversed(period_codes) if compared.get(p)), None)


def plan_divergences(
    plan: Plan,
    period_code: str,
    *,
    limit: int | None = LIMIT,
    figures: Figures = None,
    hidden: Q | None = None,
) -> list[Divergence]:
    """The pairs of the period, most divergent first (four queries, whatever the plan's size);
    the first `limit` of them (all with None). `hidden`: indicators the reader may not see."""
    indicators, sources, government = _scope(plan, hidden)
    if government is None or not indicators:
        return []
    rows = _rows(indicators, sources, government, [period_code], figures)
    areas = Area.objects.in_bulk({a for _p, _i, a, s, _v in rows if s != government.pk})
    pairs = _pairs(rows, government, areas).get(period_code, [])
    found = []
    for indicator_id, area_id, source_id, official, value in pairs:
        indicator = indicators[indicator_id]
        gov = _scaled(indicator, official)
        cso = _scaled(indicator, value)
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
    return found if limit is None else found[:limit]


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
