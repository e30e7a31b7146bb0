"""Bulk reads for the report's sections: one query for a kind of fact over the whole plan,
grouped in Python, instead of one query per indicator or action (docs/reports.md,
"Performance"). Each function reads what `context.figures` says (the release for the public
version, the aggregates for the internal one), so a section never reads around it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    SchemeDimension,
)
from wpsmonitor.indicators.selectors import Figure, figure_from_row
from wpsmonitor.reporting.models import ActionProgress
from wpsmonitor.reports.context import ReportContext
from wpsmonitor.shadow.divergence import Divergence, plan_divergences

# The columns figure_from_row reads, from the aggregates or from a release.
_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "baseline",
    "target",
    "achievement",
    "value_count",
)
_RELEASE_FIELDS = (*_FIELDS, "flag", "threshold")


def _table(context: ReportContext) -> tuple[Any, tuple[str, ...]]:
    if context.figures is None:
        return AggregateValue.objects.all(), _FIELDS
    return context.figures, _RELEASE_FIELDS


def plan_years(context: ReportContext) -> list[str]:
    """The plan's years up to the last one the report covers: the trend charts' categories."""
    return [str(y) for y in range(context.plan.start.year, context.last_year + 1)]


def yearly_series(context: ReportContext, indicator_ids: list[int]) -> dict[int, dict[str, Figure]]:
    """Each indicator's government totals at the plan's area for each of `plan_years`: the
    trend charts and the year's changes. One query for the whole plan."""
    table, fields = _table(context)
    found: dict[int, dict[str, Figure]] = defaultdict(dict)
    rows = table.filter(
        indicator_id__in=indicator_ids,
        area_id=context.plan.area_id,
        source__code=GOVERNMENT_SOURCE,
        cell_key="",
        period_code__in=plan_years(context),
    ).values("indicator_id", "period_code", *fields)
    for row in rows:
        found[row["indicator_id"]][row["period_code"]] = figure_from_row(row)
    return found


def national_margins(
    context: ReportContext, indicator_ids: list[int]
) -> dict[int, dict[str, Figure]]:
    """Each indicator's one-dimension margins ("sex=F") of the government's figures at the
    plan's area for the report's period. The report keeps to these: the national level and one
    dimension at a time, so a table stays a page whatever the plan's size (the full cross-tab
    of every area is on the portal). One query."""
    table, fields = _table(context)
    found: dict[int, dict[str, Figure]] = defaultdict(dict)
    rows = (
        table.filter(
            indicator_id__in=indicator_ids,
            area_id=context.plan.area_id,
            source__code=GOVERNMENT_SOURCE,
            period_code=context.period_code,
        )
        .exclude(cell_key="")
        .exclude(cell_key__contains=";")  # a share's full cells: not a margin
        .values("indicator_id", "cell_key", *fields)
    )
    for row in rows:
        found[row["indicator_id"]][row["cell_key"]] = figure_from_row(row)
    return found


@dataclass(frozen=True)
class DimensionNames:
    code: str
    name: str
    options: tuple[tuple[str, str], ...]  # (code, name) in order


def scheme_dimensions(scheme_ids: set[int]) -> dict[int, list[DimensionNames]]:
    """The dimensions of each disaggregation scheme, in order, with their options. Two queries."""
    found: dict[int, list[DimensionNames]] = defaultdict(list)
    rows = (
        SchemeDimension.objects.filter(scheme_id__in=scheme_ids)
        .select_related("dimension")
        .prefetch_related("dimension__options")
        .order_by("scheme_id", "order", "pk")
    )
    for sd in rows:
        options = tuple(
            (o.code, o.name)
            for o in sorted(sd.dimension.options.all(), key=lambda o: (o.order, o.code))
        )
        found[sd.scheme_id].append(DimensionNames(sd.dimension.code, sd.dimension.name, options))
    return found


@dataclass(frozen=True)
class ActionAccount:
    """One approved (or, for civil society, published) report on an action."""

    source_code: str
    organisation: str
    period_code: str
    period_end: date
    status: str
    percent_complete: int | None
    narrative: str
    assessment: str


@dataclass
class ActionReports:
    # The government's latest report with a status up to the end of the report's period.
    government: dict[int, ActionAccount]
    # Its reports within the years covered, oldest first: "what was done".
    done: dict[int, list[ActionAccount]]
    # Civil society's latest assessment per monitor within the years covered.
    monitors: dict[int, list[ActionAccount]]


def action_reports(context: ReportContext) -> ActionReports:
    """The reports on the plan's actions the report prints, one query. As the side-by-side
    view reads them (shadow.selectors.action_comparisons): each side's latest up to the end of
    the period; nothing merged."""
    first = date(context.first_year, 1, 1)
    end = date(context.last_year, 12, 31)
    rows = (
        ActionProgress.objects.filter(action__plan=context.plan, period__end__lte=end)
        .select_related("period", "source", "organisation")
        .order_by("period__end", "period__start", "recorded_at", "pk")
    )
    government: dict[int, ActionAccount] = {}
    done: dict[int, list[ActionAccount]] = defaultdict(list)
    latest_monitor: dict[tuple[int, int], ActionAccount] = {}
    for row in rows:
        account = ActionAccount(
            source_code=row.source.code,
            organisation=row.organisation.acronym or row.organisation.name,
            period_code=row.period.code,
            period_end=row.period.end,
            status=row.status,
            percent_complete=row.percent_complete,
            narrative=row.narrative.strip(),
            assessment=row.assessment,
        )
        within = row.period.start >= first
        if row.source.code == GOVERNMENT_SOURCE:
            if row.status:
                government[row.action_id] = account  # rows come oldest first
            if within and account.narrative:
                done[row.action_id].append(account)
        elif row.assessment and within:
            latest_monitor[(row.action_id, row.source_id)] = account
    monitors: dict[int, list[ActionAccount]] = defaultdict(list)
    for (action_id, _source), account in latest_monitor.items():
        monitors[action_id].append(account)
    for accounts in monitors.values():
        accounts.sort(key=lambda a: a.organisation)
    return ActionReports(government=government, done=dict(done), monitors=dict(monitors))


def divergences(context: ReportContext) -> dict[int, list[Divergence]]:
    """Civil society's figures beside the government's for the report's period, by indicator:
    the pairs of `shadow.divergence.plan_divergences` (the API's rule: totals both sides
    report for the same area, at the areas where civil society reported, not the roll-ups
    above them; a withheld figure is no pair), most divergent first, of the indicators the
    report may show. Read within the plan's area, which names its areas so that the aggregate
    index is sought, not scanned: a 2,000,000-value plan's report stays within its time
    (docs/reports.md, "Reads and performance"). Four queries."""
    found: dict[int, list[Divergence]] = defaultdict(list)
    for pair in plan_divergences(
        context.plan,
        context.period_code,
        limit=None,
        figures=context.figures,
        hidden=context.hidden,
        within=context.plan.area,
    ):
        found[pair.indicator.pk].append(pair)
    return dict(found)


def yearly_cells(
    context: ReportContext, indicator_ids: list[int], dimension: str
) -> dict[int, dict[tuple[str, str], Figure]]:
    """Each indicator's government figures at the plan's area for each year the report covers,
    its total (cell "") and its one-dimension margins on `dimension` ("nato_rank=of_junior"),
    by (year, cell key). As `yearly_series`, read where `context.figures` says: the release
    (with its flags) for the public version. One query."""
    table, fields = _table(context)
    found: dict[int, dict[tuple[str, str], Figure]] = defaultdict(dict)
    rows = (
        table.filter(
            indicator_id__in=indicator_ids,
            area_id=context.plan.area_id,
            source__code=GOVERNMENT_SOURCE,
            period_code__in=context.years,
        )
        .filter(Q(cell_key="") | Q(cell_key__startswith=f"{dimension}="))
        .exclude(cell_key__contains=";")
        .values("indicator_id", "period_code", "cell_key", *fields)
    )
    for row in rows:
        found[row["indicator_id"]][(row["period_code"], row["cell_key"])] = figure_from_row(row)
    return found
