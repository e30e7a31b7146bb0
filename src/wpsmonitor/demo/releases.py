"""Demo data: two published releases of the national plan, the second correcting the first.

Release 1 is prepared and published from the demo's figures. Then the national police find
that two survivors in Kinshasa in 2025Q4 were entered twice: the coordinator reopens the
2025Q4 round, the police's focal point submits the corrected figure, the coordinator approves
it (the platform's correction path: an approved submission replaces the figure in the fact
table, with its audit), the aggregates are rebuilt, and release 2 is prepared and published.
Its change log shows the correction; its disclosure audit keeps release 1's suppressions
(docs/publishing.md, "Stable suppression across releases"). The plan's board co-signs: both
releases accompany its published, co-signed 2024 report.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wpsmonitor.demo.reporting import figures_submit
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.indicators.aggregation import rebuild_plan_aggregates
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, DataValue, Indicator
from wpsmonitor.plans.models import Plan
from wpsmonitor.publishing import services as publishing
from wpsmonitor.publishing.models import Release
from wpsmonitor.reporting import services as reporting
from wpsmonitor.reporting.models import ReportingRound

# The correction: (indicator, period, area, cell, corrected value, organisation's focal point).
CORRECTED = ("PRO-01", "2025Q4", "CD-KN", "sex=F;age=18-29;disability=no")
CORRECTED_BY = 2  # survivors entered twice: the figure goes down by this many
REASON = "Two survivors in Kinshasa were entered twice in 2025Q4 (police register check)."


def publish(coordinator: Any, plan: Plan) -> Release:
    release = publishing.release_prepare(by=coordinator, plan=plan)
    return publishing.release_publish(by=coordinator, release=release, confirm=True)


def _correct(nap: Plan, coordinator: Any) -> None:
    """The police's focal point corrects one figure through an approved submission."""
    code, period, area_code, cell_code = CORRECTED
    indicator = Indicator.objects.get(plan=nap, code=code)
    police = Organisation.objects.get(code="demo-pnc")
    current = DataValue.objects.get(
        indicator=indicator,
        period__code=period,
        area__code=area_code,
        cell__code=cell_code,
        source__code=GOVERNMENT_SOURCE,
    )
    assert current.value is not None
    focal = get_user_model().objects.get(username="focal-police")
    round_ = ReportingRound.objects.get(plan=nap, period__code=period)
    was_closed = not round_.is_open
    if was_closed:
        round_ = reporting.round_open(
            by=coordinator,
            plan=nap,
            period_code=period,
            deadline=timezone.localdate() + timedelta(days=7),
        )
    area = Area.objects.get(code=area_code)
    # The police report PRO-01 for the whole country; the correction is Kinshasa's figure.
    reporting.assignment_add(
        by=coordinator, plan=nap, organisation=police, area=area, indicator=indicator
    )
    figures_submit(
        focal=focal,
        coordinator=coordinator,
        round_=round_,
        organisation=police,
        area=area,
        figures={(code, cell_code): int(current.value) - CORRECTED_BY},
        note=REASON,
    )
    if was_closed:
        reporting.round_close(by=coordinator, round_=round_)
    rebuild_plan_aggregates(nap)


def load(nap: Plan) -> int:
    """Release 1, the correction, release 2 (after the aggregates are built); the releases
    published."""
    coordinator = get_user_model().objects.get(username="coordinator")
    publish(coordinator, nap)
    _correct(nap, coordinator)
    publish(coordinator, nap)
    return 2
