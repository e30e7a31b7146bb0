"""The periods a reader can choose on a plan's pages: the whole plan, years and quarters with
figures. Shared by every page that filters figures by period (dashboards, divergence)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wpsmonitor.core.periods import PeriodCodeError, PeriodType, parse_period, periods_between
from wpsmonitor.indicators.aggregation import ALL_PERIODS, period_sort_key
from wpsmonitor.indicators.models import NodeProgress
from wpsmonitor.plans.models import Plan

# The filter offers the whole plan, years and quarters (the brief of the overview page);
# semesters and months exist in the aggregates but would make the list long.
FILTER_PERIOD_TYPES = {PeriodType.YEAR, PeriodType.QUARTER}


def period_label(code: str) -> str:
    if code == ALL_PERIODS:
        return str(_("Whole plan to date"))
    return code


def filter_periods(codes: list[str]) -> list[str]:
    kept = []
    for code in codes:
        if code == ALL_PERIODS:
            kept.append(code)
            continue
        try:
            if parse_period(code).type in FILTER_PERIOD_TYPES:
                kept.append(code)
        except PeriodCodeError:
            continue
    if ALL_PERIODS not in kept:
        kept.append(ALL_PERIODS)
    # The whole plan first (the default), then each year followed by its quarters.
    dated = sorted(
        (parse_period(c) for c in kept if c != ALL_PERIODS),
        key=lambda p: (p.start.year, p.type != PeriodType.YEAR, p.start),
    )
    return [ALL_PERIODS, *(p.code for p in dated)]


def plan_filter_periods(plan: Plan) -> list[str]:
    """The whole plan, and the years and quarters of the plan's period that have figures.

    indicators.selectors.plan_periods reads every plan-level progress row (290 ms for a plan
    with 100,000 values on SQLite); here the candidates come from the plan's dates, so one
    index lookup per candidate on (plan, period_code, area) answers. Every period with data
    anywhere has a row at the plan's own area, because areas roll up to it.
    """
    candidates = [
        *periods_between(PeriodType.YEAR, plan.start, plan.end),
        *periods_between(PeriodType.QUARTER, plan.start, plan.end),
    ]
    found = set(
        NodeProgress.objects.filter(
            plan=plan, period_code__in=candidates, area_id=plan.area_id, node__isnull=True
        )
        .values_list("period_code", flat=True)
        .distinct()
    )
    return [ALL_PERIODS, *sorted(found, key=period_sort_key)]
