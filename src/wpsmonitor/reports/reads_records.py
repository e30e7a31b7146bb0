"""Bulk reads for the report's sections on completeness, money, accountability, civil society,
method and annexes (docs/reports.md, "Sections").

Each read is a fixed number of queries whatever the plan's size: the sections loop over what
these return, never query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AggregateValue,
    Indicator,
    SourceKind,
)
from wpsmonitor.indicators.selectors import Figure, figure_from_row
from wpsmonitor.reporting.models import (
    Assignment,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from wpsmonitor.reports.context import ReportContext

_FIGURE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "baseline",
    "target",
    "achievement",
    "value_count",
)


# --- figures of the period ---------------------------------------------------------------------


def period_figures(
    context: ReportContext, indicator_ids: Iterable[int], *, own: bool = False
) -> dict[tuple[int, int], Figure]:
    """The period's total figure at the plan's area of each indicator, by (indicator, source):
    from the release in the public version, from the aggregates in the internal one. The
    government's stream, or with `own` every source (an organisation's own indicator is
    reported in its own stream). One query."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    if context.figures is None:
        rows: Any = AggregateValue.objects.filter(plan=context.plan)
        fields: tuple[str, ...] = _FIGURE_FIELDS
    else:
        rows = context.figures
        fields = (*_FIGURE_FIELDS, "flag", "threshold")
    rows = rows.filter(
        indicator_id__in=ids,
        period_code=context.period_code,
        area_id=context.plan.area_id,
        cell_key="",
    )
    if not own:
        rows = rows.filter(source__code=GOVERNMENT_SOURCE)
    return {
        (row["indicator_id"], row["source_id"]): figure_from_row(row)
        for row in rows.values("indicator_id", "source_id", *fields)
    }


def government_figures(context: ReportContext, indicator_ids: Iterable[int]) -> dict[int, Figure]:
    """`period_figures` of the government's stream, by indicator."""
    return {ind: fig for (ind, _src), fig in period_figures(context, indicator_ids).items()}


# --- reporting completeness --------------------------------------------------------------------

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"  # not reported, the deadline past or the round closed
PENDING = "pending"  # not reported yet, the round open and its deadline to come

REPORTED_STATUSES = {
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.APPROVED,
    SubmissionStatus.PUBLISHED,
}


@dataclass(frozen=True)
class RoundRow:
    pk: int
    period_code: str
    deadline: date
    is_open: bool


@dataclass(frozen=True)
class Owing:
    """One organisation owing figures for one area (an assignment's pair)."""

    organisation_id: int
    organisation: str
    area_id: int
    area: str
    area_path: str


@dataclass
class Completeness:
    rounds: list[RoundRow]
    owing: list[Owing]
    # (round id, organisation id, area id) -> ON_TIME, LATE, MISSING or PENDING
    status: dict[tuple[int, int, int], str] = field(default_factory=dict)
    # Civil society's streams: (organisation name, round id) -> areas published
    civil_society: dict[tuple[str, int], int] = field(default_factory=dict)


def _status_of(submitted: str | None, when: datetime | None, round_: RoundRow, today: date) -> str:
    if submitted in REPORTED_STATUSES:
        # A submission with no recorded time counts as on time: nothing says it was late.
        if when is not None and timezone.localdate(when) > round_.deadline:
            return LATE
        return ON_TIME
    if round_.is_open and today <= round_.deadline:
        return PENDING
    return MISSING


def completeness(context: ReportContext) -> Completeness:
    """The rounds whose period falls in the report's years, who owed figures in them (the
    plan's assignments, as the reporting page reads them) and what each sent. Three queries."""
    plan = context.plan
    rounds = [
        RoundRow(pk, code, deadline, status == "open")
        for pk, code, deadline, status in ReportingRound.objects.filter(
            plan=plan,
            period__start__gte=date(context.first_year, 1, 1),
            period__end__lte=date(context.last_year, 12, 31),
        )
        .order_by("period__start", "period__end")
        .values_list("pk", "period__code", "deadline", "status")
    ]
    if not rounds:
        return Completeness(rounds=[], owing=[])
    owing = sorted(
        (
            Owing(*row)
            for row in Assignment.objects.filter(plan=plan)
            .values_list(
                "organisation_id", "organisation__name", "area_id", "area__name", "area__path"
            )
            .distinct()
        ),
        key=lambda o: (o.area_path, o.organisation.lower()),
    )
    government: dict[tuple[int, int, int], tuple[str | None, datetime | None]] = {}
    civil_society: dict[tuple[str, int], int] = defaultdict(int)
    for round_id, org_id, org_name, area_id, kind, status, submitted_at in (
        Submission.objects.filter(round_id__in=[r.pk for r in rounds])
        .values_list(
            "round_id",
            "organisation_id",
            "organisation__name",
            "area_id",
            "source__kind",
            "status",
            "submitted_at",
        )
        .order_by()
    ):
        if kind == SourceKind.GOVERNMENT:
            government[(round_id, org_id, area_id)] = (status, submitted_at)
        elif status in REPORTED_STATUSES:
            civil_society[(org_name, round_id)] += 1
    result = Completeness(rounds=rounds, owing=owing, civil_society=dict(civil_society))
    for round_ in rounds:
        for pair in owing:
            key = (round_.pk, pair.organisation_id, pair.area_id)
            sent, when = government.get(key, (None, None))
            result.status[key] = _status_of(sent, when, round_, context.today)
    return result


# --- coverage ----------------------------------------------------------------------------------


def coverage_by_source(context: ReportContext) -> dict[int, int]:
    """How many indicators each source has a figure for in the period at the plan's area
    (suppressed figures count: they were measured). One query."""
    if context.figures is None:
        rows: Any = AggregateValue.objects.filter(plan=context.plan, value__isnull=False)
    else:
        rows = context.figures.filter(Q(value__isnull=False) | ~Q(flag=""))
    return dict(
        rows.filter(
            period_code=context.period_code,
            area_id=context.plan.area_id,
            cell_key="",
            indicator__plan=context.plan,
        )
        .exclude(indicator__in=Indicator.objects.filter(context.hidden))
        .order_by()
        .values("source_id")
        .annotate(n=Count("indicator_id", distinct=True))
        .values_list("source_id", "n")
    )
