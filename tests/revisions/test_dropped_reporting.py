"""Reporting and a dropped indicator: a period that starts after the approval no longer asks
for it (the sheet, the offline form, new assignments); an earlier period still does, and the
figures already entered stay. A draft's drop changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from tests.revisions.conftest import RevisionWorld

from wpsmonitor.directory.models import Organisation, OrganisationType
from wpsmonitor.fieldcollection.xlsform import form_spec
from wpsmonitor.indicators.models import GOVERNMENT_SOURCE, DataValue, Source
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.reporting.entry import due_indicators
from wpsmonitor.reporting.models import Assignment, ReportingRound, Submission
from wpsmonitor.reporting.services import assignment_add, assignments_from_responsibilities
from wpsmonitor.revisions import services

APPROVED = datetime(2025, 7, 15, 12, tzinfo=UTC)


def _setup(rw: RevisionWorld) -> Organisation:
    ministry = Organisation.objects.create(
        code="ministry", name="Ministry", type=OrganisationType.GOVERNMENT
    )
    for indicator in (rw.a, rw.b):
        Assignment.objects.create(
            plan=rw.plan, organisation=ministry, area=rw.plan.area, indicator=indicator
        )
    return ministry


def _submission(rw: RevisionWorld, ministry: Organisation, period: str) -> Submission:
    round_ = ReportingRound.objects.create(
        plan=rw.plan, period=period_ensure(period), deadline=date(2027, 3, 31)
    )
    return Submission.objects.create(
        round=round_,
        organisation=ministry,
        area=rw.plan.area,
        source=Source.objects.get(code=GOVERNMENT_SOURCE),
    )


def _asked(submission: Submission) -> list[str]:
    due, not_due = due_indicators(submission)
    return sorted(i.code for i, _code in due) + sorted(i.code for i in not_due)


@pytest.mark.parametrize("approve", [True, False])
def test_new_periods_no_longer_ask_for_it(rw: RevisionWorld, approve: bool) -> None:
    ministry = _setup(rw)
    rw.world.value(rw.b, "2024", value=7)
    draft = services.revision_prepare(access=rw.access(), kind="midterm")
    services.indicator_drop(access=rw.access(), version=draft, indicator=rw.b)
    if approve:
        services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    # 2025 started before the approval: still asked for (its figure counts in 2025's roll-up).
    assert _asked(_submission(rw, ministry, "2025")) == ["IND-A", "IND-B"]
    later = _submission(rw, ministry, "2026")
    assert _asked(later) == (["IND-A"] if approve else ["IND-A", "IND-B"])
    # The offline form of the same assignment has no field for it either.
    names = " ".join(form_spec(later.round, ministry, rw.plan.area, "en").fields)
    assert ("ind_b" in names.lower() or "IND-B" in names) is (not approve)
    # The figure entered before stays.
    assert DataValue.objects.get(indicator=rw.b).value == 7


def test_no_new_assignment_of_a_dropped_indicator(rw: RevisionWorld) -> None:
    ministry = _setup(rw)
    Assignment.objects.all().delete()
    rw.b.responsible_organisation = ministry
    rw.b.save(update_fields=["responsible_organisation"])
    draft = services.revision_prepare(access=rw.access(), kind="midterm")
    services.indicator_drop(access=rw.access(), version=draft, indicator=rw.b)
    services.revision_approve(access=rw.access(), version=draft, at=APPROVED)
    coordinator = rw.users["coordinator"]
    with pytest.raises(ValidationError, match="dropped in version 2 of the plan on 2025-07-15"):
        assignment_add(
            by=coordinator, plan=rw.plan, organisation=ministry, area=rw.plan.area, indicator=rw.b
        )
    assert assignments_from_responsibilities(by=coordinator, plan=rw.plan) == 0
    assert not Assignment.objects.exists()
