"""Writes of the reporting cycle. Every function checks the caller's rights (PlanAccess) itself,
so a view or an API endpoint cannot forget to; refusals raise PermissionDenied, bad input
ValidationError, and nothing is changed in either case.

The cycle: a coordinator opens a round; focal points save figures into their submission
(draft), submit it; the coordinator returns it with a note or approves it. Approval writes the
figures to the fact table through the ingest service (the same checks as every import) and asks
for the aggregates to be rebuilt; approved submissions are locked until the coordinator unlocks
them, with a reason. Civil-society monitors publish their own submissions instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.accounts.models import PlanRole, Role
from wpsmonitor.core.periods import parse_period
from wpsmonitor.directory.models import Area, Organisation
from wpsmonitor.exchange.importer import ImportSummary, import_files
from wpsmonitor.indicators.ingest import (
    IngestError,
    Problem,
    ValueIngest,
    values_ingest,
)
from wpsmonitor.indicators.models import (
    GOVERNMENT_SOURCE,
    AuditAction,
    DataValue,
    DataValueAudit,
    Indicator,
    Source,
    SourceKind,
)
from wpsmonitor.indicators.services import period_ensure
from wpsmonitor.indicators.tasks import request_refresh
from wpsmonitor.plans.models import ActionStatus, FrameworkNode, Plan
from wpsmonitor.reporting import evidence as evidence_files
from wpsmonitor.reporting import notifications
from wpsmonitor.reporting.entry import DUE_KINDS, EntryRow, is_civil_society
from wpsmonitor.reporting.models import (
    ActionAssessment,
    ActionProgress,
    ActionReport,
    Assignment,
    EventKind,
    Evidence,
    LateEntryException,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


# Roles ------------------------------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *,
    by: Any,
    plan: Plan,
    user: Any,
    role: str,
    organisation: Organisation | None = None,
    area: Area | None = None,
) -> PlanRole:
    """Give a user a role on a plan (coordinators and the administrator)."""
    _require(PlanAccess.load(by, plan).can_manage())
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    if role in (Role.FOCAL_POINT, Role.MONITOR) and organisation is None:
        raise ValidationError(_("A focal point or monitor acts for an organisation: name it."))
    if role == Role.MONITOR and organisation is not None and not organisation.is_civil_society:
        raise ValidationError(_("Civil-society monitors act for a civil-society organisation."))
    if area is not None and not area.path.startswith(plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    existing = PlanRole.objects.filter(
        user=user, plan=plan, role=role, organisation=organisation, area=area
    ).first()
    if existing:
        return existing
    return PlanRole.objects.create(
        user=user, plan=plan, role=role, organisation=organisation, area=area, granted_by=by
    )


@transaction.atomic
def role_revoke(*, by: Any, role: PlanRole) -> None:
    """Take a role away. A coordinator cannot remove the plan's last coordinator (themselves
    included), so a plan is never left without anyone to manage it."""
    _require(PlanAccess.load(by, role.plan).can_manage())
    if (
        role.role == Role.COORDINATOR
        and not PlanRole.objects.filter(plan=role.plan, role=Role.COORDINATOR)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ValidationError(_("This is the plan's last coordinator: name another one first."))
    role.delete()


# Rounds -----------------------------------------------------------------------------------------


@transaction.atomic
def round_open(*, by: Any, plan: Plan, period_code: str, deadline: date) -> ReportingRound:
    """Open a reporting round for a period of the plan (or reopen a closed one)."""
    _require(PlanAccess.load(by, plan).can_manage())
    try:
        parsed = parse_period(period_code)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if parsed.end < plan.start or parsed.start > plan.end:
        raise ValidationError(
            _("%(period)s is outside the plan's period (%(start)s to %(end)s).")
            % {"period": period_code, "start": plan.start, "end": plan.end}
        )
    if deadline < parsed.start:
        raise ValidationError(_("The deadline cannot come before the period starts."))
    period = period_ensure(parsed.code)
    round_, created = ReportingRound.objects.get_or_create(
        plan=plan, period=period, defaults={"deadline": deadline, "opened_by": by}
    )
    if not created:
        if round_.is_open:
            raise ValidationError(
                _("The round %(period)s is already open.") % {"period": period.code}
            )
        round_.status, round_.deadline, round_.closed_at = RoundStatus.OPEN, deadline, None
        round_.save(update_fields=["status", "deadline", "closed_at"])
    transaction.on_commit(lambda: notifications.round_opened(round_.pk))
    return round_


@transaction.atomic
def round_close(*, by: Any, round_: ReportingRound) -> ReportingRound:
    _require(PlanAccess.load(by, round_.plan).can_manage())
    round_.status, round_.closed_at = RoundStatus.CLOSED, timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    return round_


@transaction.atomic
def exception_grant(
    *, by: Any, round_: ReportingRound, organisation: Organisation, until: date, reason: str
) -> LateEntryException:
    """Let an organisation enter data in a closed round until a date."""
    _require(PlanAccess.load(by, round_.plan).can_manage())
    if not reason.strip():
        raise ValidationError(_("Say why the exception is granted."))
    if until < timezone.localdate():
        raise ValidationError(_("The exception must end today or later."))
    return LateEntryException.objects.create(
        round=round_, organisation=organisation, until=until, reason=reason.strip(), granted_by=by
    )


def entry_window_open(round_: ReportingRound, organisation_id: int) -> bool:
    """Open round, or a closed round with a live exception for the organisation."""
    if round_.is_open:
        return True
    return round_.exceptions.filter(
        organisation_id=organisation_id, until__gte=timezone.localdate()
    ).exists()


# Assignments ------------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(
    *,
    by: Any,
    plan: Plan,
    organisation: Organisation,
    area: Area,
    indicator: Indicator | None = None,
    action: FrameworkNode | None = None,
) -> Assignment:
    _require(PlanAccess.load(by, plan).can_manage())
    if (indicator is None) == (action is None):
        raise ValidationError(_("Assign either an indicator or an action."))
    if not area.path.startswith(plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    if indicator is not None:
        if indicator.plan_id != plan.pk:
            raise ValidationError(_("The indicator belongs to another plan."))
        if indicator.owner_organisation_id is not None:
            raise ValidationError(
                _(
                    "%(code)s is a civil-society organisation's own indicator: only it reports on it."
                )
                % {"code": indicator.code}
            )
        if indicator.kind not in DUE_KINDS:
            raise ValidationError(
                _("%(code)s is computed or counted from items: nobody enters it.")
                % {"code": indicator.code}
            )
    if action is not None and (action.plan_id != plan.pk or not action.level.holds_actions):
        raise ValidationError(_("Only actions of this plan can be assigned."))
    assignment, _created = Assignment.objects.get_or_create(
        plan=plan, organisation=organisation, area=area, indicator=indicator, action=action
    )
    return assignment


@transaction.atomic
def assignment_remove(*, by: Any, assignment: Assignment) -> None:
    _require(PlanAccess.load(by, assignment.plan).can_manage())
    assignment.delete()


@transaction.atomic
def assignments_from_responsibilities(*, by: Any, plan: Plan) -> int:
    """Assign each indicator and action to its responsible organisation, at the plan's area."""
    _require(PlanAccess.load(by, plan).can_manage())
    created = 0
    for indicator in plan.indicators.filter(
        responsible_organisation__isnull=False, kind__in=DUE_KINDS, owner_organisation__isnull=True
    ):
        _obj, made = Assignment.objects.get_or_create(
            plan=plan,
            organisation_id=indicator.responsible_organisation_id,
            area=plan.area,
            indicator=indicator,
        )
        created += made
    for action in plan.nodes.filter(
        level__holds_actions=True, responsible_organisation__isnull=False
    ):
        _obj, made = Assignment.objects.get_or_create(
            plan=plan,
            organisation_id=action.responsible_organisation_id,
            area=plan.area,
            action=action,
        )
        created += made
    return created


# Submissions ------------------------------------------------------------------------------------


def source_for(organisation: Organisation, *, civil_society: bool) -> Source:
    """The government stream for focal points; an organisation's own stream for monitors."""
    if not civil_society:
        return Source.objects.get(code=GOVERNMENT_SOURCE)
    source = Source.objects.filter(organisation=organisation).first()
    if source is None:
        source = Source.objects.create(
            code=f"cso-{organisation.code}"[:64],
            kind=SourceKind.CIVIL_SOCIETY,
            name=organisation.name,
            organisation=organisation,
        )
    return source


@transaction.atomic
def submission_start(
    *,
    by: Any,
    round_: ReportingRound,
    organisation: Organisation,
    area: Area,
    civil_society: bool = False,
) -> Submission:
    """The submission of an organisation for a round and area, created on first use."""
    access = PlanAccess.load(by, round_.plan)
    _require(access.can_enter_for(organisation.pk, area, civil_society=civil_society))
    if not area.path.startswith(round_.plan.area.path):
        raise ValidationError(_("The area is outside the plan's area."))
    source = source_for(organisation, civil_society=civil_society)
    submission, created = Submission.objects.get_or_create(
        round=round_,
        organisation=organisation,
        area=area,
        source=source,
        defaults={"created_by": by},
    )
    if created:
        SubmissionEvent.objects.create(submission=submission, kind=EventKind.CREATED, actor=by)
    return submission


@dataclass
class SaveResult:
    """What a save did: figures stored, and the problems of those refused (by row key)."""

    changed: int = 0
    problems: dict[tuple[int, int], list[Problem]] = field(default_factory=dict)
    warnings: dict[tuple[int, int], list[Problem]] = field(default_factory=dict)
    action_problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.action_problems


def _check_window(submission: Submission) -> None:
    if not entry_window_open(submission.round, submission.organisation_id):
        raise ValidationError(
            _("The round %(period)s is closed. Ask the coordinator for a late-entry exception.")
            % {"period": submission.round.period.code}
        )


def _dry_run(plan: Plan, rows: list[EntryRow]) -> tuple[list[Problem], list[Problem]]:
    """Validate rows exactly as an import would, storing nothing: (problems, warnings)."""

    class _Rollback(Exception):
        pass

    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not rows:
        return problems, warnings
    try:
        with transaction.atomic():
            session = ValueIngest(kind="check", default_plan=plan.code, max_errors=100_000)
            place = session.place("{row}")
            session.add_rows(((i, row.as_import_row()) for i, row in enumerate(rows)), place=place)
            try:
                result = session.finish()
                warnings = result.warnings
            except IngestError as exc:
                problems, warnings = exc.problems, session.warnings
            raise _Rollback
    except _Rollback:
        pass
    return problems, warnings


def _by_row(rows: list[EntryRow], found: list[Problem]) -> dict[tuple[int, int], list[Problem]]:
    keyed: dict[tuple[int, int], list[Problem]] = {}
    for problem in found:
        row = rows[int(problem.where)]
        keyed.setdefault(row.key, []).append(problem)
    return keyed


def _figure(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


@transaction.atomic
def submission_save(
    *,
    by: Any,
    submission: Submission,
    rows: Iterable[EntryRow],
    actions: Mapping[int, Mapping[str, Any]] | None = None,
) -> SaveResult:
    """Store the figures of a draft: each valid row is kept, each refused one reported.

    A row with every figure blank removes that cell's figure. Changes are recorded in the
    submission's history (old and new figure, who, when).
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(PlanAccess.load(by, submission.round.plan).can_edit_submission(submission))
    _check_window(submission)
    plan = submission.round.plan
    rows = list(rows)
    filled = [row for row in rows if not row.is_blank]
    problems, warnings = _dry_run(plan, filled)
    result = SaveResult(problems=_by_row(filled, problems), warnings=_by_row(filled, warnings))
    existing = {
        (v.indicator_id, v.cell_id): v
        for v in SubmissionValue.objects.filter(submission=submission)
    }
    changes: list[dict[str, str]] = []
    for row in rows:
        if row.key in result.problems:
            continue
        old = existing.get(row.key)
        label = row.label
        if row.is_blank:
            if old is not None:
                changes.append({"what": label, "old": _stored_text(old), "new": ""})
                old.delete()
            continue
        new = row.parsed()
        if old is None:
            SubmissionValue.objects.create(
                submission=submission,
                indicator_id=row.indicator_id,
                cell_id=row.cell_id,
                period_id=row.period_id,
                **new,
            )
            changes.append({"what": label, "old": "", "new": _parsed_text(new)})
        elif any(getattr(old, name) != value for name, value in new.items()):
            before = _stored_text(old)
            for name, value in new.items():
                setattr(old, name, value)
            old.save()
            changes.append({"what": label, "old": before, "new": _parsed_text(new)})
    if actions:
        changes.extend(_actions_save(submission, actions, result))
    if changes:
        SubmissionEvent.objects.create(
            submission=submission, kind=EventKind.SAVED, actor=by, changes=changes
        )
        submission.save(update_fields=["updated_at"])
    result.changed = len(changes)
    return result


def _parsed_text(new: Mapping[str, Any]) -> str:
    if new.get("numerator") is not None or new.get("denominator") is not None:
        text = f"{_figure(new.get('numerator'))}/{_figure(new.get('denominator'))}"
    else:
        text = new.get("text_value") or _figure(new.get("value"))
    comment = new.get("comment")
    return f"{text} ({comment})" if comment else text


def _stored_text(value: SubmissionValue) -> str:
    return _parsed_text(
        {
            "value": value.value,
            "numerator": value.numerator,
            "denominator": value.denominator,
            "text_value": value.text_value,
            "comment": value.comment,
        }
    )


def _actions_save(
    submission: Submission, actions: Mapping[int, Mapping[str, Any]], result: SaveResult
) -> list[dict[str, str]]:
    """Store the actions of a sheet. Government sheets give a status and a percentage; civil
    society's score the action (ActionAssessment) with a narrative, and nothing else."""
    nodes = {
        n.pk: n
        for n in FrameworkNode.objects.filter(
            plan=submission.round.plan, pk__in=list(actions), level__holds_actions=True
        )
    }
    existing = {r.action_id: r for r in ActionReport.objects.filter(submission=submission)}
    civil_society = is_civil_society(submission)
    changes = []
    for node_id, raw in actions.items():
        node = nodes.get(node_id)
        if node is None:
            result.action_problems[node_id] = [_("This action is not in the plan.")]
            continue
        narrative = str(raw.get("narrative") or "").strip()
        if civil_society:
            found, new = _assessment_checked(raw, narrative)
        else:
            found, new = _status_checked(raw, narrative)
        if found:
            result.action_problems[node_id] = found
            continue
        old = existing.get(node_id)
        before = (
            "" if old is None else _report_text(old.status, old.percent_complete, old.assessment)
        )
        if old is None:
            if not any(v not in ("", None) for v in new.values()):
                continue
            ActionReport.objects.create(submission=submission, action=node, **new)
        elif any(getattr(old, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(old, k, v)
            old.save()
        else:
            continue
        after = _report_text(
            new.get("status", ""), new.get("percent_complete"), new.get("assessment", "")
        )
        changes.append({"what": node.code, "old": before, "new": after})
    return changes


def _status_checked(raw: Mapping[str, Any], narrative: str) -> tuple[list[str], dict[str, Any]]:
    status = str(raw.get("status") or "").strip()
    percent_raw = str(raw.get("percent_complete") or "").strip()
    found = []
    if str(raw.get("assessment") or "").strip():
        found.append(_("Government reports give a status, not a civil-society assessment."))
    if status and status not in ActionStatus.values:
        found.append(_("Choose a status from the list."))
    percent: int | None = None
    if percent_raw:
        try:
            percent = int(percent_raw)
            if not 0 <= percent <= 100:
                raise ValueError
        except ValueError:
            found.append(_("The percentage complete is a whole number from 0 to 100."))
    if status == ActionStatus.COMPLETED and percent not in (None, 100):
        found.append(
            _("A completed action is complete: give 100 as its percentage, or leave it empty.")
        )
    return found, {"status": status, "percent_complete": percent, "narrative": narrative}


def _assessment_checked(raw: Mapping[str, Any], narrative: str) -> tuple[list[str], dict[str, Any]]:
    assessment = str(raw.get("assessment") or "").strip()
    found = []
    if str(raw.get("status") or "").strip() or str(raw.get("percent_complete") or "").strip():
        # The status and percentage are the implementing office's account, not a monitor's.
        found.append(
            _("Civil society scores an action with an assessment, not a status or percentage.")
        )
    if assessment and assessment not in ActionAssessment.values:
        found.append(
            _("Choose an assessment from the list: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in ActionAssessment.labels)}
        )
    return found, {"assessment": assessment, "narrative": narrative}


def _report_text(status: str, percent: int | None, assessment: str = "") -> str:
    if assessment:
        return str(ActionAssessment(assessment).label)
    return _action_text(status, percent)


def _action_text(status: str, percent: int | None) -> str:
    label = str(ActionStatus(status).label) if status else ""
    return f"{label} {percent}%".strip() if percent is not None else label


def submission_problems(submission: Submission) -> SaveResult:
    """Everything that stops the submission from being submitted, per row."""
    from wpsmonitor.reporting.entry import rows_from_submission

    rows = rows_from_submission(submission)
    problems, warnings = _dry_run(submission.round.plan, rows)
    result = SaveResult(problems=_by_row(rows, problems), warnings=_by_row(rows, warnings))
    # An outlier is allowed, but only with a word of explanation.
    for row in rows:
        if row.key in result.warnings and not row.comment.strip():
            result.problems.setdefault(row.key, []).extend(
                Problem(
                    p.where,
                    "comment",
                    _("%(problem)s: explain it in a comment") % {"problem": p.message},
                )
                for p in result.warnings[row.key]
            )
    return result


@transaction.atomic
def submission_submit(*, by: Any, submission: Submission, note: str = "") -> SaveResult:
    """Send a draft to the coordinator; civil-society submissions are published instead."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    access = PlanAccess.load(by, submission.round.plan)
    _require(access.can_edit_submission(submission))
    _check_window(submission)
    check = submission_problems(submission)
    _draft_indicator_problems(submission, check)
    if not check.ok:
        return check
    if not submission.values.exists() and not submission.actions.exists():
        raise ValidationError(_("There is nothing to submit yet: enter at least one figure."))
    now = timezone.now()
    if submission.source.kind != SourceKind.GOVERNMENT:
        _apply(submission, by)
        submission.status, submission.decided_by, submission.decided_at = (
            SubmissionStatus.PUBLISHED,
            by,
            now,
        )
        submission.submitted_at = now
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission, kind=EventKind.PUBLISHED, actor=by, note=note.strip()
        )
        return check
    submission.status, submission.submitted_at = SubmissionStatus.SUBMITTED, now
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    SubmissionEvent.objects.create(
        submission=submission, kind=EventKind.SUBMITTED, actor=by, note=note.strip()
    )
    transaction.on_commit(lambda: notifications.submitted(submission.pk))
    return check


def _draft_indicator_problems(submission: Submission, check: SaveResult) -> None:
    """Figures on the organisation's own indicators that are still drafts stop publication:
    nothing of a draft indicator reaches the public tables."""
    drafts = SubmissionValue.objects.filter(
        submission=submission,
        indicator__owner_organisation__isnull=False,
        indicator__published_at__isnull=True,
    ).values_list("indicator_id", "cell_id", "indicator__code")
    for indicator_id, cell_id, code in drafts:
        check.problems.setdefault((indicator_id, cell_id), []).append(
            Problem(
                code,
                "value",
                _(
                    "%(code)s is your organisation's draft indicator: publish it first "
                    "(Shadow monitoring page), or clear its figures"
                )
                % {"code": code},
            )
        )


def _reviewable(by: Any, submission: Submission, status: str) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(PlanAccess.load(by, submission.round.plan).can_review_submission(submission))
    if submission.status != status:
        raise ValidationError(
            _("This submission is %(status)s; it cannot be changed that way.")
            % {"status": submission.get_status_display()}
        )
    return submission


def _decided(
    submission: Submission, by: Any, status: str, kind: str, note: str, *, record: bool = True
) -> Submission:
    """A reviewer's decision: the new status, the event in the history, the authors told."""
    submission.status = status
    fields = ["status", "updated_at"]
    if record:
        submission.decided_by, submission.decided_at = by, timezone.now()
        fields += ["decided_by", "decided_at"]
    submission.save(update_fields=fields)
    SubmissionEvent.objects.create(submission=submission, kind=kind, actor=by, note=note.strip())
    transaction.on_commit(lambda: notifications.decided(submission.pk))
    return submission


@transaction.atomic
def submission_return(*, by: Any, submission: Submission, note: str) -> Submission:
    """Send a submission back to its authors with a note; the reviewer never edits it."""
    if not note.strip():
        raise ValidationError(_("Say what needs revising: the note is required."))
    submission = _reviewable(by, submission, SubmissionStatus.SUBMITTED)
    return _decided(submission, by, SubmissionStatus.RETURNED, EventKind.RETURNED, note)


@transaction.atomic
def submission_approve(*, by: Any, submission: Submission, note: str = "") -> Submission:
    """Approve: the figures go to the fact table, the submission is locked."""
    submission = _reviewable(by, submission, SubmissionStatus.SUBMITTED)
    check = submission_problems(submission)
    if not check.ok:
        # Data changed under it (e.g. a scheme gained a dimension): the author must fix it.
        raise ValidationError(_("This submission no longer passes validation; return it."))
    _apply(submission, by)
    return _decided(submission, by, SubmissionStatus.APPROVED, EventKind.APPROVED, note)


@transaction.atomic
def submission_unlock(*, by: Any, submission: Submission, reason: str) -> Submission:
    """Reopen an approved submission for correction. Its approved figures stay official
    until the corrected submission is approved again."""
    if not reason.strip():
        raise ValidationError(_("Say why the submission is unlocked: the reason is required."))
    submission = _reviewable(by, submission, SubmissionStatus.APPROVED)
    # The approval stays on record (decided_by/at); the history holds the unlocking.
    return _decided(
        submission, by, SubmissionStatus.RETURNED, EventKind.UNLOCKED, reason, record=False
    )


def _apply(submission: Submission, by: Any) -> None:
    """Write the submission's figures to the fact table, replacing what it wrote before.

    Through values_ingest, so stored values carry the batch and their changes are audited;
    figures the corrected submission no longer has are deleted, and audited too.
    """
    from wpsmonitor.reporting.entry import rows_from_submission

    plan = submission.round.plan
    rows = rows_from_submission(submission)
    author = submission.created_by or by
    if rows:
        try:
            values_ingest(
                rows=[row.as_import_dict() for row in rows],
                user=author,
                plan=plan.code,
                kind="submission",
                filename=f"submission {submission.pk}",
            )
        except IngestError as exc:
            raise ValidationError(str(exc)) from None
    dropped = _delete_dropped(submission, rows, by)
    for report in submission.actions.select_related("action"):
        ActionProgress.objects.update_or_create(
            action=report.action,
            period=submission.round.period,
            area=submission.area,
            source=submission.source,
            organisation=submission.organisation,
            defaults={
                "submission": submission,
                "status": report.status,
                "percent_complete": report.percent_complete,
                "narrative": report.narrative,
                # Civil society's score, published with its figures (empty for government).
                "assessment": report.assessment,
            },
        )
        # The action's own status follows the latest approved government report on it (the
        # report of the organisation it is assigned to); civil society's stays beside it.
        official = submission.source.code == GOVERNMENT_SOURCE
        if official and report.status:
            node = report.action
            node.status = report.status
            node.percent_complete = (
                100 if report.status == ActionStatus.COMPLETED else report.percent_complete
            )
            node.save(update_fields=["status", "percent_complete", "updated_at"])
    # Only what this submission touched: in seconds on the dashboards, even on a big plan.
    request_refresh(plan, {row.indicator_id for row in rows} | dropped)


def _delete_dropped(submission: Submission, rows: list[EntryRow], by: Any) -> set[int]:
    """Delete the values an earlier approval of this submission wrote and it no longer holds;
    returns their indicators."""
    kept = {(row.indicator_id, row.period_id, row.cell_id) for row in rows}
    indicator_ids = list(
        Indicator.objects.filter(plan=submission.round.plan).values_list("pk", flat=True)
    )
    earlier = DataValue.objects.filter(
        indicator_id__in=indicator_ids,
        area=submission.area,
        source=submission.source,
        batch__kind="submission",
        batch__filename=f"submission {submission.pk}",
    )
    now = timezone.now()
    touched: set[int] = set()
    for value in earlier:
        if (value.indicator_id, value.period_id, value.cell_id) in kept:
            continue
        touched.add(value.indicator_id)
        DataValueAudit.objects.create(
            indicator_id=value.indicator_id,
            period_id=value.period_id,
            area_id=value.area_id,
            cell_id=value.cell_id,
            source_id=value.source_id,
            action=AuditAction.DELETE,
            old_value=value.value,
            old_numerator=value.numerator,
            old_denominator=value.denominator,
            old_text=value.text_value,
            changed_by=by,
            changed_at=now,
            reason=f"submission {submission.pk}",
        )
        value.delete()
    return touched


# Civil society's own indicators -----------------------------------------------------------------

# Fields a monitor may change at any time; the kind, disaggregation and frequency are fixed once
# created (figures are read by them), so a draft with the wrong ones is deleted and made again.
OWN_INDICATOR_FIELDS = (
    "title",
    "definition",
    "unit",
    "means_of_verification",
    "node",
    "direction",
    "expected_min",
    "expected_max",
)


def _own_indicator_checked(indicator: Indicator, by: Any) -> PlanAccess:
    access = PlanAccess.load(by, indicator.plan)
    # The organisation's monitors, and no one else (no coordinator, no administrator).
    _require(indicator.owner_organisation_id is not None and access.can_edit_indicator(indicator))
    return access


@transaction.atomic
def own_indicator_create(
    *,
    by: Any,
    plan: Plan,
    organisation: Organisation,
    node: FrameworkNode,
    code: str,
    title: str,
    kind: str,
    scheme: list[str] | None = None,
    unit: str = "",
    definition: str = "",
    time_rule: str = "",
    frequency: str = "year",
    direction: str = "increase",
    scale_labels: list[str] | None = None,
    means_of_verification: str = "",
) -> Indicator:
    """A civil-society monitor adds an indicator of their organisation's own to the plan
    (e.g. one of GNWP's civil-society indicators the plan lacks): a draft, which only their
    organisation sees and reports on until they publish it.

    The plan's own rules for indicators apply (indicators.services.indicator_create); the kind is
    one a person enters, as only the organisation's monitors report on it.
    """
    from wpsmonitor.indicators.models import IndicatorKind, TimeRule
    from wpsmonitor.indicators.services import indicator_create

    access = PlanAccess.load(by, plan)
    _require(access.can_define_indicators() and organisation.pk in access.monitor_organisations())
    if node.plan_id != plan.pk:
        raise ValidationError(_("Choose a part of this plan's framework."))
    if kind not in DUE_KINDS:
        raise ValidationError(
            _(
                "Your indicators are entered by your monitors: choose a number, a percentage, "
                "yes/no, a milestone, a scale or a narrative."
            )
        )
    if not time_rule:
        time_rule = {
            IndicatorKind.NUMBER: TimeRule.SUM,
            IndicatorKind.NARRATIVE: TimeRule.NONE,
        }.get(IndicatorKind(kind), TimeRule.LAST)
    indicator = indicator_create(
        plan=plan,
        node=node,
        code=code,
        title=title,
        kind=kind,
        time_rule=time_rule,
        scheme=scheme or [],
        definition=definition.strip(),
        unit=unit.strip(),
        direction=direction,
        frequency=frequency,
        means_of_verification=means_of_verification.strip(),
        scale_labels=scale_labels or [],
    )
    indicator.owner_organisation = organisation
    indicator.save(update_fields=["owner_organisation", "updated_at"])
    return indicator


@transaction.atomic
def own_indicator_update(*, by: Any, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an own indicator's wording, place in the framework, direction or expected range."""
    from wpsmonitor.indicators.models import Direction

    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    unknown = sorted(set(changes) - set(OWN_INDICATOR_FIELDS))
    if unknown:
        raise ValidationError(
            _("These cannot be changed once the indicator exists: %(fields)s.")
            % {"fields": ", ".join(unknown)}
        )
    if "title" in changes and not str(changes["title"] or "").strip():
        raise ValidationError(_("Indicator %(code)s needs a title.") % {"code": indicator.code})
    node = changes.get("node")
    if node is not None and node.plan_id != indicator.plan_id:
        raise ValidationError(_("Choose a part of this plan's framework."))
    if "direction" in changes and changes["direction"] not in Direction.values:
        raise ValidationError(
            _("Unknown direction %(direction)r.") % {"direction": changes["direction"]}
        )
    low = changes.get("expected_min", indicator.expected_min)
    high = changes.get("expected_max", indicator.expected_max)
    if low is not None and high is not None and low > high:
        raise ValidationError(_("The expected minimum is above the expected maximum."))
    for name, value in changes.items():
        if name == "node" and value is None:
            continue
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    indicator.save()
    return indicator


@transaction.atomic
def own_indicator_publish(*, by: Any, indicator: Indicator) -> Indicator:
    """Show the indicator to everyone who reads the plan; its figures can then be published."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    if indicator.published_at is not None:
        raise ValidationError(_("This indicator is already published."))
    indicator.published_at = timezone.now()
    indicator.save(update_fields=["published_at", "updated_at"])
    return indicator


@transaction.atomic
def own_indicator_delete(*, by: Any, indicator: Indicator) -> None:
    """Delete a draft (its draft figures in submissions go with it: a draft indicator never has
    stored figures). A published indicator stays: readers may have cited it."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _own_indicator_checked(indicator, by)
    if indicator.published_at is not None:
        raise ValidationError(_("A published indicator cannot be deleted."))
    indicator.delete()


# The plan workbook --------------------------------------------------------------------------------


@transaction.atomic
def plan_workbook_import(*, by: Any, plan: Plan, path: Path) -> ImportSummary:
    """A coordinator edits the framework (and loads official figures) from the plan workbook:
    the same importer as `wpsmonitor import`, all or nothing, limited to this plan and to the
    source streams the coordinator may write. Raises ImportFailed or ValidationError; then
    nothing is stored."""
    access = PlanAccess.load(by, plan)
    _require(access.can_manage())
    streams = list(
        Source.objects.exclude(kind=SourceKind.GOVERNMENT).values(
            "code", "kind", "name", "organisation_id"
        )
    )
    summary = import_files(paths=[path], user=by)
    for before in streams:
        after = (
            Source.objects.filter(code=before["code"])
            .values("code", "kind", "name", "organisation_id")
            .first()
        )
        if after != before and not access.admin:
            raise ValidationError(
                _("The workbook changes the source %(code)s, which belongs to its organisation.")
                % {"code": before["code"]}
            )
    other_plans = summary.plan_ids - {plan.pk}
    if other_plans:
        raise ValidationError(
            _("This workbook is for another plan (%(codes)s); upload it on that plan's page.")
            % {
                "codes": ", ".join(
                    Plan.objects.filter(pk__in=other_plans).values_list("code", flat=True)
                )
            }
        )
    written = DataValue.objects.filter(batch_id=summary.batch_id)
    if written.exclude(indicator__plan=plan).exists():
        raise ValidationError(_("The workbook has values of another plan."))
    for source in Source.objects.filter(pk__in=written.values("source_id")):
        if not access.can_write_source(source):
            raise ValidationError(
                _(
                    "The workbook changes values of %(source)s, which only its organisation may change."
                )
                % {"source": source.name}
            )
    request_refresh(plan)
    return summary


# Evidence ---------------------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(
    *,
    by: Any,
    submission: Submission,
    upload: UploadedFile,
    description: str = "",
    indicator: Indicator | None = None,
    action: FrameworkNode | None = None,
    shared: bool = False,
) -> Evidence:
    """Attach a document or photo (type checked from its bytes, size capped). `shared`: shown
    to the plan's readers once the submission is approved or published (the author's choice:
    never for a file that could identify a survivor or a witness)."""
    _require(PlanAccess.load(by, submission.round.plan).can_edit_submission(submission))
    content_type = evidence_files.check(upload)
    item = Evidence(
        submission=submission,
        indicator=indicator,
        action=action,
        filename=evidence_files.safe_name(upload.name or "file"),
        content_type=content_type,
        size=upload.size or 0,
        description=description.strip()[:500],
        shared=shared,
        uploaded_by=by,
    )
    item.file.save("evidence", upload, save=False)
    item.save()
    SubmissionEvent.objects.create(
        submission=submission, kind=EventKind.EVIDENCE, actor=by, note=item.filename
    )
    return item


# Reads used by services and views alike ------------------------------------------------------------


def submissions_visible(access: PlanAccess) -> Q:
    """A filter on Submission for what this user may see on the plan (one query with it)."""
    mine = Q(
        source__kind=SourceKind.CIVIL_SOCIETY, organisation_id__in=access.monitor_organisations()
    )
    government = Q(source__code=GOVERNMENT_SOURCE)
    if access.is_coordinator:
        return government | mine
    focal = Q(pk__in=[])
    for org in access.focal_organisations():
        for path in access.focal_areas(org):
            scope = Q(organisation_id=org)
            if path is not None:
                scope &= Q(area__path__startswith=path)
            focal |= scope
    return (government & focal) | mine
