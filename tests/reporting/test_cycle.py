"""The reporting cycle through its services: enter, validate, submit, return, correct,
approve, unlock; what reaches the fact table and when; the history kept on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.reporting.conftest import Cycle
from tests.reporting.helpers import field, save

from wpsmonitor.core.periods import PeriodType
from wpsmonitor.indicators.models import AggregateValue, DataValue, DataValueAudit
from wpsmonitor.plans.models import ActionStatus, FrameworkNode
from wpsmonitor.reporting import services
from wpsmonitor.reporting.entry import build_sheet, indicator_period_code
from wpsmonitor.reporting.models import (
    ActionProgress,
    EventKind,
    SubmissionStatus,
    SubmissionValue,
)


@pytest.fixture
def draft(cycle: Cycle):  # type: ignore[no-untyped-def]
    return services.submission_start(
        by=cycle.users["focal"],
        round_=cycle.round,
        organisation=cycle.built.ministry,
        area=cycle.province,
    )


def test_a_monthly_indicator_is_not_due_in_a_quarterly_round() -> None:
    assert indicator_period_code("2025Q1", PeriodType.QUARTER) == "2025Q1"
    assert indicator_period_code("2025Q4", PeriodType.YEAR) == "2025"
    assert indicator_period_code("2025Q1", PeriodType.YEAR) is None
    assert indicator_period_code("2025S1", PeriodType.QUARTER) is None  # finer: own rounds
    assert indicator_period_code("2025Q1", PeriodType.MONTH) is None


def test_the_sheet_holds_what_is_assigned_for_the_area(cycle: Cycle, draft) -> None:  # type: ignore[no-untyped-def]
    sheet = build_sheet(draft)
    codes = [block.indicator.code for block in sheet.indicators]
    assert codes == sorted(codes, key=lambda c: codes.index(c))
    assert set(codes) == {"IND-GRID", "IND-YN", "IND-NAR", cycle.built.indicators[1].code}
    grid = next(b for b in sheet.indicators if b.indicator.code == "IND-GRID")
    assert len(grid.cells) == 8  # 2 sexes x 4 age groups
    assert grid.columns == ["0-17", "18-29", "30-59", "60+"]
    assert [labels for labels, _cells in grid.grid] == [["Female"], ["Male"]]
    target_cell = next(c for c in grid.cells if c.cell.code == "sex=F;age=18-29")
    assert target_cell.target is not None and target_cell.target.value == 40
    assert [a.action.code for a in sheet.actions] == ["P1.O1.1.A1"]


def test_saving_keeps_valid_cells_and_reports_the_wrong_one(cycle: Cycle, draft) -> None:  # type: ignore[no-untyped-def]
    focal = cycle.users["focal"]
    percentage = cycle.built.indicators[1]
    result = save(
        focal,
        draft,
        {
            field(cycle.grid, "sex=F;age=18-29"): "12",
            field(cycle.grid, "sex=M;age=18-29"): "1 204",  # thousands typed the French way
            field(cycle.grid, "sex=F;age=30-59"): "douze",
            # A decimal comma in a count of people: not stored as 1.5 (issue 12).
            field(cycle.grid, "sex=M;age=30-59"): "1,5",
            field(percentage, "total", "n"): "30",
            field(percentage, "total", "d"): "20",
        },
    )
    assert not result.ok
    messages = {(p.column, p.message) for found in result.problems.values() for p in found}
    assert ("value", "'douze' is not a number") in messages
    assert ("value", "a count of people is a whole number: 1.5") in messages
    assert ("numerator", "the numerator (30) is above the denominator (20)") in messages
    stored = {v.cell.code: v.value for v in SubmissionValue.objects.filter(submission=draft)}
    assert stored == {"sex=F;age=18-29": 12.0, "sex=M;age=18-29": 1204.0}
    # Nothing reaches the fact table before approval.
    assert not DataValue.objects.filter(indicator=cycle.grid).exists()


def test_an_outlier_needs_a_comment_before_submitting(cycle: Cycle, draft) -> None:  # type: ignore[no-untyped-def]
    focal = cycle.users["focal"]
    key = field(cycle.grid, "sex=F;age=18-29")
    assert save(focal, draft, {key: "900"}).ok  # a draft may hold it
    check = services.submission_submit(by=focal, submission=draft)
    assert not check.ok
    (found,) = check.problems.values()
    assert found[0].column == "comment"
    assert "outside the expected range" in found[0].message
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT
    comment = field(cycle.grid, "sex=F;age=18-29", "c")
    assert save(focal, draft, {key: "900", comment: "Two camps merged this quarter"}).ok
    assert services.submission_submit(by=focal, submission=draft).ok
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED


def test_the_whole_cycle_return_correct_approve_unlock(
    cycle: Cycle,
    draft,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    focal, coordinator = cycle.users["focal"], cycle.users["coordinator"]
    f_young = field(cycle.grid, "sex=F;age=18-29")
    m_young = field(cycle.grid, "sex=M;age=18-29")
    result = save(
        focal,
        draft,
        {
            f_young: "12",
            m_young: "5",
            field(cycle.yes_no, "total"): "1",
            field(cycle.narrative, "total", "t"): "Roads cut by the rains",
            f"as-{cycle.action.pk}": ActionStatus.ONGOING,
            f"ap-{cycle.action.pk}": "40",
            f"an-{cycle.action.pk}": "Two trainings held",
        },
    )
    assert result.ok, result.problems
    assert services.submission_submit(by=focal, submission=draft, note="Q1 figures").ok
    mail.outbox.clear()

    # The coordinator cannot edit the figures, only return them with a note.
    with pytest.raises(PermissionDenied):
        save(coordinator, draft, {f_young: "99"})
    with pytest.raises(ValidationError):
        services.submission_return(by=coordinator, submission=draft, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(by=coordinator, submission=draft, note="Men 18-29 look low")
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.RETURNED
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]
    assert "Men 18-29 look low" in mail.outbox[0].body

    assert save(focal, draft, {f_young: "12", m_young: "8"}).ok
    assert services.submission_submit(by=focal, submission=draft).ok
    assert not DataValue.objects.filter(indicator=cycle.grid).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(by=coordinator, submission=draft)
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.APPROVED

    stored = {v.cell.code: v.value for v in DataValue.objects.filter(indicator=cycle.grid)}
    assert stored == {"sex=F;age=18-29": 12.0, "sex=M;age=18-29": 8.0}
    value = DataValue.objects.filter(indicator=cycle.grid).first()
    assert value is not None and value.stored_by == focal  # the author, not the approver
    # The aggregates were rebuilt (tasks run in-process in tests): the province total is 20.
    total = AggregateValue.objects.get(
        indicator=cycle.grid, period_code="2025Q1", area=cycle.province, cell_key=""
    )
    assert total.value == 20
    action = FrameworkNode.objects.get(pk=cycle.action.pk)
    assert (action.status, action.percent_complete) == (ActionStatus.ONGOING, 40)
    assert ActionProgress.objects.get(action=action).narrative == "Two trainings held"

    # Approved is locked: neither the author nor anyone else changes it.
    with pytest.raises(PermissionDenied):
        save(focal, draft, {f_young: "13"})
    with pytest.raises(ValidationError):
        services.submission_unlock(by=coordinator, submission=draft, reason="")
    services.submission_unlock(by=coordinator, submission=draft, reason="Typo in men 18-29")
    # Unlocked, corrected, re-approved: a removed cell leaves the fact table, audited.
    assert save(focal, draft, {f_young: "12", m_young: ""}).ok
    assert DataValue.objects.filter(indicator=cycle.grid).count() == 2  # still the approved
    assert services.submission_submit(by=focal, submission=draft).ok
    services.submission_approve(by=coordinator, submission=draft)
    assert [v.cell.code for v in DataValue.objects.filter(indicator=cycle.grid)] == [
        "sex=F;age=18-29"
    ]
    assert DataValueAudit.objects.filter(indicator=cycle.grid, action="delete").count() == 1

    kinds = list(draft.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.SAVED,
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.SAVED,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
        EventKind.UNLOCKED,
        EventKind.SAVED,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
    ]
    correction = draft.events.filter(kind=EventKind.SAVED).order_by("at", "pk")[1]
    assert correction.actor == focal
    assert {"what": "IND-GRID [sex=M;age=18-29]", "old": "5", "new": "8"} in correction.changes


def test_a_closed_round_takes_no_entry_without_an_exception(cycle: Cycle, draft) -> None:  # type: ignore[no-untyped-def]
    focal, coordinator = cycle.users["focal"], cycle.users["coordinator"]
    services.round_close(by=coordinator, round_=cycle.round)
    draft.round.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        save(focal, draft, {field(cycle.grid, "sex=F;age=18-29"): "3"})
    with pytest.raises(PermissionDenied):
        services.exception_grant(
            by=focal,
            round_=cycle.round,
            organisation=cycle.built.ministry,
            until=timezone.localdate(),
            reason="Roads cut",
        )
    services.exception_grant(
        by=coordinator,
        round_=cycle.round,
        organisation=cycle.built.ministry,
        until=timezone.localdate() + timedelta(days=3),
        reason="Roads cut",
    )
    assert save(focal, draft, {field(cycle.grid, "sex=F;age=18-29"): "3"}).ok


def test_civil_society_publishes_its_own_figures_into_its_own_stream(cycle: Cycle) -> None:
    monitor = cycle.users["monitor"]
    submission = services.submission_start(
        by=monitor,
        round_=cycle.round,
        organisation=cycle.built.cso,
        area=cycle.plan.area,
        civil_society=True,
    )
    sheet = build_sheet(submission)
    # A monitor reports on any indicator of the plan, assigned or not.
    assert {"IND-GRID", cycle.built.indicators[0].code} <= {
        b.indicator.code for b in sheet.indicators
    }
    assert save(monitor, submission, {field(cycle.grid, "sex=F;age=18-29"): "4"}).ok
    # Government cannot see, review or alter it.
    for name in ("coordinator", "admin", "focal"):
        with pytest.raises(PermissionDenied):
            save(cycle.users[name], submission, {field(cycle.grid, "sex=F;age=18-29"): "40"})
    with pytest.raises(PermissionDenied):
        services.submission_approve(by=cycle.users["coordinator"], submission=submission)
    assert services.submission_submit(by=monitor, submission=submission).ok
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    (value,) = DataValue.objects.filter(indicator=cycle.grid)
    assert value.source == submission.source and value.source.organisation == cycle.built.cso


def test_only_the_coordinator_opens_rounds_and_assigns(cycle: Cycle) -> None:
    for name in ("focal", "monitor", "viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.round_open(
                by=cycle.users[name],
                plan=cycle.plan,
                period_code="2025Q2",
                deadline=timezone.localdate(),
            )
        with pytest.raises(PermissionDenied):
            services.assignments_from_responsibilities(by=cycle.users[name], plan=cycle.plan)
    with pytest.raises(ValidationError, match="outside the plan"):
        services.round_open(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            period_code="2031Q1",
            deadline=timezone.localdate(),
        )
    with pytest.raises(ValidationError, match="already open"):
        services.round_open(
            by=cycle.users["coordinator"],
            plan=cycle.plan,
            period_code="2025Q1",
            deadline=timezone.localdate(),
        )
    assert services.assignments_from_responsibilities(by=cycle.users["admin"], plan=cycle.plan) > 0


def test_a_focal_point_enters_only_for_their_organisation_and_area(cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        services.submission_start(
            by=cycle.users["focal"],
            round_=cycle.round,
            organisation=cycle.built.ministry,
            area=cycle.other_province,
        )
    with pytest.raises(PermissionDenied):
        services.submission_start(
            by=cycle.users["focal"],
            round_=cycle.round,
            organisation=cycle.police,
            area=cycle.province,
        )


def test_reminders_go_once_to_those_who_owe(cycle: Cycle) -> None:
    from wpsmonitor.reporting.notifications import deadline_reminders

    cycle.round.deadline = timezone.localdate() + timedelta(days=2)
    cycle.round.save()
    mail.outbox.clear()
    assert deadline_reminders(days_before=3) == 1
    (message,) = mail.outbox
    assert set(message.to) == {
        "focal@example.org",
        "focal_other_area@example.org",
        "police_focal@example.org",
    }
    assert deadline_reminders(days_before=3) == 0


def test_the_reminder_task_sends_what_the_command_sends(cycle: Cycle) -> None:
    from wpsmonitor.reporting.tasks import send_deadline_reminders

    cycle.round.deadline = timezone.localdate() + timedelta(days=1)
    cycle.round.save()
    mail.outbox.clear()
    result = send_deadline_reminders.enqueue()  # the immediate backend in tests
    assert result.return_value == 1
    assert len(mail.outbox) == 1
