"""Which indicators are in a plan's framework for a period, or now (docs/revisions.md,
"Dropped indicators").

An indicator dropped by a revision (`Indicator.retired_in`) is never deleted: its figures and
history stay. It leaves the framework when its version is **approved**, for the periods that
**start after the approval date**; a period that started on or before that day (it was
already under way, or over) keeps it, so earlier periods read as they did. "Now" (the current
framework: the pages, the API's lists, the plan to date "ALL") leaves it out from the moment
of the approval. A draft's drop hides nothing until the draft is approved.

Every page, form, template and the roll-up ask here: `in_force_filter` is one `Q` (a join to
the version, no query more), `dropped_filter` its complement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from wpsmonitor.core.periods import PeriodCodeError, parse_period
from wpsmonitor.indicators.models import Indicator
from wpsmonitor.plans.models import PlanVersion, VersionStatus

# aggregation.periods.ALL_PERIODS, the plan to date (not imported: the rebuild imports this).
ALL_PERIODS = "ALL"

__all__ = [
    "Dropped",
    "dropped_filter",
    "dropped_for",
    "dropped_of",
    "in_force",
    "in_force_filter",
    "is_in_force",
    "period_start",
]


def period_start(period_code: str | None) -> datetime.date | None:
    """The first day of a period code; None ("now") for "ALL", none or an unreadable code."""
    if not period_code or period_code == ALL_PERIODS:
        return None
    try:
        return parse_period(period_code).start
    except PeriodCodeError:
        return None


def _day(starting: datetime.date | str | None) -> datetime.date | None:
    if isinstance(starting, datetime.date):
        return starting
    return period_start(starting)


def in_force_filter(*, starting: datetime.date | str | None = None, prefix: str = "") -> Q:
    """Indicators in the framework for a period starting on `starting` (a date or a period
    code; None or "ALL": now). `prefix` reaches the indicator through a relation
    ("indicator__")."""
    day = _day(starting)
    later = (
        Q(**{f"{prefix}retired_in__approved_at__gt": timezone.now()})
        if day is None
        else Q(**{f"{prefix}retired_in__approved_at__date__gte": day})
    )
    return (
        Q(**{f"{prefix}retired_in__isnull": True})
        | Q(**{f"{prefix}retired_in__status": VersionStatus.DRAFT})
        | later
    )


def dropped_filter(*, starting: datetime.date | str | None = None, prefix: str = "") -> Q:
    """Indicators out of the framework for a period starting on `starting` (in_force_filter's
    complement)."""
    day = _day(starting)
    earlier = (
        Q(**{f"{prefix}retired_in__approved_at__lte": timezone.now()})
        if day is None
        else Q(**{f"{prefix}retired_in__approved_at__date__lt": day})
    )
    return (
        Q(**{f"{prefix}retired_in__isnull": False})
        & ~Q(**{f"{prefix}retired_in__status": VersionStatus.DRAFT})
        & earlier
    )


def in_force(
    indicators: QuerySet[Indicator], *, starting: datetime.date | str | None = None
) -> QuerySet[Indicator]:
    """The indicators of the queryset in the framework for a period starting on `starting`."""
    return indicators.filter(in_force_filter(starting=starting))


def dropped_for(approved_at: datetime.datetime, starting: datetime.date | str | None) -> bool:
    """Whether an indicator dropped by a version approved at `approved_at` is out of the
    framework of a period starting on `starting` (None or "ALL": now). The rule of
    dropped_filter, in Python (the rebuild, a page holding the version already)."""
    day = _day(starting)
    if day is None:
        return approved_at <= timezone.now()
    return timezone.localdate(approved_at) < day


@dataclass(frozen=True)
class Dropped:
    """Why an indicator is out of the current framework: the version that dropped it."""

    number: int
    on: datetime.date
    kind: str

    @property
    def version(self) -> int:
        return self.number


def dropped_of(
    indicator: Indicator,
    *,
    starting: datetime.date | str | None = None,
    version: PlanVersion | None = None,
) -> Dropped | None:
    """The version that dropped the indicator from the framework of a period starting on
    `starting` (today by default), or None if it is in force then. Reads `retired_in` (one
    query unless it was selected with the indicator or is handed in)."""
    if indicator.retired_in_id is None:
        return None
    found = version if version is not None else indicator.retired_in
    if found is None or found.status == VersionStatus.DRAFT or found.approved_at is None:
        return None
    if not dropped_for(found.approved_at, starting):
        return None
    return Dropped(number=found.number, on=timezone.localdate(found.approved_at), kind=found.kind)


def is_in_force(indicator: Indicator, *, starting: datetime.date | str | None = None) -> bool:
    return dropped_of(indicator, starting=starting) is None
