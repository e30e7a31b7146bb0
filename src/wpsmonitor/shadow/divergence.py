"""Where the government's and civil society's accounts of a plan differ most.

For one period, every indicator total (cell "") that the government and a civil-society source
both report for the same area is a pair, at the areas where the civil-society source reported
(not the roll-ups above them, whose coverage differs); pairs are ranked by how far apart they are. Counts are
compared relatively (|a - b| / max(|a|, |b|): 0 the same, 1 one of them says nothing), ratios
and yes/no shares in percentage points (|a - b| on the 0-100 scale), because a 34 % against 12 %
disagreement is 22 points whatever the size of the denominators; scale and milestone steps as
the share of the whole scale between them. Both figures come from the
aggregate table, so each side's own rules over time and areas apply; nothing is merged.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpsmonitor.directory.models import Area
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    Indicator,
    IndicatorKind,
    Source,
    SourceKind,
)
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
    def rank_key(self) -> float:
        # Points and ratios on one scale: 100 points apart ranks with "one says nothing".
        return self.gap / 100 if self.in_points else self.gap


def _scaled(indicator: Indicator, value: float) -> float:
    return value * 100 if indicator.kind == IndicatorKind.YES_NO else value


def plan_divergences(plan: Plan, period_code: str, *, limit: int = LIMIT) -> list[Divergence]:
    """The pairs of the period, most divergent first (four queries, whatever the plan's size)."""
    indicators = {
        i.pk: i
        # Civil society's own indicators have no government figure to differ from.
        for i in Indicator.objects.filter(plan=plan, owner_organisation__isnull=True).exclude(
            kind__in=[IndicatorKind.NARRATIVE, IndicatorKind.LIST]
        )
    }
    sources = {s.pk: s for s in Source.objects.all()}
    government = next((s for s in sources.values() if s.code == GOVERNMENT_SOURCE), None)
    if government is None or not indicators:
        return []
    rows = AggregateValue.objects.filter(
        indicator_id__in=list(indicators),
        period_code=period_code,
        cell_key="",
        value__isnull=False,
        source_id__in=[
            pk
            for pk, s in sources.items()
            if s.pk == government.pk or s.kind == SourceKind.CIVIL_SOCIETY
        ],
    ).values_list("indicator_id", "area_id", "source_id", "value")
    official: dict[tuple[int, int], float] = {}
    shadow: list[tuple[int, int, int, float]] = []
    for indicator_id, area_id, source_id, value in rows:
        if value is None:
            continue  # excluded by the query; the column is nullable
        if source_id == government.pk:
            official[(indicator_id, area_id)] = value
        else:
            shadow.append((indicator_id, area_id, source_id, value))
    areas = Area.objects.in_bulk({area_id for _i, area_id, _s, _v in shadow})
    # Compared where the civil-society source reported, not at the totals above it: a
    # coalition that monitors two provinces is not "disagreeing" with the national total.
    rolled_up = {(i, s, areas[a].parent_id) for i, a, s, _v in shadow}
    pairs = [
        row
        for row in shadow
        if (row[0], row[1]) in official and (row[0], row[2], row[1]) not in rolled_up
    ]
    found = []
    for indicator_id, area_id, source_id, value in pairs:
        indicator = indicators[indicator_id]
        gov = _scaled(indicator, official[(indicator_id, area_id)])
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
    return found[:limit]
